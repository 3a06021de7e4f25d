"""Sending the outbox (receipt e-mails, decision notices, notices of new versions), bounded and visible when they fail.

Each attempt is counted in its own transaction before anything is sent, and the e-mail is sent
outside any transaction: a crash or an SMTP error can never roll the count back, so an e-mail is
tried at most settings.OUTBOX_MAX_ATTEMPTS times, with a growing delay between attempts, and then
marked failed with its last error (shown in the admin, where it can be tried again).
"""
from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.core.mail import send_mail
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from comments.models import Comment, OutboxEmail, VersionNotices
from comments.notifications import selectors
from config import jobs
from config.tasks import enqueue_now, enqueue_on_commit
from drafts.models import Alignment, DraftVersion

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


def outbox_emails_add(*, emails: Sequence[tuple[str, str, str] | tuple[str, str, str, str]]) -> int:
    """Write e-mails (to, subject, body[, key]) to the outbox in the caller's transaction; a worker sends them
    after commit. The number of e-mails written.

    Each row is sent at most once (outbox_email_deliver), so a task delivered twice sends nothing twice.
    An e-mail with a key (what it announces to whom, e.g. "decision:41:user:7") is written once ever:
    one whose key the outbox already holds is skipped, and the unique constraint on the key settles two
    writers racing (ON CONFLICT DO NOTHING). So a cause processed twice announces itself once.
    """
    rows = [OutboxEmail(to=email[0], subject=email[1], body=email[2], key=email[3] if len(email) > 3 else None) for email in emails]
    keys = [row.key for row in rows if row.key]
    if keys:
        taken = set(OutboxEmail.objects.filter(key__in=keys).values_list("key", flat=True))
        rows = [row for row in rows if row.key not in taken]
    OutboxEmail.objects.bulk_create(rows, ignore_conflicts=bool(keys))
    if rows:
        outbox_send_soon()
    return len(rows)


def site_url(path: str) -> str:
    """An absolute address on the site (settings.SITE_URL) for a path, for links in e-mails."""
    return settings.SITE_URL.rstrip("/") + path


# A queued send task that has not run after this long counts as lost, and the sweep queues the e-mail again.
OUTBOX_QUEUE_LEASE = timedelta(minutes=10)
_SWEEP_BATCH = 5000


def outbox_sweep(*, all_pending: bool = False) -> int:
    """Queue the sending of every e-mail that is due, each once; the number queued.

    Requested after comments (outbox_send_soon), and run every minute by beat for what a broker
    outage, a lost task or a dead worker left behind. The flag is cleared before the outbox is read.
    Each e-mail queued is marked queued for OUTBOX_QUEUE_LEASE, so that the next sweeps, which run
    while a backlog drains, do not queue it again; one the broker refused is unmarked at once. With
    `all_pending` (a worker starting) the marks are ignored: every pending e-mail is queued again.
    """
    cache.delete(OUTBOX_SWEEP_REQUESTED)
    with transaction.atomic():
        due = list(
            selectors.outbox_due_queryset(ignore_leases=all_pending).select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[:_SWEEP_BATCH]
        )
        OutboxEmail.objects.filter(pk__in=due).update(queued_until=timezone.now() + OUTBOX_QUEUE_LEASE)
    refused = [outbox_id for outbox_id in due if not enqueue_now(SEND_TASK, outbox_id=outbox_id)]
    if refused:
        OutboxEmail.objects.filter(pk__in=refused).update(queued_until=None)
    return len(due) - len(refused)


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
        OutboxEmail.objects.filter(pk__in=ids).update(
            failed_at=None, attempts=0, next_attempt_at=None, queued_until=timezone.now() + OUTBOX_QUEUE_LEASE
        )
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
    if enqueue_now(SEND_TASK, countdown=(email.next_attempt_at - timezone.now()).total_seconds(), outbox_id=email.pk):
        # Its retry is queued: the sweeps leave it alone until that task is due and had time to run.
        OutboxEmail.objects.filter(pk=email.pk).update(queued_until=email.next_attempt_at + OUTBOX_QUEUE_LEASE)
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
        "Anyone can check this receipt at %(url)s"
    ) % {
        "provision": comment.provision, "path": comment.provision.path, "document": comment.version.document.title,
        "version": comment.version.local_label, "number": receipt.number, "hash": receipt.chain_hash,
        "url": site_url(reverse("receipt-detail", args=[receipt.number])),
    }
    return subject, body


# --- notices of a new version ------------------------------------------------------------------------


def version_notices_request(*, version: DraftVersion, alignment: Alignment | None) -> VersionNotices | None:
    """In the transaction that publishes `version` (drafts.signals.version_published): if anyone may be told
    of it, record the job of telling them and queue it after commit. Nothing for a first version.

    The row commits with the publication, so a broker that is down delays the notices (config.jobs sweeps
    pending jobs) and never loses them; a publication that rolls back tells no one.
    """
    if alignment is None or not selectors.version_has_audience(version=version):
        return None
    job, created = VersionNotices.objects.get_or_create(version=version, defaults={"alignment": alignment})
    if created:
        jobs.job_enqueue(job)
    return job


def version_notices_run(*, job_id: int) -> VersionNotices | None:
    """Write the notices of a new version to the outbox, if config.jobs lets this caller claim the job.

    The e-mails are written in the transaction that finishes the job, each under its key
    ("version:<id>:user:<id>"): a job run again (taken over after its worker died, or a message
    delivered twice) writes nothing twice. The outbox sends them after commit.
    """
    job = jobs.job_claim(VersionNotices, job_id=job_id)
    if job is None:
        return VersionNotices.objects.filter(pk=job_id).first()
    try:
        emails = version_notice_emails(version_id=job.version_id, alignment_id=job.alignment_id)
        with transaction.atomic():
            jobs.job_finish(job)
            written = outbox_emails_add(emails=emails)
            VersionNotices.objects.filter(pk=job.pk).update(emails=written)
    except jobs.JobLost:
        logger.warning("Notices of version %s were taken over by another worker; this attempt's e-mails are dropped", job.version_id)
    except Exception as error:
        jobs.job_fail(job, error=error, transient=isinstance(error, (OperationalError, InterfaceError)))
        raise
    return VersionNotices.objects.filter(pk=job_id).first()


def version_notice_emails(*, version_id: int, alignment_id: int) -> list[tuple[str, str, str, str]]:
    """The notices of a new version as keyed e-mails (to, subject, body, key): one per person, in their language.
    Writes nothing."""
    audience = selectors.version_notices_for(version_id=version_id, alignment_id=alignment_id)
    return [
        (notice.email, *_version_notice_message(audience, notice), f"version:{version_id}:user:{notice.user_id}")
        for notice in audience.notices
    ]


def _version_notice_message(audience: selectors.NewVersionNotices, notice: selectors.VersionNotice) -> tuple[str, str]:
    version, alignment, slug = audience.version, audience.alignment, audience.consultation_slug
    document = version.document

    def provision_url(provision, consultation_slug=slug) -> str:
        if provision is None or consultation_slug is None:
            return ""
        return site_url(reverse("provision-detail", args=[consultation_slug, document.slug, version.number, provision.path]))

    followed = [{"fate": fate, "url": provision_url(fate.continued_by)} for fate in notice.followed]
    comments = [
        {
            "item": item,
            "url": provision_url(item.fate.continued_by, item.comment.consultation.slug),
            "receipt_url": site_url(reverse("receipt-detail", args=[item.comment.receipt.number])) if hasattr(item.comment, "receipt") else "",
            "concerns": [
                {"concern": concern, "url": site_url(reverse("concern-detail", args=[item.comment.consultation.slug, concern.pk]))}
                for concern in item.concerns
            ],
        }
        for item in notice.comments
    ]
    context = {
        "version": version, "document": document, "old_version": alignment.old_version, "followed": followed, "comments": comments,
        "version_url": site_url(reverse("version-reader", args=[slug, document.slug, version.number])) if slug else "",
        "comparison_url": site_url(reverse("comparison", args=[slug, document.slug, alignment.old_version.number, version.number])) if slug else "",
        "profile_url": site_url(reverse("participant-profile")),
        "my_comments_url": site_url(reverse("my-comments")),
    }
    with translation.override(notice.language):
        subject = _("%(document)s: %(version)s is published") % {"document": document.title, "version": version.local_label}
        body = render_to_string("comments/emails/version_notice.txt", context)
    return subject[:300], body
