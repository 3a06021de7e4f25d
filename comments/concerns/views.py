"""Pages of concerns: the public record ("What we heard and what changed", one concern with its trail)
and the commission's triage page and decision forms. They work without JavaScript.

Views parse the request, call one service or selector, and render or redirect. Who may act is the
services' rule (consult.selectors.can_act_for_commission); the pages only use it to show the forms.
"""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from comments.concerns import selectors, services
from comments.concerns.forms import ConcernAddForm, ConcernCreateForm, ConcernDecideForm, ConcernTransitionForm, NoAnswerForm
from comments.models import Concern
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation

PAGE_SIZE = 25


def concerns_public_view(request, slug):
    """What we heard and what changed: the accounted-for figure, then every concern grouped by decision."""
    consultation = consult_selectors.consultation_get(slug=slug)
    page = Paginator(selectors.concern_list_public(consultation=consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    concerns = list(page.object_list)
    _attach_provisions(concerns)
    return render(
        request, "comments/concerns/public.html",
        {
            "consultation": consultation, "page": page, "concerns": concerns,
            "accounted": selectors.comments_accounted_for(consultation=consultation),
            "acts_for_commission": consult_selectors.can_act_for_commission(user=request.user, consultation=consultation),
        },
    )


def concern_detail_view(request, slug, concern_id, decide_form=None, transition_form=None, status=200):
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = _concern_of(consultation, concern_id)
    _attach_provisions([concern])
    member = consult_selectors.can_act_for_commission(user=request.user, consultation=consultation)
    if member and decide_form is None:
        decide_form = ConcernDecideForm(
            versions=_later_versions(consultation, concern),
            initial={"status": concern.status if concern.is_decided else None},
        )
    return render(
        request, "comments/concerns/detail.html",
        {
            "consultation": consultation, "concern": concern,
            "events": _with_actor_names(selectors.concern_events_public(concern=concern)),
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
    concern = _concern_of(consultation, concern_id)
    form = ConcernDecideForm(request.POST, versions=_later_versions(consultation, concern))
    if form.is_valid():
        try:
            services.concern_decide(
                actor=request.user, concern_id=concern.pk, status=form.cleaned_data["status"],
                rationale=form.cleaned_data["rationale"], resolved_in_id=form.cleaned_data["resolved_in"],
                norms=form.cleaned_data["norms"], revises=form.cleaned_data["revises"],
            )
        except (PermissionDenied, NotFound):
            raise  # the error page: whoever may not act is not shown the form again
        except ApplicationError as error:
            return concern_detail_view(request, slug, concern_id, decide_form=_with_errors(form, error), status=error.status)
        messages.success(request, _("The decision is recorded and added to the receipt chain."))
        return redirect("concern-detail", slug, concern.pk)
    return concern_detail_view(request, slug, concern_id, decide_form=form, status=400)


@require_POST
def concern_transition_view(request, slug, concern_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    concern = _concern_of(consultation, concern_id)
    form = ConcernTransitionForm(request.POST)
    if form.is_valid():
        try:
            services.concern_transition(
                actor=request.user, concern_id=concern.pk, to_status=form.cleaned_data["to_status"], reason=form.cleaned_data["reason"]
            )
        except (PermissionDenied, NotFound):
            raise
        except ApplicationError as error:
            return concern_detail_view(request, slug, concern_id, transition_form=_with_errors(form, error), status=error.status)
        messages.success(request, _("The concern's status is changed."))
        return redirect("concern-detail", slug, concern.pk)
    return concern_detail_view(request, slug, concern_id, transition_form=form, status=400)


def concern_triage_view(request, slug):
    """The commission's queue of comments not yet accounted for, and what can be done with the checked ones."""
    consultation = consult_selectors.consultation_get(slug=slug)
    if not consult_selectors.can_act_for_commission(user=request.user, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation triages its comments."), code="not_commission")
    open_concerns = list(selectors.concerns_open(consultation=consultation))
    forms = {"create": ConcernCreateForm(), "add": ConcernAddForm(concerns=open_concerns), "no_answer": NoAnswerForm()}
    status = 200
    if request.method == "POST":
        action = request.POST.get("action")
        if action not in forms:
            raise NotFound(_("Unknown action."))
        form = forms[action] = type(forms[action])(request.POST, **({"concerns": open_concerns} if action == "add" else {}))
        if form.is_valid():
            try:
                message = _triage_action(request.user, consultation, action, form.cleaned_data)
            except ApplicationError as error:
                _with_errors(form, error)
                status = error.status
            else:
                messages.success(request, message)
                return redirect(request.get_full_path())
        else:
            status = 400
    page = Paginator(selectors.comments_unaccounted(consultation=consultation), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request, "comments/concerns/triage.html",
        {
            "consultation": consultation, "page": page, "forms": forms, "open_concerns": open_concerns,
            "accounted": selectors.comments_accounted_for(consultation=consultation),
            "checked": request.POST.getlist("comments") if request.method == "POST" else [],
        },
        status=status,
    )


def _triage_action(user, consultation: Consultation, action: str, data: dict) -> str:
    """Perform one of the triage page's actions on the checked comments; return what the page then says."""
    ids = data["comments"]
    if action == "create":
        concern = services.concern_create(
            actor=user, consultation_id=consultation.pk, title=data["title"], summary=data["summary"], comment_ids=ids
        )
        return _("The concern “%(title)s” is raised from %(count)d comment(s).") % {"title": concern.title, "count": len(ids)}
    if action == "add":
        concern = services.concern_comments_add(actor=user, concern_id=data["concern"], comment_ids=ids)
        return _("%(count)d comment(s) added to “%(title)s”.") % {"title": concern.title, "count": len(ids)}
    services.comments_mark_no_answer(actor=user, consultation_id=consultation.pk, comment_ids=ids, reason=data["reason"])
    return _("%(count)d comment(s) marked as needing no separate answer.") % {"count": len(ids)}


def _concern_of(consultation: Consultation, concern_id: int) -> Concern:
    concern = selectors.concern_get(concern_id=concern_id)
    if concern.consultation_id != consultation.pk:
        raise NotFound(_("There is no concern %(id)s in this consultation.") % {"id": concern_id}, code="concern_not_found")
    return concern


def _attach_provisions(concerns: list[Concern]) -> None:
    """Each concern gets `provisions`: what it is about, as in the version it was raised in (one query for all)."""
    provisions = selectors.concern_provisions_raised_in(concerns=concerns)
    for concern in concerns:
        concern.provisions = provisions.get(concern.pk, [])


def _with_actor_names(events) -> list:
    """Who made each transition, by their public name only (never the e-mail or username)."""
    events = list(events)
    for event in events:
        event.actor_name = consult_selectors.participant_display_name(event.actor)
    return events


def _later_versions(consultation: Consultation, concern: Concern) -> list:
    """The public versions of the concern's document after the one it was raised in: where it can be resolved."""
    link = next((link for link in consultation.document_links.all() if link.document_id == concern.document_id), None)
    return [v for v in (link.document.public_versions if link else []) if v.number > concern.raised_in.number]


def _with_errors(form, error: ApplicationError):
    """Show a service's refusal on the form: on the fields it names, else above the form."""
    for field, errors in error.fields.items():
        form.add_error(field if field in form.fields else None, errors)
    if not error.fields:
        form.add_error(None, error.message)
    return form
