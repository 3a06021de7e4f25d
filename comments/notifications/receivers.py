"""What the comments app does when the apps below it announce something (connected in CommentsConfig.ready)."""
from __future__ import annotations

from comments.notifications import services


def version_published_received(sender, *, version, alignment, **kwargs) -> None:
    """drafts.signals.version_published: record (and queue after commit) the notices of the new version."""
    services.version_notices_request(version=version, alignment=alignment)
