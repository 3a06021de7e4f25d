"""Pages of consultations, and the participant's own profile. Views parse, call a selector or a service, render."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from consult import selectors, services
from consult.forms import ParticipantProfileForm

CONSULTATIONS_PER_PAGE = 20


def consultation_list_view(request):
    page = Paginator(selectors.consultation_list(), CONSULTATIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "consult/consultation_list.html", {"page": page})


def consultation_detail_view(request, slug):
    consultation = selectors.consultation_get(slug=slug)
    return render(request, "consult/consultation_detail.html", {"consultation": consultation})


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
    return render(request, "consult/profile.html", {"form": form})
