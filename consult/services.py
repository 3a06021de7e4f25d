"""Writes of the consult app: consultations, the documents they cover, phases, commission membership, following."""
from __future__ import annotations

import datetime

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from consult.models import CommissionMembership, Consultation, ConsultationDocument, Participant, Phase, ProvisionFollow
from consult.signals import phase_closed
from drafts import services as draft_services
from drafts.models import Document, DraftVersion, Provision
from drafts.selectors import PUBLIC_STATUSES


def consultation_create(
    *,
    title: str,
    slug: str,
    description: str = "",
    languages: list[str] | None = None,
    starts_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
    status: str = Consultation.Status.DRAFT,
    title_translations: dict[str, str] | None = None,
    description_translations: dict[str, str] | None = None,
) -> Consultation:
    """A new consultation. The translations are the title and description in other languages ({"kk": "…"}),
    shown to readers of those languages (config.translations); ValidationError for what `Consultation.clean` refuses."""
    consultation = Consultation(
        title=title, slug=slug, description=description, languages=languages or [code for code, _name in settings.LANGUAGES],
        starts_on=starts_on, ends_on=ends_on, status=status,
        title_translations=title_translations or {}, description_translations=description_translations or {},
    )
    consultation.full_clean()
    consultation.save()
    return consultation


def consultation_document_add(*, consultation: Consultation, document: Document) -> ConsultationDocument:
    with transaction.atomic():
        order = consultation.document_links.count()
        link = ConsultationDocument(consultation=consultation, document=document, order=order)
        link.full_clean()
        link.save()
    return link


def phase_create(
    *,
    consultation: Consultation,
    title: str,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    kind: str = Phase.Kind.COMMENT,
    version: DraftVersion | None = None,
) -> Phase:
    """Add a phase; raises ValidationError for what `Phase.clean` refuses (the admin's inline refuses the same).

    Locks the version, so that two comment phases added on it at once cannot both pass the overlap check.
    """
    with transaction.atomic():
        if version is not None:
            DraftVersion.objects.select_for_update().filter(pk=version.pk).first()
        phase = Phase(consultation=consultation, kind=kind, title=title, version=version, opens_at=opens_at, closes_at=closes_at)
        phase.full_clean()
        phase.save()
    return phase


def phase_close(*, phase: Phase, at: datetime.datetime | None = None) -> Phase:
    """Close a phase at `at` (default: now), earlier than planned: from that instant it is no longer open.

    Raises ValidationError for what `Phase.clean` refuses (a phase must close after it opens), and
    InvalidState for a phase already closed by then (its end is history, not moved back or forth).
    """
    at = at or timezone.now()
    with transaction.atomic():
        phase = Phase.objects.select_for_update().get(pk=phase.pk)
        if phase.closes_at <= at:
            closed_on = date_format(timezone.localtime(phase.closes_at), "DATETIME_FORMAT")
            raise InvalidState(
                _("“%(phase)s” closed on %(closes_at)s already.") % {"phase": phase.title, "closes_at": closed_on}, code="phase_closed"
            )
        phase.closes_at = at
        phase.full_clean()
        phase.save(update_fields=["closes_at"])
        phase_closed.send(sender=Phase, phase=phase)  # e.g. the version report of a comment phase (comments.digests)
    return phase


def version_publish_with_phase(
    *,
    version: DraftVersion,
    by: AbstractBaseUser | None,
    consultation: Consultation | None = None,
    close_previous: bool = True,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    title: str = "",
) -> Phase | None:
    """Publish a version and move the public comment to it, in one transaction: all of it happens or nothing.

    With `close_previous`, the comment phases open now on the document's other versions in the consultation
    are closed now (each sends `phase_closed`). With `closes_at`, a comment phase on the new version is opened
    from `opens_at` (default: now) to `closes_at`; without it no phase is opened, and the caller warns that
    nothing is open for comment. `consultation` defaults to the one consultation covering the document.
    Returns the new phase, or None. Raises ApplicationError for refused dates, InvalidState for what
    publishing refuses.
    """
    now = timezone.now()
    if consultation is None:
        consultations = list(Consultation.objects.filter(document_links__document_id=version.document_id).distinct()[:2])
        if len(consultations) != 1:
            raise ApplicationError(
                _("Choose the consultation whose comment phase follows %(version)s.") % {"version": version.label},
                code="consultation_required",
            )
        consultation = consultations[0]
    elif not ConsultationDocument.objects.filter(consultation=consultation, document_id=version.document_id).exists():
        raise ApplicationError(
            _("%(version)s belongs to a document this consultation does not cover.") % {"version": version.label},
            code="document_not_covered",
        )
    if closes_at is None and opens_at is not None:
        raise ApplicationError(_("Give the date the new comment phase closes."), code="closes_at_required")
    with transaction.atomic():
        version = draft_services.draft_version_publish(version=version, by=by)
        if close_previous:
            previous = (
                Phase.objects.open_at(now)
                .filter(consultation=consultation, kind=Phase.Kind.COMMENT, version__document_id=version.document_id)
                .exclude(version=version)
            )
            for phase in previous:
                phase_close(phase=phase, at=now)
        if closes_at is None:
            return None
        try:
            return phase_create(
                consultation=consultation, version=version, opens_at=opens_at or now, closes_at=closes_at,
                title=title.strip() or Phase.comment_title_for(version),
            )
        except ValidationError as error:
            raise ApplicationError(" ".join(error.messages), code="phase_invalid") from error


def commission_member_add(*, consultation: Consultation, user: AbstractBaseUser, role: str = CommissionMembership.Role.REVIEWER) -> CommissionMembership:
    """Make the user a member of the consultation's commission with this role, or change their role."""
    with transaction.atomic():
        membership = (
            CommissionMembership.objects.select_for_update().filter(consultation=consultation, user=user).first()
            or CommissionMembership(consultation=consultation, user=user)
        )
        membership.role = role
        membership.full_clean()
        membership.save()
    return membership


def participant_save(
    *, user: AbstractBaseUser, display_name: str, submitter_type: str = "individual", organisation_name: str = ""
) -> Participant:
    """Create or update the public profile of a user."""
    participant = Participant.objects.filter(user=user).first() or Participant(user=user)
    participant.display_name = display_name.strip()
    participant.submitter_type = submitter_type
    participant.organisation_name = organisation_name.strip() if submitter_type == Participant.SubmitterType.ORGANISATION else ""
    participant.full_clean()
    participant.save()
    return participant


# --- following provisions ------------------------------------------------------------------------


def provision_follow(*, user: AbstractBaseUser | AnonymousUser, provision_id: int) -> ProvisionFollow:
    """The user follows a published provision through its versions (its lineage). Following it again
    changes nothing. Notices go to a verified address, so one is required; they are written in the
    interface language the user follows in.
    """
    provision = _provision_followable(user, provision_id)
    if not EmailAddress.objects.filter(user=user, verified=True).exists():
        raise PermissionDenied(
            _("Confirm your e-mail address to follow provisions: the notices of new drafts are sent to it."),
            code="email_unverified",
        )
    # The unique constraint settles two follows racing (get_or_create reads the winner's row).
    follow, _created = ProvisionFollow.objects.get_or_create(
        user=user, lineage_id=provision.lineage_id, defaults={"language": (get_language() or "")[:8]}
    )
    return follow


def provision_unfollow(*, user: AbstractBaseUser | AnonymousUser, provision_id: int) -> bool:
    """The user stops following the provision (in all its versions); False when they did not follow it."""
    provision = _provision_followable(user, provision_id)
    deleted, _rows = ProvisionFollow.objects.filter(user=user, lineage_id=provision.lineage_id).delete()
    return bool(deleted)


def _provision_followable(user: AbstractBaseUser | AnonymousUser, provision_id: int) -> Provision:
    if not user.is_authenticated:
        raise PermissionDenied(_("Sign in to follow provisions."), code="not_authenticated")
    provision = Provision.objects.filter(pk=provision_id, version__status__in=PUBLIC_STATUSES).only("id", "lineage_id").first()
    if provision is None:
        raise NotFound(_("There is no published provision %(id)s.") % {"id": provision_id}, code="provision_not_found")
    return provision
