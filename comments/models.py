"""Public comments on provisions, their receipts (a hash chain), endorsements, reports and moderation.

Nothing here is ever deleted: moderation hides, authors withdraw, edits keep the previous text.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.models import Consultation, Participant
from drafts.models import LANGUAGE_CHOICES, DraftVersion, Lineage, Provision

BODY_MAX_LENGTH = 10_000
QUOTE_CONTEXT_LENGTH = 32


class CommentStance(models.TextChoices):
    SUPPORT = "support", _("Support")
    OPPOSE = "oppose", _("Oppose")
    PROPOSE_WORDING = "propose_wording", _("Propose wording")
    QUESTION = "question", _("Question")


class CommentStatus(models.TextChoices):
    PUBLISHED = "published", _("Published")
    HIDDEN = "hidden", _("Hidden by moderators")
    WITHDRAWN = "withdrawn", _("Withdrawn by the author")


WITHDRAWAL_RECORDED = (
    models.Q(status=CommentStatus.HIDDEN)
    | models.Q(status=CommentStatus.PUBLISHED, withdrawn_at__isnull=True)
    | models.Q(status=CommentStatus.WITHDRAWN, withdrawn_at__isnull=False)
)


class Comment(models.Model):
    Stance = CommentStance
    Status = CommentStatus

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="comments")
    version = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="comments")
    provision = models.ForeignKey(Provision, on_delete=models.PROTECT, related_name="comments")
    lineage = models.ForeignKey(
        Lineage, on_delete=models.PROTECT, related_name="comments",
        help_text=_("The provision's identity across versions, so the comment follows it into later drafts."),
    )
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="comments")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    is_official = models.BooleanField(default=False, help_text=_("A reply on behalf of the commission."))
    # What the public sees of the author, as it was when the comment was made.
    author_name = models.CharField(max_length=80)
    submitter_type = models.CharField(max_length=16, choices=Participant.SubmitterType.choices)
    organisation_name = models.CharField(max_length=200, blank=True)

    # A comment takes a position; a reply may or may not, and an official reply (the commission's answer) never does.
    stance = models.CharField(max_length=16, choices=Stance.choices, blank=True)
    body = models.TextField(max_length=BODY_MAX_LENGTH)
    proposed_wording = models.TextField(max_length=BODY_MAX_LENGTH, blank=True)
    language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES)
    quote_exact = models.TextField(blank=True)
    quote_prefix = models.CharField(max_length=QUOTE_CONTEXT_LENGTH, blank=True)
    quote_suffix = models.CharField(max_length=QUOTE_CONTEXT_LENGTH, blank=True)
    quote_start = models.PositiveIntegerField(null=True, blank=True)
    quote_end = models.PositiveIntegerField(null=True, blank=True)
    quote_language = models.CharField(max_length=8, choices=LANGUAGE_CHOICES, blank=True)

    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PUBLISHED)
    moderation_reason = models.CharField(max_length=500, blank=True)
    moderated_at = models.DateTimeField(null=True, blank=True)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    withdrawn_at = models.DateTimeField(null=True, blank=True)
    edited_at = models.DateTimeField(null=True, blank=True)
    endorsement_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ["-id"]
        # The full-text index (PostgreSQL only) is created in migration 0002.
        indexes = [
            # A provision's comments in each order, a page at any depth without sorting (the pages, the API):
            # newest and oldest scan the first index, most endorsed the second, backwards.
            models.Index(fields=["provision", "id"], name="comment_provision_newest"),
            models.Index(fields=["provision", "endorsement_count", "id"], name="comment_provision_endorsed"),
            # Counts per provision by status read from the index alone (comments.selectors.comment_counts_for_version).
            models.Index(fields=["version", "provision", "status"], name="comment_version_counts"),
            # A lineage's comments on earlier versions, without reading those on the current one (carried forward).
            models.Index(fields=["lineage", "version", "id"], name="comment_lineage_version"),
            models.Index(fields=["consultation", "id"], name="comment_consultation_id"),
        ]
        # Comments are written by raw SQL (comments.storage) that skips model validation: the database
        # itself refuses what the model would (migration 0005 adds them without a long lock).
        constraints = [
            models.CheckConstraint(
                condition=models.Q(quote_start__isnull=True) | models.Q(quote_end__gte=models.F("quote_start")),
                name="comment_quote_span_ordered",
            ),
            models.CheckConstraint(condition=models.Q(status__in=CommentStatus.values), name="comment_status_known"),
            models.CheckConstraint(
                condition=models.Q(stance__in=CommentStance.values) | (models.Q(stance="") & models.Q(parent__isnull=False)),
                name="comment_stance_known",
            ),
            models.CheckConstraint(
                condition=~models.Q(status=CommentStatus.HIDDEN) | ~models.Q(moderation_reason=""),
                name="comment_hidden_has_reason",
            ),
            # Withdrawn is recorded by withdrawn_at; the status is what the public sees, and a hidden comment
            # stays hidden when its author withdraws it (both shown): published never has it, withdrawn always.
            models.CheckConstraint(condition=WITHDRAWAL_RECORDED, name="comment_withdrawal_recorded"),
        ]

    def __str__(self) -> str:
        return f"Comment {self.pk} on {self.provision}"

    @property
    def is_visible(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_withdrawn(self) -> bool:
        """Withdrawn by its author, whether shown as withdrawn or still hidden by the moderators beside it."""
        return self.withdrawn_at is not None


class SubmissionKey(models.Model):
    """The Idempotency-Key a client sent with a comment (the API's header, the HTML form's hidden field).

    A comment can be committed while its client sees an error: the response lost on the way, the
    connection cut by a restart. The client sends it again with the same key and gets the receipt of
    the comment it already made instead of a second comment. Written in the comment's transaction;
    `request_hash` covers what was asked, so that a key sent again with other words is refused.
    """

    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    key = models.CharField(max_length=255)
    request_hash = models.CharField(max_length=64)
    comment = models.OneToOneField(Comment, on_delete=models.PROTECT, related_name="submission_key")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        # Two requests with one key, sent at once, make one comment: the second waits for the first's commit.
        constraints = [models.UniqueConstraint(fields=["author", "key"], name="submission_key_once_per_author")]

    def __str__(self) -> str:
        return f"Key {self.key} of comment {self.comment_id}"


class CommentRevision(models.Model):
    """A previous text of an edited comment, kept for the record."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="revisions")
    body = models.TextField()
    proposed_wording = models.TextField(blank=True)
    stance = models.CharField(max_length=16, choices=Comment.Stance.choices, blank=True)
    replaced_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class ReceiptChain(models.Model):
    """The head of one consultation's receipt chain; its row lock serialises appends."""

    consultation = models.OneToOneField(Consultation, on_delete=models.PROTECT, related_name="receipt_chain")
    length = models.PositiveBigIntegerField(default=0)
    head_hash = models.CharField(max_length=64)


class Receipt(models.Model):
    """A link of a consultation's public record: a public number and a place in an append-only hash chain.

    `kind` says what entered the record and the matching column points at it (a comment today; a
    decision on a concern next). chain_hash = SHA-256(previous_hash | content_hash | sequence), and
    content_hash covers the record as it entered, in the payload format the link names
    (comments/receipts.py). Anyone can re-walk the chain through the API. Links are appended only by
    comments.chain (one place for the lock and the hashing).
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Comment")
        DECISION = "decision", _("Decision on a concern")

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="receipts")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    comment = models.OneToOneField(Comment, null=True, blank=True, on_delete=models.PROTECT, related_name="receipt")
    decision = models.OneToOneField(
        "comments.ConcernEvent", null=True, blank=True, on_delete=models.PROTECT, related_name="receipt"
    )
    payload_format = models.PositiveSmallIntegerField(default=1, help_text=_("The version of what content_hash covers."))
    sequence = models.PositiveBigIntegerField()
    number = models.CharField(max_length=120, unique=True)
    content_hash = models.CharField(max_length=64)
    previous_hash = models.CharField(max_length=64)
    chain_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["consultation_id", "sequence"]
        constraints = [
            models.UniqueConstraint(fields=["consultation", "sequence"], name="receipt_unique_sequence"),
            models.CheckConstraint(
                condition=~models.Q(kind="comment") | models.Q(comment__isnull=False), name="receipt_comment_has_comment"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="decision") | models.Q(decision__isnull=False), name="receipt_decision_has_event"
            ),
        ]

    def __str__(self) -> str:
        return self.number


class Endorsement(models.Model):
    """A signed-in user's "+1" on a comment, at most one per user and comment."""

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="endorsements")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="endorsements")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["comment", "user"], name="endorsement_once")]


class Report(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("Open")
        DISMISSED = "dismissed", _("Dismissed")
        ACTIONED = "actioned", _("Comment hidden")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="reports")
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(max_length=1000)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.OPEN)
    created_at = models.DateTimeField(auto_now_add=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    class Meta:
        ordering = ["id"]
        constraints = [models.UniqueConstraint(fields=["comment", "reporter"], name="report_once_per_reporter")]


class ModerationEvent(models.Model):
    """The audit trail of moderation: who did what to which comment, and why."""

    class Action(models.TextChoices):
        HIDE = "hide", _("Hidden")
        RESTORE = "restore", _("Restored")
        DISMISS_REPORTS = "dismiss", _("Reports dismissed")

    comment = models.ForeignKey(Comment, on_delete=models.PROTECT, related_name="moderation_events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    action = models.CharField(max_length=16, choices=Action.choices)
    reason = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class OutboxEmail(models.Model):
    """An e-mail to send, written in the same transaction as what caused it.

    A Celery task sends it after commit; if Redis or the worker is down, the periodic sweep sends it
    later. The comment never waits for, or depends on, the e-mail. Each attempt is counted in its own
    transaction before sending; a failed one is tried again after a growing delay, a bounded number
    of times (settings.OUTBOX_MAX_ATTEMPTS), then the e-mail is marked failed with its last error.
    """

    to = models.EmailField()
    comment = models.ForeignKey(
        Comment, null=True, blank=True, on_delete=models.PROTECT, related_name="+",
        help_text=_("For a receipt e-mail: rendered from the comment when it is sent."),
    )
    subject = models.CharField(max_length=300, blank=True)
    body = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True, db_index=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Not tried again before this (the delay after a failed attempt).")
    )
    last_error = models.TextField(blank=True)
    failed_at = models.DateTimeField(null=True, blank=True, help_text=_("Given up after the last allowed attempt."))
    queued_until = models.DateTimeField(
        null=True, blank=True,
        help_text=_("A send task is queued for it: the sweep does not queue it again before this (then it counts as lost)."),
    )
    key = models.CharField(
        max_length=200, null=True, blank=True,
        help_text=_('What the e-mail announces, to whom (e.g. "version:12:user:7"): written once, however often its cause is processed.'),
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(
                fields=["id"], name="outbox_pending",
                condition=models.Q(sent_at__isnull=True, failed_at__isnull=True),
            ),
        ]
        # A notice written twice (a task run twice, a job taken over) is one row: inserts skip a taken key.
        # Receipt e-mails have no key (NULLs never collide). Added without a long lock by migration 0013.
        constraints = [models.UniqueConstraint(fields=["key"], name="outbox_unique_key")]

    def __str__(self) -> str:
        return f"E-mail {self.pk} to {self.to}"

    @property
    def state(self) -> str:
        if self.sent_at:
            return "sent"
        return "failed" if self.failed_at else "pending"


from comments.concerns.models import (  # noqa: E402,F401  the concerns' models belong to this app
    CommentNoAnswer,
    Concern,
    ConcernComment,
    ConcernEvent,
    NormReference,
)
from comments.campaigns.models import Campaign, CommentFingerprint  # noqa: E402,F401  as the concerns' models
from comments.notifications.models import VersionNotices  # noqa: E402,F401  as the concerns' models
from comments.digests.models import DigestFile, DigestReport  # noqa: E402,F401  as the concerns' models
from comments.counting import ProvisionCommentCount  # noqa: E402,F401  as the concerns' models
