"""Reads of moderation: the commission's queue of reported comments."""
from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils.translation import gettext as _

from comments.models import Comment, Report
from config.errors import PermissionDenied
from consult.models import Consultation
from consult.selectors import can_act_for_commission


def moderation_queue(*, consultation: Consultation, user) -> QuerySet[Comment]:
    """Comments with open reports, most reported first, with their open reports: for the commission only."""
    if not can_act_for_commission(user=user, consultation=consultation):
        raise PermissionDenied(_("Only the commission of this consultation sees its moderation queue."), code="not_commission")
    return (
        Comment.objects.filter(consultation=consultation, reports__status=Report.Status.OPEN)
        .annotate(open_reports=Count("reports", filter=Q(reports__status=Report.Status.OPEN)))
        .select_related("provision", "version__document", "receipt", "consultation")
        .prefetch_related(Prefetch("reports", queryset=Report.objects.filter(status=Report.Status.OPEN)))
        .order_by("-open_reports", "id")
        .distinct()
    )


