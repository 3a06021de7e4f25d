"""Consultations: the public process around one or more documents, its phases and its commission."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from drafts.models import Document, DraftVersion


class Consultation(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Not yet open")
        OPEN = "open", _("Open")
        CLOSED = "closed", _("Closed")
        CONCLUDED = "concluded", _("Concluded")

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=100, unique=True)
    description = models.TextField(blank=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.DRAFT)
    languages = models.JSONField(default=list, help_text=_('Languages of the consultation, e.g. ["kk", "ru", "en"].'))
    starts_on = models.DateField(null=True, blank=True)
    ends_on = models.DateField(null=True, blank=True)
    documents = models.ManyToManyField(Document, through="ConsultationDocument", related_name="consultations")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-starts_on", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True) | models.Q(starts_on__isnull=True) | models.Q(ends_on__gte=models.F("starts_on")),
                name="consultation_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title


class ConsultationDocument(models.Model):
    """A document covered by a consultation, in the order the consultation presents them."""

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="document_links")
    document = models.ForeignKey(Document, on_delete=models.PROTECT, related_name="consultation_links")
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]
        constraints = [models.UniqueConstraint(fields=["consultation", "document"], name="consultationdocument_unique")]


class Phase(models.Model):
    """A period of the consultation: public comment on a version, commission review, a referendum."""

    class Kind(models.TextChoices):
        COMMENT = "comment", _("Public comment")
        REVIEW = "review", _("Commission review")
        REFERENDUM = "referendum", _("Referendum")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="phases")
    kind = models.CharField(max_length=16, choices=Kind.choices, default=Kind.COMMENT)
    title = models.CharField(max_length=300)
    version = models.ForeignKey(
        DraftVersion, null=True, blank=True, on_delete=models.PROTECT, related_name="phases",
        help_text=_("The version commented on during this phase."),
    )
    opens_at = models.DateTimeField()
    closes_at = models.DateTimeField()

    class Meta:
        ordering = ["opens_at", "id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(closes_at__gt=models.F("opens_at")), name="phase_closes_after_open"),
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, at=None) -> bool:
        at = at or timezone.now()
        return self.opens_at <= at < self.closes_at

    @property
    def state(self) -> str:
        now = timezone.now()
        if now < self.opens_at:
            return "upcoming"
        return "open" if now < self.closes_at else "closed"


class CommissionMembership(models.Model):
    """A user's role in one consultation's drafting commission."""

    class Role(models.TextChoices):
        REVIEWER = "reviewer", _("Reviewer")
        CHAIR = "chair", _("Chair")

    consultation = models.ForeignKey(Consultation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="commission_memberships")
    role = models.CharField(max_length=16, choices=Role.choices, default=Role.REVIEWER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
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
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(submitter_type="organisation") | ~models.Q(organisation_name=""),
                name="participant_organisation_named",
            )
        ]

    def __str__(self) -> str:
        return self.display_name
