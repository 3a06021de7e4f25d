"""Queueing background work by task name, after commit: services never import their tasks.

The shape of Zulip's `queue_event_on_commit`: a service says what should happen
(`enqueue_on_commit("drafts.tasks.alignment_compute", alignment_id=7)`) and the task is
published only once the service's transaction has committed, so a worker never reads a
row that is not there yet, and a rolled-back service queues nothing.

Publishing must never fail or hang a request: with the broker down the error is logged
and the work waits for whatever catches it up (a periodic sweep, an admin's retry). Every
job the platform queues has such a path; see config/jobs.py.
"""
from __future__ import annotations

import logging

from django.db import transaction

from config.redis_breaker import breakers

logger = logging.getLogger(__name__)


def enqueue_on_commit(task_name: str, /, *, countdown: float | None = None, **ids: int) -> None:
    """After the current transaction commits (at once outside one), queue `task_name` with `ids` as keyword arguments.

    Arguments are ids, never model instances: the task re-reads what it needs.
    """
    transaction.on_commit(lambda: enqueue_now(task_name, countdown=countdown, **ids))


def enqueue_now(task_name: str, /, *, countdown: float | None = None, **ids: int) -> bool:
    """Queue `task_name` now; False (logged, not raised) when the broker cannot be reached.

    After a failure the broker is not tried again for a few seconds (config.redis_breaker): a frozen
    Redis costs one request its timeout, not every request.
    """
    if breakers["broker"].is_open():
        logger.warning("Could not queue %s: the broker failed moments ago; it will be caught up later", task_name)
        return False
    try:
        task_by_name(task_name).apply_async(kwargs=ids, countdown=countdown, retry=False)
    except Exception:  # the broker being down must never fail the caller
        breakers["broker"].trip()
        logger.warning("Could not queue %s(%s); it will be caught up later", task_name, ids, exc_info=True)
        return False
    return True


def task_by_name(task_name: str):
    """The registered task (apply_async, unlike send_task, honours CELERY_TASK_ALWAYS_EAGER in `make run`)."""
    from config.celery_app import app

    if task_name not in app.tasks:
        app.loader.import_default_modules()  # the apps' tasks modules, as a worker imports them at start
    return app.tasks[task_name]
