"""A provision's comments page by page: every order walks every top-level comment once, ties included;
searching comments."""
import re

import pytest
from django.db import connection

from comments import selectors, services
from comments.models import Comment
from config.errors import ApplicationError

pytestmark = pytest.mark.django_db

EXPECTED = {
    "newest": lambda rows: sorted(rows, key=lambda r: -r[0]),
    "oldest": lambda rows: sorted(rows, key=lambda r: r[0]),
    "endorsed": lambda rows: sorted(rows, key=lambda r: (-r[1], -r[0])),
}


@pytest.mark.parametrize("listed", ["paragraph", "article", "article in one query"])
@pytest.mark.parametrize("order", EXPECTED)
def test_walking_the_pages_visits_each_comment_once_in_order(aigerim, draft_provision, order, listed, monkeypatch):
    from django.db import connection

    from drafts.models import Provision

    if listed == "article in one query":  # as on SQLite, which allows no LIMIT inside a UNION
        monkeypatch.setattr(connection.features, "supports_slicing_ordering_in_compound", False)

    # On an article, the comments are spread over two of its paragraphs (one index scan each, merged).
    second = Provision.objects.get(version=draft_provision.version, path="II/25/2")
    on = [draft_provision, draft_provision if listed == "paragraph" else second]
    ids = [
        services.comment_submit(author=aigerim, provision_id=on[n % 2].pk, body=f"Point {n}.", stance="support", language="en").pk
        for n in range(23)
    ]
    for n, comment_id in enumerate(ids):  # many ties: 0, 1 or 2 endorsements
        Comment.objects.filter(pk=comment_id).update(endorsement_count=n % 3)
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="A reply.", stance="question", language="en", parent_id=ids[0])
    seen, cursor = [], None
    for _page in range(10):
        page = selectors.comment_list_for_provision(
            provision=draft_provision if listed == "paragraph" else draft_provision.parent, order=order, cursor=cursor, limit=5
        )
        seen.extend(page.comments)
        cursor = page.next_cursor
        if cursor is None:
            break
    expected = EXPECTED[order]([(pk, n % 3) for n, pk in enumerate(ids)])
    assert [(c.pk, c.endorsement_count) for c in seen] == expected
    assert [reply.body for reply in next(c for c in seen if c.pk == ids[0]).replies.all()] == ["A reply."]


def test_counts_within_a_provision_cover_its_subtree_only(aigerim, draft_provision):
    from drafts.models import Provision

    elsewhere = Provision.objects.get(version=draft_provision.version, path="I/2/1")
    for provision in (draft_provision, draft_provision, elsewhere):
        services.comment_submit(author=aigerim, provision_id=provision.pk, body="Counted.", stance="support", language="en")
    article = draft_provision.parent
    within = selectors.comment_counts_by_subtree(version=draft_provision.version, within=article)
    assert within[article.pk].published == 2 and within[draft_provision.pk].own.published == 2
    assert elsewhere.pk not in within and article.parent_id not in within
    whole = selectors.comment_counts_by_subtree(version=draft_provision.version)
    assert whole[elsewhere.pk].own.published == 1 and whole[article.parent_id].published == 2


@pytest.mark.parametrize("cursor", ["12", "a.b", "1.2.3", "-1.5", "1.99999999999999999999", "٣.٤"])
def test_a_cursor_this_module_did_not_give_is_refused(draft_provision, cursor):
    with pytest.raises(ApplicationError) as refused:
        selectors.comment_list_for_provision(provision=draft_provision, order="endorsed", cursor=cursor)
    assert refused.value.code == "invalid_cursor" and refused.value.status == 400
    with pytest.raises(ApplicationError):
        selectors.comment_page(comments=selectors.comment_public_queryset(), cursor=cursor)


def test_search_finds_words_and_reads_the_fulltext_index(aigerim, draft_provision, monkeypatch):
    for body in ("Public morality is vague.", "Keep the health grounds.", "Morality and health."):
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=body, stance="oppose", language="en")
    found = selectors.comment_search(comments=Comment.objects.order_by("id"), query="  morality ")
    assert [c.body for c in found] == ["Public morality is vague.", "Morality and health."]
    assert [c.body for c in selectors.comment_search(comments=Comment.objects.order_by("id"), query="health morality")] == ["Morality and health."]
    # A table of some size, most of it not published: the search reads only published comments, and so does the
    # index (migration 0016); on a table of three rows the planner would read any index on status, or the table.
    filler = Comment.objects.order_by("id").last()
    clones = []
    for n in range(3000):
        filler.pk, filler.body, filler.status = None, f"Keep the health grounds {n}.", ("hidden" if n % 3 else "published")
        filler.moderation_reason = "Off topic." if n % 3 else ""
        clones.append(Comment(**{f.attname: getattr(filler, f.attname) for f in Comment._meta.concrete_fields}))
    Comment.objects.bulk_create(clones)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE comments_comment")
        cursor.execute("SET LOCAL enable_seqscan = off")  # a table this small would otherwise be read whole
    # The vector is the index's expression exactly, so the planner can use the index (migrations 0002 and 0016) ...
    assert "comment_fulltext" in found.explain()
    # ... also in the generic plan of the statement as psycopg prepares it (server-side binding).
    sql, params = found.query.sql_with_params()
    numbers = iter(range(1, len(params) + 1))
    with connection.cursor() as cursor:
        cursor.execute("PREPARE searched AS " + re.sub("%s", lambda _match: f"${next(numbers)}", sql))
        cursor.execute("SET LOCAL plan_cache_mode = force_generic_plan")
        cursor.execute(connection.ops.compose_sql(f"EXPLAIN EXECUTE searched({', '.join(['%s'] * len(params))})", params))
        generic_plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("DEALLOCATE searched")
    assert "comment_fulltext" in generic_plan, generic_plan

    monkeypatch.setattr(connection, "vendor", "sqlite")  # what `make run` does: word containment
    assert [c.body for c in selectors.comment_search(comments=Comment.objects.order_by("id"), query="morality")] == [
        "Public morality is vague.", "Morality and health."
    ]
