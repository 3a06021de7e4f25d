"""The rule of config.jobs (claim, heartbeat, takeover, bounded failure, an admin's retry), on drafts.Alignment.

These call the functions as a worker would, in the test process; tests/drafts/test_tasks.py has
the same paths with real Celery workers (one of them killed).
"""
import datetime

import pytest
from django.db import OperationalError
from django.utils import timezone

from config import jobs
from config.errors import InvalidState
from drafts import services
from drafts.models import Alignment
from tests.drafts.test_services_alignment import V1, V2

pytestmark = pytest.mark.django_db


@pytest.fixture
def alignment(document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    return Alignment.objects.get(new_version=second)


def _worker_died(alignment):
    """What a dead worker leaves: its last heartbeat further back than the stale threshold."""
    Alignment.objects.filter(pk=alignment.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(hours=1))


def test_a_pending_job_is_claimed_once(alignment):
    claimed = jobs.job_claim(Alignment, job_id=alignment.pk)
    assert (claimed.status, claimed.attempts) == ("running", 1) and claimed.heartbeat_at is not None
    assert jobs.job_claim(Alignment, job_id=alignment.pk) is None  # a live worker holds it
    assert jobs.job_claim(Alignment, job_id=alignment.pk + 1000) is None


def test_done_and_failed_jobs_are_never_claimed(alignment):
    for status in ("done", "failed"):
        Alignment.objects.filter(pk=alignment.pk).update(status=status, heartbeat_at=timezone.now() - datetime.timedelta(hours=1))
        assert jobs.job_claim(Alignment, job_id=alignment.pk) is None
        assert Alignment.objects.get(pk=alignment.pk).status == status


def test_a_dead_workers_job_is_taken_over_and_the_late_worker_loses_it(alignment):
    first = jobs.job_claim(Alignment, job_id=alignment.pk)
    _worker_died(alignment)
    second = jobs.job_claim(Alignment, job_id=alignment.pk)
    assert second.attempts == 2 and "Attempt 1 stopped without finishing" in second.error
    with pytest.raises(jobs.JobLost):
        jobs.job_heartbeat(first, progress=0.5)
    with pytest.raises(jobs.JobLost):
        jobs.job_finish(first)
    jobs.job_fail(first, error="too late")  # a late failure of the lost attempt is not recorded
    jobs.job_heartbeat(second, progress=1.0)
    row = Alignment.objects.get(pk=alignment.pk)
    assert (row.status, row.attempts, row.progress) == ("running", 2, 0.99)


def test_a_job_whose_worker_keeps_dying_ends_failed_after_the_bound(alignment):
    for attempt in range(1, Alignment.max_attempts + 1):
        assert jobs.job_claim(Alignment, job_id=alignment.pk).attempts == attempt
        _worker_died(alignment)
    assert jobs.job_claim(Alignment, job_id=alignment.pk) is None
    row = Alignment.objects.get(pk=alignment.pk)
    assert row.status == "failed" and row.finished_at is not None
    assert row.error.startswith(f"Gave up after {Alignment.max_attempts} attempts.")


def test_a_transient_failure_is_queued_again_until_the_bound(alignment, django_capture_on_commit_callbacks):
    for attempt in range(1, Alignment.max_attempts):
        claimed = jobs.job_claim(Alignment, job_id=alignment.pk)
        with django_capture_on_commit_callbacks() as queued:
            jobs.job_fail(claimed, error=OperationalError("server closed the connection"), transient=True)
        row = Alignment.objects.get(pk=alignment.pk)
        assert (row.status, row.attempts, len(queued)) == ("pending", attempt, 1)
        assert row.error == "OperationalError: server closed the connection"
    claimed = jobs.job_claim(Alignment, job_id=alignment.pk)
    with django_capture_on_commit_callbacks() as queued:
        jobs.job_fail(claimed, error=OperationalError("server closed the connection"), transient=True)
    row = Alignment.objects.get(pk=alignment.pk)
    assert (row.status, row.attempts, queued) == ("failed", Alignment.max_attempts, [])


def test_a_permanent_failure_ends_failed_at_once(alignment):
    claimed = jobs.job_claim(Alignment, job_id=alignment.pk)
    jobs.job_fail(claimed, error=ValueError("no such provision"))
    row = Alignment.objects.get(pk=alignment.pk)
    assert (row.status, row.attempts, row.error) == ("failed", 1, "ValueError: no such provision")


def test_an_admins_retry_moves_only_a_failed_job_back_and_queues_it(alignment, django_capture_on_commit_callbacks):
    with pytest.raises(InvalidState) as error:
        services.alignment_retry(alignment=alignment)
    assert error.value.code == "job_not_failed"
    Alignment.objects.filter(pk=alignment.pk).update(status="failed", attempts=3, error="MemoryError: ")
    with django_capture_on_commit_callbacks() as queued:
        services.alignment_retry(alignment=alignment)
    row = Alignment.objects.get(pk=alignment.pk)
    assert (row.status, row.attempts, len(queued)) == ("pending", 0, 1)
    assert services.alignment_run(alignment_id=alignment.pk).status == "done"
    row.refresh_from_db()
    assert (row.attempts, row.error) == (1, "")


def test_the_sweep_queues_forgotten_and_abandoned_jobs_only(alignment, settings, document, make_version):
    settings.BACKGROUND_JOB_STALE_SECONDS = 60
    assert jobs.job_sweep() == 0  # pending, but just queued: its message is on its way
    Alignment.objects.filter(pk=alignment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=5))
    assert jobs.job_sweep() == 1  # pending for minutes: its message never reached a worker
    jobs.job_claim(Alignment, job_id=alignment.pk)
    assert jobs.job_sweep() == 0  # a live worker holds it
    _worker_died(alignment)
    assert jobs.job_sweep() == 1
    Alignment.objects.filter(pk=alignment.pk).update(status="failed")
    assert jobs.job_sweep() == 0  # only an admin brings a failed job back


def test_the_progress_writer_heartbeats_as_the_work_goes(alignment, settings):
    settings.BACKGROUND_JOB_STALE_SECONDS = 0  # a heartbeat at every report
    claimed = jobs.job_claim(Alignment, job_id=alignment.pk)
    before = Alignment.objects.get(pk=alignment.pk).heartbeat_at
    jobs.job_progress_writer(claimed)(0.01)
    row = Alignment.objects.get(pk=alignment.pk)
    assert row.heartbeat_at > before and row.progress == 0.01
