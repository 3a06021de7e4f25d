"""Reads of the consult app."""
from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from config.errors import NotFound
from consult.models import CommissionMembership, Consultation, ConsultationDocument, Phase, ProvisionFollow
from drafts.models import DraftVersion, Provision
from drafts.selectors import PUBLIC_STATUSES, draft_versions_superseded_by

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


def phase_open_for_version(*, version: DraftVersion) -> Phase | None:
    """The comment phase open now on this version, if any (`Phase.clean` allows at most one)."""
    return (
        Phase.objects.open_at(timezone.now())
        .filter(version=version, kind=Phase.Kind.COMMENT)
        .select_related("consultation")
        .order_by("opens_at")
        .first()
    )


@dataclass(frozen=True)
class PublicationPlan:
    """What `services.version_publish_with_phase` will do with these choices, for the admin to confirm first.

    `opening` is the comment phase it will open (not saved), or None; `staying_open` are the phases on the
    document's other drafts left open (close_previous off). Nothing here is written.
    """

    version: DraftVersion
    superseded: list[DraftVersion]
    closing: list[Phase]
    staying_open: list[Phase]
    opening: Phase | None

    @property
    def nothing_open(self) -> bool:
        """After publishing, nobody can comment on the document."""
        return self.opening is None and not self.staying_open


def version_publication_plan(
    *,
    version: DraftVersion,
    consultation: Consultation,
    close_previous: bool = True,
    opens_at: datetime.datetime | None = None,
    closes_at: datetime.datetime | None = None,
    title: str = "",
) -> PublicationPlan:
    """The effects of publishing `version` with these choices, read the way the service will apply them:
    the earlier drafts it supersedes, the phases open now that close, and the phase that opens."""
    open_now = [
        phase for phase in comment_phases_open(consultation=consultation, document_id=version.document_id)
        if phase.version_id != version.pk
    ]
    opening = None
    if closes_at is not None:
        opening = Phase(
            consultation=consultation, kind=Phase.Kind.COMMENT, version=version, opens_at=opens_at or timezone.now(),
            closes_at=closes_at, title=title.strip() or Phase.comment_title_for(version),
        )
    return PublicationPlan(
        version=version,
        superseded=list(draft_versions_superseded_by(version=version)),
        closing=open_now if close_previous else [],
        staying_open=[] if close_previous else open_now,
        opening=opening,
    )


def comment_phases_open(*, consultation: Consultation, document_id: int | None = None) -> list[Phase]:
    """The comment phases open now in the consultation (optionally on one document's versions), soonest to close
    first, with their version and document: what every page says about where one may comment now. One query."""
    phases = (
        Phase.objects.open_at(timezone.now())
        .filter(consultation=consultation, kind=Phase.Kind.COMMENT)
        .select_related("version__document")
        .order_by("closes_at", "id")
    )
    if document_id is not None:
        phases = phases.filter(version__document_id=document_id)
    return list(phases)


def can_act_for_commission(*, user: AbstractBaseUser | AnonymousUser, consultation: Consultation) -> bool:
    """Whether the user acts for this consultation's commission: moderates its comments (hides, restores,
    dismisses reports, sees the moderation queue) and replies officially in its name.

    The one rule of who may: the services check it, the API reaches it through them, and the pages show
    the commission's buttons from a flag the view computes with it once per page. It is membership of
    this consultation's commission and nothing else. Django staff (`is_staff`, superusers too) are not
    moderators of every consultation by that flag: they run the platform (publish versions, appoint
    commissions in the admin), while hiding a citizen's comment or answering in the commission's name is
    the commission's public act within its own consultation (DESIGN.md, "Roles"). Staff who must
    moderate are made members in the admin's commission inline, which leaves a record of it.
    """
    if not user.is_authenticated:
        return False
    return CommissionMembership.objects.filter(user=user, consultation=consultation).exists()


def participant_display_name(user) -> str:
    """How a user is named anywhere public: the participant's display name, never the e-mail or username."""
    participant = getattr(user, "participant", None) if user.is_authenticated else None
    return participant.display_name if participant else _("Participant")


# --- following provisions ------------------------------------------------------------------------


def provision_is_followed(*, user: AbstractBaseUser | AnonymousUser, provision: Provision) -> bool:
    """Whether the user follows this provision (in any of its versions). No query for an anonymous reader."""
    if not user.is_authenticated:
        return False
    return ProvisionFollow.objects.filter(user=user, lineage_id=provision.lineage_id).exists()


@dataclass(frozen=True)
class FollowedProvision:
    """A provision the user follows, as it stands in the newest public version that has it."""

    follow: ProvisionFollow
    provision: Provision | None  # with .version and .version.document; None if no public version has it
    consultation_slug: str | None  # a public consultation covering its document, for links


def provision_follows_of_user(*, user: AbstractBaseUser) -> list[FollowedProvision]:
    """What the user follows, newest follow first. Three queries however many."""
    follows = list(ProvisionFollow.objects.filter(user=user).order_by("-id"))
    if not follows:
        return []
    latest: dict[int, Provision] = {}
    provisions = (
        Provision.objects.filter(lineage_id__in=[follow.lineage_id for follow in follows], version__status__in=PUBLIC_STATUSES)
        .select_related("version__document")
        .order_by("lineage_id", "-version__number")
    )
    for provision in provisions:
        latest.setdefault(provision.lineage_id, provision)
    documents = {provision.version.document_id for provision in latest.values()}
    slugs: dict[int, str] = {}
    links = (
        ConsultationDocument.objects.filter(document_id__in=documents, consultation__status__in=PUBLIC_CONSULTATION_STATUSES)
        .select_related("consultation")
        .order_by("consultation_id")
    )
    for link in links:
        slugs.setdefault(link.document_id, link.consultation.slug)
    return [
        FollowedProvision(
            follow=follow, provision=latest.get(follow.lineage_id),
            consultation_slug=slugs.get(latest[follow.lineage_id].version.document_id) if follow.lineage_id in latest else None,
        )
        for follow in follows
    ]
