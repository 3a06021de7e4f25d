"""The signed-in participant's page "My comments and what became of them". Works without JavaScript."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import render

from comments.outcomes import selectors

PAGE_SIZE = 20


@login_required
def my_comments_view(request):
    """Each of the user's comments, newest first, with its receipt, status, concerns and decisions, and its provision in later versions."""
    page = Paginator(selectors.comments_of_author(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "comments/my_comments.html",
        {"page": page, "outcomes": selectors.comment_outcomes(comments=list(page.object_list))},
    )
