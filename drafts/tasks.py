"""Celery tasks of the drafts app: thin callers of services, taking ids."""
from celery import shared_task

from drafts import services


@shared_task(acks_late=True)
def alignment_compute(alignment_id: int) -> str | None:
    """Align two versions in the background; the Alignment row carries status and progress."""
    alignment = services.alignment_run(alignment_id=alignment_id)
    return alignment.status if alignment else None
