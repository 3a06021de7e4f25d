"""Celery tasks of the comments app: thin callers of services, taking ids, safe to run twice.

Queued by name (config.tasks.enqueue_on_commit), so no service imports this module.
"""
from __future__ import annotations

from celery import shared_task
from celery.signals import worker_ready
from django.conf import settings

from comments.campaigns import services as campaigns
from comments.digests import schedule
from comments.digests import services as digests
from comments.notifications import services as notifications
from config.tasks import enqueue_now


@shared_task
def outbox_email_send(outbox_id: int) -> str:
    """Retries are the service's own (counted in the database, bounded, with backoff), not Celery's."""
    return notifications.outbox_email_deliver(outbox_id=outbox_id)


@shared_task
def outbox_sweep(all_pending: int = 0) -> int:
    return notifications.outbox_sweep(all_pending=bool(all_pending))


@worker_ready.connect
def _outbox_catch_up(**_signal) -> None:
    """A worker that starts (after a crash, a deploy) has every pending e-mail queued again, whatever its lease:
    the tasks a killed worker held may be gone, and nothing else would queue them before the lease ends."""
    enqueue_now(notifications.SWEEP_TASK, all_pending=1)


@shared_task
def campaigns_sweep() -> int:
    """Fingerprint new comments and find their campaigns (comments.campaigns.services)."""
    return campaigns.campaigns_sweep()


@shared_task(acks_late=True)
def version_notices_send(job_id: int) -> int | None:
    """Tell followers and commenters of a new version (comments.notifications.services.version_notices_run):
    safe under acks_late and redelivery, as the job is claimed first and every e-mail is keyed."""
    job = notifications.version_notices_run(job_id=job_id)
    return job.emails if job else None


@shared_task(
    acks_late=True, soft_time_limit=settings.DIGEST_TASK_SOFT_TIME_LIMIT, time_limit=settings.DIGEST_TASK_TIME_LIMIT,
)
def digest_build(report_id: int) -> str | None:
    """Build a digest report (comments.digests.services.digest_build): claimed first, so a message delivered
    twice or swept builds nothing twice; transient failures are queued again by the job contract, with backoff."""
    report = digests.digest_build(report_id=report_id)
    return report.status if report else None


@shared_task
def digests_daily_request() -> list[int]:
    """Beat, once a day (settings.DIGEST_DAILY_HOUR): yesterday's daily digest of each open consultation with a
    commission (comments.digests.schedule); its members are e-mailed when it is built."""
    return [report.pk for report in schedule.digests_daily_request()]


@shared_task
def digests_version_reports_due() -> list[int]:
    """Beat, every few minutes: the version report of each comment phase that has closed without one."""
    return [report.pk for report in schedule.digests_version_reports_due()]
