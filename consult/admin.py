from django.contrib import admin
from django.core.exceptions import ValidationError
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext as _

from consult.models import CommissionMembership, Consultation, ConsultationDocument, Phase


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


class MembershipInline(admin.TabularInline):
    model = CommissionMembership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Consultation)
class ConsultationAdmin(admin.ModelAdmin):
    list_display = ["title", "status", "starts_on", "ends_on"]
    list_filter = ["status"]
    prepopulated_fields = {"slug": ["title"]}
    search_fields = ["title"]
    inlines = [ConsultationDocumentInline, PhaseInline, MembershipInline]
