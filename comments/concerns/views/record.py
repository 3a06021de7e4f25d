"""The public record: "What we heard and what changed" for a consultation. Works without JavaScript."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from comments.concerns import selectors
from comments.concerns.views import common
from consult import selectors as consult_selectors


def concerns_public_view(request, slug):
    """What we heard and what changed: the accounted-for figure, then every concern grouped by decision."""
    consultation = consult_selectors.consultation_get(slug=slug)
    page = Paginator(selectors.concern_list_public(consultation=consultation), common.PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = list(page.object_list)
    common.attach_provisions(concerns)
    return render(
        request, "comments/concerns/public.html",
        {
            "consultation": consultation, "page": page, "concerns": concerns,
            "accounted": selectors.comments_accounted_for(consultation=consultation),
            "acts_for_commission": consult_selectors.can_act_for_commission(user=request.user, consultation=consultation),
        },
    )
