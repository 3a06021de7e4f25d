"""Reads of campaigns."""
from __future__ import annotations

from django.db.models import QuerySet

from comments.models import Campaign
from consult.models import Consultation


def campaign_list(*, consultation: Consultation) -> QuerySet[Campaign]:
    """A consultation's campaigns, largest first, with their template and members: three queries a page."""
    return (
        Campaign.objects.filter(consultation=consultation)
        .select_related("template_comment")
        .prefetch_related("fingerprints")
        .order_by("-size", "id")
    )
