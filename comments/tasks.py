"""Celery tasks of the comments app: thin callers of services, taking ids, safe to run twice."""
from __future__ import annotations

from smtplib import SMTPException

from celery import shared_task

from comments import selectors, services


@shared_task(bind=True, autoretry_for=(SMTPException, ConnectionError), retry_backoff=30, retry_backoff_max=3600, max_retries=8)
def outbox_email_send(self, outbox_id: int) -> bool:
    return services.outbox_email_deliver(outbox_id=outbox_id)


@shared_task
def outbox_sweep() -> int:
    """Queue the sending of what the outbox holds: requested after comments (services.outbox_send_soon),
    and every minute by beat for what a broker outage or a lost task left behind."""
    services.outbox_sweep_begin()
    pending = selectors.outbox_pending()
    for outbox_id in pending:
        outbox_email_send.delay(outbox_id)
    return len(pending)
