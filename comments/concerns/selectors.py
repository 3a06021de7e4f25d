"""Reads of concerns: the commission's lists and the public record's figures ("4,213 of 4,310 comments answered")."""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from functools import reduce
from operator import or_

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils.translation import gettext as _

from comments.campaigns.selectors import SHOWN_FROM_SIZE
from comments.models import Comment, CommentNoAnswer, Concern, ConcernComment, ConcernEvent
from config.errors import ApplicationError, InvalidState, NotFound
from consult.models import Consultation
from drafts import selectors as draft_selectors
from drafts.models import Alignment, Document, DraftVersion, Provision, ProvisionChange
from drafts.selectors import PUBLIC_STATUSES, ComparisonRow, provision_subtree


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


# A comment is accounted for when it is behind a concern, or marked as needing no separate answer.
_ACCOUNTED = Q(Exists(ConcernComment.objects.filter(comment=OuterRef("pk")))) | Q(Exists(CommentNoAnswer.objects.filter(comment=OuterRef("pk"))))


def comments_accounted_for(
    *, consultation: Consultation, document: Document | None = None, provision: Provision | None = None, across_versions: bool = False
) -> AccountedFor:
    """The share of comments accounted for in a consultation, one of its documents, or a provision and those below it. One query.

    With `across_versions`, a provision's figure counts the comments made on it (and on what is below it) in
    every version, by lineage, as its public record lists the concerns about it whatever version they were raised in.
    """
    comments = comments_answerable(consultation=consultation)
    if document is not None:
        comments = comments.filter(version__document=document)
    if provision is not None and across_versions:
        comments = comments.filter(lineage__in=provision_subtree(provision=provision).values("lineage_id"))
    elif provision is not None:
        comments = comments.filter(provision__in=provision_subtree(provision=provision).values("id"))
    figures = comments.aggregate(total=Count("id"), accounted=Count("id", filter=_ACCOUNTED))
    return AccountedFor(accounted=figures["accounted"], total=figures["total"])


def comments_accounted_for_by_document(*, consultation: Consultation) -> dict[int, AccountedFor]:
    """comments_accounted_for for each document of the consultation, by document id (0 of 0 for one without comments). One query."""
    figures = {link.document_id: AccountedFor(accounted=0, total=0) for link in consultation.document_links.all()}
    rows = (
        comments_answerable(consultation=consultation)
        .values("version__document_id")
        .annotate(total=Count("id"), accounted=Count("id", filter=_ACCOUNTED))
        .order_by()
    )
    for row in rows:
        figures[row["version__document_id"]] = AccountedFor(accounted=row["accounted"], total=row["total"])
    return figures


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
        .annotate(comment_count=Count("links", distinct=True))  # as the list gives it (the API said null)
        .filter(pk=concern_id)
        .first()
    )
    if concern is None:
        raise NotFound(f"There is no concern {concern_id}.", code="concern_not_found")
    return concern


# --- the pages' reads: the public record and the triage page (comments/concerns/views/) ----------

# The order of the public record: decisions first, from accepted to out of scope, then what is still open.
PUBLIC_ORDER = ["accepted", "partially_accepted", "rejected", "out_of_scope", "under_review", "open", "withdrawn"]


def concern_list_public(*, consultation: Consultation, document: Document | None = None) -> QuerySet[Concern]:
    """A consultation's concerns (or one document's) grouped by decision (PUBLIC_ORDER), oldest first in each group;
    as concern_list, with who is behind each (concern_supporters_annotate)."""
    rank = Case(*(When(status=status, then=Value(n)) for n, status in enumerate(PUBLIC_ORDER)), default=Value(len(PUBLIC_ORDER)))
    concerns = concern_supporters_annotate(concern_list(consultation=consultation).order_by(rank, "id"))
    return concerns.filter(document=document) if document is not None else concerns


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


# --- the public record: who is behind a concern, the concerns of a provision, the changes that carry a decision ---


def concern_supporters_annotate(concerns: QuerySet[Concern]) -> QuerySet[Concern]:
    """Who is behind each concern, in the same query: `supporter_count` (distinct authors of its comments),
    `campaign_count` and `campaign_comment_count` (a campaign, the same letter sent by many, is one point
    with many supporters: "9 comments from 1 campaign"). To be shown with `comment_count` (concern_list)."""
    campaign = "links__comment__fingerprint__campaign"
    shown = Q(**{f"{campaign}__size__gte": SHOWN_FROM_SIZE})  # a campaign down to one published comment is no campaign
    return concerns.annotate(
        supporter_count=Count("links__comment__author", distinct=True),
        campaign_count=Count(campaign, filter=shown, distinct=True),
        campaign_comment_count=Count("links", filter=shown, distinct=True),
    )


def concern_list_for_provision(*, consultation: Consultation, provision: Provision) -> QuerySet[Concern]:
    """The concerns about a provision or anything below it (an article's paragraphs), by lineage: whatever version
    they were raised in, they follow the provision through renumbering. As concern_list_public; one query."""
    lineages = provision_subtree(provision=provision).values("lineage_id")
    about = Concern.lineages.through.objects.filter(lineage_id__in=lineages).values("concern_id")
    return concern_list_public(consultation=consultation).filter(pk__in=about)


def alignment_done_for(*, consultation: Consultation, document_slug: str, old_number: int, new_number: int) -> Alignment:
    """The computed comparison of two public versions of one of the consultation's documents (the comparative
    table's). NotFound for versions that are not there, InvalidState while the comparison is not computed."""
    versions = {
        version.number: version
        for version in DraftVersion.objects.filter(
            document__slug=document_slug, document__consultation_links__consultation=consultation,
            number__in=[old_number, new_number], status__in=PUBLIC_STATUSES,
        )
    }
    if old_number >= new_number or old_number not in versions or new_number not in versions:
        raise NotFound(
            _("No published versions %(old)s and %(new)s of %(document)s here.") % {"old": old_number, "new": new_number, "document": document_slug}
        )
    alignment = draft_selectors.alignment_get(old_version=versions[old_number], new_version=versions[new_number])
    if alignment is None or alignment.status != Alignment.Status.DONE:
        raise InvalidState(_("The comparison of these versions is not computed yet."), code="comparison_not_ready")
    return alignment


def concern_later_version(*, concern: Concern, version_id: int | None = None, number: int | None = None) -> DraftVersion:
    """A public version of the concern's document after the one it was raised in: one that can resolve it, by its
    id or by its number. NotFound for no such public version; ApplicationError (on `version`) for one that is not later."""
    versions = DraftVersion.objects.select_related("document").filter(document_id=concern.document_id, status__in=PUBLIC_STATUSES)
    version = versions.filter(pk=version_id).first() if version_id is not None else versions.filter(number=number).first()
    if version is None and version_id is not None:
        raise NotFound(_("%(document)s has no published version with the id %(id)d.") % {"document": concern.document.title, "id": version_id})
    if version is None:
        raise NotFound(_("%(document)s has no published version %(number)d.") % {"document": concern.document.title, "number": number})
    if version.number <= concern.raised_in.number:
        message = _("A concern is resolved in a later version of its own document.")
        raise ApplicationError(message, fields={"version": [message]})
    return version


# Parts, sections and chapters hold too much to carry one point: a paragraph's concern suggests its article's
# change, never its chapter's.
_CONTAINER_KINDS = (Provision.Kind.PART, Provision.Kind.SECTION, Provision.Kind.CHAPTER)


def concern_change_suggestions(*, concern: Concern, version: DraftVersion) -> list[ProvisionChange]:
    """The changes of the alignment (previous public version → `version`) that may carry the concern's resolution.

    Those whose old or new provisions are of the concern's lineages, or below one of them (an article-level
    concern suggests its paragraphs' changes and its article's), or the article above one of them (a
    paragraph's concern suggests its article's change too); in reading order, which is the order of their
    paths (the alignment's order). The reviewer confirms them (services.concern_decide's `change_ids`).
    Each comes with its alignment and provisions, ready for concern_change_rows. [] when `version` is the
    document's first; NotFound for a version of another document or not public; InvalidState while the
    comparison is not computed. Six queries.
    """
    if version.document_id != concern.document_id or version.status not in PUBLIC_STATUSES:
        raise NotFound(_("%(version)s is not a published version of the concern's document.") % {"version": version.label})
    previous = draft_selectors.draft_version_previous(version=version)
    if previous is None:
        return []
    alignment = draft_selectors.alignment_get(old_version=previous, new_version=version)
    if alignment is None or alignment.status != Alignment.Status.DONE:
        raise InvalidState(
            _("The comparison of %(old)s and %(new)s is not computed yet.") % {"old": previous.label, "new": version.label},
            code="comparison_not_ready",
        )
    related: dict[int, list[Q]] = {previous.pk: [], version.pk: []}
    for version_id, path in Provision.objects.filter(version_id__in=related, lineage__concerns=concern).values_list("version_id", "path"):
        parts = path.split("/")
        above = ["/".join(parts[:end]) for end in range(1, len(parts))]
        related[version_id].append(Q(path=path) | Q(path__startswith=path + "/") | (Q(path__in=above) & ~Q(kind__in=_CONTAINER_KINDS)))
    if not related[previous.pk] and not related[version.pk]:
        return []
    found = Q(pk__in=[])
    if related[previous.pk]:
        found |= Q(old_provisions__in=Provision.objects.filter(Q(version=previous) & reduce(or_, related[previous.pk])))
    if related[version.pk]:
        found |= Q(new_provisions__in=Provision.objects.filter(Q(version=version) & reduce(or_, related[version.pk])))
    changes = list(alignment.changes.filter(found).distinct().prefetch_related("old_provisions", "new_provisions").order_by("order"))
    for change in changes:
        change.alignment = alignment
    return changes


def concern_change_rows(*, changes: Sequence[ProvisionChange]) -> list[ComparisonRow]:
    """The changes' texts before and after and their word diff (drafts.selectors.ComparisonRow), in the order given.

    The changes may be of several alignments; each must come with its alignment (both versions and the document)
    and its provisions prefetched. Two queries per alignment.
    """
    by_alignment: dict[int, list[ProvisionChange]] = defaultdict(list)
    for change in changes:
        by_alignment[change.alignment_id].append(change)
    rows = {}
    for group in by_alignment.values():
        for row in draft_selectors.comparison_rows(alignment=group[0].alignment, changes=group):
            rows[row.change.pk] = row
    return [rows[change.pk] for change in changes]


def concern_changes_public(*, concerns: Sequence[Concern]) -> dict[int, list[ComparisonRow]]:
    """The changes of words that carry each concern's decision, with their word diffs, by concern id.

    Four queries, and two per alignment the changes belong to (usually one: the version that resolved them).
    """
    if not concerns:
        return {}
    links = list(Concern.changes.through.objects.filter(concern_id__in=[concern.pk for concern in concerns]).values_list("concern_id", "provisionchange_id"))
    if not links:
        return {}
    changes = (
        ProvisionChange.objects.filter(pk__in={change_id for _concern, change_id in links})
        .select_related("alignment__old_version", "alignment__new_version__document")
        .prefetch_related("old_provisions", "new_provisions")
        .order_by("alignment__new_version__number", "alignment__old_version__number", "order")
    )
    rows = {row.change.pk: row for row in concern_change_rows(changes=list(changes))}
    position = {change_id: n for n, change_id in enumerate(rows)}
    by_concern: dict[int, list[ComparisonRow]] = defaultdict(list)
    for concern_id, change_id in sorted(links, key=lambda link: position[link[1]]):
        by_concern[concern_id].append(rows[change_id])
    return dict(by_concern)


@dataclass(frozen=True)
class ChangeChoices:
    """What the decision form offers for one later version: the changes that may carry the decision (the
    suggestions, and those already linked), or why there are none to offer yet (`unavailable`)."""

    version: DraftVersion
    rows: list[ComparisonRow]
    unavailable: str = ""


def concern_change_choices(
    *, concern: Concern, versions: Sequence[DraftVersion], linked: list[ComparisonRow] | None = None
) -> list[ChangeChoices]:
    """For each version that can resolve the concern, the changes the decision form lists: the suggestions
    (concern_change_suggestions) and the changes of that version the concern is already linked to (`linked`,
    else read: concern_changes_public), so that revising a decision shows what it carried. About eight queries per version."""
    if linked is None:
        linked = concern_changes_public(concerns=[concern]).get(concern.pk, [])
    choices = []
    for version in versions:
        try:
            suggested = concern_change_rows(changes=concern_change_suggestions(concern=concern, version=version))
        except InvalidState as error:
            suggested = []
            unavailable = error.message
        else:
            unavailable = ""
        shown = {row.change.pk for row in suggested}
        extra = [row for row in linked if row.change.alignment.new_version_id == version.pk and row.change.pk not in shown]
        choices.append(ChangeChoices(version=version, rows=suggested + extra, unavailable=unavailable))
    return choices
