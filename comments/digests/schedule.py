"""The schedule of digest reports (issue 10, point 5): what Celery beat and the close of a comment phase ask for.

- `digests_daily_request`, once a day (settings.DIGEST_DAILY_HOUR, local time): a daily digest of the previous local
  day for each open consultation that has a commission; when it is built, each member is e-mailed once
  (comments.digests.emails).
- `digests_version_reports_due`, every few minutes: the version report of each comment phase that has closed (within
  settings.DIGEST_VERSION_REPORT_WINDOW_DAYS) and has none yet. The close of a phase by consult.services.phase_close
  asks for it at once (consult.signals.phase_closed, comments.digests.receivers); a phase that closes by its end
  date passing is found here.

Both are idempotent: run twice, they return the same reports and ask for nothing new.
"""
from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from comments.digests import services
from comments.digests.models import DigestReport
from consult.models import CommissionMembership, Consultation, Phase

Kind = DigestReport.Kind


def daily_period(day: datetime.date) -> tuple[datetime.datetime, datetime.datetime]:
    """The local day `day` as the instants [its 00:00, the next day's 00:00) in the site's time zone."""
    zone = timezone.get_default_timezone()
    start = datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    end = datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    return start, end


def digests_daily_request(*, day: datetime.date | None = None) -> list[DigestReport]:
    """The daily digest of `day` (default: yesterday, local time) for each open consultation with at least one
    commission member: the report already asked for that day, else a new one queued for a worker."""
    if day is None:
        day = timezone.localdate() - datetime.timedelta(days=1)
    start, end = daily_period(day)
    consultations = (
        Consultation.objects.filter(status=Consultation.Status.OPEN)
        .filter(Exists(CommissionMembership.objects.filter(consultation_id=OuterRef("pk"))))
        .order_by("pk")
    )
    reports = []
    for consultation in consultations:
        existing = (
            DigestReport.objects.filter(consultation=consultation, kind=Kind.DAILY, period_start=start, period_end=end, document__isnull=True)
            .order_by("pk").first()
        )
        # One report per day even if the data of that day changed since (a comment's date corrected): the digest went out.
        reports.append(existing or services.digest_request(consultation=consultation, kind=Kind.DAILY, period_start=start, period_end=end))
    return reports


def _version_report_exists(*, version_id, closed_at) -> Exists:
    """A version report of the version asked for since the phase closed (a phase reopened and closed again gets a new one)."""
    return Exists(DigestReport.objects.filter(kind=Kind.VERSION, version_id=version_id, created_at__gte=closed_at))


def _due_phases(*, now: datetime.datetime):
    window = datetime.timedelta(days=settings.DIGEST_VERSION_REPORT_WINDOW_DAYS)
    return Phase.objects.filter(
        kind=Phase.Kind.COMMENT, version__isnull=False, consultation__status=Consultation.Status.OPEN,
        closes_at__lte=now, closes_at__gt=now - window,
    )


def version_report_request(*, phase: Phase, now: datetime.datetime | None = None) -> DigestReport | None:
    """The version report of `phase`'s version if the phase is a comment phase of an open consultation that has closed
    by `now` (default: now) within the window and has no report yet; None otherwise.

    Holds the phase's row lock while it checks and asks, so that the beat scan and phase_close never ask twice.
    """
    now = now or timezone.now()
    with transaction.atomic():
        due = (
            _due_phases(now=now).select_for_update(of=("self",))
            .select_related("consultation", "version__document").filter(pk=phase.pk).first()
        )
        if due is None:
            return None
        if DigestReport.objects.filter(kind=Kind.VERSION, version_id=due.version_id, created_at__gte=due.closes_at).exists():
            return None
        return services.digest_request(consultation=due.consultation, kind=Kind.VERSION, version=due.version)


def digests_version_reports_due(*, now: datetime.datetime | None = None) -> list[DigestReport]:
    """Ask for the version report of every comment phase that has closed (by `now`, within the window) without one."""
    now = now or timezone.now()
    phases = _due_phases(now=now).exclude(
        _version_report_exists(version_id=OuterRef("version_id"), closed_at=OuterRef("closes_at"))
    ).order_by("closes_at", "pk")
    reports = []
    for phase in phases:
        report = version_report_request(phase=phase, now=now)
        if report is not None:
            reports.append(report)
    return reports
