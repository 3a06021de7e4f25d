"""Comment counts per provision (comments.counting): kept by the statements that write and moderate comments,
equal at every step to counting the comments themselves, and read without reading a single comment."""
import pytest
from django.db import connection, transaction
from django.db.models import Count, Q
from django.test.utils import CaptureQueriesContext

from comments import selectors, services
from comments.models import Comment, ProvisionCommentCount
from comments.moderation import services as moderation
from comments.storage import COMMENT_COLUMNS


def _recounted(provision_id):
    """The counts as the pages computed them before: every comment of the provision read and grouped."""
    rows = Comment.objects.filter(provision_id=provision_id).aggregate(
        published=Count("id", filter=Q(status="published")), hidden=Count("id", filter=Q(status="hidden")),
        withdrawn=Count("id", filter=Q(status="withdrawn")),
    )
    return selectors.ProvisionCommentCounts(rows["published"], rows["hidden"], rows["withdrawn"])


def _kept(provision):
    return selectors.comment_counts_for_version(version=provision.version).get(provision.pk, selectors.ProvisionCommentCounts())


def _submit(author, provision, body="Counted."):
    return services.comment_submit(author=author, provision_id=provision.pk, body=body, stance="support", language="en")


def test_each_write_and_moderation_moves_the_counts(aigerim, make_participant, draft_provision, member):
    steps = []
    first, second, third = (_submit(make_participant(f"Citizen {n}"), draft_provision) for n in range(3))
    steps.append(("submitted", (3, 0, 0)))
    moderation.comment_hide(comment_id=first.pk, moderator=member, reason="Off topic.")
    steps.append(("hidden", (2, 1, 0)))
    services.comment_withdraw(comment_id=second.pk, author=second.author)
    steps.append(("withdrawn", (1, 1, 1)))
    services.comment_withdraw(comment_id=first.pk, author=first.author)  # hidden stays hidden: nothing moves
    steps.append(("withdrawn while hidden", (1, 1, 1)))
    moderation.comment_restore(comment_id=first.pk, moderator=member)  # the withdrawal holds
    steps.append(("restored", (1, 0, 2)))
    services.comment_edit(comment_id=third.pk, author=third.author, body="Corrected.")
    services.comment_endorse(comment_id=third.pk, user=aigerim)
    steps.append(("corrected and endorsed", (1, 0, 2)))
    _submit(aigerim, draft_provision)
    steps.append(("another", (2, 0, 2)))
    kept = _kept(draft_provision)
    assert (kept.published, kept.hidden, kept.withdrawn) == steps[-1][1]
    assert kept == _recounted(draft_provision.pk)


def test_a_comment_rolled_back_is_not_counted(aigerim, draft_provision):
    _submit(aigerim, draft_provision)
    with pytest.raises(RuntimeError), transaction.atomic():
        _submit(aigerim, draft_provision, body="Never committed.")
        raise RuntimeError
    assert _kept(draft_provision) == _recounted(draft_provision.pk) == selectors.ProvisionCommentCounts(1, 0, 0)


def test_a_bulk_insert_and_a_delete_are_counted(aigerim, draft_provision, demo):
    """Counted per statement: what a bulk load or a clean-up writes, by SQL that no service runs."""
    _submit(aigerim, draft_provision)
    columns = ", ".join(COMMENT_COLUMNS)
    with connection.cursor() as cursor:
        cursor.execute(f"""
            INSERT INTO comments_comment ({columns})
            SELECT %(consultation)s, %(version)s, %(provision)s, %(lineage)s, %(author)s, NULL, false, 'Bulk', 'individual', '',
                   'support', 'Bulk ' || i, '', 'en', '', '', '', NULL, NULL, '',
                   CASE WHEN i %% 10 = 0 THEN 'hidden' ELSE 'published' END, CASE WHEN i %% 10 = 0 THEN 'Spam.' ELSE '' END, 0, now()
            FROM generate_series(1, 200) AS i
        """, {"consultation": demo.pk, "version": draft_provision.version_id, "provision": draft_provision.pk,
              "lineage": draft_provision.lineage_id, "author": aigerim.pk})
    assert _kept(draft_provision) == _recounted(draft_provision.pk) == selectors.ProvisionCommentCounts(181, 20, 0)
    Comment.objects.filter(author_name="Bulk", status="hidden").delete()
    assert _kept(draft_provision) == _recounted(draft_provision.pk) == selectors.ProvisionCommentCounts(181, 0, 0)


def test_the_counts_read_no_comment(aigerim, draft_provision):
    _submit(aigerim, draft_provision)
    with CaptureQueriesContext(connection) as captured:
        counts = selectors.comment_counts_by_subtree(version=draft_provision.version, within=draft_provision.parent)
    assert counts[draft_provision.parent_id].published == 1
    assert not [query["sql"] for query in captured.captured_queries if '"comments_comment"' in query["sql"]]


def test_the_migration_counts_the_comments_already_there(aigerim, draft_provision):
    """Its forward step (comments.counting.counting_start) run again from an empty table gives the same counts."""
    from comments.counting import counting_start, counting_stop

    _submit(aigerim, draft_provision)
    _submit(aigerim, draft_provision)
    with connection.schema_editor() as editor:
        counting_stop(editor)
        assert not ProvisionCommentCount.objects.exists()
        counting_start(editor)
    assert _kept(draft_provision) == selectors.ProvisionCommentCounts(2, 0, 0)
    _submit(aigerim, draft_provision)  # and the triggers count again
    assert _kept(draft_provision) == selectors.ProvisionCommentCounts(3, 0, 0)
