"""Sending the outbox: receipt e-mails (and later, any e-mail about comments), bounded and visible when they fail.

Each attempt is counted in its own transaction before anything is sent, and the e-mail is sent
outside any transaction: a crash or an SMTP error can never roll the count back, so an e-mail is
tried at most settings.OUTBOX_MAX_ATTEMPTS times, with a growing delay between attempts, and then
marked failed with its last error (shown in the admin, where it can be tried again).
"""
from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments.models import Comment, OutboxEmail
from comments.notifications import selectors
from config.tasks import enqueue_now, enqueue_on_commit

logger = logging.getLogger(__name__)

OUTBOX_SWEEP_REQUESTED = "comments:outbox-sweep-requested"
OUTBOX_SWEEP_DELAY_SECONDS = 1  # e-mails committed meanwhile go out with the same sweep
OUTBOX_SWEEP_REQUEST_TIMEOUT = 30  # a lost sweep blocks new requests at most this long (beat sweeps every minute)
SEND_TASK = "comments.tasks.outbox_email_send"
SWEEP_TASK = "comments.tasks.outbox_sweep"


def outbox_send_soon() -> None:
    """After commit, have a worker send the outbox in about a second (the task outbox_sweep).

    At most one sweep waits at a time: a burst of comments costs one task, and a request pays one
    Redis SET NX instead of a Celery publish. A sweep clears the flag before it reads the outbox, so
    every e-mail committed before the flag was seen set is read by the sweep waiting behind it.
    If Redis or the broker is down, the periodic sweep sends the e-mail later.
    """

    def request_sweep() -> None:
        if cache.add(OUTBOX_SWEEP_REQUESTED, True, timeout=OUTBOX_SWEEP_REQUEST_TIMEOUT) and not enqueue_now(
            SWEEP_TASK, countdown=OUTBOX_SWEEP_DELAY_SECONDS
        ):
            cache.delete(OUTBOX_SWEEP_REQUESTED)

    transaction.on_commit(request_sweep)


def outbox_emails_add(*, emails: list[tuple[str, str, str]]) -> int:
    """Write e-mails (to, subject, body) to the outbox in the caller's transaction; a worker sends them after commit.

    Each row is sent at most once (outbox_email_deliver), so a task delivered twice sends nothing twice.
    """
    OutboxEmail.objects.bulk_create([OutboxEmail(to=to, subject=subject, body=body) for to, subject, body in emails])
    if emails:
        outbox_send_soon()
    return len(emails)


def outbox_sweep() -> int:
    """Queue the sending of every e-mail that is due; the number queued.

    Requested after comments (outbox_send_soon), and run every minute by beat for what a broker
    outage, a lost task or a dead worker left behind. The flag is cleared before the outbox is read.
    """
    cache.delete(OUTBOX_SWEEP_REQUESTED)
    due = selectors.outbox_due()
    for outbox_id in due:
        enqueue_now(SEND_TASK, outbox_id=outbox_id)
    return len(due)


def outbox_email_deliver(*, outbox_id: int) -> str:
    """Try to send one outbox e-mail: "sent", "retry" (failed, tried again later), "failed" (given up) or "skipped"
    (already sent, given up, not due yet, or being sent by another worker). Safe to run twice.
    """
    email = _attempt_begin(outbox_id)
    if email is None:
        return "skipped"
    try:
        subject, body = _message(email)
        send_mail(subject, body, None, [email.to])
    except Exception as error:  # SMTP refusing, the network, a template: all are counted and shown
        return _attempt_failed(email, error)
    OutboxEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now(), subject=subject, body=body, next_attempt_at=None)
    return "sent"


def outbox_email_retry(*, outbox_ids: list[int]) -> int:
    """An admin tries failed e-mails again, with a fresh count of attempts; the number requeued."""
    with transaction.atomic():
        ids = list(
            OutboxEmail.objects.select_for_update().filter(pk__in=outbox_ids, sent_at__isnull=True, failed_at__isnull=False)
            .values_list("pk", flat=True)
        )
        OutboxEmail.objects.filter(pk__in=ids).update(failed_at=None, attempts=0, next_attempt_at=None)
        for outbox_id in ids:
            enqueue_on_commit(SEND_TASK, outbox_id=outbox_id)
    return len(ids)


def retry_delay(attempts: int) -> timedelta:
    """How long to wait after the `attempts`-th failed attempt: doubling from OUTBOX_RETRY_DELAY_SECONDS, at most a day."""
    seconds = settings.OUTBOX_RETRY_DELAY_SECONDS * 2 ** max(0, attempts - 1)
    return timedelta(seconds=min(seconds, 24 * 3600))


def _attempt_begin(outbox_id: int) -> OutboxEmail | None:
    """Count an attempt, in a transaction of its own, and hold the e-mail until the retry delay has passed
    (so that no other worker sends it meanwhile; if this one dies, the sweep finds it due again)."""
    now = timezone.now()
    with transaction.atomic():
        email = (
            OutboxEmail.objects.select_for_update(skip_locked=True)
            .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now), pk=outbox_id, sent_at__isnull=True, failed_at__isnull=True)
            .first()
        )
        if email is None:
            return None
        email.attempts += 1
        email.next_attempt_at = now + retry_delay(email.attempts)
        OutboxEmail.objects.filter(pk=email.pk).update(attempts=F("attempts") + 1, next_attempt_at=email.next_attempt_at)
    return email


def _attempt_failed(email: OutboxEmail, error: Exception) -> str:
    message = f"{type(error).__name__}: {error}"[:2000]
    if email.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
        OutboxEmail.objects.filter(pk=email.pk).update(last_error=message, failed_at=timezone.now(), next_attempt_at=None)
        logger.error("E-mail %s failed after %s attempts: %s", email.pk, email.attempts, message)
        return "failed"
    OutboxEmail.objects.filter(pk=email.pk).update(last_error=message)
    logger.warning("E-mail %s: attempt %s failed, trying again at %s: %s", email.pk, email.attempts, email.next_attempt_at, message)
    enqueue_now(SEND_TASK, countdown=(email.next_attempt_at - timezone.now()).total_seconds(), outbox_id=email.pk)
    return "retry"


def _message(email: OutboxEmail) -> tuple[str, str]:
    if not email.comment_id:
        return email.subject, email.body
    comment = Comment.objects.select_related("receipt", "provision", "version__document").get(pk=email.comment_id)
    with translation.override(_interface_language(comment.language)):
        return _receipt_message(comment)


def _interface_language(language: str) -> str:
    """The comment's language where the interface speaks it, else the site's default."""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def _receipt_message(comment: Comment) -> tuple[str, str]:
    """Subject and body of the receipt e-mail, rendered when it is sent (not inside the comment's transaction)."""
    receipt = comment.receipt
    subject = _("Your comment was received: %(number)s") % {"number": receipt.number}
    body = _(
        "Thank you for your comment on %(provision)s (%(path)s) of %(document)s, %(version)s.\n\n"
        "Tracking number: %(number)s\nReceipt hash: %(hash)s\n\n"
        "Anyone can check this receipt at /receipts/%(number)s/ on the consultation site."
    ) % {
        "provision": comment.provision, "path": comment.provision.path, "document": comment.version.document.title,
        "version": comment.version.label, "number": receipt.number, "hash": receipt.chain_hash,
    }
    return subject, body
