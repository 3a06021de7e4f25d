"""The commission's triage page: the queue of comments not yet accounted for (all of it, one document's,
or one provision's and those below it), what can be done with the checked ones (raise a concern, add
them to one, mark them as needing no separate answer), and suggested groupings of similar comments,
each accepted with one form. Plain forms and links: it works without JavaScript and by keyboard."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from comments.concerns import selectors, services
from comments.concerns.forms import ConcernAddForm, ConcernCreateForm, NoAnswerForm, TriageFilterForm
from comments.concerns.views import common
from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors as consult_selectors
from consult.models import Consultation

GROUPS_PER_PAGE = 20
GROUP_COMMENTS_SHOWN = 10  # of each group; the others are named by number (and all are in its forms)
THRESHOLD_STEPS = (0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)


def concern_triage_view(request, slug):
    """The commission's queue of comments not yet accounted for, and what can be done with the checked ones."""
    consultation = consult_selectors.consultation_get(slug=slug)
    if not consult_selectors.can_act_for_commission(user=request.user, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation triages its comments."), code="not_commission")
    status = 200
    filters = TriageFilterForm(request.GET)
    query = filters.cleaned_data if filters.is_valid() else {}
    try:
        scope = selectors.triage_scope(
            consultation=consultation, document_slug=query.get("document") or "", provision_id=query.get("provision")
        )
    except NotFound as error:  # a stale or mistyped filter: say so above the whole queue, not an error page
        filters.add_error(None, error.message)
        scope = selectors.TriageScope()
    if filters.errors:
        status = 400
    open_concerns = list(selectors.concerns_open(consultation=consultation))
    forms = {"create": ConcernCreateForm(), "add": ConcernAddForm(concerns=open_concerns), "no_answer": NoAnswerForm()}
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
    view = query.get("view") or "queue"
    counts = selectors.triage_queue_counts(consultation=consultation, document=scope.document)
    context = {
        "consultation": consultation, "forms": forms, "open_concerns": open_concerns, "view": view, "scope": scope, "counts": counts,
        "filter_errors": [
            f"{filters.fields[field].label}: {error}" if field in filters.fields else error
            for field, errors in filters.errors.items() for error in errors
        ],
        # A provision with no comment waiting is not in the list of the filter: it is added, chosen.
        "provision_unlisted": scope.provision if scope.provision and all(e.item != scope.provision for e in counts.provisions) else None,
        "accounted": selectors.comments_accounted_for(consultation=consultation, document=scope.document, provision=scope.provision),
        "checked": request.POST.getlist("comments") if request.method == "POST" else [],
    }
    if view == "groups":
        context.update(_groupings(request, consultation, scope, query.get("threshold")))
    else:
        queue = selectors.comments_unaccounted(consultation=consultation, document=scope.document, provision=scope.provision)
        context["page"] = Paginator(queue, common.PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "comments/concerns/triage.html", context, status=status)


def _groupings(request, consultation: Consultation, scope: selectors.TriageScope, threshold: float | None) -> dict:
    """The suggested groupings' part of the page: a page of groups, each with its first comments."""
    groupings = selectors.triage_groupings(
        consultation=consultation, document=scope.document, provision=scope.provision, threshold=threshold
    )
    page = Paginator(groupings.groups, GROUPS_PER_PAGE).get_page(request.GET.get("page"))
    shown = selectors.comments_by_id(comment_ids=[i for group in page.object_list for i in group.comment_ids[:GROUP_COMMENTS_SHOWN]])
    groups = [
        {
            "number": page.start_index() + n, "group": group,
            "comments": [shown[i] for i in group.comment_ids[:GROUP_COMMENTS_SHOWN] if i in shown],
            "more": max(0, group.size - GROUP_COMMENTS_SHOWN),
        }
        for n, group in enumerate(page.object_list)
    ]
    thresholds = [(f"{step:g}", step == groupings.threshold) for step in sorted({*THRESHOLD_STEPS, groupings.threshold})]
    return {"groupings": groupings, "page": page, "groups": groups, "thresholds": thresholds}


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
