"""Receipt e-mails through a real Celery worker and Redis, and the outbox when the broker is down."""
import time

import pytest
from django.core import mail
from kombu import pools

from comments import services, tasks
from comments.models import Comment, OutboxEmail
from config.celery_app import app

pytestmark = pytest.mark.django_db(transaction=True)


from tests.conftest import wait_for as _wait_for


def test_the_worker_sends_the_receipt_email(celery_worker, aigerim, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Via the worker.", stance="support", language="en")
    assert _wait_for(lambda: len(mail.outbox) == 1)
    assert comment.receipt.number in mail.outbox[0].subject
    assert OutboxEmail.objects.get().sent_at is not None


def test_a_comment_is_accepted_while_the_broker_is_down_and_mailed_later(aigerim, draft_provision, celery_worker):
    broker = app.conf.broker_url
    _point_broker_at("redis://127.0.0.1:9/0")  # nothing listens there: Redis is "down" for publishing
    try:
        started = time.monotonic()
        comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Broker down.", stance="support", language="en")
        assert time.monotonic() - started < 10  # the request did not hang on the broker
    finally:
        _point_broker_at(broker)
    assert Comment.objects.filter(pk=comment.pk).exists() and comment.receipt.number
    assert OutboxEmail.objects.get().sent_at is None and mail.outbox == []
    assert tasks.outbox_sweep() == 1  # the periodic sweep queues what was missed
    assert _wait_for(lambda: len(mail.outbox) == 1)


def test_a_burst_of_comments_queues_one_sweep(aigerim, draft_provision):
    from django.core.cache import cache

    app.control.purge()
    try:
        for n in range(5):
            services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Burst {n}.", stance="support", language="en")
        assert _queued() == ["comments.tasks.outbox_sweep"]
        assert tasks.outbox_sweep() == 5  # run here, as the worker would: one send per e-mail
        assert cache.get(services.OUTBOX_SWEEP_REQUESTED) is None
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="After.", stance="support", language="en")
        queued = _queued()
        assert queued.count("comments.tasks.outbox_email_send") == 5 and queued[-1] == "comments.tasks.outbox_sweep"
    finally:
        app.control.purge()


def _queued() -> list[str]:
    """The names of the tasks waiting in the broker's default queue, oldest first (no worker runs here)."""
    import json

    with app.connection_for_read() as connection:
        client = connection.default_channel.client
        return [json.loads(message)["headers"]["task"] for message in reversed(client.lrange("celery", 0, -1))]


def _point_broker_at(url):
    """Make the app publish to `url` from now on (drops its cached connection and producer pools)."""
    app.conf.broker_url = url
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
