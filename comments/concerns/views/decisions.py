"""One concern's page (its comments, its public trail) and the commission's forms on it: decide, change status.

Views parse the request, call one service or selector, and render or redirect. Who may act is the
services' rule (consult.selectors.can_act_for_commission); the pages only use it to show the forms.
"""
from __future__ import annotations

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments.concerns import selectors, services
from comments.concerns.forms import ConcernDecideForm, ConcernTransitionForm
from comments.concerns.views import common
from comments.models import Concern
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation


def concern_detail_view(request, slug, concern_id, decide_form=None, transition_form=None, status=200):
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = common.concern_of(consultation, concern_id)
    common.attach_provisions([concern])
    member = consult_selectors.can_act_for_commission(user=request.user, consultation=consultation)
    linked = selectors.concern_changes_public(concerns=[concern]).get(concern.pk, [])
    change_choices = []
    if member and concern.status != Concern.Status.WITHDRAWN:
        versions = _later_versions(consultation, concern)
        change_choices = selectors.concern_change_choices(concern=concern, versions=versions, linked=linked)
        if decide_form is None:
            decide_form = ConcernDecideForm(versions=versions, change_choices=change_choices, initial=_decide_initial(concern, change_choices))
    return render(
        request, "comments/concerns/detail.html",
        {
            "consultation": consultation, "concern": concern, "changes": linked, "change_choices": change_choices,
            "events": common.with_actor_names(selectors.concern_events_public(concern=concern)),
            "comments": selectors.concern_comments_public(concern=concern),
            "acts_for_commission": member,
            "decide_form": decide_form,
            "transition_form": transition_form or ConcernTransitionForm(),
            "transitions": [
                (status_, label) for status_, label in Concern.Status.choices if status_ in services.TRANSITIONS.get(concern.status, ())
            ],
        },
        status=status,
    )


@require_POST
def concern_decide_view(request, slug, concern_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = common.concern_of(consultation, concern_id)
    if not consult_selectors.can_act_for_commission(user=request.user, consultation=consultation):
        # The service refuses too; checked first so that nobody else makes the page compute the change suggestions.
        raise PermissionDenied(_("Only the commission of this consultation works on its concerns."), code="not_commission")
    versions = _later_versions(consultation, concern)
    form = ConcernDecideForm(
        request.POST, versions=versions, change_choices=selectors.concern_change_choices(concern=concern, versions=versions)
    )
    if form.is_valid():
        try:
            services.concern_decide(
                actor=request.user, concern_id=concern.pk, status=form.cleaned_data["status"],
                rationale=form.cleaned_data["rationale"], resolved_in_id=form.cleaned_data["resolved_in"],
                change_ids=form.cleaned_data["changes"], norms=form.cleaned_data["norms"], revises=form.cleaned_data["revises"],
            )
        except (PermissionDenied, NotFound):
            raise  # the error page: whoever may not act is not shown the form again
        except ApplicationError as error:
            return concern_detail_view(request, slug, concern_id, decide_form=common.with_errors(form, error), status=error.status)
        messages.success(request, _("The decision is recorded and added to the receipt chain."))
        return redirect("concern-detail", slug, concern.pk)
    return concern_detail_view(request, slug, concern_id, decide_form=form, status=400)


@require_POST
def concern_transition_view(request, slug, concern_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = common.concern_of(consultation, concern_id)
    form = ConcernTransitionForm(request.POST)
    if form.is_valid():
        try:
            services.concern_transition(
                actor=request.user, concern_id=concern.pk, to_status=form.cleaned_data["to_status"], reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as error:
            return concern_detail_view(request, slug, concern_id, transition_form=common.with_errors(form, error), status=error.status)
        messages.success(request, _("The concern's status is changed."))
        return redirect("concern-detail", slug, concern.pk)
    return concern_detail_view(request, slug, concern_id, transition_form=form, status=400)


def _decide_initial(concern: Concern, change_choices: list[selectors.ChangeChoices]) -> dict:
    """What the decision form proposes. Revising a decision starts from what it carries (its version, its
    changes); a first decision from the newest version that can resolve it, with the suggested changes
    that changed words checked, for the reviewer to confirm."""
    if concern.is_decided:
        linked = {change.pk for change in concern.changes.all()}
        return {"status": concern.status, "resolved_in": concern.resolved_in_id, "changes": sorted(linked)}
    if not change_choices:
        return {}
    newest = change_choices[-1]
    return {
        "resolved_in": newest.version.pk,
        "changes": [row.change.pk for row in newest.rows if row.change.kind != row.change.Kind.UNCHANGED],
    }


def _later_versions(consultation: Consultation, concern: Concern) -> list:
    """The public versions of the concern's document after the one it was raised in: where it can be resolved."""
    link = next((link for link in consultation.document_links.all() if link.document_id == concern.document_id), None)
    return [v for v in (link.document.public_versions if link else []) if v.number > concern.raised_in.number]
