"""The rule for every long background job, written once: a row that says how far the work got,
which attempt holds it, and what becomes of it when its worker dies.

A job is a row of a concrete `BackgroundJob` model (drafts.Alignment today; digests next),
computed by the Celery task the model names (`task_name`, taking the row's id as the keyword
`task_id_argument`). The task calls its app's service, and the service follows this contract:

    job = job_claim(Model, job_id=id)        # None: not this caller's to run; stop
    ... work, calling job_progress_writer(job) as it goes (heartbeat + progress) ...
    with transaction.atomic():
        job_finish(job, **results)           # DONE, in the transaction that writes the results
        ... write the results ...
    # on an exception: job_fail(job, error=error, transient=...) and re-raise

States and who moves them:
- PENDING -> RUNNING: `job_claim` only, in a transaction holding the row lock. It claims a
  PENDING job, or a RUNNING one whose heartbeat is older than
  settings.BACKGROUND_JOB_STALE_SECONDS: its worker died (SIGKILL, out of memory, the hard
  time limit) and this is the takeover. DONE and FAILED jobs are never claimed, so a message
  delivered twice (acks_late redelivery, the sweep) is harmless. Every claim is an attempt;
  a job that has used `max_attempts` ends FAILED at its next claim instead of running again.
- The attempt number is the worker's fencing token: heartbeats, the finish and the failure
  write only while the row still carries it. A worker that was presumed dead and taken over
  learns so (JobLost) at its next write, and its late results are rolled back.
- RUNNING -> DONE: `job_finish`. RUNNING -> FAILED: `job_fail`, in its own transaction, with
  the error kept for the admin; a transient error (database, network) with attempts left goes
  back to PENDING and is queued again after a backoff.
- FAILED -> PENDING: `job_retry`, an admin's action, which queues the job again. Nothing a
  reader does (a page view, an API GET) ever queues a job.
- `job_sweep`, every minute by beat (`background_jobs_sweep`), queues again the PENDING jobs
  nobody picked up (the broker was down when they were queued) and the RUNNING jobs whose
  heartbeat is stale. The claim decides, under the lock, whether anything runs.

A job must report progress more often than the stale threshold; `job_progress_writer` turns
each report into a heartbeat at least every quarter of it.
"""
from __future__ import annotations

import datetime
import time
from collections.abc import Callable
from typing import ClassVar, TypeVar

from celery import shared_task
from django.apps import apps
from django.conf import settings
from django.db import models, transaction
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from config.errors import InvalidState
from config.tasks import enqueue_now, enqueue_on_commit

_ERROR_LENGTH = 2000
# Transient failures are queued again after 30 s, 60 s, 120 s…
_BACKOFF_SECONDS = 30


class BackgroundJob(models.Model):
    """The state of one long piece of background work, for the worker, the sweep and the admin."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    progress = models.FloatField(default=0.0, help_text=_("0 to 1, for the progress bar."))
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text=_("Times a worker started it (taken over or retried included)."))
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    heartbeat_at = models.DateTimeField(null=True, blank=True, help_text=_("The last sign of life of the worker running it."))
    finished_at = models.DateTimeField(null=True, blank=True)

    task_name: ClassVar[str] = ""  # "app.tasks.name", the task computing one job
    task_id_argument: ClassVar[str] = "job_id"  # the keyword under which that task takes the job's id
    max_attempts: ClassVar[int] = 3

    class Meta:
        abstract = True


J = TypeVar("J", bound=BackgroundJob)
Status = BackgroundJob.Status


class JobLost(Exception):
    """The job is no longer this worker's: it was taken over (its heartbeat went stale) or retried."""


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.BACKGROUND_JOB_STALE_SECONDS)


def job_is_stale(job: BackgroundJob, *, now: datetime.datetime | None = None) -> bool:
    """A running job whose worker gave no sign of life for longer than the stale threshold."""
    last_sign = job.heartbeat_at or job.started_at or job.created_at
    return job.status == Status.RUNNING and (last_sign is None or last_sign < (now or timezone.now()) - stale_after())


def job_enqueue(job: BackgroundJob, *, countdown: float | None = None) -> None:
    """Queue the job's task after the current transaction commits."""
    enqueue_on_commit(job.task_name, countdown=countdown, **{job.task_id_argument: job.pk})


def job_claim(model: type[J], *, job_id: int) -> J | None:
    """Take job `job_id` for running, or return None when the caller must leave it alone.

    Claimed: a PENDING job, or a RUNNING one with a stale heartbeat (the takeover of a dead
    worker's job). Not claimed: DONE, FAILED, a RUNNING job with a live worker, a missing row.
    A job whose attempts are spent is marked FAILED here, with the reason, and not claimed.
    Takes the row lock; inside a caller's transaction the claim commits (or rolls back) with it.
    The returned row's `attempts` is this caller's token for the calls below.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().filter(pk=job_id).first()
        if job is None:
            return None
        now = timezone.now()
        taken_over = job_is_stale(job, now=now)
        if job.status != Status.PENDING and not taken_over:
            return None
        job.error = ""
        if taken_over:  # the admin sees why this job took more than one attempt
            job.error = gettext("Attempt %(attempt)d stopped without finishing (its worker died or ran out of time).") % {
                "attempt": job.attempts
            }
        if job.attempts >= job.max_attempts:
            job.status, job.finished_at = Status.FAILED, now
            job.error = gettext("Gave up after %(attempts)d attempts. %(error)s") % {"attempts": job.attempts, "error": job.error}
            job.save(update_fields=["status", "finished_at", "error"])
            return None
        job.status, job.progress, job.attempts = Status.RUNNING, 0.0, job.attempts + 1
        job.started_at = job.heartbeat_at = now
        job.finished_at = None
        job.save(update_fields=["status", "progress", "attempts", "started_at", "heartbeat_at", "finished_at", "error"])
    return job


def job_heartbeat(job: BackgroundJob, *, progress: float | None = None) -> None:
    """Record that the worker holding `job` is alive, and how far it got (below 1 until it finishes).

    Raises JobLost when the row no longer carries this worker's attempt.
    """
    values: dict = {"heartbeat_at": timezone.now()}
    if progress is not None:
        values["progress"] = min(progress, 0.99)
    if not _own(job).update(**values):
        raise JobLost(f"{job._meta.label} {job.pk}, attempt {job.attempts}")


def job_progress_writer(job: BackgroundJob, *, step: float = 0.05) -> Callable[[float], None]:
    """A progress callback for a pure core: writes the share done when it grew by `step`, and a
    heartbeat at least every quarter of the stale threshold, so a live worker is never taken over."""
    interval = settings.BACKGROUND_JOB_STALE_SECONDS / 4
    last = {"share": 0.0, "at": time.monotonic()}

    def report(share: float) -> None:
        if share - last["share"] >= step or time.monotonic() - last["at"] >= interval:
            job_heartbeat(job, progress=share)
            last["share"], last["at"] = share, time.monotonic()

    return report


def job_finish(job: BackgroundJob, **results) -> None:
    """Mark `job` DONE, setting the model's own result fields `results` in the same statement.

    Call it first inside the transaction that writes the job's results: it locks the row, and
    raises JobLost (rolling the results back) when the job is no longer this worker's.
    """
    now = timezone.now()
    updated = _own(job).update(status=Status.DONE, progress=1.0, error="", finished_at=now, heartbeat_at=now, **results)
    if not updated:
        raise JobLost(f"{job._meta.label} {job.pk}, attempt {job.attempts}")


def job_fail(job: BackgroundJob, *, error: BaseException | str, transient: bool = False) -> None:
    """Record that this attempt failed, with the error the admin will see.

    Its own transaction when called outside one (as a worker does), so the record survives the
    rollback of the work. A transient error with attempts left puts the job back to PENDING and
    queues it after a backoff; anything else ends it FAILED. Nothing happens when the job is no
    longer this worker's.
    """
    text = error if isinstance(error, str) else f"{type(error).__name__}: {error}"
    now = timezone.now()
    with transaction.atomic():
        row = _own(job).select_for_update().first()
        if row is None:
            return
        row.error, row.heartbeat_at = text[:_ERROR_LENGTH], now
        if transient and row.attempts < row.max_attempts:
            row.status = Status.PENDING
            job_enqueue(row, countdown=_BACKOFF_SECONDS * 2 ** (row.attempts - 1))
        else:
            row.status, row.finished_at = Status.FAILED, now
        row.save(update_fields=["status", "error", "heartbeat_at", "finished_at"])


def job_retry(model: type[J], *, job_id: int, enqueue: bool = True) -> J:
    """An admin's retry: a FAILED job goes back to PENDING with its attempts counted afresh and is
    queued after commit (unless `enqueue` is False: the caller runs it inline).

    Raises InvalidState for a job in any other state: a running one is not interrupted, and a
    done one (which may carry an admin's corrections) is not recomputed.
    """
    with transaction.atomic():
        job = model.objects.select_for_update().get(pk=job_id)
        if job.status != Status.FAILED:
            raise InvalidState(
                gettext("Only a failed job can be retried; this one is %(status)s.") % {"status": job.get_status_display().lower()},
                code="job_not_failed",
            )
        job.status, job.attempts, job.progress, job.heartbeat_at, job.finished_at = Status.PENDING, 0, 0.0, timezone.now(), None
        job.save(update_fields=["status", "attempts", "progress", "heartbeat_at", "finished_at"])
        if enqueue:
            job_enqueue(job)
    return job


def background_job_models() -> list[type[BackgroundJob]]:
    return [model for model in apps.get_models() if issubclass(model, BackgroundJob)]


def job_sweep() -> int:
    """Queue again every job no worker is on: PENDING or RUNNING with no sign of life for longer
    than the stale threshold (a message that never reached the broker, a worker that died).

    Queueing a job twice is harmless (the claim decides). Returns how many were queued.
    """
    cutoff = timezone.now() - stale_after()
    queued = 0
    for model in background_job_models():
        ids = (
            model.objects.filter(status__in=[Status.PENDING, Status.RUNNING])
            .annotate(last_sign=Coalesce("heartbeat_at", "started_at", "created_at"))
            .filter(last_sign__lt=cutoff)
            .values_list("pk", flat=True)
        )
        for job_id in ids:
            queued += enqueue_now(model.task_name, **{model.task_id_argument: job_id})
    return queued


@shared_task(name="config.jobs.background_jobs_sweep")
def background_jobs_sweep() -> int:
    """Every minute (CELERY_BEAT_SCHEDULE): catch up the jobs of every BackgroundJob model."""
    return job_sweep()


def _own(job: BackgroundJob) -> models.QuerySet:
    """The job's row while it still belongs to the attempt that claimed it."""
    return type(job).objects.filter(pk=job.pk, status=Status.RUNNING, attempts=job.attempts)
