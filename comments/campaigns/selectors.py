"""Reads of campaigns: what the public sees of them is their published comments only."""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from comments.models import Campaign, Comment
from config.errors import NotFound
from consult.models import Consultation
from consult.selectors import PUBLIC_CONSULTATION_STATUSES

SHOWN_FROM_SIZE = 2  # a campaign left with one published comment (the others hidden or withdrawn) is no campaign


def campaign_list(*, consultation: Consultation) -> QuerySet[Campaign]:
    """A consultation's campaigns, largest first (then oldest): one query a page, the template text on the row."""
    return (
        Campaign.objects.filter(consultation=consultation, size__gte=SHOWN_FROM_SIZE)
        .select_related("template_comment")
        .order_by("-size", "id")
    )


def campaign_get(*, campaign_id: int, consultation: Consultation | None = None) -> Campaign:
    """One campaign shown to the public: of a public consultation (of `consultation`, if given), with at least
    two published comments. NotFound otherwise."""
    campaigns = Campaign.objects.filter(size__gte=SHOWN_FROM_SIZE).select_related("consultation", "template_comment")
    if consultation is not None:
        campaigns = campaigns.filter(consultation=consultation)
    else:
        campaigns = campaigns.filter(consultation__status__in=PUBLIC_CONSULTATION_STATUSES)
    campaign = campaigns.filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFound(_("There is no campaign %(id)s.") % {"id": campaign_id}, code="campaign_not_found")
    return campaign


def campaign_members(*, campaign: Campaign) -> QuerySet[Comment]:
    """The campaign's published comments in the order they came (by id), each with its receipt."""
    return (
        Comment.objects.filter(fingerprint__campaign=campaign, status=Comment.Status.PUBLISHED)
        .select_related("receipt")
        .only(
            "id", "author_name", "organisation_name", "submitter_type", "body", "language", "created_at", "status",
            "receipt__id", "receipt__number", "receipt__comment_id",
        )
        .order_by("id")
    )


@dataclass(frozen=True)
class CampaignMember:
    comment: Comment
    additions: tuple[str, ...]  # its runs of words that the template does not have (detection.personal_additions)


def campaign_members_with_additions(*, campaign: Campaign, comments: Iterable[Comment]) -> list[CampaignMember]:
    """Each comment (a page of campaign_members) with its personal additions to the campaign's template.

    Computed on read, for the page shown: the template's shingles once, then one pass over each text.
    """
    from comments.campaigns import detection

    covered = detection.template_shingles(campaign.template_text)
    return [CampaignMember(comment, detection.personal_additions(comment.body, covered)) for comment in comments]
