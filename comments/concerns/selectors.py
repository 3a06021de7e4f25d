"""Reads of concerns: the commission's lists and the public record's figures ("4,213 of 4,310 comments answered")."""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from comments.models import Comment, CommentNoAnswer, Concern, ConcernComment, ConcernEvent
from config.errors import NotFound
from consult.models import Consultation
from drafts.models import Document, Provision
from drafts.selectors import PUBLIC_STATUSES, provision_subtree


@dataclass(frozen=True)
class AccountedFor:
    """How many of the comments in a scope are accounted for: behind a concern, or marked as needing no answer."""

    accounted: int
    total: int

    @property
    def share(self) -> float:
        return self.accounted / self.total if self.total else 1.0


def comments_answerable(*, consultation: Consultation) -> QuerySet[Comment]:
    """The comments the commission owes an answer: published, and not the commission's own replies."""
    return Comment.objects.filter(consultation=consultation, status=Comment.Status.PUBLISHED, is_official=False)


def comments_accounted_for(
    *, consultation: Consultation, document: Document | None = None, provision: Provision | None = None
) -> AccountedFor:
    """The share of comments accounted for in a consultation, one of its documents, or a provision and those below it. One query."""
    comments = comments_answerable(consultation=consultation)
    if document is not None:
        comments = comments.filter(version__document=document)
    if provision is not None:
        comments = comments.filter(provision__in=provision_subtree(provision=provision).values("id"))
    accounted = Q(Exists(ConcernComment.objects.filter(comment=OuterRef("pk")))) | Q(
        Exists(CommentNoAnswer.objects.filter(comment=OuterRef("pk")))
    )
    figures = comments.aggregate(total=Count("id"), accounted=Count("id", filter=accounted))
    return AccountedFor(accounted=figures["accounted"], total=figures["total"])


def comments_unaccounted(
    *, consultation: Consultation, document: Document | None = None, provision: Provision | None = None
) -> QuerySet[Comment]:
    """The triage queue: comments not yet behind a concern nor marked as needing no answer, oldest first;
    of one document, or of a provision and those below it, if given."""
    comments = (
        comments_answerable(consultation=consultation)
        .exclude(Exists(ConcernComment.objects.filter(comment=OuterRef("pk"))))
        .exclude(Exists(CommentNoAnswer.objects.filter(comment=OuterRef("pk"))))
    )
    if document is not None:
        comments = comments.filter(version__document=document)
    if provision is not None:
        comments = comments.filter(provision__in=provision_subtree(provision=provision).values("id"))
    return comments.select_related("provision", "version__document", "receipt").order_by("id")


def concern_list(*, consultation: Consultation, status: str | None = None) -> QuerySet[Concern]:
    """A consultation's concerns with their number of comments, newest decisions last. Two queries with the norms."""
    concerns = (
        Concern.objects.filter(consultation=consultation)
        .annotate(comment_count=Count("links", distinct=True))
        .select_related("consultation", "document", "raised_in", "resolved_in")
        .prefetch_related("norms")
        .order_by("id")
    )
    return concerns.filter(status=status) if status else concerns


def concern_get(*, concern_id: int) -> Concern:
    """One concern with its comments, norms, changes and public events (each decision with its receipt)."""
    concern = (
        Concern.objects.select_related("consultation", "document", "raised_in", "resolved_in")
        .prefetch_related(
            "norms", "changes",
            Prefetch("events", queryset=ConcernEvent.objects.select_related("receipt").order_by("id")),
            Prefetch("comments", queryset=Comment.objects.select_related("provision", "receipt").order_by("id")),
        )
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise NotFound(f"There is no concern {concern_id}.", code="concern_not_found")
    return concern


# --- the pages' reads: the public record and the triage page (comments/concerns/views/) ----------

# The order of the public record: decisions first, from accepted to out of scope, then what is still open.
PUBLIC_ORDER = ["accepted", "partially_accepted", "rejected", "out_of_scope", "under_review", "open", "withdrawn"]


def concern_list_public(*, consultation: Consultation) -> QuerySet[Concern]:
    """A consultation's concerns grouped by decision (PUBLIC_ORDER), oldest first in each group; as concern_list."""
    rank = Case(*(When(status=status, then=Value(n)) for n, status in enumerate(PUBLIC_ORDER)), default=Value(len(PUBLIC_ORDER)))
    return concern_list(consultation=consultation).order_by(rank, "id")


def concern_provisions_raised_in(*, concerns: list[Concern]) -> dict[int, list[Provision]]:
    """The provisions each concern is about, as they are in the version it was raised in. One query for any number of concerns."""
    if not concerns:
        return {}
    raised_in = {concern.pk: concern.raised_in_id for concern in concerns}
    rows = (
        Provision.objects.filter(lineage__concerns__in=list(raised_in), version_id__in=set(raised_in.values()))
        .annotate(concern_id=F("lineage__concerns__id"))
        .order_by("order")
    )
    provisions: dict[int, list[Provision]] = {pk: [] for pk in raised_in}
    for provision in rows:
        if provision.version_id == raised_in[provision.concern_id]:
            provisions[provision.concern_id].append(provision)
    return provisions


def concern_events_public(*, concern: Concern) -> QuerySet[ConcernEvent]:
    """A concern's audit trail with who (their public name) and each decision's receipt. One query."""
    return ConcernEvent.objects.filter(concern=concern).select_related("actor__participant", "receipt").order_by("id")


def concern_comments_public(*, concern: Concern) -> QuerySet[Comment]:
    """The comments behind a concern, with what their links need. One query."""
    return concern.comments.select_related("provision", "version__document").order_by("id")


def concerns_open(*, consultation: Consultation) -> QuerySet[Concern]:
    """The concerns comments may still be added to: open or under review."""
    return Concern.objects.filter(consultation=consultation, status__in=[Concern.Status.OPEN, Concern.Status.UNDER_REVIEW]).order_by("id")


def concerns_mergeable(*, concern: Concern) -> QuerySet[Concern]:
    """The concerns that may be merged into `concern` (services.concern_merge): of its document, open or under
    review, not merged already, not itself; with their number of comments. One query."""
    return (
        Concern.objects.filter(
            consultation_id=concern.consultation_id, document_id=concern.document_id, merged_into__isnull=True,
            status__in=[Concern.Status.OPEN, Concern.Status.UNDER_REVIEW],
        )
        .exclude(pk=concern.pk)
        .annotate(comment_count=Count("links"))
        .order_by("id")
    )


# --- triage: the queue per document and provision, and suggested groupings of similar comments --------

TRIAGE_GROUPING_CAP = 2000
TRIAGE_SHINGLE_SIZE = 2
TRIAGE_MIN_WORDS = 4


@dataclass(frozen=True)
class TriageScope:
    """Which part of the queue: a document, or a provision (and those below it) of one of its versions."""

    document: Document | None = None
    provision: Provision | None = None


def triage_scope(*, consultation: Consultation, document_slug: str = "", provision_id: int | None = None) -> TriageScope:
    """The document (by slug) and provision (by id) of a consultation's triage filter; a provision implies its
    document. A 404 for one that is not a public part of this consultation. One query for each given."""
    document = provision = None
    if document_slug:
        document = Document.objects.filter(slug=document_slug, consultation_links__consultation=consultation).first()
        if document is None:
            raise NotFound(_("There is no document “%(slug)s” in this consultation.") % {"slug": document_slug}, code="document_not_found")
    if provision_id is not None:
        provision = (
            Provision.objects.select_related("version__document")
            .filter(pk=provision_id, version__status__in=PUBLIC_STATUSES, version__document__consultation_links__consultation=consultation)
            .first()
        )
        if provision is None or (document is not None and provision.version.document_id != document.pk):
            raise NotFound(_("There is no provision %(id)s in this consultation's drafts.") % {"id": provision_id}, code="provision_not_found")
        document = provision.version.document
    return TriageScope(document=document, provision=provision)


@dataclass(frozen=True)
class QueueCount:
    item: Document | Provision
    count: int


@dataclass(frozen=True)
class TriageQueueCounts:
    documents: tuple[QueueCount, ...]  # every document of the consultation, in its order
    provisions: tuple[QueueCount, ...]  # those with comments waiting at or below them: by document, version, reading order


def triage_queue_counts(*, consultation: Consultation, document: Document | None = None) -> TriageQueueCounts:
    """How many comments wait in the triage queue per document and per provision, where a provision counts
    those below it too (an article, its paragraphs' comments); the provisions of `document` only, if given.
    Two queries (the documents come from `consultation.document_links`, prefetched by consultation_get)."""
    rows = (
        comments_unaccounted(consultation=consultation)
        .values_list("version__document_id", "provision__version_id", "provision__path")
        .annotate(count=Count("id"))
        .order_by()
    )
    per_document: dict[int, int] = {}
    per_path: dict[tuple[int, str], int] = {}  # (version id, provision path) -> comments at or below it
    for document_id, version_id, path, count in rows:
        per_document[document_id] = per_document.get(document_id, 0) + count
        if document is None or document_id == document.pk:
            parts = path.split("/")
            for depth in range(1, len(parts) + 1):
                key = (version_id, "/".join(parts[:depth]))
                per_path[key] = per_path.get(key, 0) + count
    links = list(consultation.document_links.all())
    position = {link.document_id: n for n, link in enumerate(links)}
    provisions = []
    if per_path:
        paths: dict[int, list[str]] = {}
        for version_id, path in per_path:
            paths.setdefault(version_id, []).append(path)
        where = Q()
        for version_id, version_paths in paths.items():
            where |= Q(version_id=version_id, path__in=version_paths)
        found = Provision.objects.filter(where).select_related("version__document")
        provisions = sorted(found, key=lambda p: (position.get(p.version.document_id, len(links)), p.version.number, p.order))
    return TriageQueueCounts(
        documents=tuple(QueueCount(link.document, per_document.get(link.document_id, 0)) for link in links),
        provisions=tuple(QueueCount(provision, per_path[(provision.version_id, provision.path)]) for provision in provisions),
    )


@dataclass(frozen=True)
class TriageGroup:
    comment_ids: tuple[int, ...]  # ascending
    template: str  # the words they share: the campaign template of detection's step 6

    @property
    def size(self) -> int:
        return len(self.comment_ids)


@dataclass(frozen=True)
class TriageGroupings:
    groups: tuple[TriageGroup, ...]  # largest first
    threshold: float
    considered: int  # the comments grouped: the most recent of the queue, at most `cap`
    total: int  # the comments in the queue (of the scope)
    cap: int

    @property
    def capped(self) -> bool:
        return self.total > self.considered


def triage_groupings(
    *, consultation: Consultation, document: Document | None = None, provision: Provision | None = None,
    threshold: float | None = None, cap: int | None = None,
) -> TriageGroupings:
    """Suggested groupings for triage: comments of the queue that say (nearly) the same, largest group first.

    The grouping is campaign detection's (comments/campaigns/detection.py: word shingles, MinHash and
    LSH, each pair verified by the exact Jaccard similarity of its shingles, groups joined through
    their members) run on the queue as it is now: nothing is stored, and a suggestion is gone once
    its comments are accounted for. What it compares differs from campaign detection's:
    - a comment's text is its body and its proposed wording: proposing the same words is one point;
    - shingles of 2 words instead of 3, and texts of TRIAGE_MIN_WORDS (4) words or more compared by
      similarity instead of 8 (shorter ones group with their exact duplicates only). A campaign is a
      form letter shown to the public as one, where a false match joins two people's letters; here a
      reviewer reads every suggestion before accepting it, so an extra suggestion costs a glance and a
      missed one a point answered twice, and comments are often one short sentence ("Delete the words
      'spiritual and moral values'.") that 8 words would only ever group as exact duplicates. Below 4
      words a text has at most 2 word pairs, and one shared pair is already a similarity of 1/3:
      "I fully agree" and "I fully disagree" would be one point at the lowest threshold.
    - the threshold is the reviewer's; detection.DEFAULT_THRESHOLD if not given.
    Bounded work: the `cap` (TRIAGE_GROUPING_CAP) most recent comments of the queue are grouped (about 0.4 s for 2,000);
    `capped` says there were more. One query, two when capped.
    """
    from comments.campaigns import detection  # numpy and datasketch: loaded when a reviewer asks, not by every web process

    threshold = detection.DEFAULT_THRESHOLD if threshold is None else threshold
    cap = TRIAGE_GROUPING_CAP if cap is None else cap
    queue = comments_unaccounted(consultation=consultation, document=document, provision=provision)
    rows = list(queue.order_by("-id").values_list("id", "body", "proposed_wording")[: cap + 1])
    total = queue.count() if len(rows) > cap else len(rows)
    texts = {comment_id: f"{body}\n{wording}" if wording else body for comment_id, body, wording in rows[:cap]}
    found = detection.campaigns_detect(
        texts, threshold=threshold, min_size=2, shingle_size=TRIAGE_SHINGLE_SIZE, min_words=TRIAGE_MIN_WORDS
    )
    return TriageGroupings(
        groups=tuple(TriageGroup(comment_ids=tuple(sorted(group.comment_ids)), template=group.template) for group in found),
        threshold=threshold, considered=len(texts), total=total, cap=cap,
    )


def comments_by_id(*, comment_ids: Sequence[int]) -> dict[int, Comment]:
    """Comments by id, with what the triage page shows of each (provision, version, document). One query."""
    return {comment.pk: comment for comment in Comment.objects.filter(pk__in=list(comment_ids)).select_related("provision", "version__document")}
