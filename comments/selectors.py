"""Reading comments: what the public sees, in a fixed number of queries per page, and what submitting one reads.

The chain, notifications and moderation have their own packages (comments/chain, comments/notifications,
comments/moderation).
"""
from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.cache import cache
from django.contrib.postgres.search import SearchQuery, SearchVectorField
from django.db import connection
from django.db.models import (
    BooleanField,
    Func,
    Prefetch,
    Q,
    QuerySet,
    prefetch_related_objects,
)
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.translation import gettext as _

from comments.models import Comment, Endorsement, ProvisionCommentCount
from config.errors import ApplicationError, NotFound
from consult.models import Consultation, Participant, Phase
from drafts.models import Document, DraftVersion, Provision, ProvisionText
from drafts.selectors import provision_subtree

# The orders in which the public reads comments, on the pages and in the API alike. Each ends with the id, so
# that no two comments tie, and runs every field the same way, so that "the comments after this one" is one
# row comparison: a bound of an index scan (the comment_provision_* indexes), however many comments tie on
# their endorsements. A cursor is the position of a comment in all of them: "<endorsement_count>.<id>".
ORDERINGS = {
    "newest": ("-id",),
    "oldest": ("id",),
    "endorsed": ("-endorsement_count", "-id"),
}
CURSOR_FIELDS = ("endorsement_count", "id")
PARENTS_CACHE_SECONDS = 24 * 3600
_CURSOR = re.compile(r"(\d{1,18})\.(\d{1,18})", re.ASCII)  # below 2**63: a PostgreSQL bigint


@dataclass(frozen=True)
class ProvisionCommentCounts:
    published: int = 0
    hidden: int = 0
    withdrawn: int = 0

    @property
    def total(self) -> int:
        return self.published + self.hidden + self.withdrawn


@dataclass(frozen=True)
class CommentPage:
    """A page of comments and where the pages around it begin: `next_cursor` to read on after the last
    comment shown, `previous_cursor` (comment_page only) to read back before the first; None at either end."""

    comments: list[Comment]
    next_cursor: str | None
    previous_cursor: str | None = None


def comment_public_queryset() -> QuerySet[Comment]:
    """Every comment that has been accepted (hidden and withdrawn ones included: the public sees that they exist)."""
    return Comment.objects.select_related("receipt", "provision", "version__document", "consultation")


def comment_list_for_provision(
    *, provision: Provision, order: str = "newest", cursor: str | None = None, limit: int = 20
) -> CommentPage:
    """Top-level comments on a provision and on the provisions below it (an article's paragraphs),
    with their replies, keyset-paginated: constant cost at any depth.

    Each provision's page is read from its own index scan (one SELECT per provision, joined by UNION
    ALL and cut to the page): no index orders the comments of several provisions at once, and a single
    SELECT over all of them would sort every comment of the article.
    The cursor is opaque to callers ("<endorsement_count>.<id>" of the last comment shown); one this
    module did not give raises ApplicationError (invalid_cursor, 400), as in comment_page.
    """
    past_cursor, ordering = _keyset(order=order, cursor=cursor)
    subtree = provision_subtree(provision=provision)
    top_level = comment_public_queryset().filter(past_cursor, parent__isnull=True).order_by(*ordering)
    provision_ids = list(subtree.values_list("pk", flat=True))
    if len(provision_ids) > 1 and connection.features.supports_slicing_ordering_in_compound:
        parts = [top_level.filter(provision_id=provision_id)[: limit + 1] for provision_id in provision_ids]
        comments = parts[0].union(*parts[1:], all=True).order_by(*ordering)
    else:  # one provision, or SQLite (development): no LIMIT inside a UNION there
        comments = top_level.filter(provision_id__in=provision_ids)
    rows = list(comments[: limit + 1])
    prefetch_related_objects(rows, Prefetch("replies", queryset=Comment.objects.select_related("receipt", "provision").order_by("id")))
    # The history of corrected comments, shown on the page: one query, and none when nothing was corrected.
    corrected = [comment for row in rows for comment in (row, *row.replies.all()) if comment.edited_at]
    prefetch_related_objects(corrected, "revisions")
    return _page_of(rows, cursor=cursor, limit=limit)


def comment_page(
    *, comments: QuerySet[Comment], order: str = "newest", cursor: str | None = None, backwards: bool = False, limit: int = 20
) -> CommentPage:
    """One page of `comments` (comment_public_queryset, filtered) in one of ORDERINGS, in one query: the
    `limit` comments after the cursor or, `backwards`, the `limit` comments before it (shown in order).

    Walking `next_cursor` from the first page visits every comment exactly once, ties included (1,300
    comments at 0 endorsements). A cursor this module did not give raises ApplicationError
    (invalid_cursor, 400): read as the first page instead, it would send a client walking the pages
    round forever.
    """
    past_cursor, ordering = _keyset(order=order, cursor=cursor, backwards=backwards)
    rows = list(comments.filter(past_cursor).order_by(*ordering)[: limit + 1])
    return _page_of(rows, cursor=cursor, limit=limit, backwards=backwards)


def _keyset(*, order: str, cursor: str | None, backwards: bool = False) -> tuple[Q | RawSQL, tuple[str, ...]]:
    """The comments past the cursor in `order` (before it, `backwards`) and the order to read them in.

    Past the cursor is one comparison of the order's columns with the cursor's values (a row comparison
    when there are two), which the index of that order serves as the start of its scan.
    """
    ordering = ORDERINGS.get(order, ORDERINGS["newest"])
    if backwards:
        ordering = tuple(field[1:] if field.startswith("-") else f"-{field}" for field in ordering)
    if not cursor:
        return Q(), ordering
    position = dict(zip(CURSOR_FIELDS, _cursor_position(cursor), strict=True))
    names = [field.lstrip("-") for field in ordering]
    descending = ordering[0].startswith("-")
    if len(names) == 1:
        return Q(**{f"{names[0]}__{'lt' if descending else 'gt'}": position[names[0]]}), ordering
    quote, table = connection.ops.quote_name, connection.ops.quote_name(Comment._meta.db_table)
    columns = ", ".join(f"{table}.{quote(Comment._meta.get_field(name).column)}" for name in names)
    comparison = f"({columns}) {'<' if descending else '>'} ({', '.join(['%s'] * len(names))})"
    return RawSQL(comparison, [position[name] for name in names], output_field=BooleanField()), ordering


def _page_of(rows: list[Comment], *, cursor: str | None, limit: int, backwards: bool = False) -> CommentPage:
    """The page in `rows` (up to limit + 1 read past the cursor: the extra one says that more lie beyond)."""
    more = len(rows) > limit
    rows = rows[:limit]
    if backwards:
        rows.reverse()
        return CommentPage(
            comments=rows, next_cursor=_cursor_of(rows[-1]) if rows else None, previous_cursor=_cursor_of(rows[0]) if more else None
        )
    return CommentPage(
        comments=rows, next_cursor=_cursor_of(rows[-1]) if more else None, previous_cursor=_cursor_of(rows[0]) if cursor and rows else None
    )


def _cursor_position(cursor: str) -> tuple[int, int]:
    match = _CURSOR.fullmatch(cursor)
    if match is None:
        message = _("This page link is not valid. Start again from the first page.")
        raise ApplicationError(message, code="invalid_cursor", fields={"cursor": [message]})
    return int(match[1]), int(match[2])


def _cursor_of(comment: Comment) -> str:
    return ".".join(str(getattr(comment, name)) for name in CURSOR_FIELDS)


def comment_counts_for_version(*, version: DraftVersion, provision_ids: QuerySet | None = None) -> dict[int, ProvisionCommentCounts]:
    """Comment counts per provision of a version (or of those provisions of it), by status: one query of
    comments.counting's rows, one per provision, however many comments they count."""
    rows = ProvisionCommentCount.objects.filter(version=version)
    if provision_ids is not None:
        rows = rows.filter(provision_id__in=provision_ids)
    return {
        provision_id: ProvisionCommentCounts(published, hidden, withdrawn)
        for provision_id, published, hidden, withdrawn in rows.values_list("provision_id", "published", "hidden", "withdrawn")
        if published or hidden or withdrawn
    }


@dataclass(frozen=True)
class SubtreeCommentCounts:
    """Comments on a provision itself and on it together with everything below it."""

    own: ProvisionCommentCounts
    published: int
    hidden: int


def comment_counts_by_subtree(*, version: DraftVersion, within: Provision | None = None) -> dict[int, SubtreeCommentCounts]:
    """Per provision: its own counts and its subtree's, so an article shows its paragraphs' comments. Two queries.

    With `within`, only that provision and those below it (what its page shows): the comments elsewhere
    in the version are not counted.
    """
    subtree = None
    if within is not None:
        subtree = provision_subtree(provision=within).values("id")
    own = comment_counts_for_version(version=version, provision_ids=subtree)
    if not own:
        return {}
    parents = _provision_parents(version=version) if subtree is None else dict(subtree.values_list("id", "parent_id"))
    if within is not None:
        parents[within.pk] = None  # the walk up stops at `within`
    published: dict[int, int] = {}
    hidden: dict[int, int] = {}
    for provision_id, counts in own.items():
        node: int | None = provision_id
        while node is not None:
            published[node] = published.get(node, 0) + counts.published
            hidden[node] = hidden.get(node, 0) + counts.hidden
            node = parents.get(node)
    return {
        provision_id: SubtreeCommentCounts(own.get(provision_id, ProvisionCommentCounts()), published[provision_id], hidden[provision_id])
        for provision_id in published
    }


def _provision_parents(*, version: DraftVersion) -> dict[int, int | None]:
    """Each provision's parent: for a public version, from the cache (its tree never changes once published),
    so that the reader page's counts are one query on every request."""
    if version.status == DraftVersion.Status.PREPARING:
        return dict(version.provisions.values_list("id", "parent_id"))
    key = f"provision-parents:{version.pk}"
    parents = cache.get(key)
    if parents is None:
        parents = dict(version.provisions.values_list("id", "parent_id"))
        cache.set(key, parents, PARENTS_CACHE_SECONDS)
    return parents


class _BodySearchVector(Func):
    """to_tsvector('simple'::regconfig, COALESCE(body, '')): the expression of the GIN index comment_fulltext_published
    (migrations 0002 and 0016), constants included, so that the planner reads that index.

    Not SearchVector("body", config="simple"): it sends 'simple' and '' as parameters, and bound by the
    server (config/settings/base.py), a statement psycopg has prepared soon runs a generic plan, where
    to_tsvector($1::regconfig, COALESCE(body, $2)) no longer matches the index: every comment is read.
    """

    template = "to_tsvector('simple'::regconfig, COALESCE(%(expressions)s, ''))"
    output_field = SearchVectorField()


def comment_search(*, comments: QuerySet[Comment], query: str) -> QuerySet[Comment]:
    """Full-text search of comment bodies: PostgreSQL's text search where available, word containment elsewhere.

    On PostgreSQL the comments are those whose _BodySearchVector matches the words (plainto_tsquery), a
    condition that the GIN index comment_fulltext_published answers.
    Only published comments are searched: the words of a hidden or withdrawn comment are never matched, as
    they are never shown (its place in a list without words stays; a search hit would tell its words).
    """
    query = query.strip()
    if not query:
        return comments
    # A literal, not a parameter: the planner proves the partial index's WHERE status = 'published' (migration 0016)
    # from it also in a generic plan (server-side binding), where a parameter could be any status.
    comments = comments.filter(status=RawSQL(f"'{Comment.Status.PUBLISHED.value}'", ()))
    if connection.vendor == "postgresql":
        return comments.alias(body_vector=_BodySearchVector("body")).filter(body_vector=SearchQuery(query, config="simple"))
    for word in query.split():
        comments = comments.filter(body__icontains=word)
    return comments


def comment_filter(
    *,
    comments: QuerySet[Comment],
    consultation: str | None = None,
    version: int | None = None,
    provision: int | None = None,
    lineage: int | None = None,
    stance: str | None = None,
    submitter_type: str | None = None,
    since: datetime.datetime | None = None,
    until: datetime.datetime | None = None,
) -> QuerySet[Comment]:
    conditions = {
        "consultation__slug": consultation, "version_id": version, "provision_id": provision, "lineage_id": lineage,
        "stance": stance, "submitter_type": submitter_type, "created_at__gte": since, "created_at__lt": until,
    }
    return comments.filter(**{field: value for field, value in conditions.items() if value not in (None, "")})


def comment_get(*, comment_id: int) -> Comment:
    comment = comment_public_queryset().filter(pk=comment_id).first()
    if comment is None:
        raise NotFound(f"There is no comment {comment_id}.")
    return comment


def comment_ids_endorsed(*, user, comments: Iterable[Comment]) -> set[int]:
    """Which of these comments and of their (prefetched) replies the user has endorsed, so that each
    shows "You endorsed this" with a way to take it back: one query, and none for a visitor."""
    ids = [comment.pk for row in comments for comment in (row, *row.replies.all())]
    if not user.is_authenticated or not ids:
        return set()
    return set(Endorsement.objects.filter(user_id=user.pk, comment_id__in=ids).values_list("comment_id", flat=True))


@dataclass(frozen=True)
class SubmissionContext:
    """What accepting a comment on one provision depends on, read in one query.

    The model instances carry only the fields named in SUBMISSION_CONTEXT_SQL; any other field is
    loaded from the database when first read (Django's deferred fields), so they are safe to pass on.
    """

    provision: Provision  # with .version and .version.document
    phase: Phase | None  # the comment phase open now on the provision's version, with .consultation
    participant: Participant | None  # the author's public profile
    receipt_email: str | None  # the author's verified address, primary first
    quoted_text: str | None  # the text the quote is looked for in, when a quote was given (see quoted_language)
    quoted_language: str | None  # its language: the quote's, or the authoritative one where the provision has no text in it


# The phase join states "open" as consult.models.PhaseQuerySet.open_at does (opens_at <= now < closes_at);
# tests/consult/test_phase_rules.py runs this statement and that rule over the boundary instants.
SUBMISSION_CONTEXT_SQL = """
    SELECT p.id, p.path, p.lineage_id, p.version_id,
           v.number, v.label, v.status, v.document_id, d.slug, d.title, d.authoritative_language,
           ph.id, ph.consultation_id, c.slug,
           pa.id, pa.display_name, pa.submitter_type, pa.organisation_name,
           (SELECT e.email FROM {email} e WHERE e.user_id = %(user)s AND e.verified
            ORDER BY e."primary" DESC, e.id LIMIT 1),
           COALESCE(tq.text, ta.text), COALESCE(tq.language, ta.language)
    FROM {provision} p
    JOIN {version} v ON v.id = p.version_id
    JOIN {document} d ON d.id = v.document_id
    LEFT JOIN {phase} ph ON ph.id = (
        SELECT o.id FROM {phase} o
        WHERE o.version_id = v.id AND o.kind = %(kind)s AND o.opens_at <= %(now)s AND o.closes_at > %(now)s
        ORDER BY o.opens_at LIMIT 1)
    LEFT JOIN {consultation} c ON c.id = ph.consultation_id
    LEFT JOIN {participant} pa ON pa.user_id = %(user)s
    -- The text in the quote's language; where the provision has none (not translated yet), the reader showed the
    -- authoritative text in its place, and the words were quoted from that. Two joins, not LATERAL: SQLite runs
    -- this too (make run).
    LEFT JOIN {text} tq ON %(with_quote)s AND tq.provision_id = p.id
        AND tq.language = COALESCE(%(quote_language)s, d.authoritative_language)
    LEFT JOIN {text} ta ON %(with_quote)s AND tq.id IS NULL AND ta.provision_id = p.id
        AND ta.language = d.authoritative_language
    WHERE p.id = %(provision)s
""".format(
    email=EmailAddress._meta.db_table, provision=Provision._meta.db_table, version=DraftVersion._meta.db_table,
    document=Document._meta.db_table, phase=Phase._meta.db_table, consultation=Consultation._meta.db_table,
    participant=Participant._meta.db_table, text=ProvisionText._meta.db_table,
)


def comment_submission_context(
    *, provision_id: int, user_id: int | None, quote_language: str | None = None, with_quote: bool = False,
    at: datetime.datetime | None = None,
) -> SubmissionContext | None:
    """The provision (None if there is none), its comment phase open at `at` (default: now) and the
    author's profile, in one query.

    Submitting is the platform's hottest write; this replaces five ORM queries (provision, phase,
    participant, verified address, quoted text) with one round trip.
    """
    params = {
        "provision": provision_id, "user": user_id, "kind": Phase.Kind.COMMENT, "with_quote": with_quote,
        "quote_language": quote_language or None, "now": connection.ops.adapt_datetimefield_value(at or timezone.now()),
    }
    with connection.cursor() as cursor:
        cursor.execute(SUBMISSION_CONTEXT_SQL, params)
        row = cursor.fetchone()
    if row is None:
        return None
    (provision_id, path, lineage_id, version_id, number, label, status, document_id, document_slug, title, language,
     phase_id, consultation_id, consultation_slug, participant_id, display_name, submitter_type, organisation_name,
     receipt_email, quoted_text, quoted_language) = row
    provision = _loaded(Provision, id=provision_id, path=path, lineage_id=lineage_id, version_id=version_id)
    provision.version = _loaded(DraftVersion, id=version_id, number=number, label=label, status=status, document_id=document_id)
    provision.version.document = _loaded(Document, id=document_id, slug=document_slug, title=title, authoritative_language=language)
    phase = None
    if phase_id is not None:
        phase = _loaded(Phase, id=phase_id, consultation_id=consultation_id, version_id=version_id, kind=Phase.Kind.COMMENT)
        phase.consultation = _loaded(Consultation, id=consultation_id, slug=consultation_slug)
    participant = None
    if participant_id is not None:
        participant = _loaded(
            Participant, id=participant_id, user_id=user_id, display_name=display_name,
            submitter_type=submitter_type, organisation_name=organisation_name,
        )
    return SubmissionContext(
        provision=provision, phase=phase, participant=participant, receipt_email=receipt_email,
        quoted_text=quoted_text, quoted_language=quoted_language,
    )


def _loaded(model, **values):
    """An instance of `model` as if read from the database with just these fields (the rest load on access)."""
    names = [field.attname for field in model._meta.concrete_fields if field.attname in values]
    if len(names) != len(values):
        raise ValueError(f"{model.__name__} has no field {sorted(set(values) - set(names))}")
    return model.from_db("default", names, [values[name] for name in names])


def comment_export_rows(*, comments: QuerySet[Comment]) -> Iterator[dict]:
    """The public records of `comments` (comment_public_queryset, filtered) as open data, oldest first, streamed
    in chunks: no e-mail, no IP, no account id."""
    for comment in comments.order_by("id").iterator(chunk_size=2000):
        yield comment_public_record(comment)


def comment_public_record(comment: Comment) -> dict:
    """The public shape of a comment: hidden and withdrawn ones keep their place, not their words.

    Each field holds what the filter of the same name takes (comments/apis.py): the consultation's and the
    document's slugs, the version's, provision's and lineage's ids; the version's number is `version_number`.
    Needs the comment's receipt, provision, version with its document, and consultation (comment_public_queryset).
    """
    visible = comment.status == Comment.Status.PUBLISHED
    receipt = getattr(comment, "receipt", None)
    return {
        "id": comment.pk,
        "receipt": receipt.number if receipt else None,
        "receipt_hash": receipt.chain_hash if receipt else None,
        "consultation": comment.consultation.slug,
        "document": comment.version.document.slug,
        "version": comment.version_id,
        "version_number": comment.version.number,
        "provision": comment.provision_id,
        "provision_path": comment.provision.path,
        "lineage": comment.lineage_id,
        "parent": comment.parent_id,
        "official": comment.is_official,
        "author": comment.author_name,
        "submitter_type": comment.submitter_type,
        "organisation": comment.organisation_name,
        "stance": comment.stance,
        "status": comment.status,
        "moderation_reason": comment.moderation_reason if comment.status == Comment.Status.HIDDEN else "",
        "body": comment.body if visible else "",
        "proposed_wording": comment.proposed_wording if visible else "",
        "language": comment.language,
        "quote": comment.quote_exact if visible else "",
        "quote_start": comment.quote_start,
        "quote_end": comment.quote_end,
        "endorsements": comment.endorsement_count,
        "created_at": comment.created_at.isoformat(),
        "edited_at": comment.edited_at.isoformat() if comment.edited_at else None,
        "withdrawn_at": comment.withdrawn_at.isoformat() if comment.withdrawn_at else None,
    }


def comment_correctable(comment: Comment) -> bool:
    """Can the author still correct this comment (published, and within settings.COMMENT_EDIT_WINDOW_SECONDS)?
    The same rule as services.comment_edit, for pages that offer the "Correct" link."""
    window = datetime.timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS)
    return comment.status == Comment.Status.PUBLISHED and timezone.now() <= comment.created_at + window


def comment_revisions_public(comment: Comment) -> list[dict]:
    """The earlier texts of a corrected comment, oldest first; none for a hidden or withdrawn one (its words are not public).
    Uses comment.revisions.all(), so a prefetch (see comment_list_for_provision) saves the query."""
    if comment.status != Comment.Status.PUBLISHED or not comment.edited_at:
        return []
    return [
        {"stance": revision.stance, "body": revision.body, "proposed_wording": revision.proposed_wording,
         "replaced_at": revision.replaced_at}
        for revision in comment.revisions.all()
    ]


@dataclass(frozen=True)
class CarriedComment:
    """A comment made on an earlier version of a provision, with where its quote stands now.

    anchor: "exact", "approximate", "gone" (see comments.quotes.quote_reanchor), or "provision"
    when the comment quoted nothing (it is about the provision as a whole).
    """

    comment: Comment
    anchor: str
    current_quote: str


CARRIED_LIMIT = 50


def comments_carried_forward(*, provision: Provision) -> list[CarriedComment]:
    """Comments on earlier versions of this provision and of the provisions below it, following lineages."""
    from comments.quotes import quote_reanchor

    version = provision.version
    subtree = list(provision_subtree(provision=provision).prefetch_related("texts"))
    by_lineage = {p.lineage_id: p for p in subtree}
    earlier = list(DraftVersion.objects.filter(document_id=version.document_id, number__lt=version.number).values_list("id", flat=True))
    if not earlier:
        return []
    comments = (
        # By version id, so that the comments of the current version on these lineages are never read (the index by
        # lineage and version); a subquery there lets the planner walk every comment newest first instead.
        Comment.objects.filter(lineage_id__in=list(by_lineage), parent__isnull=True, version_id__in=earlier)
        .select_related("receipt", "version", "provision")
        .order_by("-id")[:CARRIED_LIMIT]
    )
    carried = []
    for comment in comments:
        current = by_lineage[comment.lineage_id]
        if not comment.quote_exact:
            carried.append(CarriedComment(comment, "provision", ""))
            continue
        texts = {t.language: t.text for t in current.texts.all()}
        text = texts.get(comment.quote_language) or next(iter(texts.values()), "")
        anchoring = quote_reanchor(text, comment.quote_exact, prefix=comment.quote_prefix, suffix=comment.quote_suffix, start=comment.quote_start)
        carried.append(CarriedComment(comment, anchoring.status, anchoring.span.exact if anchoring.span else ""))
    return carried


def comments_on_removed_provisions(*, version: DraftVersion) -> QuerySet[Comment]:
    """Comments on earlier versions whose provision has no successor in `version` (it was removed)."""
    present = Provision.objects.filter(version=version).values("lineage_id")
    return (
        Comment.objects.filter(version__document_id=version.document_id, version__number__lt=version.number, parent__isnull=True)
        .exclude(lineage_id__in=present)
        .select_related("receipt", "version", "provision")
        .order_by("-id")
    )
