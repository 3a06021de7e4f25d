"""Public pages of consultations. Views parse, call selectors, render."""
from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render

from consult import selectors

CONSULTATIONS_PER_PAGE = 20


def consultation_list_view(request):
    page = Paginator(selectors.consultation_list(), CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consult/consultation_list.html", {"page": page})


def consultation_detail_view(request, slug):
    consultation = selectors.consultation_get(slug=slug)
    return render(request, "consult/consultation_detail.html", {"consultation": consultation})
