"""Public pages of campaigns: the form letters of a consultation, each one point with its number of
supporters, and one campaign with its template and each comment's own words. Work without JavaScript."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from comments.campaigns import selectors
from consult import selectors as consult_selectors

PAGE_SIZE = 25


def campaign_list_view(request, slug):
    """The consultation's campaigns, largest first: template excerpt, size, first and last seen."""
    consultation = consult_selectors.consultation_get(slug=slug)
    page = Paginator(selectors.campaign_list(consultation=consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "comments/campaigns/list.html", {"consultation": consultation, "page": page, "campaigns": page.object_list})


def campaign_detail_view(request, slug, campaign_id):
    """One campaign: its template in full, and its comments (a page of them) with their receipts and own words."""
    consultation = consult_selectors.consultation_get(slug=slug)
    campaign = selectors.campaign_get(campaign_id=campaign_id, consultation=consultation)
    page = Paginator(selectors.campaign_members(campaign=campaign), PAGE_SIZE).get_page(request.GET.get("page"))
    members = selectors.campaign_members_with_additions(campaign=campaign, comments=page.object_list)
    return render(
        request, "comments/campaigns/detail.html",
        {"consultation": consultation, "campaign": campaign, "page": page, "members": members},
    )
