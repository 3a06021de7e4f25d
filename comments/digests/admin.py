"""Digest reports in the admin: which failed (with the error and attempts), retrying them, publishing them.
Imported by comments/admin.py (the admin discovers the app's own module only)."""
from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _

from comments.digests import services
from comments.digests.models import DigestFile, DigestReport
from config.errors import ApplicationError


class DigestFileInline(admin.TabularInline):
    model = DigestFile
    extra = 0
    fields = ["format", "filename", "content_type", "size", "sha256"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(DigestReport)
class DigestReportAdmin(admin.ModelAdmin):
    list_display = ["__str__", "kind", "status", "progress_percent", "attempts", "is_public", "built_at", "chain_length", "error_summary"]
    list_filter = ["status", "kind", "is_public", "consultation"]
    list_select_related = ["consultation"]
    actions = ["retry_selected"]
    fields = [
        "consultation", "kind", "document", "version", "period_start", "period_end", "requested_by", "inputs_hash", "is_public",
        "status", "progress", "attempts", "error", "created_at", "started_at", "heartbeat_at", "finished_at",
        "chain_length", "chain_head", "built_at",
    ]
    readonly_fields = [field for field in fields if field != "is_public"]
    inlines = [DigestFileInline]

    def has_add_permission(self, request):
        return False  # asked for on the reports page, through the API, or by the schedule

    def has_delete_permission(self, request, obj=None):
        return False  # a report's checkpoint is part of the public record

    @admin.display(description=_("Progress"))
    def progress_percent(self, report):
        return f"{report.progress:.0%}"

    @admin.display(description=_("Error"))
    def error_summary(self, report):
        return report.error[:120]

    @admin.action(description=_("Retry the selected failed reports"), permissions=["change"])
    def retry_selected(self, request, queryset):
        for report in queryset:
            try:
                services.digest_retry(actor=request.user, report_id=report.pk)
            except ApplicationError as error:
                self.message_user(request, f"{report}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, _("%(report)s is queued again.") % {"report": report}, messages.SUCCESS)
