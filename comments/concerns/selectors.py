"""Reads of concerns: the commission's lists and the public record's figures ("4,213 of 4,310 comments answered")."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When

from comments.models import Comment, CommentNoAnswer, Concern, ConcernComment, ConcernEvent
from config.errors import NotFound
from consult.models import Consultation
from drafts.models import Document, Provision
from drafts.selectors import provision_subtree


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


def comments_unaccounted(*, consultation: Consultation) -> QuerySet[Comment]:
    """The triage queue: comments not yet behind a concern nor marked as needing no answer, oldest first."""
    return (
        comments_answerable(consultation=consultation)
        .exclude(Exists(ConcernComment.objects.filter(comment=OuterRef("pk"))))
        .exclude(Exists(CommentNoAnswer.objects.filter(comment=OuterRef("pk"))))
        .select_related("provision", "version__document", "receipt")
        .order_by("id")
    )


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
