from functools import partial

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.models import BaseInlineFormSet
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.errors import ApplicationError
from config.translations import TranslationsAdminMixin
from consult import selectors, services
from consult.models import CommissionMembership, Consultation, ConsultationDocument, Phase
from drafts import selectors as draft_selectors
from drafts.languages import TEXT_LANGUAGES
from drafts.models import DraftVersion


class ConsultationDocumentInline(admin.TabularInline):
    model = ConsultationDocument
    extra = 0


class PhaseInlineFormSet(BaseInlineFormSet):
    """Each form runs `Phase.clean` (the rule `phase_create` enforces) against the phases already saved;
    this compares the phases of one submission with each other, which are not saved yet."""

    def clean(self):
        super().clean()
        phases = [
            form.instance for form in self.forms
            if form.cleaned_data and not form.cleaned_data.get("DELETE") and not form.errors
        ]
        for index, phase in enumerate(phases):
            for other in phases[index + 1:]:
                if phase.conflicts_with(other):
                    raise ValidationError(
                        _("“%(first)s” and “%(second)s” are comment phases on the same version whose periods overlap.")
                        % {"first": phase, "second": other}
                    )


class PhaseInline(admin.TabularInline):
    model = Phase
    formset = PhaseInlineFormSet
    extra = 0
    fields = ["kind", "title", "version", "opens_at", "closes_at"]


class VersionPublishForm(forms.Form):
    """Publish a version and, in the same step, move the public comment to it (services.version_publish_with_phase)."""

    consultation = forms.ModelChoiceField(queryset=Consultation.objects.none(), label=gettext_lazy("Consultation"))
    close_previous = forms.BooleanField(
        required=False, initial=True, label=gettext_lazy("Close the comment phase open now on the earlier drafts"),
    )
    open_phase = forms.BooleanField(required=False, initial=True, label=gettext_lazy("Open a comment phase on this version"))
    title = forms.CharField(required=False, max_length=300, label=gettext_lazy("Title of the new phase"),
                            help_text=gettext_lazy("Leave empty for “Public comment on <version>”."))
    opens_at = forms.DateTimeField(required=False, label=gettext_lazy("Opens at"), help_text=gettext_lazy("Empty: now."),
                                   widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    closes_at = forms.DateTimeField(required=False, label=gettext_lazy("Closes at"),
                                    widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def __init__(self, *args, version: DraftVersion, **kwargs):
        super().__init__(*args, **kwargs)
        consultations = Consultation.objects.filter(document_links__document_id=version.document_id).distinct()
        self.fields["consultation"].queryset = consultations
        if len(consultations) == 1:
            self.fields["consultation"].initial = consultations[0].pk

    def clean(self):
        data = super().clean()
        if data.get("open_phase") and not data.get("closes_at"):
            self.add_error("closes_at", _("Give the date the new comment phase closes, or do not open one."))
        return data


def interface_language_choices(chosen=()) -> list[tuple[str, str]]:
    """The interface languages (the ones a reader reads the site in), then any other language already chosen,
    so that editing never drops one set elsewhere (the API, a service: any text language is allowed)."""
    choices = [(code, f"{name} ({code})") for code, name in settings.LANGUAGES]
    known = {code for code, _name in choices}
    return choices + [(code, f"{TEXT_LANGUAGES.get(code, code)} ({code})") for code in chosen if code not in known]


class ConsultationAdminForm(forms.ModelForm):
    """The consultation's languages are ticked, not typed as JSON."""

    languages = forms.MultipleChoiceField(
        label=gettext_lazy("Languages"), widget=forms.CheckboxSelectMultiple,
        help_text=gettext_lazy("The languages the consultation speaks to the public in. Save to get a title "
                               "and description field for each newly ticked language."),
        error_messages={"required": gettext_lazy("Tick at least one language.")},
    )

    class Meta:
        model = Consultation
        fields = "__all__"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["languages"].choices = interface_language_choices(self.instance.languages or [])
        if not self.instance.pk:
            self.fields["languages"].initial = [code for code, _name in settings.LANGUAGES]


class MembershipInline(admin.TabularInline):
    model = CommissionMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Consultation)
class ConsultationAdmin(TranslationsAdminMixin, admin.ModelAdmin):
    form = ConsultationAdminForm
    translated_fields = {"title": forms.CharField, "description": partial(forms.CharField, widget=forms.Textarea)}
    list_display = ["title", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [ConsultationDocumentInline, PhaseInline, MembershipInline]

    def translation_languages(self, obj) -> list[str]:
        return list(obj.languages) if obj is not None else [code for code, _name in settings.LANGUAGES]

    def get_urls(self):
        return [
            path("publish-version/<int:version_id>/", self.admin_site.admin_view(self.version_publish_view),
                 name="consult_version_publish"),
            path("preview-version/<int:version_id>/", self.admin_site.admin_view(self.version_preview_view),
                 name="consult_version_preview"),
        ] + super().get_urls()

    def version_publish_view(self, request, version_id):
        """Publish a version being prepared and move the comment phase to it, in two steps: the admin chooses
        (with links to preview the version and its comparison), then confirms a page that says what will
        happen: the text becomes fixed, which drafts are superseded, which phases close and which opens (if
        none does, that nobody can comment). "edit" goes back to the choices; only "confirm" publishes."""
        if not (request.user.has_perm("drafts.change_draftversion") and request.user.has_perm("consult.change_phase")):
            raise PermissionDenied
        version = get_object_or_404(DraftVersion.objects.select_related("document"), pk=version_id)
        form = VersionPublishForm(request.POST or None, version=version)
        context = {
            **self.admin_site.each_context(request), "opts": self.model._meta, "version": version, "form": form,
            "title": _("Publish %(version)s and move the comment phase") % {"version": version},
            **_version_preview_links(version, form.fields["consultation"].queryset),
        }
        if request.method == "POST" and "edit" not in request.POST and form.is_valid():
            data = form.cleaned_data
            choices = {
                "consultation": data["consultation"], "close_previous": data["close_previous"], "title": data["title"],
                "opens_at": data["opens_at"] if data["open_phase"] else None,
                "closes_at": data["closes_at"] if data["open_phase"] else None,
            }
            if "confirm" not in request.POST:
                context["plan"] = selectors.version_publication_plan(version=version, **choices)
                context["title"] = _("Publish %(version)s?") % {"version": version}
                return TemplateResponse(request, "admin/consult/version_publish_confirm.html", context)
            try:
                phase = services.version_publish_with_phase(version=version, by=request.user, **choices)
            except ApplicationError as error:
                form.add_error(None, error.message)
            else:
                if phase is None:
                    self.message_user(request, _("%(version)s published. No draft of it is open for comment now.")
                                      % {"version": version.label}, messages.WARNING)
                else:
                    self.message_user(request, _("%(version)s published; “%(phase)s” is open for comment.")
                                      % {"version": version.label, "phase": phase.title}, messages.SUCCESS)
                return redirect("admin:consult_consultation_change", data["consultation"].pk)
        context["open_now"] = [
            phase for consultation in form.fields["consultation"].queryset
            for phase in selectors.comment_phases_open(consultation=consultation, document_id=version.document_id)
        ]
        return TemplateResponse(request, "admin/consult/version_publish.html", context)


    def version_preview_view(self, request, version_id):
        """From a version's admin page to the public reader, in a consultation covering its document (the drafts
        admin knows no consultation): a version being prepared shows there as a preview, to admins only."""
        version = get_object_or_404(DraftVersion.objects.select_related("document"), pk=version_id)
        consultations = Consultation.objects.filter(document_links__document_id=version.document_id).distinct()
        links = _version_preview_links(version, consultations)
        if "preview_url" not in links:
            self.message_user(request, _("No consultation covers %(document)s yet: add it to one to read it there.")
                              % {"document": version.document}, messages.WARNING)
            return redirect("admin:drafts_draftversion_change", version.pk)
        return redirect(links["preview_url"])


def _version_preview_links(version: DraftVersion, consultations) -> dict[str, str]:
    """Where an admin reads the version, and its comparison with the draft before it, as the public will
    (a preview while it is being prepared): in the first consultation that covers its document."""
    consultation = consultations.order_by("pk").first()
    if consultation is None:
        return {}
    links = {"preview_url": reverse("version-reader", args=[consultation.slug, version.document.slug, version.number])}
    previous = draft_selectors.draft_version_previous(version=version)
    if previous is not None:
        links["preview_comparison_url"] = reverse(
            "comparison", args=[consultation.slug, version.document.slug, previous.number, version.number]
        )
    return links
