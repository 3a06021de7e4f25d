from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommentsConfig(AppConfig):
    name = "comments"
    verbose_name = _("Comments")

    def ready(self) -> None:
        from comments.notifications.receivers import version_published_received
        from drafts.signals import version_published

        version_published.connect(version_published_received, dispatch_uid="comments.version_notices")

        from comments.digests.receivers import phase_closed_received
        from consult.signals import phase_closed

        phase_closed.connect(phase_closed_received, dispatch_uid="comments.digests.version_report")
