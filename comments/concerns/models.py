"""The models of concerns; imported by comments/models.py, so they belong to the comments app."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.models import Consultation
from drafts.models import Document, DraftVersion, Lineage, ProvisionChange


class ConcernStatus(models.TextChoices):
    OPEN = "open", _("Open")
    UNDER_REVIEW = "under_review", _("Under review")
    ACCEPTED = "accepted", _("Accepted")
    PARTIALLY_ACCEPTED = "partially_accepted", _("Partially accepted")
    REJECTED = "rejected", _("Rejected")
    OUT_OF_SCOPE = "out_of_scope", _("Out of scope")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Concern(models.Model):
    """A point raised about one or more provisions by one or more comments, and what became of it."""

    Status = ConcernStatus

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="concerns")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="concerns")
    title = models.CharField(max_length=300)
    summary = models.TextField(blank=True)
    lineages = models.ManyToManyField(Lineage, related_name="concerns", help_text=_("The provisions it is about, across versions."))
    comments = models.ManyToManyField("comments.Comment", through="ConcernComment", related_name="concerns")
    status = models.CharField(max_length=24, choices=ConcernStatus.choices, default=ConcernStatus.OPEN)
    rationale = models.TextField(blank=True, help_text=_("Why the commission decided as it did; required for every decision."))
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    raised_in = models.ForeignKey(DraftVersion, on_delete=models.PROTECT, related_name="concerns_raised")
    resolved_in = models.ForeignKey(DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="concerns_resolved")
    changes = models.ManyToManyField(
        ProvisionChange, blank=True, related_name="concerns", help_text=_("The changes of words that carry the resolution.")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    # Set by concern_merge on each concern merged into another (which is then withdrawn); its index is built
    # concurrently by its migration (0012_concern_merged_into), hence db_index=False here.
    merged_into = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="merged", db_index=False,
        help_text=_("The concern this one was merged into, with its comments."),
    )

    class Meta:
        ordering = ["id"]
        indexes = [
            models.Index(fields=["consultation", "status"], name="concern_consultation_status"),
            models.Index(fields=["merged_into"], name="concern_merged_into", condition=models.Q(merged_into__isnull=False)),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status__in=["accepted", "partially_accepted", "rejected", "out_of_scope"]) | ~models.Q(rationale=""),
                name="concern_decision_has_rationale",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_decided(self) -> bool:
        return self.status in DECIDED


DECIDED = frozenset({ConcernStatus.ACCEPTED, ConcernStatus.PARTIALLY_ACCEPTED, ConcernStatus.REJECTED, ConcernStatus.OUT_OF_SCOPE})


class ConcernComment(models.Model):
    """A comment behind a concern: who put it there and when."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="links")
    comment = models.ForeignKey("comments.Comment", on_delete=models.PROTECT, related_name="concern_links")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["concern", "comment"], name="concern_comment_once")]
        indexes = [models.Index(fields=["comment"], name="concern_comment_by_comment")]


class NormReference(models.Model):
    """An external norm a concern or its decision relies on, e.g. "ICCPR art. 18(3)"."""

    concern = models.ForeignKey(Concern, on_delete=models.CASCADE, related_name="norms")
    label = models.CharField(max_length=200)
    url = models.URLField(blank=True)

    class Meta:
        ordering = ["id"]


class ConcernEvent(models.Model):
    """One transition of a concern, public: who, when, from, to, why. A decision carries its receipt.

    `decision` keeps what was decided as it was decided (rationale, version, changes, comments,
    norms): the receipt's hash covers it, so the row, the concern and the chain can be checked
    against each other (comments.chain.selectors.chain_verification).
    """

    concern = models.ForeignKey(Concern, on_delete=models.PROTECT, related_name="events")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    from_status = models.CharField(max_length=24, choices=ConcernStatus.choices)
    to_status = models.CharField(max_length=24, choices=ConcernStatus.choices)
    reason = models.TextField(blank=True)
    decision = models.JSONField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["id"]


class CommentNoAnswer(models.Model):
    """A reviewer's mark that a comment needs no separate answer (a thank-you, a duplicate…), with the reason."""

    comment = models.OneToOneField("comments.Comment", on_delete=models.PROTECT, related_name="no_answer")
    reason = models.CharField(max_length=500)
    marked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    marked_at = models.DateTimeField(auto_now_add=True)
