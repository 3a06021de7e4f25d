"""The schedule of digest reports: the daily digest of each open consultation, e-mailed once to each commission member
with a verified address (also when its task or the daily run comes twice), and the version report of a comment phase
that closes (at once by phase_close, or found by the beat scan when its end date passes)."""
import datetime
import time

import pytest
from django.core import mail
from django.utils import timezone

from comments.digests import schedule
from comments.digests.emails import member_languages
from comments.digests.models import DigestReport
from comments.models import Comment, OutboxEmail
from consult import services as consult_services
from consult.models import CommissionMembership, Consultation, Phase
from tests.conftest import wait_for
from tests.factories import ConsultationFactory, MembershipFactory, participant_user

Kind = DigestReport.Kind


def _yesterday_noon() -> datetime.datetime:
    start, _end = schedule.daily_period(timezone.localdate() - datetime.timedelta(days=1))
    return start + datetime.timedelta(hours=12)


def _draft_1_phase(demo) -> Phase:
    return demo.phases.get(kind=Phase.Kind.COMMENT, version__document__slug="constitution", version__number=1)


# --- the daily digest ----------------------------------------------------------------------------------


def test_the_daily_run_asks_for_one_report_per_open_consultation_with_a_commission(demo, member):
    without_commission = ConsultationFactory()
    closed = ConsultationFactory(status=Consultation.Status.CLOSED)
    MembershipFactory(consultation=closed, user=participant_user("Closed Member"))
    day = timezone.localdate() - datetime.timedelta(days=1)

    reports = schedule.digests_daily_request()
    assert [report.consultation_id for report in reports] == [demo.pk]
    report = reports[0]
    zone = timezone.get_default_timezone()
    assert report.kind == Kind.DAILY and report.requested_by is None and report.document_id is None
    assert report.period_start == datetime.datetime.combine(day, datetime.time(), tzinfo=zone)
    assert report.period_end == datetime.datetime.combine(day + datetime.timedelta(days=1), datetime.time(), tzinfo=zone)
    assert not DigestReport.objects.filter(consultation__in=[without_commission, closed]).exists()

    again = schedule.digests_daily_request()
    assert [r.pk for r in again] == [report.pk] and DigestReport.objects.filter(kind=Kind.DAILY).count() == 1
    # An explicit day is its own report; asked twice, still one.
    earlier = schedule.digests_daily_request(day=day - datetime.timedelta(days=1))
    assert earlier[0].pk != report.pk
    assert schedule.digests_daily_request(day=day - datetime.timedelta(days=1))[0].pk == earlier[0].pk
    assert DigestReport.objects.filter(kind=Kind.DAILY).count() == 2


def test_a_day_with_a_late_comment_dated_within_it_keeps_its_one_report(demo, member, comments):
    """The inputs hash of a day would change if a comment were dated into it afterwards; the run still finds the day's report."""
    first = schedule.digests_daily_request()[0]
    Comment.objects.filter(pk=comments[0].pk).update(created_at=_yesterday_noon())
    assert schedule.digests_daily_request()[0].pk == first.pk
    assert DigestReport.objects.filter(kind=Kind.DAILY).count() == 1


def test_members_are_written_to_in_their_language(demo, make_participant, draft_provision):
    from comments import services as comment_services

    russian, unknown, silent = make_participant("Russian Reader"), make_participant("Ukrainian Writer"), make_participant("Silent")
    comment_services.comment_submit(author=russian, provision_id=draft_provision.pk, stance="question", language="ru", body="Как это понимать?")
    comment_services.comment_submit(author=unknown, provision_id=draft_provision.pk, stance="question", language="uk", body="Як це розуміти?")
    assert member_languages(user_ids=[russian.pk, unknown.pk, silent.pk]) == {russian.pk: "ru", unknown.pk: "en", silent.pk: "en"}


def _digest_emails(report) -> list:
    return [message for message in mail.outbox if message.subject.startswith(f"{report.consultation.title}: daily digest")]


@pytest.mark.django_db(transaction=True)
def test_each_member_gets_the_daily_digest_once(celery_worker, demo, member, comments, make_participant, settings):
    """Built by a real worker; the members with a verified address get one e-mail each, however often the build task
    is delivered and the daily run repeated; an unverified member and a citizen get none."""
    from config.tasks import enqueue_now

    unverified = participant_user("Unverified Member", verified=False)
    MembershipFactory(consultation=demo, user=unverified)
    citizen = make_participant("Citizen Outside")
    Comment.objects.filter(pk__in=[comments[0].pk, comments[1].pk]).update(created_at=_yesterday_noon())

    report = schedule.digests_daily_request()[0]
    assert wait_for(lambda: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 60)
    report.refresh_from_db()
    members = CommissionMembership.objects.filter(consultation=demo).exclude(user=unverified)
    expected = {membership.user.email for membership in members}
    assert member.email in expected and len(expected) == 2  # the demo's chair (admin) and `member`
    assert wait_for(lambda: {m.to[0] for m in _digest_emails(report)} == expected, 30)

    enqueue_now(DigestReport.task_name, report_id=report.pk)  # the build delivered again
    assert [r.pk for r in schedule.digests_daily_request()] == [report.pk]  # and the daily run repeated
    time.sleep(3)  # time for a second build and a second outbox sweep to send anything they wrote
    sent = _digest_emails(report)
    assert sorted(message.to[0] for message in sent) == sorted(expected)
    assert not any(message.to[0] in {unverified.email, citizen.email} for message in mail.outbox)
    assert OutboxEmail.objects.filter(key__startswith=f"digest:{report.pk}:user:").count() == 2
    report.refresh_from_db()
    assert report.attempts == 1

    body = next(message.body for message in sent if message.to == [member.email])
    day_total = Comment.objects.filter(consultation=demo, status="published", is_official=False).count()
    assert "Comments that day: 2" in body
    assert f"Comments in all, to the end of that day: {day_total - 1}" in body  # the third comment is today's
    assert "Concerns decided that day: 0" in body
    site = settings.SITE_URL.rstrip("/")
    assert f"{site}/c/{demo.slug}/reports/{report.pk}/\n" in body  # absolute links: the report, its PDF where it was built
    if report.files.filter(format="pdf").exists():
        assert f"{site}/c/{demo.slug}/reports/{report.pk}/pdf/" in body


# --- the version report when a comment phase closes -------------------------------------------------------


def test_closing_a_comment_phase_asks_for_its_version_report(demo):
    phase = _draft_1_phase(demo)
    consult_services.phase_close(phase=phase)
    report = DigestReport.objects.get(kind=Kind.VERSION)
    assert report.version_id == phase.version_id and report.consultation_id == demo.pk and report.requested_by is None
    assert report.is_public and report.status == DigestReport.Status.PENDING
    assert schedule.digests_version_reports_due() == []  # the beat scan finds it has one
    assert DigestReport.objects.filter(kind=Kind.VERSION).count() == 1


def test_closing_a_phase_at_a_later_instant_leaves_it_to_the_scan(demo):
    phase = _draft_1_phase(demo)
    later = timezone.now() + datetime.timedelta(hours=2)
    consult_services.phase_close(phase=phase, at=later)
    assert not DigestReport.objects.exists()
    assert schedule.digests_version_reports_due() == []
    [report] = schedule.digests_version_reports_due(now=later + datetime.timedelta(minutes=1))
    assert report.version_id == phase.version_id


def test_the_beat_scan_finds_a_phase_closed_by_time_alone(demo):
    phase = _draft_1_phase(demo)
    now = timezone.now()
    Phase.objects.filter(pk=phase.pk).update(opens_at=now - datetime.timedelta(days=20), closes_at=now - datetime.timedelta(hours=1))
    [report] = schedule.digests_version_reports_due()
    assert report.kind == Kind.VERSION and report.version_id == phase.version_id
    assert schedule.digests_version_reports_due() == []
    assert DigestReport.objects.filter(kind=Kind.VERSION).count() == 1


def test_a_version_report_asked_for_before_the_close_does_not_count(demo, member, comments, make_participant):
    """A version report asked for while the phase was open is not the report of its close: the scan asks for a new one."""
    from comments import services as comment_services
    from comments.digests import services

    phase = _draft_1_phase(demo)
    early = services.digest_request(consultation=demo, kind=Kind.VERSION, version=phase.version)
    comment_services.comment_submit(
        author=make_participant("Last Minute"), provision_id=comments[0].provision_id, stance="support", language="en", body="Just in time.",
    )
    now = timezone.now()
    DigestReport.objects.filter(pk=early.pk).update(created_at=now - datetime.timedelta(days=2))
    Phase.objects.filter(pk=phase.pk).update(opens_at=now - datetime.timedelta(days=20), closes_at=now - datetime.timedelta(days=1))
    [report] = schedule.digests_version_reports_due()
    assert report.pk != early.pk and report.version_id == phase.version_id
    assert schedule.digests_version_reports_due() == []


@pytest.mark.parametrize("case", ["closed_consultation", "review_phase", "long_ago", "not_yet"])
def test_phases_the_scan_ignores(demo, case):
    phase = _draft_1_phase(demo)
    now = timezone.now()
    closes_at = now - datetime.timedelta(days=40 if case == "long_ago" else 0, hours=1)
    if case == "not_yet":
        closes_at = now + datetime.timedelta(hours=1)
    if case == "review_phase":
        phase = demo.phases.get(kind=Phase.Kind.REVIEW)
        assert phase.version_id is None
    Phase.objects.filter(pk=phase.pk).update(opens_at=closes_at - datetime.timedelta(days=5), closes_at=closes_at)
    if case == "closed_consultation":
        Consultation.objects.filter(pk=demo.pk).update(status=Consultation.Status.CLOSED)
    assert schedule.digests_version_reports_due() == []
    assert not DigestReport.objects.exists()


def test_closing_a_phase_of_a_closed_consultation_asks_for_nothing(demo):
    Consultation.objects.filter(pk=demo.pk).update(status=Consultation.Status.CLOSED)
    consult_services.phase_close(phase=_draft_1_phase(demo))
    assert not DigestReport.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_the_version_report_of_a_closed_phase(celery_worker, demo, comments):
    phase = _draft_1_phase(demo)
    consult_services.phase_close(phase=phase)
    report = DigestReport.objects.get(kind=Kind.VERSION, version=phase.version)
    assert wait_for(lambda: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 60)
    report.refresh_from_db()
    assert report.files.filter(format="json").exists() and report.chain_length
    assert not OutboxEmail.objects.filter(key__startswith=f"digest:{report.pk}:").exists()  # only daily digests are e-mailed


def test_beat_runs_the_schedule_in_local_time(settings):
    from celery.schedules import crontab

    from config.celery_app import app

    daily = settings.CELERY_BEAT_SCHEDULE["digests-daily"]
    assert daily["task"] == "comments.tasks.digests_daily_request" and isinstance(daily["schedule"], crontab)
    assert daily["schedule"].hour == {settings.DIGEST_DAILY_HOUR}
    assert settings.CELERY_BEAT_SCHEDULE["digests-version-reports"]["task"] == "comments.tasks.digests_version_reports_due"
    assert str(app.timezone) == settings.TIME_ZONE
    app.loader.import_default_modules()
    assert {"comments.tasks.digests_daily_request", "comments.tasks.digests_version_reports_due"} <= set(app.tasks)
