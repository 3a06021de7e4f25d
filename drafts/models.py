"""Documents, their versions and the provision trees of each version.

A published DraftVersion is an immutable snapshot: its provisions and texts are
written once by `services.draft_version_import` and never edited afterwards
(services refuse it, PostgreSQL triggers refuse it, the admin shows them read-only).
"""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from config.jobs import BackgroundJob
from config.translations import translation_pick, translations_validate
from drafts.languages import text_language_choices

# The languages a text may be in (any ISO 639-1 language Django can name), defined in drafts.languages.
LANGUAGE_CHOICES = text_language_choices()


class Document(models.Model):
    """A legal text being drafted: a constitution, a constitutional law."""

    class Kind(models.TextChoices):
        CONSTITUTION = "constitution", _("Constitution")
        CONSTITUTIONAL_LAW = "constitutional_law", _("Constitutional law")
        LAW = "law", _("Law")

    title = models.CharField(verbose_name=_("title"), max_length=300)
    slug = models.SlugField(verbose_name=_("slug"), max_length=100, unique=True)
    kind = models.CharField(verbose_name=_("kind"), max_length=32, choices=Kind.choices, default=Kind.CONSTITUTION)
    authoritative_language = models.CharField(
        verbose_name=_("authoritative language"),
        max_length=8,
        choices=LANGUAGE_CHOICES,
        help_text=_("The language whose text is legally binding; the others are translations."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title


class DraftVersion(models.Model):
    """One version of a document: 0 is the baseline (the text in force), 1, 2, 3 … the drafts."""

    class Status(models.TextChoices):
        PREPARING = "preparing", _("Preparing")
        PUBLISHED = "published", _("Published")
        SUPERSEDED = "superseded", _("Superseded")

    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions")
    number = models.PositiveIntegerField(verbose_name=_("number"))
    label = models.CharField(verbose_name=_("label"), max_length=200)
    label_translations = models.JSONField(
        verbose_name=_("label in other languages"), default=dict, blank=True,
        help_text=_("The label in each interface language; the label above shows where none is given."),
    )
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.PREPARING)
    languages = models.JSONField(verbose_name=_("languages"), default=list, help_text=_("Languages this version has texts in."))
    source_filename = models.CharField(verbose_name=_("source file"), max_length=255, blank=True)
    content_hash = models.CharField(verbose_name=_("content hash"), max_length=64, blank=True, help_text=_("SHA-256 over every provision's hash."))
    created_at = models.DateTimeField(verbose_name=_("created at"), auto_now_add=True)
    published_at = models.DateTimeField(verbose_name=_("published at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("published by"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("draft version")
        verbose_name_plural = _("draft versions")
        ordering = ["document_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="draftversion_unique_number"),
            models.CheckConstraint(
                condition=~models.Q(status="published") | models.Q(published_at__isnull=False),
                name="draftversion_published_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} — {self.label}"

    @property
    def local_label(self) -> str:
        """The label in the reader's language ("1-жоба" for "Draft 1"), else the default label (config.translations)."""
        return translation_pick(self.label, self.label_translations)

    def clean(self) -> None:
        try:
            translations_validate(self.label_translations)
        except ValidationError as error:
            raise ValidationError({"label_translations": error.messages}) from error

    @property
    def is_baseline(self) -> bool:
        return self.number == 0

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.PREPARING

    @property
    def is_public(self) -> bool:
        """Published or superseded: anyone may read it. A version being prepared is seen by admins only, as a preview."""
        return self.status != self.Status.PREPARING


class Lineage(models.Model):
    """The identity of 'the same provision' across versions, whatever its number or place."""

    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="lineages")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("lineage")
        verbose_name_plural = _("lineages")

    def __str__(self) -> str:
        return f"L{self.pk}"


class Provision(models.Model):
    """A node of a version's tree. Rows of one version are inserted in document order, so id order is reading order."""

    class Kind(models.TextChoices):
        PREAMBLE = "preamble", _("Preamble")
        PART = "part", _("Part")
        SECTION = "section", _("Section")
        CHAPTER = "chapter", _("Chapter")
        ARTICLE = "article", _("Article")
        PARAGRAPH = "paragraph", _("Paragraph")
        SUBPARAGRAPH = "subparagraph", _("Sub-paragraph")

    version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="provisions")
    lineage = models.ForeignKey(Lineage, on_delete=models.PROTECT, related_name="provisions")
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.CASCADE, related_name="children")
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind.choices)
    number = models.CharField(verbose_name=_("number"), max_length=32, blank=True, help_text=_('As printed: "10", "10-1", "IV".'))
    path = models.CharField(verbose_name=_("path"), max_length=255, help_text=_('Numbers from the root, e.g. "II/10/3".'))
    order = models.PositiveIntegerField(verbose_name=_("order"), help_text=_("Position in reading order within the version."))
    depth = models.PositiveSmallIntegerField(verbose_name=_("depth"), default=0)
    content_hash = models.CharField(verbose_name=_("content hash"), max_length=64)
    number_printed = models.BooleanField(
        verbose_name=_("number printed"), default=True,
        help_text=_('False for an unnumbered paragraph ("part") of an article, numbered by its place.'),
    )

    class Meta:
        verbose_name = _("provision")
        verbose_name_plural = _("provisions")
        ordering = ["version_id", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "path"], name="provision_unique_path"),
            models.UniqueConstraint(fields=["version", "order"], name="provision_unique_order"),
            models.UniqueConstraint(fields=["version", "lineage"], name="provision_unique_lineage"),
        ]
        indexes = [models.Index(fields=["version", "kind", "number"], name="provision_kind_number")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.number}".strip()

    @property
    def anchor(self) -> str:
        """A stable HTML id for the provision within its version, e.g. "p-II.10.3"."""
        return "p-" + self.path.replace("/", ".")


class ProvisionText(models.Model):
    """The heading and text of a provision in one language."""

    provision = models.ForeignKey(Provision, on_delete=models.CASCADE, related_name="texts")
    language = models.CharField(verbose_name=_("language"), max_length=8, choices=LANGUAGE_CHOICES)
    heading = models.CharField(verbose_name=_("heading"), max_length=500, blank=True)
    text = models.TextField(verbose_name=_("text"), blank=True)
    notes = models.TextField(
        verbose_name=_("editorial notes"), blank=True,
        help_text=_("Notes of the editors (amendment histories, repeal notes, footnotes), one per line: shown, never compared."),
    )

    class Meta:
        verbose_name = _("provision text")
        verbose_name_plural = _("provision texts")
        constraints = [models.UniqueConstraint(fields=["provision", "language"], name="provisiontext_unique_language")]

    def __str__(self) -> str:
        return f"{self.provision} [{self.language}]"


class Alignment(BackgroundJob):
    """The proposed (then reviewed) mapping from one version of a document to another, computed in the
    background under the rule of config.jobs (claimed, heartbeat, taken over, retried by an admin)."""

    task_name = "drafts.tasks.alignment_compute"
    task_id_argument = "alignment_id"

    old_version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="alignments_from")
    new_version = models.ForeignKey(DraftVersion, on_delete=models.CASCADE, related_name="alignments_to")
    figures = models.JSONField(default=dict, blank=True, help_text=_("Summary figures with their definitions."))

    class Meta:
        verbose_name = _("alignment")
        verbose_name_plural = _("alignments")
        constraints = [models.UniqueConstraint(fields=["old_version", "new_version"], name="alignment_unique_pair")]

    def __str__(self) -> str:
        return f"{self.old_version.label} → {self.new_version.label}"


class ProvisionChange(models.Model):
    """One match of an alignment: old provision(s) → new provision(s), with the kind of change."""

    class Kind(models.TextChoices):
        UNCHANGED = "unchanged", _("Unchanged")
        MODIFIED = "modified", _("Modified")
        RENUMBERED = "renumbered", _("Renumbered")
        MOVED = "moved", _("Moved")
        SPLIT = "split", _("Split")
        MERGED = "merged", _("Merged")
        ADDED = "added", _("Added")
        REMOVED = "removed", _("Removed")

    class Level(models.TextChoices):
        CONTAINER = "container", _("Part, section or chapter")
        ARTICLE = "article", _("Article")
        PARAGRAPH = "paragraph", _("Paragraph")

    alignment = models.ForeignKey(Alignment, on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    level = models.CharField(max_length=16, choices=Level.choices)
    similarity = models.FloatField()
    order = models.PositiveIntegerField()
    old_provisions = models.ManyToManyField(Provision, related_name="changes_from", blank=True)
    new_provisions = models.ManyToManyField(Provision, related_name="changes_to", blank=True)
    corrected_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    corrected_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("provision change")
        verbose_name_plural = _("provision changes")
        ordering = ["alignment_id", "order"]
        indexes = [models.Index(fields=["alignment", "kind"], name="change_alignment_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.similarity:.2f})"


class AlignmentCorrection(models.Model):
    """The audit trail of an admin's correction of a proposed match."""

    change = models.ForeignKey(ProvisionChange, on_delete=models.CASCADE, related_name="corrections")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    before = models.JSONField()
    after = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("alignment correction")
        verbose_name_plural = _("alignment corrections")
        ordering = ["id"]
