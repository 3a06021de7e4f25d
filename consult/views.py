"""Pages of consultations, the comparison of a document's versions, and the participant's own profile.
Views parse, call a selector or a service, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.errors import ApplicationError, NotFound, PermissionDenied
from consult import selectors, services
from consult.forms import ParticipantProfileForm
from consult.models import Consultation
from drafts import selectors as draft_selectors
from drafts import services as draft_services
from drafts.models import Alignment, Document, DraftVersion, ProvisionChange

CONSULTATIONS_PER_PAGE = 20
COMPARISON_PAGE_SIZE = 25


def consultation_list_view(request):
    page = Paginator(selectors.consultation_list(), CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consult/consultation_list.html", {"page": page})


def consultation_detail_view(request, slug):
    consultation = selectors.consultation_get(slug=slug)
    return render(
        request, "consult/consultation_detail.html",
        {"consultation": consultation, "open_phases": selectors.comment_phases_open(consultation=consultation)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def participant_profile_view(request):
    """The signed-in user's public details; their e-mail address is shown to them here and nowhere else."""
    participant = getattr(request.user, "participant", None)  # None for accounts made outside sign-up (admin, shell)
    if request.method == "POST":
        form = ParticipantProfileForm(request.POST)
        if form.is_valid():
            try:
                services.participant_save(
                    user=request.user,
                    display_name=form.cleaned_data["display_name"],
                    submitter_type=form.cleaned_data["submitter_type"],
                    organisation_name=form.cleaned_data["organisation_name"],
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Your public profile is saved."))
                return redirect("participant-profile")
    else:
        initial = {}
        if participant is not None:
            initial = {
                "display_name": participant.display_name,
                "submitter_type": participant.submitter_type,
                "organisation_name": participant.organisation_name,
            }
        form = ParticipantProfileForm(initial=initial)
    return render(
        request, "consult/profile.html", {"form": form, "follows": selectors.provision_follows_of_user(user=request.user)},
    )


@require_POST
def provision_follow_view(request, provision_id):
    """The follow / stop following button of a provision (action=follow|unfollow); back to the page it was pressed on."""
    following = request.POST.get("action") != "unfollow"
    try:
        if following:
            services.provision_follow(user=request.user, provision_id=provision_id)
        else:
            services.provision_unfollow(user=request.user, provision_id=provision_id)
    except ApplicationError as error:
        if error.status == 404:
            raise
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("You follow this provision: each new draft will be announced to you by e-mail, with what became of it.")
            if following else _("You no longer follow this provision."),
        )
    next_url = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(next_url, allowed_hosts=None) and next_url.startswith("/"):  # this site's paths only
        return redirect(next_url)
    return redirect("participant-profile")


def comparison_view(request, slug, document_slug, old_number, new_number):
    """What changed between two versions: figures with their definitions, then the changes side by side.

    Only reads. A comparison not computed yet, being computed or failed is shown in that state
    (202 while it is computed); an admin requests or retries it with comparison_request_view.
    """
    consultation, document, old_version, new_version = _comparison_versions(request, slug, document_slug, old_number, new_number)
    alignment = draft_selectors.alignment_get(old_version=old_version, new_version=new_version)
    context = {
        "consultation": consultation, "document": document, "old_version": old_version, "new_version": new_version,
        "versions": _public_versions(consultation, document), "alignment": alignment,
        "may_request": draft_selectors.is_draft_admin(user=request.user),
    }
    if alignment is None or alignment.status != Alignment.Status.DONE:
        in_progress = alignment is not None and alignment.status in (Alignment.Status.PENDING, Alignment.Status.RUNNING)
        return render(request, "consult/comparison_state.html", context, status=202 if in_progress else 200)
    kind = request.GET.get("kind") if request.GET.get("kind") in ProvisionChange.Kind.values else None
    level = request.GET.get("level") if request.GET.get("level") in ProvisionChange.Level.values else "article"
    section = request.GET.get("section", "").strip() or None
    changes = draft_selectors.comparison_changes(alignment=alignment, kind=kind, level=level, section=section, changed_first=True)
    page_number = request.GET.get("page")
    wanted = request.GET.get("change", "")
    if wanted.isdigit() and not page_number:  # a link to one change (from the reader): the page that holds it
        pks = list(changes.values_list("pk", flat=True))
        if int(wanted) in pks:
            page_number = pks.index(int(wanted)) // COMPARISON_PAGE_SIZE + 1
    page = Paginator(changes, COMPARISON_PAGE_SIZE).get_page(page_number)
    rows = draft_selectors.comparison_rows(alignment=alignment, changes=page.object_list)
    context.update(
        {
            "figures": alignment.figures,
            "rows": [row for row in rows if row.change.kind != ProvisionChange.Kind.UNCHANGED],
            "unchanged_rows": [row for row in rows if row.change.kind == ProvisionChange.Kind.UNCHANGED],
            "page": page,
            "kind": kind,
            "level": level,
            "section": section or "",
            "kinds": ProvisionChange.Kind.choices,
            "levels": ProvisionChange.Level.choices,
            "sections": draft_selectors.version_sections(version=new_version),
            "by_section": draft_selectors.comparison_by_section(alignment=alignment),
        }
    )
    return render(request, "consult/comparison.html", context)


@require_POST
def comparison_request_view(request, slug, document_slug, old_number, new_number):
    """An admin asks for a comparison nobody computed yet, or retries a failed one; then back to the page."""
    if not draft_selectors.is_draft_admin(user=request.user):
        raise PermissionDenied(_("Only an administrator can request a comparison."), code="not_admin")
    _consultation, _document, old_version, new_version = _comparison_versions(request, slug, document_slug, old_number, new_number)
    alignment = draft_services.alignment_request(new_version=new_version, old_version=old_version, retry=True)
    if alignment.status == Alignment.Status.PENDING:
        messages.success(request, _("The comparison is queued; this page shows its progress."))
    return redirect("comparison", slug, document_slug, old_number, new_number)


def _comparison_versions(
    request, slug: str, document_slug: str, old_number: int, new_number: int
) -> tuple[Consultation, Document, DraftVersion, DraftVersion]:
    """The pair compared; an admin may compare with a version being prepared (a preview), anyone else gets 404."""
    consultation = selectors.consultation_get(slug=slug)
    document = next((link.document for link in consultation.document_links.all() if link.document.slug == document_slug), None)
    if document is None:
        raise NotFound(_("%(consultation)s covers no document %(document)s.") % {"consultation": consultation.title, "document": document_slug})
    if old_number >= new_number:
        raise NotFound(_("Compare an earlier version with a later one."))
    old_version = draft_selectors.draft_version_get_for_reading(document=document, number=old_number, user=request.user)
    new_version = draft_selectors.draft_version_get_for_reading(document=document, number=new_number, user=request.user)
    return consultation, document, old_version, new_version


def _public_versions(consultation: Consultation, document: Document) -> list[DraftVersion]:
    link = next(link for link in consultation.document_links.all() if link.document_id == document.pk)
    return link.document.public_versions
