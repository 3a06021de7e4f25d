"""Pages of digest reports: a consultation's reports (and the form to ask for one), one report with its live
progress, its downloads, and the public checkpoints. Thin: the services decide who may, the selectors what is seen.
Work without JavaScript (a meta refresh while a report is being built; the script only makes the bar live)."""
from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from comments.concerns.views.common import with_errors
from comments.digests import selectors, services
from comments.digests.forms import DigestRequestForm
from comments.digests.models import DigestReport
from comments.digests.render import report_html_body
from config.errors import ApplicationError, PermissionDenied
from consult import selectors as consult_selectors

REFRESH_SECONDS = 3
PAGE_SIZE = 25


def _documents(consultation):
    return [link.document for link in consultation.document_links.select_related("document").order_by("pk")]


@require_http_methods(["GET", "POST"])
def digest_list_view(request, slug):
    """The consultation's reports the visitor may read; for the commission, the form to ask for an on-demand report."""
    consultation = consult_selectors.consultation_get(slug=slug)
    can_request = selectors.digest_can_request(user=request.user, consultation=consultation)
    form = DigestRequestForm(request.POST or None, documents=_documents(consultation)) if can_request else None
    if request.method == "POST":
        if not can_request:
            raise PermissionDenied(_("Only the commission of this consultation or an administrator can ask for a report."), code="not_commission")
        if form.is_valid():
            try:
                report = services.digest_request(
                    consultation=consultation, kind=DigestReport.Kind.ON_DEMAND, requested_by=request.user, **form.parameters()
                )
            except ApplicationError as error:
                with_errors(form, error)
            else:
                messages.success(request, _("The report is queued; this page shows its progress."))
                return redirect("digest-detail", consultation.slug, report.pk)
    page = Paginator(selectors.digest_list(consultation=consultation, user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    status = 400 if form is not None and form.errors else 200
    return render(
        request, "comments/digests/list.html",
        {"consultation": consultation, "reports": page.object_list, "page": page, "form": form, "can_request": can_request}, status=status,
    )


@require_GET
def digest_detail_view(request, slug, report_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    report = selectors.digest_get(report_id=report_id, user=request.user, consultation=consultation)
    files = list(report.files.all())
    body = ""
    html = next((file for file in files if file.format == "html"), None)
    if html is not None:
        body = report_html_body(selectors.digest_file_get(report=report, format="html").data)
    in_progress = report.status in (DigestReport.Status.PENDING, DigestReport.Status.RUNNING)
    context = {
        "consultation": consultation, "report": report, "files": files, "body": body, "in_progress": in_progress,
        "refresh_seconds": REFRESH_SECONDS, "can_manage": selectors.digest_can_request(user=request.user, consultation=consultation),
        "checkpoint_holds": selectors.checkpoint_holds(report=report),
    }
    return render(request, "comments/digests/detail.html", context)


@require_GET
def digest_status_view(request, slug, report_id):
    """What the progress bar's script polls: the status and progress, nothing else."""
    consultation = consult_selectors.consultation_get(slug=slug)
    report = selectors.digest_get(report_id=report_id, user=request.user, consultation=consultation)
    return JsonResponse({"status": report.status, "status_label": str(report.get_status_display()), "progress": round(report.progress, 3)})


@require_GET
def digest_download_view(request, slug, report_id, format):
    consultation = consult_selectors.consultation_get(slug=slug)
    report = selectors.digest_get(report_id=report_id, user=request.user, consultation=consultation)
    file = selectors.digest_file_get(report=report, format=format)
    response = HttpResponse(bytes(file.data), content_type=file.content_type)
    disposition = "inline" if file.format == "pdf" else "attachment"
    response["Content-Disposition"] = f'{disposition}; filename="{file.filename}"'
    response["Content-Length"] = str(file.size)
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def digest_retry_view(request, slug, report_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    report = selectors.digest_get(report_id=report_id, user=request.user, consultation=consultation)
    services.digest_retry(actor=request.user, report_id=report.pk)
    messages.success(request, _("The report is queued again."))
    return redirect("digest-detail", consultation.slug, report.pk)


@require_POST
def digest_publish_view(request, slug, report_id):
    consultation = consult_selectors.consultation_get(slug=slug)
    report = selectors.digest_get(report_id=report_id, user=request.user, consultation=consultation)
    public = request.POST.get("public") == "1"
    services.digest_publish(actor=request.user, report_id=report.pk, public=public)
    messages.success(request, _("The report is public.") if public else _("The report is no longer public."))
    return redirect("digest-detail", consultation.slug, report.pk)


@require_GET
def digest_checkpoints_view(request, slug):
    """The public checkpoints: each published report's chain length and head, and whether the chain still extends it."""
    consultation = consult_selectors.consultation_get(slug=slug)
    checkpoints = selectors.digest_checkpoints(consultation=consultation)
    return render(request, "comments/digests/checkpoints.html", {"consultation": consultation, "checkpoints": checkpoints})
