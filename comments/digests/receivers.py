"""What the digests do when the apps below announce something (connected in CommentsConfig.ready)."""
from __future__ import annotations

from comments.digests import schedule


def phase_closed_received(sender, *, phase, **kwargs) -> None:
    """consult.signals.phase_closed: ask at once for the version report of a comment phase that has closed (queued after
    commit; a phase closed at a later instant is left to the beat scan, schedule.digests_version_reports_due)."""
    schedule.version_report_request(phase=phase)
