"""Digest reports: asking for one, building it (inline and by a real worker), its numbers against the data,
idempotency, failures retried then recorded, and the checkpoint against the chain."""
import datetime
import io
import json
import zipfile

import psycopg
import pytest
from django.db import connection
from django.utils import timezone

from comments.chain.selectors import chain_head
from comments.demo_data import demo_comments_load, demo_next_draft_load
from comments.digests import selectors, services
from comments.digests.models import DigestFile, DigestReport
from comments.digests.render import report_tables
from comments.models import Comment, Concern
from config import jobs
from config.errors import ApplicationError, PermissionDenied
from config.spreadsheets import spreadsheet_safe
from drafts.models import DraftVersion
from tests.conftest import wait_for

Kind = DigestReport.Kind


@pytest.fixture
def story(demo):
    """The demo with its comments, concerns and campaign on draft 1, and draft 2 published with the grounds concern accepted."""
    demo_comments_load(consultation=demo)
    demo_next_draft_load(consultation=demo)
    return demo


def _version(demo, number):
    return DraftVersion.objects.get(document__slug="constitution", number=number)


def _build(report):
    services.digest_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def _json(report) -> dict:
    return json.loads(bytes(DigestFile.objects.get(report=report, format="json").data))


def test_an_on_demand_report_counts_what_the_database_holds(story, member):
    demo = story
    report = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    assert report.status == DigestReport.Status.PENDING and report.requested_by == member and not report.is_public
    report = _build(report)
    assert report.status == DigestReport.Status.DONE, report.error
    content = _json(report)["content"]
    published = Comment.objects.filter(consultation=demo, status="published", is_official=False)
    assert content["totals"]["published"] == published.count()
    assert content["totals"]["hidden"] == Comment.objects.filter(consultation=demo, status="hidden", is_official=False).count()
    assert content["totals"]["authors"] == published.values("author").distinct().count()
    assert sum(row["comments"] for row in content["trend"]) == published.count()
    assert {row["stance"]: row["comments"] for row in content["stances"]}["oppose"] == published.filter(stance="oppose").count()
    assert sum(row["comments"] for row in content["respondents"]) == published.count()
    assert sum(tree["comments"] for tree in content["provisions"]) == published.count()
    # Article 25 of draft 1 counts its paragraphs' comments.
    tree = next(t for t in content["provisions"] if t["version"]["number"] == 1 and t["document"]["slug"] == "constitution")
    nodes = {}

    def walk(items):
        for node in items:
            nodes[node["path"]] = node
            walk(node["children"])

    walk(tree["sections"])
    article = nodes["II/25"]
    assert article["comments"] == published.filter(version__number=1, provision__path__startswith="II/25").count()
    assert article["comments"] > 0
    assert "II/25/1" not in nodes  # paragraphs are counted into their article
    top = content["top_concerns"]
    assert top == sorted(top, key=lambda row: -row["comments"])
    if top:
        concern = Concern.objects.get(pk=top[0]["id"])
        assert top[0]["comments"] == concern.links.filter(comment__status="published").count()
    assert content["campaigns"]["count"] == demo.campaigns.filter(size__gte=2).count()
    # The checkpoint is the chain as it stood.
    head = chain_head(consultation=demo)
    assert (report.chain_length, report.chain_head) == (head.length, head.head_hash)
    assert _json(report)["checkpoint"]["chain_head"] == head.head_hash
    assert set(report.files.values_list("format", flat=True)) >= {"html", "csv", "json"}
    html = bytes(report.files.get(format="html").data).decode()
    assert head.head_hash in html and "Article 25" in html


def test_the_same_inputs_give_one_report(demo, member, comments):
    first = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    second = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    assert first.pk == second.pk and DigestReport.objects.count() == 1
    from comments import services as comment_services
    from tests.factories import participant_user

    comment_services.comment_submit(
        author=participant_user("Late"), provision_id=comments[0].provision_id, stance="support", language="en", body="A new one."
    )
    third = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    assert third.pk != first.pk  # the data changed: new inputs


def test_a_version_report_compares_with_the_predecessor(story):
    demo = story
    version = _version(demo, 2)
    report = _build(services.digest_request(consultation=demo, kind=Kind.VERSION, version=version))
    assert report.status == DigestReport.Status.DONE, report.error
    assert report.is_public and report.document_id == version.document_id
    content = _json(report)["content"]
    comparison = content["comparison"]
    assert comparison["previous"]["number"] == 1
    assert comparison["state"] == "done"
    assert comparison["figures"]["definitions"]
    assert comparison["table"] and any(row["concerns"] for row in comparison["table"])
    assert content["totals"]["published"] == Comment.objects.filter(version=version, status="published", is_official=False).count()
    tables = zipfile.ZipFile(io.BytesIO(bytes(report.files.get(format="csv").data))).namelist()
    assert "comparative.csv" in tables and "provisions.csv" in tables


def test_a_daily_digest_counts_its_period_only(demo, member, comments):
    Comment.objects.filter(pk=comments[0].pk).update(created_at=timezone.now() - datetime.timedelta(days=3))
    end = timezone.now() + datetime.timedelta(minutes=1)
    report = _build(services.digest_request(consultation=demo, kind=Kind.DAILY, period_start=end - datetime.timedelta(days=1), period_end=end))
    assert report.status == DigestReport.Status.DONE, report.error
    expected = Comment.objects.filter(
        consultation=demo, status="published", is_official=False, created_at__gte=end - datetime.timedelta(days=1), created_at__lt=end
    ).count()
    assert _json(report)["content"]["totals"]["published"] == expected


@pytest.mark.parametrize("case", ["end_before_start", "foreign_version", "version_missing", "unknown_kind"])
def test_bad_requests_are_refused_and_save_nothing(demo, member, case, document, make_version):
    now = timezone.now()
    arguments = {"consultation": demo, "kind": Kind.ON_DEMAND, "requested_by": member}
    field = {"end_before_start": "period_end", "foreign_version": "version", "version_missing": "version", "unknown_kind": "kind"}[case]
    if case == "end_before_start":
        arguments.update(period_start=now, period_end=now - datetime.timedelta(days=1))
    elif case == "foreign_version":
        arguments.update(kind=Kind.VERSION, version=make_version(document))
    elif case == "version_missing":
        arguments.update(kind=Kind.VERSION)
    else:
        arguments.update(kind="weekly")
    with pytest.raises(ApplicationError) as raised:
        services.digest_request(**arguments)
    assert raised.value.status == 400 and field in raised.value.fields
    assert not DigestReport.objects.exists()


def test_a_citizen_cannot_ask_for_a_report(demo, citizen):
    with pytest.raises(PermissionDenied):
        services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=citizen)
    assert not DigestReport.objects.exists()


def test_a_report_whose_version_is_gone_fails_with_its_error(demo):
    report = services.digest_request(consultation=demo, kind=Kind.VERSION, version=_version(demo, 1))
    DigestReport.objects.filter(pk=report.pk).update(version=None)  # as the version's deletion leaves it (SET_NULL)
    with pytest.raises(ApplicationError):
        services.digest_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == DigestReport.Status.FAILED and "no longer exists" in report.error
    assert not report.files.exists()


def test_spreadsheet_formulas_are_neutralised():
    assert spreadsheet_safe("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert spreadsheet_safe("-1") == "'-1" and spreadsheet_safe("@x") == "'@x" and spreadsheet_safe("plain") == "plain"
    content = {
        "totals": {}, "trend": [], "provisions": [], "stances": [{"label": "=cmd", "comments": 1}], "respondents": [],
        "top_concerns": [], "decided": {"concerns": []}, "campaigns": {"campaigns": []},
    }
    assert "'=cmd" in report_tables(content=content)["stances.csv"].decode()


@pytest.mark.django_db(transaction=True)
def test_a_transient_failure_is_retried_then_recorded(demo, member, comments, settings):
    """A real failure: another session holds a lock on the comments while each query may wait 200 ms."""
    settings.DIGEST_STATEMENT_TIMEOUT_MS = 200
    report = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    params = connection.get_connection_params()
    with psycopg.connect(**{k: v for k, v in params.items() if k in ("host", "port", "user", "password", "dbname")}) as locker:
        locker.execute("LOCK TABLE comments_comment IN ACCESS EXCLUSIVE MODE")
        for attempt in range(1, DigestReport.max_attempts + 1):
            DigestReport.objects.filter(pk=report.pk).update(status=jobs.Status.PENDING) if attempt > 1 else None
            with pytest.raises(Exception):
                services.digest_build(report_id=report.pk)
            report.refresh_from_db()
            assert report.attempts == attempt and report.error.startswith("OperationalError") and "statement timeout" in report.error
            expected = DigestReport.Status.PENDING if attempt < DigestReport.max_attempts else DigestReport.Status.FAILED
            assert report.status == expected
        locker.rollback()
    assert not report.files.exists()


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_a_report_once_when_its_task_is_delivered_twice(celery_worker, demo, member, comments):
    from config.tasks import enqueue_now

    report = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    enqueue_now(DigestReport.task_name, report_id=report.pk)  # a second delivery of the same job
    assert wait_for(lambda: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 30)
    report.refresh_from_db()
    assert report.attempts == 1 and report.files.filter(format="json").count() == 1
    assert DigestReport.objects.count() == 1
    assert _json(report)["content"]["totals"]["published"] == Comment.objects.filter(consultation=demo, status="published", is_official=False).count()


@pytest.mark.django_db(transaction=True)
def test_a_checkpoint_holds_until_a_receipt_is_altered(demo, member, comments):
    report = _build(services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member))
    assert report.chain_length and selectors.checkpoint_holds(report=report) is True
    assert selectors.digest_checkpoints(consultation=demo) == []  # not published
    services.digest_publish(actor=member, report_id=report.pk, public=True)
    assert [holds for _report, holds in selectors.digest_checkpoints(consultation=demo)] == [True]
    with connection.cursor() as cursor:  # the receipts' table refuses updates only by convention: tamper as an attacker would
        cursor.execute(
            "UPDATE comments_receipt SET chain_hash = %s WHERE consultation_id = %s AND sequence = %s",
            ["f" * 64, demo.pk, report.chain_length],
        )
    assert selectors.checkpoint_holds(report=report) is False
    assert [holds for _report, holds in selectors.digest_checkpoints(consultation=demo)] == [False]


@pytest.mark.django_db(transaction=True)
def test_a_report_whose_worker_died_is_finished_by_the_next(celery_worker, demo, member, comments, settings):
    """A worker killed mid-report leaves it RUNNING with a stale heartbeat; the sweep queues it and the next worker takes it over."""
    report = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    assert wait_for(lambda: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 30)
    DigestFile.objects.filter(report=report).delete()
    stale = timezone.now() - datetime.timedelta(seconds=settings.BACKGROUND_JOB_STALE_SECONDS + 60)
    DigestReport.objects.filter(pk=report.pk).update(status=jobs.Status.RUNNING, progress=0.4, heartbeat_at=stale, started_at=stale)
    assert jobs.job_sweep() >= 1
    assert wait_for(lambda: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 30)
    report.refresh_from_db()
    assert report.attempts == 2 and report.files.filter(format="json").count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_concurrent_requests_for_the_same_inputs_make_one_report(demo, member, comments):
    """Both callers compute the same inputs hash; the unique constraint lets one insert win and the other read it."""
    import threading

    from django.db import connections

    barrier, results, errors = threading.Barrier(2), [], []

    def ask():
        try:
            barrier.wait(5)
            results.append(services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member).pk)
        except Exception as error:  # reported below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=ask) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(20)
    assert not errors and len(results) == 2 and results[0] == results[1]
    assert DigestReport.objects.count() == 1


@pytest.mark.django_db(transaction=True)
def test_the_worker_builds_each_kind_of_report(celery_worker, story, member):
    """A daily digest, the version report of draft 2 and an on-demand report of one document, each built by the
    worker, with its totals as the database counts them."""
    demo = story
    end = timezone.now() + datetime.timedelta(minutes=1)
    version = _version(demo, 2)
    reports = [
        services.digest_request(consultation=demo, kind=Kind.DAILY, period_start=end - datetime.timedelta(days=1), period_end=end),
        services.digest_request(consultation=demo, kind=Kind.VERSION, version=version),
        services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member, document=version.document),
    ]
    for report in reports:
        assert wait_for(lambda report=report: DigestReport.objects.get(pk=report.pk).status == DigestReport.Status.DONE, 60), report
    published = Comment.objects.filter(consultation=demo, status="published", is_official=False)
    daily, version_report, on_demand = (_json(report)["content"] for report in reports)
    assert daily["totals"]["published"] == published.filter(created_at__gte=end - datetime.timedelta(days=1), created_at__lt=end).count()
    assert version_report["totals"]["published"] == published.filter(version=version).count()
    assert version_report["comparison"]["table"]
    assert on_demand["totals"]["published"] == published.filter(version__document=version.document).count()
    assert on_demand["accounted_for"]["total"] == published.filter(version__document=version.document).count()
