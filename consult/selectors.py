"""Reads of the consult app."""
from __future__ import annotations

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotFound
from consult.models import CommissionMembership, Consultation, ConsultationDocument, Phase
from drafts.models import DraftVersion
from drafts.selectors import PUBLIC_STATUSES

PUBLIC_CONSULTATION_STATUSES = (Consultation.Status.OPEN, Consultation.Status.CLOSED, Consultation.Status.CONCLUDED)


def consultation_list(*, public_only: bool = True) -> QuerySet[Consultation]:
    """Consultations with their document count and phases: two queries whatever their number."""
    consultations = Consultation.objects.annotate(document_count=Count("document_links", distinct=True)).prefetch_related(
        Prefetch("phases", queryset=Phase.objects.select_related("version"))
    )
    if public_only:
        consultations = consultations.filter(status__in=PUBLIC_CONSULTATION_STATUSES)
    return consultations.order_by("-starts_on", "-id")


def consultation_get(*, slug: str, public_only: bool = True) -> Consultation:
    """One consultation with its documents, their public versions and its phases prefetched."""
    consultation = (
        consultation_list(public_only=public_only)
        .prefetch_related(
            Prefetch(
                "document_links",
                queryset=ConsultationDocument.objects.select_related("document").prefetch_related(
                    Prefetch(
                        "document__versions",
                        queryset=DraftVersion.objects.filter(status__in=PUBLIC_STATUSES).order_by("number"),
                        to_attr="public_versions",
                    )
                ),
            )
        )
        .filter(slug=slug)
        .first()
    )
    if consultation is None:
        raise NotFound(f"No consultation {slug!r}.")
    return consultation


def consultation_for_document(*, document_id: int) -> Consultation | None:
    return Consultation.objects.filter(document_links__document_id=document_id).first()


def phase_open_for_version(*, version: DraftVersion) -> Phase | None:
    """The comment phase open now on this version, if any."""
    now = timezone.now()
    return (
        Phase.objects.filter(version=version, kind=Phase.Kind.COMMENT, opens_at__lte=now, closes_at__gt=now)
        .select_related("consultation")
        .order_by("opens_at")
        .first()
    )


def can_moderate(*, user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> bool:
    """Staff, or a member of this consultation's commission."""
    if not user.is_authenticated:
        return False
    return user.is_staff or commission_role(user=user, consultation=consultation) is not None


def commission_role(*, user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> str | None:
    """The user's role in the consultation's commission, or None."""
    if not user.is_authenticated:
        return None
    return (
        CommissionMembership.objects.filter(user=user, consultation=consultation).values_list("role", flat=True).first()
    )


def participant_display_name(user) -> str:
    """How a user is named anywhere public: the participant's display name, never the e-mail or username."""
    participant = getattr(user, "participant", None) if user.is_authenticated else None
    return participant.display_name if participant else _("Participant")
