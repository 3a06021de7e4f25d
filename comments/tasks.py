"""Celery tasks of the comments app: thin callers of services, taking ids, safe to run twice."""
from __future__ import annotations

from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task
from django.utils import timezone

from comments import selectors, services


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=30, retry_backoff_max=3600, max_retries=8)
def outbox_email_send(self, outbox_id: int) -> bool:
    return services.outbox_email_deliver(outbox_id=outbox_id)


@shared_task
def outbox_sweep() -> int:
    """Send what the outbox still holds (queued while the broker was down, or whose task was lost)."""
    pending = selectors.outbox_pending(older_than=timezone.now() - timedelta(minutes=1))
    for outbox_id in pending:
        outbox_email_send.delay(outbox_id)
    return len(pending)
