"""The model of the notices of new drafts; imported by comments/models.py, so it belongs to the comments app."""
from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from config.jobs import BackgroundJob
from drafts.models import Alignment, DraftVersion


class VersionNotices(BackgroundJob):
    """Telling people of a newly published version: one e-mail to each follower of one of its document's
    provisions and to each author of a comment behind a concern on a provision that changed.

    Written in the publishing transaction (drafts.signals.version_published), computed by a worker under
    the rule of config.jobs (claimed, taken over, swept), its e-mails written to the outbox with the job's
    finish. Each e-mail has a key (OutboxEmail.key), so that no run, however repeated, writes one twice.
    """

    task_name = "comments.tasks.version_notices_send"
    task_id_argument = "job_id"

    version = models.OneToOneField(DraftVersion, on_delete=models.CASCADE, related_name="notices")
    alignment = models.ForeignKey(
        Alignment, on_delete=models.CASCADE, related_name="+",
        help_text=_("The alignment with the previous version: what became of each provision."),
    )
    emails = models.PositiveIntegerField(default=0, help_text=_("E-mails written to the outbox."))

    class Meta:
        verbose_name = _("notices of a new version")
        verbose_name_plural = _("notices of new versions")

    def __str__(self) -> str:
        return f"Notices of {self.version}"
