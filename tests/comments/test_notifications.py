"""Receipt e-mails through the outbox: a real Celery worker and Redis, an SMTP server that refuses, a broker that is down."""
import socket
import threading
import time

import pytest
from django.core import mail
from django.core.cache import cache
from django.utils import timezone
from kombu import pools

from comments import services, tasks
from comments.models import Comment, OutboxEmail
from comments.notifications import services as notifications
from config.celery_app import app
from config.redis_breaker import breakers
from tests.conftest import wait_for

pytestmark = pytest.mark.django_db(transaction=True)


def _submit(user, provision, body="A point.", language="en"):
    return services.comment_submit(author=user, provision_id=provision.pk, body=body, stance="support", language=language)


@pytest.fixture
def refusing_smtp(settings):
    """A real SMTP server on a spare port that answers every connection with 554 (service refused).

    Django's SMTP backend talks to it as to any server; nothing of ours is replaced.
    """
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve():
        while not stop.is_set():
            try:
                connection, _address = listener.accept()
            except OSError:
                continue
            with connection:
                connection.sendall(b"554 5.3.2 Service refused for this test\r\n")

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", listener.getsockname()[1], 5
    settings.OUTBOX_MAX_ATTEMPTS, settings.OUTBOX_RETRY_DELAY_SECONDS = 3, 0.2
    yield
    stop.set()
    thread.join(timeout=2)
    listener.close()


def test_the_worker_sends_the_receipt_email(celery_worker, aigerim, draft_provision):
    comment = _submit(aigerim, draft_provision, "Via the worker.")
    assert wait_for(lambda: len(mail.outbox) == 1)
    assert comment.receipt.number in mail.outbox[0].subject
    assert wait_for(lambda: OutboxEmail.objects.get().sent_at is not None)  # marked sent just after the SMTP server took it
    email = OutboxEmail.objects.get()
    assert email.sent_at is not None and email.attempts == 1 and email.state == "sent"


def test_sending_twice_sends_once(aigerim, draft_provision):
    _submit(aigerim, draft_provision)
    outbox_id = OutboxEmail.objects.get().pk
    assert notifications.outbox_email_deliver(outbox_id=outbox_id) == "sent"
    assert notifications.outbox_email_deliver(outbox_id=outbox_id) == "skipped"  # a task delivered twice
    assert len(mail.outbox) == 1 and OutboxEmail.objects.get().attempts == 1


def test_the_receipt_email_is_written_in_the_comments_language(aigerim, draft_provision):
    _submit(aigerim, draft_provision, "Слишком расплывчато.", language="ru")
    notifications.outbox_email_deliver(outbox_id=OutboxEmail.objects.get().pk)
    assert mail.outbox[0].subject.startswith("Ваш комментарий получен: TARVANIA-2026-")


def test_the_receipt_email_links_the_receipt_by_its_absolute_address(aigerim, draft_provision, settings):
    settings.SITE_URL = "https://consult.example.org/"
    comment = _submit(aigerim, draft_provision)
    notifications.outbox_email_deliver(outbox_id=OutboxEmail.objects.get().pk)
    assert f"https://consult.example.org/receipts/{comment.receipt.number}/" in mail.outbox[0].body


def test_a_refusing_smtp_server_ends_in_failed_after_bounded_retries(celery_worker, refusing_smtp, aigerim, draft_provision):
    comment = _submit(aigerim, draft_provision, "Nobody will mail this.")
    assert wait_for(lambda: OutboxEmail.objects.get().failed_at is not None, seconds=20)
    time.sleep(0.5)  # a further attempt, if there were one, would have been counted by now
    email = OutboxEmail.objects.get()
    assert email.state == "failed" and email.attempts == 3 and email.sent_at is None
    assert "SMTP" in email.last_error and "554" in email.last_error
    assert Comment.objects.filter(pk=comment.pk).exists()  # the comment never depended on its e-mail
    assert tasks.outbox_sweep() == 0  # a failed e-mail is not queued again by the sweep


def test_each_attempt_is_counted_although_sending_failed(refusing_smtp, aigerim, draft_provision):
    _submit(aigerim, draft_provision)
    email = OutboxEmail.objects.get()
    assert notifications.outbox_email_deliver(outbox_id=email.pk) == "retry"
    email.refresh_from_db()
    assert email.attempts == 1 and email.failed_at is None and email.next_attempt_at > timezone.now()
    assert "554" in email.last_error
    assert notifications.outbox_email_deliver(outbox_id=email.pk) == "skipped"  # not due before its delay
    time.sleep(0.25)
    assert notifications.outbox_email_deliver(outbox_id=email.pk) == "retry"
    time.sleep(0.45)
    assert notifications.outbox_email_deliver(outbox_id=email.pk) == "failed"
    email.refresh_from_db()
    assert email.attempts == 3 and email.failed_at is not None


def test_an_admin_tries_a_failed_email_again(celery_worker, client, aigerim, draft_provision):
    from django.contrib.auth import get_user_model

    _submit(aigerim, draft_provision)
    email = OutboxEmail.objects.get()
    OutboxEmail.objects.filter(pk=email.pk).update(attempts=6, failed_at=timezone.now(), last_error="SMTPConnectError: 554")
    admin = get_user_model().objects.create_superuser("root", "root@example.org", "pw")
    client.force_login(admin)
    listing = client.get("/admin/comments/outboxemail/?state=failed")
    assert listing.status_code == 200 and b"SMTPConnectError: 554" in listing.content
    response = client.post("/admin/comments/outboxemail/", {"action": "retry", "_selected_action": [email.pk]}, follow=True)
    assert b"1 failed e-mail will be tried again" in response.content
    assert wait_for(lambda: OutboxEmail.objects.get().sent_at is not None)
    assert OutboxEmail.objects.get().attempts == 1 and len(mail.outbox) == 1


def test_a_comment_is_accepted_while_the_broker_is_down_and_mailed_later(aigerim, draft_provision, celery_worker):
    broker = app.conf.broker_url
    _point_broker_at("redis://127.0.0.1:9/0")  # nothing listens there: Redis is "down" for publishing
    try:
        started = time.monotonic()
        comment = _submit(aigerim, draft_provision, "Broker down.")
        assert time.monotonic() - started < 10  # the request did not hang on the broker
    finally:
        _point_broker_at(broker)
    assert Comment.objects.filter(pk=comment.pk).exists() and comment.receipt.number
    assert OutboxEmail.objects.get().sent_at is None and mail.outbox == []
    assert tasks.outbox_sweep() == 0  # the broker failed moments ago: not tried again for a few seconds
    breakers["broker"].reset()  # those seconds have passed (beat sweeps every minute)
    assert tasks.outbox_sweep() == 1  # the periodic sweep queues what was missed
    assert wait_for(lambda: len(mail.outbox) == 1)


def test_a_burst_of_comments_queues_one_sweep(aigerim, draft_provision):
    app.control.purge()
    try:
        for n in range(5):
            _submit(aigerim, draft_provision, f"Burst {n}.")
        assert _queued() == ["comments.tasks.outbox_sweep", "comments.tasks.campaigns_sweep"]
        assert tasks.outbox_sweep() == 5  # run here, as the worker would: one send per e-mail
        assert cache.get(notifications.OUTBOX_SWEEP_REQUESTED) is None
        _submit(aigerim, draft_provision, "After.")
        queued = _queued()
        assert queued.count("comments.tasks.outbox_email_send") == 5 and queued[-1] == "comments.tasks.outbox_sweep"
        assert queued.count("comments.tasks.campaigns_sweep") == 1  # still waiting: it was not run here
    finally:
        app.control.purge()


def test_a_backlog_is_queued_once_however_often_the_sweep_runs(aigerim, draft_provision):
    """While a backlog drains, beat sweeps every minute and comments ask for sweeps: each e-mail is queued
    once (4,761 tasks for 2,830 e-mails before), and again only when its task counts as lost."""
    app.control.purge()
    try:
        for n in range(4):
            _submit(aigerim, draft_provision, f"Backlog {n}.")
        app.control.purge()  # the sweep the comments asked for: run here instead, three times over
        assert [tasks.outbox_sweep() for _sweep in range(3)] == [4, 0, 0]
        assert _queued().count("comments.tasks.outbox_email_send") == 4
        OutboxEmail.objects.update(queued_until=timezone.now() - timezone.timedelta(seconds=1))  # the tasks were lost
        assert tasks.outbox_sweep() == 4
        assert _queued().count("comments.tasks.outbox_email_send") == 8
    finally:
        app.control.purge()


def _queued() -> list[str]:
    """The names of the tasks waiting in the broker's default queue, oldest first (no worker runs here)."""
    import json

    with app.connection_for_read() as connection:
        client = connection.default_channel.client
        return [json.loads(message)["headers"]["task"] for message in reversed(client.lrange(app.conf.task_default_queue, 0, -1))]


def _point_broker_at(url):
    """Make the app publish to `url` from now on (drops its cached connection and producer pools)."""
    app.conf.broker_url = url
    app.pool.force_close_all()
    app._pool = None
    app.amqp._producer_pool = None
    pools.reset()
