"""Admin of the comments app: the e-mail outbox, where a failed e-mail shows its error and can be tried again.

Comments, receipts and moderation are not edited here: the public record changes only through its services.
"""
from __future__ import annotations

from django.contrib import admin, messages
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from comments.models import OutboxEmail
from comments.notifications import services as notifications


class OutboxStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"
    STATES = {
        "pending": Q(sent_at__isnull=True, failed_at__isnull=True),
        "sent": Q(sent_at__isnull=False),
        "failed": Q(sent_at__isnull=True, failed_at__isnull=False),
    }

    def lookups(self, request, model_admin):
        return [("pending", _("Waiting to be sent")), ("sent", _("Sent")), ("failed", _("Failed"))]

    def queryset(self, request, queryset):
        return queryset.filter(self.STATES[self.value()]) if self.value() in self.STATES else queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = ["id", "to", "state_shown", "attempts", "next_attempt_at", "last_error_shown", "created_at", "sent_at"]
    list_filter = [OutboxStateFilter]
    search_fields = ["to", "subject"]
    actions = ["retry"]
    readonly_fields = [field.name for field in OutboxEmail._meta.fields]

    @admin.display(description=_("State"))
    def state_shown(self, email: OutboxEmail) -> str:
        return {"sent": _("Sent"), "failed": _("Failed"), "pending": _("Waiting")}[email.state]

    @admin.display(description=_("Last error"))
    def last_error_shown(self, email: OutboxEmail) -> str:
        return email.last_error[:200]

    @admin.action(description=_("Try the selected failed e-mails again"))
    def retry(self, request, queryset):
        count = notifications.outbox_email_retry(outbox_ids=list(queryset.values_list("pk", flat=True)))
        messages.success(
            request, ngettext("%(count)d failed e-mail will be tried again.", "%(count)d failed e-mails will be tried again.", count) % {"count": count}
        )

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
from comments.digests import admin as _digests_admin  # noqa: E402,F401  registers the digest reports
