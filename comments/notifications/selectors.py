"""Reads of the outbox."""
from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from comments.models import OutboxEmail


def outbox_due(*, limit: int = 5000) -> list[int]:
    """E-mails to try now, oldest first: not sent, not given up, and past any retry delay."""
    due = OutboxEmail.objects.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now()), sent_at__isnull=True, failed_at__isnull=True)
    return list(due.order_by("pk").values_list("pk", flat=True)[:limit])
