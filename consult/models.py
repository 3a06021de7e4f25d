"""Consultations: the public process around one or more documents, its phases and its commission."""
from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.translations import translation_pick, translations_validate
from drafts.languages import text_language_is_known
from drafts.models import Document, DraftVersion, Lineage


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CONCLUDED = "concluded", _("Concluded")

    title = models.CharField(verbose_name=_("title"), max_length=300)
    slug = models.SlugField(verbose_name=_("slug"), max_length=100, unique=True)
    description = models.TextField(verbose_name=_("description"), blank=True)
    title_translations = models.JSONField(
        verbose_name=_("title in other languages"), default=dict, blank=True,
        help_text=_("The title in each language of the consultation; the title above shows where none is given."),
    )
    description_translations = models.JSONField(
        verbose_name=_("description in other languages"), default=dict, blank=True,
        help_text=_("The description in each language of the consultation; the description above shows where none is given."),
    )
    status = models.CharField(verbose_name=_("status"), max_length=16, choices=Status.choices, default=Status.DRAFT)
    languages = models.JSONField(verbose_name=_("languages"), default=list, help_text=_('Languages of the consultation, e.g. ["kk", "ru", "en"].'))
    starts_on = models.DateField(verbose_name=_("starts on"), null=True, blank=True)
    ends_on = models.DateField(verbose_name=_("ends on"), null=True, blank=True)
    documents = models.ManyToManyField(Document, through="ConsultationDocument", related_name="consultations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("consultation")
        verbose_name_plural = _("consultations")
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="consultation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def local_title(self) -> str:
        """The title in the reader's language, else the default title (config.translations)."""
        return translation_pick(self.title, self.title_translations)

    @property
    def local_description(self) -> str:
        return translation_pick(self.description, self.description_translations)

    def clean(self) -> None:
        for field in ("title_translations", "description_translations"):
            try:
                translations_validate(getattr(self, field))
            except ValidationError as error:
                raise ValidationError({field: error.messages}) from error
        if not isinstance(self.languages, list) or not all(isinstance(code, str) for code in self.languages):
            raise ValidationError({"languages": _('A list of language codes, e.g. ["kk", "ru", "en"].')})
        unknown = [code for code in self.languages if not text_language_is_known(code)]
        if unknown:
            raise ValidationError(
                {"languages": _("Not a language code: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )


class ConsultationDocument(models.Model):
    """A document covered by a consultation, in the order the consultation presents them."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="consultation_links")
    order = models.PositiveSmallIntegerField(verbose_name=_("order"), default=0)

    class Meta:
        verbose_name = _("document of the consultation")
        verbose_name_plural = _("documents of the consultation")
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "document"], name="consultationdocument_unique")]

    def __str__(self) -> str:
        return str(self.document)


class PhaseQuerySet(models.QuerySet):
    def open_at(self, at: datetime.datetime) -> PhaseQuerySet:
        """Phases open at the instant `at`: the one definition of "open" (`Phase.is_open` is its Python twin).

        A phase is open from `opens_at` inclusive to `closes_at` exclusive, so that one phase may close
        at the instant the next opens without both being open. The comment submission's SQL
        (comments.selectors.SUBMISSION_CONTEXT_SQL) states the same bounds, and a test runs both over
        the boundary instants.
        """
        return self.filter(opens_at__lte=at, closes_at__gt=at)


class Phase(models.Model):
    """A period of the consultation: public comment on a version, commission review, a referendum.

    What a phase may be is checked in `clean()`, so that the admin's phase inline and
    `consult.services.phase_create` refuse the same things.
    """

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Public comment")
        REVIEW = "review", _("Commission review")
        REFERENDUM = "referendum", _("Referendum")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(verbose_name=_("kind"), max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    title = models.CharField(verbose_name=_("title"), max_length=300)
    version = models.ForeignKey(
        DraftVersion, verbose_name=_("version"), null=True, blank=True, on_delete=models.PROTECT, related_name="phases",
        help_text=_("The version commented on during this phase."),
    )
    opens_at = models.DateTimeField(verbose_name=_("opens at"))
    closes_at = models.DateTimeField(verbose_name=_("closes at"))

    objects = PhaseQuerySet.as_manager()

    class Meta:
        verbose_name = _("phase")
        verbose_name_plural = _("phases")
        ordering = ["opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="phase_closes_after_open"),
        ]

    def __str__(self) -> str:
        return self.title

    @staticmethod
    def comment_title_for(version: DraftVersion) -> str:
        """The title of a comment phase on `version` when the admin gives none."""
        return _("Public comment on %(version)s") % {"version": version.label}

    def clean(self) -> None:
        """A comment phase is about a version of one of the consultation's documents, and no other comment
        phase on that version overlaps it (so a version has at most one open comment phase, the one a new
        comment is filed under); every phase closes after it opens.

        The version's document must already be linked to the consultation in the database: in the admin,
        save the consultation with its documents before adding a phase on one of them.
        """
        errors: dict[str, list[str]] = {}
        if self.opens_at and self.closes_at and self.closes_at <= self.opens_at:
            errors.setdefault("closes_at", []).append(_("A phase must close after it opens."))
        if self.kind == self.Kind.COMMENT and self.version_id is None:
            errors.setdefault("version", []).append(_("A public comment phase needs the version to comment on."))
        if self.version_id is not None and self.consultation_id is None:
            errors.setdefault("version", []).append(
                _("Save the consultation with its documents first, then add the phases on their versions.")
            )
        elif self.version_id is not None and not self._covers_version():
            errors.setdefault("version", []).append(
                _("%(version)s belongs to a document this consultation does not cover.") % {"version": self.version}
            )
        if not errors and self.kind == self.Kind.COMMENT and self.opens_at and self.closes_at:
            overlapping = self.overlapping_comment_phases().first()
            if overlapping is not None:
                errors.setdefault("opens_at", []).append(
                    _("This period overlaps “%(phase)s”, a comment phase on the same version: "
                      "a version has one comment phase at a time.") % {"phase": overlapping}
                )
        if errors:
            raise ValidationError(errors)

    def overlapping_comment_phases(self) -> PhaseQuerySet:
        """The other saved comment phases on this phase's version whose period shares an instant with this one
        (the query form of `conflicts_with`)."""
        return (
            Phase.objects.filter(kind=self.Kind.COMMENT, version_id=self.version_id)
            .filter(opens_at__lt=self.closes_at, closes_at__gt=self.opens_at)
            .exclude(pk=self.pk)
        )

    def conflicts_with(self, other: Phase) -> bool:
        """Both are comment phases on one version and share an instant (periods are half-open: [opens, closes))."""
        return (
            self.kind == other.kind == self.Kind.COMMENT
            and self.version_id is not None
            and self.version_id == other.version_id
            and self.opens_at < other.closes_at
            and other.opens_at < self.closes_at
        )

    def _covers_version(self) -> bool:
        return ConsultationDocument.objects.filter(
            consultation_id=self.consultation_id, document_id=self.version.document_id
        ).exists()

    def is_open(self, at: datetime.datetime | None = None) -> bool:
        """Open at `at` (default: now), by the bounds of `PhaseQuerySet.open_at`."""
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def state(self) -> str:
        """ "upcoming", "open" or "closed" now."""
        now = timezone.now()
        if self.is_open(now):
            return "open"
        return "upcoming" if now < self.opens_at else "closed"


class CommissionMembership(models.Model):
    """A user's role in one consultation's drafting commission."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        CHAIR = "chair", _("Chair")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("user"), on_delete=models.CASCADE, related_name="commission_memberships")
    role = models.CharField(verbose_name=_("role"), max_length=16, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("commission member")
        verbose_name_plural = _("commission members")
        constraints = [models.UniqueConstraint(fields=["consultation", "user"], name="membership_unique_user")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} ({self.consultation})"


class Participant(models.Model):
    """What the public may know of a user: a display name (a pseudonym is fine) and who they speak for.

    E-mail and IP address live elsewhere (the user, allauth's EmailAddress) and are never shown or exported.
    """

    class SubmitterType(models.TextChoices):
        INDIVIDUAL = "individual", _("Individual")
        ORGANISATION = "organisation", _("Organisation")

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="participant")
    display_name = models.CharField(max_length=80, help_text=_("Shown with your comments; a pseudonym is allowed."))
    submitter_type = models.CharField(max_length=16, choices=SubmitterType.choices, default=SubmitterType.INDIVIDUAL)
    organisation_name = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(submitter_type="organisation") | ~models.Q(organisation_name=""),
                name="participant_organisation_named",
            )
        ]

    def __str__(self) -> str:
        return self.display_name


class ProvisionFollow(models.Model):
    """A user follows a provision through its versions (its lineage): each new draft of its document is
    announced to them by e-mail, saying what became of it (comments.notifications)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="provision_follows")
    lineage = models.ForeignKey(Lineage, on_delete=models.CASCADE, related_name="follows")
    language = models.CharField(
        max_length=8, blank=True, help_text=_("The interface language the user followed in: the notices' language.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow of a provision")
        verbose_name_plural = _("follows of provisions")
        ordering = ["-id"]
        constraints = [models.UniqueConstraint(fields=["user", "lineage"], name="provisionfollow_once")]

    def __str__(self) -> str:
        return f"{self.user_id} follows {self.lineage}"
