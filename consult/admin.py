from django.contrib import admin

from consult.models import CommissionMembership, Consultation, ConsultationDocument, Phase


class ConsultationDocumentInline(admin.TabularInline):
    model = ConsultationDocument
    extra = 0


class PhaseInline(admin.TabularInline):
    model = Phase
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
