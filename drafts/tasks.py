"""Celery tasks of the drafts app: thin callers of services, taking ids.

Addressed by name (config.tasks.enqueue_on_commit), never imported by the services. Safe to run
twice and under acks_late: the service claims the job first (config.jobs), so a redelivered or
swept message computes nothing that is done, failed, or held by a live worker.
"""
from celery import shared_task

from drafts import services


@shared_task(acks_late=True)
def alignment_compute(alignment_id: int) -> str | None:
    """Align two versions in the background; the Alignment row carries status, progress and heartbeat."""
    alignment = services.alignment_run(alignment_id=alignment_id)
    return alignment.status if alignment else None
