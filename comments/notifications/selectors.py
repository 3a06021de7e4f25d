"""Reads of the outbox, and of who is to be told of a new version and what."""
from __future__ import annotations

from dataclasses import dataclass, field

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from comments.models import Comment, ConcernComment, OutboxEmail
from consult.models import ConsultationDocument, ProvisionFollow
from consult.selectors import PUBLIC_CONSULTATION_STATUSES
from drafts.models import Alignment, DraftVersion
from drafts.selectors import LineageFate, lineage_fates


def outbox_due(*, limit: int = 5000) -> list[int]:
    """E-mails to try now, oldest first: not sent, not given up, past any retry delay, and with no send task queued."""
    return list(outbox_due_queryset().order_by("pk").values_list("pk", flat=True)[:limit])


def outbox_due_queryset(*, ignore_leases: bool = False):
    now = timezone.now()
    due = OutboxEmail.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), sent_at__isnull=True, failed_at__isnull=True,
    )
    return due if ignore_leases else due.filter(Q(queued_until__isnull=True) | Q(queued_until__lte=now))


def verified_addresses(*, user_ids) -> dict[int, str]:
    """Each user's verified e-mail address, the primary one first; users without one are absent."""
    addresses: dict[int, str] = {}
    verified = EmailAddress.objects.filter(user_id__in=list(user_ids), verified=True).order_by("user_id", "-primary", "id")
    for user_id, email in verified.values_list("user_id", "email"):
        addresses.setdefault(user_id, email)
    return addresses


def interface_language(language: str | None) -> str:
    """A text language where the interface speaks it, else the site's default."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


# --- the notices of a new version --------------------------------------------------------------------


def version_has_audience(*, version: DraftVersion) -> bool:
    """Whether anyone may be told of a new version of this document: a follower of one of its provisions,
    or an author of a comment behind a concern on it. Two cheap queries, run when a version is published."""
    return (
        ProvisionFollow.objects.filter(lineage__document_id=version.document_id).exists()
        or ConcernComment.objects.filter(comment__version__document_id=version.document_id).exists()
    )


@dataclass
class CommentOnChangedProvision:
    """One of the person's comments behind a concern, on a provision the new version changed."""

    comment: Comment  # with .receipt, .version, .provision, .consultation
    fate: LineageFate
    concerns: list = field(default_factory=list)  # the comments.Concern rows it is behind


@dataclass
class VersionNotice:
    """What one person is told of a new version: the provisions they follow and their comments on changed ones."""

    user_id: int
    email: str
    language: str  # an interface language
    followed: list[LineageFate] = field(default_factory=list)
    comments: list[CommentOnChangedProvision] = field(default_factory=list)


@dataclass(frozen=True)
class NewVersionNotices:
    version: DraftVersion  # with .document
    alignment: Alignment  # with .old_version
    consultation_slug: str | None  # a public consultation covering the document, for links
    notices: list[VersionNotice]


def version_notices_for(*, version_id: int, alignment_id: int) -> NewVersionNotices:
    """Who is told what of a new version, one notice per person with a verified address. A fixed number of
    queries (seven) however many followers and comments.

    Followers of a provision of the document hear of each provision they follow that the previous version
    had (changed, with the kind; unchanged; removed). Authors of a published comment behind a concern hear
    of each such comment whose provision the new version changed. A person's notice is in the language of
    their latest such comment, else in the language they last followed in.
    """
    alignment = Alignment.objects.select_related("old_version", "new_version__document").get(pk=alignment_id, new_version_id=version_id)
    document_id = alignment.new_version.document_id
    follows = list(ProvisionFollow.objects.filter(lineage__document_id=document_id).order_by("id").values_list("user_id", "lineage_id", "language"))
    links = list(
        ConcernComment.objects.filter(
            comment__version__document_id=document_id, comment__is_official=False, comment__status=Comment.Status.PUBLISHED,
        )
        .select_related("concern", "comment__receipt", "comment__version", "comment__provision", "comment__consultation")
        .order_by("comment_id", "concern_id")
    )
    fates = lineage_fates(alignments=[alignment], lineage_ids={lineage for _u, lineage, _l in follows} | {link.comment.lineage_id for link in links})

    notices: dict[int, VersionNotice] = {}
    follow_language: dict[int, str] = {}
    for user_id, lineage_id, language in follows:
        fate = fates.get((alignment.pk, lineage_id))
        if fate is None:  # the previous version did not have it (removed before)
            continue
        notices.setdefault(user_id, VersionNotice(user_id=user_id, email="", language="")).followed.append(fate)
        follow_language[user_id] = language
    comment_language: dict[int, str] = {}
    on_changed: dict[int, CommentOnChangedProvision] = {}
    for link in links:
        comment = link.comment
        fate = fates.get((alignment.pk, comment.lineage_id))
        if fate is None or not fate.changed:
            continue
        if comment.pk not in on_changed:
            on_changed[comment.pk] = CommentOnChangedProvision(comment=comment, fate=fate)
            notices.setdefault(comment.author_id, VersionNotice(user_id=comment.author_id, email="", language="")).comments.append(
                on_changed[comment.pk]
            )
            comment_language[comment.author_id] = comment.language  # ordered by comment id: the latest wins
        on_changed[comment.pk].concerns.append(link.concern)

    addresses = verified_addresses(user_ids=notices)
    kept = []
    for user_id, notice in notices.items():
        if user_id not in addresses:
            continue
        notice.email = addresses[user_id]
        notice.language = interface_language(comment_language.get(user_id) or follow_language.get(user_id))
        notice.followed.sort(key=lambda fate: fate.old.order)
        kept.append(notice)
    return NewVersionNotices(
        version=alignment.new_version, alignment=alignment, consultation_slug=_consultation_slug(document_id), notices=kept,
    )


def _consultation_slug(document_id: int) -> str | None:
    link = (
        ConsultationDocument.objects.filter(document_id=document_id, consultation__status__in=PUBLIC_CONSULTATION_STATUSES)
        .select_related("consultation")
        .order_by("consultation_id")
        .first()
    )
    return link.consultation.slug if link else None
