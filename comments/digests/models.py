"""The models of digest reports; imported by comments/models.py, so they belong to the comments app.

A DigestReport is a background job (config/jobs.py): requested once for one set of inputs (its
`inputs_hash` is unique within its consultation), built by a worker, its files stored with it.
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.jobs import BackgroundJob
from consult.models import Consultation
from drafts.models import Document, DraftVersion


class DigestReport(BackgroundJob):
    """One report on a consultation: a daily activity digest, a version report at the close of a comment
    phase, or a report a commission member asked for (a document, a date range).

    Its checkpoint (`chain_length`, `chain_head`) is the consultation's receipt chain as it stood when
    the report was built: anyone holding the report can check later that the chain still extends it.
    """

    class Kind(models.TextChoices):
        DAILY = "daily", _("Daily digest")
        VERSION = "version", _("Version report")
        ON_DEMAND = "on_demand", _("On-demand report")

    task_name = "comments.tasks.digest_build"
    task_id_argument = "report_id"

    consultation = models.ForeignKey(Consultation, on_delete=models.PROTECT, related_name="digest_reports")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
        help_text=_("For a version report: the version whose comment phase closed, compared with its predecessor."),
    )
    period_start = models.DateTimeField(null=True, blank=True)
    period_end = models.DateTimeField(null=True, blank=True)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    inputs_hash = models.CharField(
        max_length=64, help_text=_("SHA-256 of the kind, the parameters and the state of the data: the same inputs give one report."),
    )
    is_public = models.BooleanField(default=False, help_text=_("Published by the commission: everyone may read it."))
    chain_length = models.PositiveBigIntegerField(null=True, blank=True, help_text=_("The receipt chain's length when the report was built."))
    chain_head = models.CharField(max_length=64, blank=True, help_text=_("The receipt chain's head hash when the report was built."))
    built_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = _("digest report")
        verbose_name_plural = _("digest reports")
        constraints = [models.UniqueConstraint(fields=["consultation", "inputs_hash"], name="digest_unique_inputs")]
        indexes = [models.Index(fields=["consultation", "kind", "id"], name="digest_consultation_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.pk} ({self.consultation})"


class DigestFile(models.Model):
    """One format of a built report, stored in the database (a report is a few hundred kB at most)."""

    class Format(models.TextChoices):
        HTML = "html", "HTML"
        PDF = "pdf", "PDF"
        CSV = "csv", _("CSV (zip of the tables)")
        JSON = "json", "JSON"

    report = models.ForeignKey(DigestReport, on_delete=models.CASCADE, related_name="files")
    format = models.CharField(max_length=8, choices=Format.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    data = models.BinaryField()
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["report_id", "format"]
        constraints = [models.UniqueConstraint(fields=["report", "format"], name="digest_file_one_per_format")]

    def __str__(self) -> str:
        return self.filename
