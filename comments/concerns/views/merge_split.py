"""Merging concerns into one and splitting one in two: the commission's forms on a concern's page.

The concern's page shows both forms (templates/comments/concerns/_merge_split.html); they post here.
A refused form is shown again on a page of its own, with the service's reason and what was chosen
(nothing is saved); GET shows that page too. Who may act is the services' rule, and the page's.
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from comments.concerns import selectors, services
from comments.concerns.forms import ConcernMergeForm, ConcernSplitForm
from comments.concerns.views import common
from comments.models import Concern
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation


def merge_split_forms(concern: Concern, comments=None, data=None) -> dict:
    """The two unbound (or, with `data`, bound) forms of a concern's page, their choices read once."""
    if comments is None:
        comments = selectors.concern_comments_public(concern=concern)
    return {
        "merge": ConcernMergeForm(data, concerns=selectors.concerns_mergeable(concern=concern)),
        "split": ConcernSplitForm(data, comments=comments),
    }


def concern_merge_view(request, slug, concern_id):
    """Merge the checked concerns into this one."""
    consultation, concern = _concern_for_commission(request, slug, concern_id)
    form = merge_split_forms(concern, comments=(), data=request.POST if request.method == "POST" else None)["merge"]
    if request.method == "POST" and form.is_valid():
        try:
            services.concern_merge(
                actor=request.user, concern_id=concern.pk, merged_ids=form.cleaned_data["concerns"], reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as error:
            return _form_page(request, consultation, concern, "merge", common.with_errors(form, error), error.status)
        count = len(set(form.cleaned_data["concerns"]))
        messages.success(request, _("%(count)d concern(s) merged into this one, with their comments.") % {"count": count})
        return redirect("concern-detail", slug, concern.pk)
    return _form_page(request, consultation, concern, "merge", form, 400 if form.errors else 200)


def concern_split_view(request, slug, concern_id):
    """Raise a new concern from the checked comments of this one."""
    consultation, concern = _concern_for_commission(request, slug, concern_id)
    form = merge_split_forms(concern, data=request.POST if request.method == "POST" else None)["split"]
    if request.method == "POST" and form.is_valid():
        try:
            new = services.concern_split(
                actor=request.user, concern_id=concern.pk, comment_ids=form.cleaned_data["comments"],
                title=form.cleaned_data["title"], summary=form.cleaned_data["summary"],
            )
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as error:
            return _form_page(request, consultation, concern, "split", common.with_errors(form, error), error.status)
        messages.success(
            request, _("This concern is raised from %(count)d comment(s) of concern #%(id)s.") % {"count": new.links.count(), "id": concern.pk}
        )
        return redirect("concern-detail", slug, new.pk)
    return _form_page(request, consultation, concern, "split", form, 400 if form.errors else 200)


def _concern_for_commission(request, slug, concern_id) -> tuple[Consultation, Concern]:
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = common.concern_of(consultation, concern_id)
    if not consult_selectors.can_act_for_commission(user=request.user, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation works on its concerns."), code="not_commission")
    return consultation, concern


def _form_page(request, consultation: Consultation, concern: Concern, action: str, form, status: int):
    return render(
        request, "comments/concerns/merge_split.html",
        {"consultation": consultation, "concern": concern, "action": action, "form": form},
        status=status,
    )
