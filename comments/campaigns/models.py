"""The models of campaigns; imported by comments/models.py, so they belong to the comments app."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from consult.models import Consultation


class Campaign(models.Model):
    """Identical or near-identical comments (a form letter), counted as one point with `size` supporters.

    Derived data, rebuilt from the comments' fingerprints: each comment keeps its own receipt. Its members
    are the comments whose fingerprint points at it; only the published ones are counted, dated, shown and
    sampled for the template, and a campaign with fewer than two of them is not shown at all.
    """

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="campaigns")
    template_comment = models.ForeignKey(
        "comments.Comment", on_delete=models.PROTECT, related_name="+",
        help_text=_("The comment whose text, trimmed to what the campaign's comments share, is the template."),
    )
    template_text = models.TextField(
        blank=True, help_text=_("The text common to the campaign's published comments (comments.campaigns.detection, step 6)."),
    )
    size = models.PositiveIntegerField(default=0, help_text=_("Its published comments: hidden and withdrawn ones do not count."))
    first_seen = models.DateTimeField()
    last_seen = models.DateTimeField()

    class Meta:
        ordering = ["-size", "id"]

    def __str__(self) -> str:
        return _("Campaign of %(size)d comments") % {"size": self.size}


class CommentFingerprint(models.Model):
    """A comment's LSH keys and word shingles (comments.campaigns.detection.fingerprint), and its campaign."""

    comment = models.OneToOneField("comments.Comment", primary_key=True, on_delete=models.CASCADE, related_name="fingerprint")
    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="+")
    keys = models.JSONField(default=dict, help_text=_("Its LSH keys, as the keys of an object."))
    shingles = models.BinaryField(blank=True)
    exact = models.CharField(max_length=16)
    campaign = models.ForeignKey(Campaign, null=True, blank=True, on_delete=models.SET_NULL, related_name="fingerprints")
