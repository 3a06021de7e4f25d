"""The commission's triage page: the queue of comments not yet accounted for, and what can be done with
the checked ones (raise a concern, add them to one, mark them as needing no separate answer)."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from comments.concerns import selectors, services
from comments.concerns.forms import ConcernAddForm, ConcernCreateForm, NoAnswerForm
from comments.concerns.views import common
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation


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
                common.with_errors(form, error)
                status = error.status
            else:
                messages.success(request, message)
                return redirect(request.get_full_path())
        else:
            status = 400
    page = Paginator(selectors.comments_unaccounted(consultation=consultation), common.PAGE_SIZE).get_page(request.GET.get("page"))
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
