"""Alignments computed by real Celery workers: progress on the row, a worker killed mid-alignment and
taken over, a job that keeps dying ends failed, an admin's retry, and reads that never queue work."""
import datetime
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import quote

import pytest
from django.db import connection, transaction
from django.utils import timezone

from config import jobs
from config.celery_app import app
from config.tasks import enqueue_now
from drafts.models import Alignment
from tests.conftest import wait_for
from tests.drafts.test_services_alignment import V1, V2

pytestmark = pytest.mark.django_db(transaction=True)


def broker_queue_length() -> int:
    """Messages waiting in the default queue of the broker the tests were given (REDIS_URL)."""
    with app.connection_for_write() as broker:
        return broker.default_channel.queue_declare(queue=app.conf.task_default_queue).message_count


def start_worker_process(settings, name: str, log: Path) -> subprocess.Popen:
    """A Celery worker in a process of its own (so that it can be SIGKILLed), on the test database; its output in `log`."""
    db = settings.DATABASES["default"]
    url = f"postgres://{quote(db['USER'] or '')}:{quote(db['PASSWORD'] or '')}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    with log.open("w") as output:  # the child keeps its own descriptor
        return subprocess.Popen(
            [str(Path(sys.executable).parent / "celery"), "-A", "config", "worker", "-P", "solo", "-c", "1", "-n", f"{name}@%h",
             "--without-mingle", "--without-gossip", "--without-heartbeat", "-l", "warning"],
            cwd=settings.BASE_DIR, env={**os.environ, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "config.settings.test"},
            stdout=output, stderr=subprocess.STDOUT,
        )


def test_importing_a_version_has_the_worker_align_it(celery_worker, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(new_version=second)
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done")
    alignment.refresh_from_db()
    assert alignment.progress == 1.0 and alignment.changes.filter(level="article").exists()
    assert alignment.started_at <= alignment.heartbeat_at <= alignment.finished_at and alignment.attempts == 1


def forget_unacknowledged_messages() -> int:
    """Drop what a killed worker left unacknowledged: the broker would hand it out again after its
    visibility timeout (an hour), to whatever worker then runs on this broker, naming a row of a
    test database long gone.

    Only this run's (its queue's) entries: the broker's list is shared by every run and pytest-xdist
    worker on this Redis database, and theirs must stay for their own redeliveries."""
    queue, forgotten = app.conf.task_default_queue, 0
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        for tag, entry in channel.client.hgetall(channel.unacked_key).items():
            _message, _exchange, routing_key = json.loads(entry)
            if routing_key == queue:
                channel.client.hdel(channel.unacked_key, tag)
                channel.client.zrem(channel.unacked_index_key, tag)
                forgotten += 1
    return forgotten


def test_a_worker_killed_mid_alignment_is_taken_over_by_the_next_worker(request, settings, tmp_path, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(new_version=second)
    app.control.purge()  # the message importing queued, and any other test's: this worker gets one
    assert enqueue_now("drafts.tasks.alignment_compute", alignment_id=alignment.pk)
    with transaction.atomic():
        # Deterministically "mid-alignment": the worker claims the job (RUNNING, committed), then
        # waits on this lock when it reads the texts, until it is killed.
        with connection.cursor() as cursor:
            cursor.execute("LOCK TABLE drafts_provisiontext IN ACCESS EXCLUSIVE MODE")
        worker = start_worker_process(settings, "doomed", tmp_path / "worker.log")
        try:
            claimed = wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "running", seconds=60)
        finally:
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
    assert claimed, (tmp_path / "worker.log").read_text()
    assert worker.returncode == -signal.SIGKILL
    assert forget_unacknowledged_messages() == 1  # the killed worker's message (acks late), and nobody else's
    killed = Alignment.objects.get(pk=alignment.pk)
    assert (killed.status, killed.attempts) == ("running", 1)
    # Nothing brings its message back now: the sweep finds the job by its stale heartbeat, and
    # the next worker takes it over.
    settings.BACKGROUND_JOB_STALE_SECONDS = 1
    assert wait_for(lambda: jobs.job_is_stale(Alignment.objects.get(pk=alignment.pk)), seconds=5)
    request.getfixturevalue("celery_worker")
    assert enqueue_now("config.jobs.background_jobs_sweep")
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done", seconds=30), vars(Alignment.objects.get(pk=alignment.pk))
    finished = Alignment.objects.get(pk=alignment.pk)
    assert (finished.attempts, finished.progress, finished.error) == (2, 1.0, "")
    assert finished.changes.filter(level="article", kind="renumbered").exists()


def test_a_job_whose_workers_keep_dying_ends_failed_by_the_sweep(celery_worker, settings, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(new_version=second)
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done")
    # Three workers claimed it and died, each leaving it RUNNING with a stale heartbeat.
    Alignment.objects.filter(pk=alignment.pk).update(status="pending", attempts=0)
    settings.BACKGROUND_JOB_STALE_SECONDS = 1
    for _attempt in range(Alignment.max_attempts):
        jobs.job_claim(Alignment, job_id=alignment.pk)
        Alignment.objects.filter(pk=alignment.pk).update(heartbeat_at=timezone.now() - datetime.timedelta(seconds=2))
    assert enqueue_now("config.jobs.background_jobs_sweep")
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "failed")
    failed = Alignment.objects.get(pk=alignment.pk)
    assert failed.attempts == Alignment.max_attempts and failed.error.startswith("Gave up after 3 attempts.")
    time.sleep(1.5)  # another sweep leaves a failed job alone
    assert enqueue_now("config.jobs.background_jobs_sweep")
    time.sleep(1)
    assert Alignment.objects.get(pk=alignment.pk).status == "failed"


def test_an_admin_retries_a_failed_alignment_and_the_worker_computes_it(celery_worker, admin_client, document, make_version):
    make_version(document, texts={"en": V1})
    second = make_version(document, texts={"en": V2}, publish=False)
    alignment = Alignment.objects.get(new_version=second)
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done")
    alignment.changes.all().delete()
    Alignment.objects.filter(pk=alignment.pk).update(status="failed", attempts=3, error="MemoryError: the aligner ran out of memory")
    listing = admin_client.get("/admin/drafts/alignment/?status=failed").content.decode()
    assert "MemoryError: the aligner ran out of memory" in listing and "retry_selected" in listing
    response = admin_client.post("/admin/drafts/alignment/", {"action": "retry_selected", "_selected_action": [alignment.pk]})
    assert response.status_code == 302
    assert wait_for(lambda: Alignment.objects.get(pk=alignment.pk).status == "done")
    retried = Alignment.objects.get(pk=alignment.pk)
    assert (retried.attempts, retried.error) == (1, "") and retried.changes.filter(level="article").exists()


def test_reading_a_comparison_never_queues_work(client, demo, make_version):
    """Neither the page nor the API, for a failed comparison or one that nobody requested."""
    from tests.comments.test_carried_forward import draft_2_text

    constitution = demo.documents.get(slug="constitution")
    make_version(constitution, texts={"en": draft_2_text()})
    Alignment.objects.filter(new_version__document=constitution, old_version__number=0, new_version__number=1).update(
        status="failed", error="MemoryError: "
    )
    Alignment.objects.filter(new_version__document=constitution, old_version__number=0, new_version__number=2).delete()
    app.control.purge()
    before = sorted(Alignment.objects.values_list("pk", "status", "attempts"))
    for url, status in (
        ("/c/tarvania-2026/constitution/compare/v0-v1/", 200),
        ("/c/tarvania-2026/constitution/compare/v0-v2/", 200),
        ("/c/tarvania-2026/constitution/compare/v0-v1/?kind=moved", 200),
        ("/api/v1/documents/constitution/comparison/?old=0&new=1", 409),
        ("/api/v1/documents/constitution/comparison/?old=0&new=2", 409),
    ):
        assert client.get(url).status_code == status, url
    assert sorted(Alignment.objects.values_list("pk", "status", "attempts")) == before
    assert broker_queue_length() == 0
