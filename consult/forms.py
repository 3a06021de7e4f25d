"""Forms of the consult app: the participant details asked at sign-up."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from consult import services
from consult.models import Participant


class ParticipantSignupForm(forms.Form):
    """Extra sign-up fields (allauth calls `signup` after creating the user)."""

    display_name = forms.CharField(
        label=_("Public display name"), max_length=80,
        help_text=_("Shown with your comments. A pseudonym is allowed; your e-mail is never shown."),
    )
    submitter_type = forms.ChoiceField(label=_("I comment as"), choices=Participant.SubmitterType.choices, initial="individual")
    organisation_name = forms.CharField(label=_("Organisation name"), max_length=200, required=False)

    def clean(self):
        data = super().clean()
        if data.get("submitter_type") == Participant.SubmitterType.ORGANISATION and not data.get("organisation_name", "").strip():
            self.add_error("organisation_name", _("Give the name of the organisation you comment for."))
        return data

    def signup(self, request, user) -> None:
        services.participant_save(
            user=user,
            display_name=self.cleaned_data["display_name"],
            submitter_type=self.cleaned_data["submitter_type"],
            organisation_name=self.cleaned_data.get("organisation_name", ""),
        )


class ParticipantProfileForm(ParticipantSignupForm):
    """The public details edited on the profile page: the sign-up fields and their rule, without the sign-up step.

    The form only validates; the profile view saves through `services.participant_save`.
    """

    signup = None

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["display_name"].widget.attrs["autocomplete"] = "nickname"
        self.fields["organisation_name"].widget.attrs["autocomplete"] = "organization"
        self.fields["organisation_name"].help_text = _("Only when you comment for an organisation.")
