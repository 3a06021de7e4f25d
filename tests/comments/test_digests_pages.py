"""Digest reports' pages and API: who sees and asks for what, the progress and downloads, the checkpoints page,
bad input (a specific 400, nothing saved), the OpenAPI schema, and the PDF of the demo's version report."""
import datetime
import shutil
import subprocess

import pytest
from django.urls import reverse

from comments.demo_data import demo_comments_load, demo_next_draft_load
from comments.digests import services
from comments.digests.models import DigestReport
from drafts.models import DraftVersion

pytestmark = pytest.mark.django_db
Kind = DigestReport.Kind


@pytest.fixture
def story(demo):
    demo_comments_load(consultation=demo)
    demo_next_draft_load(consultation=demo)
    # Closing draft 1's comment phase asked for its version report (comments.digests.schedule): these tests count their own.
    DigestReport.objects.filter(kind=Kind.VERSION, version__number=1).delete()
    return demo


@pytest.fixture
def version_report(story):
    version = DraftVersion.objects.get(document__slug="constitution", number=2)
    report = services.digest_request(consultation=story, kind=Kind.VERSION, version=version)
    services.digest_build(report_id=report.pk)
    report.refresh_from_db()
    assert report.status == DigestReport.Status.DONE, report.error
    return report


def _private(demo, member):
    report = services.digest_request(consultation=demo, kind=Kind.ON_DEMAND, requested_by=member)
    services.digest_build(report_id=report.pk)
    report.refresh_from_db()
    return report


def test_the_public_sees_published_reports_only(client, story, member, version_report):
    private = _private(story, member)
    page = client.get(reverse("digest-list", args=[story.slug]))
    assert page.status_code == 200
    assert reverse("digest-detail", args=[story.slug, version_report.pk]).encode() in page.content
    assert reverse("digest-detail", args=[story.slug, private.pk]).encode() not in page.content
    assert b"Ask for a report" not in page.content
    assert client.get(reverse("digest-detail", args=[story.slug, private.pk])).status_code == 404
    assert client.get(reverse("digest-download", args=[story.slug, private.pk, "json"])).status_code == 404
    detail = client.get(reverse("digest-detail", args=[story.slug, version_report.pk]))
    assert detail.status_code == 200 and version_report.chain_head.encode() in detail.content
    assert b"<svg" in detail.content  # the heat map inline
    download = client.get(reverse("digest-download", args=[story.slug, version_report.pk, "csv"]))
    assert download.status_code == 200 and download["Content-Type"] == "application/zip"
    assert client.get(reverse("digest-download", args=[story.slug, version_report.pk, "docx"])).status_code == 404


def test_a_member_asks_for_a_report_and_sees_its_progress(client, story, member):
    client.force_login(member)
    page = client.get(reverse("digest-list", args=[story.slug]))
    assert b"Ask for a report" in page.content
    response = client.post(reverse("digest-list", args=[story.slug]), {"document": "", "period_start": "", "period_end": ""})
    report = DigestReport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("digest-detail", args=[story.slug, report.pk])
    detail = client.get(response["Location"])
    assert b'http-equiv="refresh"' in detail.content and b"<progress" in detail.content and b"digest-progress.js" in detail.content
    status = client.get(reverse("digest-status", args=[story.slug, report.pk])).json()
    assert status == {"status": "pending", "status_label": "Waiting", "progress": 0.0}
    services.digest_build(report_id=report.pk)
    detail = client.get(response["Location"])
    assert b'http-equiv="refresh"' not in detail.content and b"Checkpoint" in detail.content
    client.post(reverse("digest-publish", args=[story.slug, report.pk]), {"public": "1"})
    report.refresh_from_db()
    assert report.is_public


def test_a_member_period_ending_before_it_starts_is_refused(client, story, member):
    client.force_login(member)
    response = client.post(reverse("digest-list", args=[story.slug]), {"period_start": "2026-05-10", "period_end": "2026-05-01"})
    assert response.status_code == 400 and b"The end of the period must come after its start." in response.content
    assert not DigestReport.objects.exists()


def test_a_citizen_cannot_ask_retry_or_publish(client, story, citizen, member):
    client.force_login(citizen)
    assert client.post(reverse("digest-list", args=[story.slug]), {}).status_code == 403
    report = _private(story, member)
    DigestReport.objects.filter(pk=report.pk).update(is_public=True, status="failed")
    assert client.post(reverse("digest-retry", args=[story.slug, report.pk])).status_code == 403
    assert client.post(reverse("digest-publish", args=[story.slug, report.pk]), {"public": "0"}).status_code == 403
    assert DigestReport.objects.filter(pk=report.pk, is_public=True, status="failed").exists()


def test_a_failed_report_shows_its_error_and_a_member_retries_it(client, story, member):
    report = services.digest_request(consultation=story, kind=Kind.VERSION, version=DraftVersion.objects.get(document__slug="constitution", number=1))
    DigestReport.objects.filter(pk=report.pk).update(version=None)
    with pytest.raises(Exception):
        services.digest_build(report_id=report.pk)
    client.force_login(member)
    page = client.get(reverse("digest-detail", args=[story.slug, report.pk]))
    assert b"no longer exists" in page.content and b"Try again" in page.content
    assert client.post(reverse("digest-retry", args=[story.slug, report.pk])).status_code == 302
    report.refresh_from_db()
    assert report.status == DigestReport.Status.PENDING and report.attempts == 0


def test_the_checkpoints_page_lists_published_reports(client, version_report, story):
    page = client.get(reverse("digest-checkpoints", args=[story.slug]))
    assert page.status_code == 200 and version_report.chain_head.encode() in page.content and b"Yes" in page.content


def test_the_api_lists_retrieves_and_serves_files(client, story, member, version_report):
    private = _private(story, member)
    listed = client.get("/api/v1/reports/", {"consultation": story.slug}).json()
    assert [row["id"] for row in listed["results"]] == [version_report.pk]
    client.force_login(member)
    listed = client.get("/api/v1/reports/", {"consultation": story.slug}).json()
    assert {row["id"] for row in listed["results"]} == {version_report.pk, private.pk}
    detail = client.get(f"/api/v1/reports/{version_report.pk}/").json()
    assert detail["checkpoint_holds"] is True and detail["chain_head"] == version_report.chain_head
    assert {file["format"] for file in detail["files"]} == {"html", "pdf", "csv", "json"}
    file = client.get(f"/api/v1/reports/{version_report.pk}/files/json/")
    assert file.status_code == 200 and file["Content-Type"] == "application/json"
    assert client.get(f"/api/v1/reports/{version_report.pk}/files/docx/").status_code == 404


def test_the_api_asks_for_reports_for_the_commission_only(client, story, member, citizen):
    client.force_login(citizen)
    assert client.post("/api/v1/reports/", {"consultation": story.slug}, content_type="application/json").status_code == 403
    client.force_login(member)
    bad = client.post(
        "/api/v1/reports/", {"consultation": story.slug, "period_start": "2026-05-10T00:00:00Z", "period_end": "2026-05-01T00:00:00Z"},
        content_type="application/json",
    )
    assert bad.status_code == 400 and "period_end" in bad.json()["fields"]
    assert not DigestReport.objects.exists()
    created = client.post("/api/v1/reports/", {"consultation": story.slug}, content_type="application/json")
    again = client.post("/api/v1/reports/", {"consultation": story.slug}, content_type="application/json")
    assert created.status_code == 201 and again.json()["id"] == created.json()["id"] and DigestReport.objects.count() == 1


def test_the_reports_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    assert "/api/v1/reports/" in schema and "/api/v1/reports/{id}/files/{file_format}/" in schema


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="pdftoppm (poppler-utils) is not installed")
def test_the_pdf_of_the_version_report_has_its_pages_drawn(version_report, tmp_path):
    """The demo's version report as PDF: its first pages rendered to PNG are not blank (they show the checkpoint,
    the totals and charts, the heat map of Article 25's comments, the concerns and the comparative table)."""
    from PIL import Image

    pdf = bytes(version_report.files.get(format="pdf").data)
    assert pdf.startswith(b"%PDF")
    (tmp_path / "report.pdf").write_bytes(pdf)
    subprocess.run(["pdftoppm", "-png", "-r", "40", "-f", "1", "-l", "3", str(tmp_path / "report.pdf"), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page*.png"))
    assert len(pages) >= 2
    for page in pages:
        image = Image.open(page).convert("L")
        dark = sum(1 for value in image.getdata() if value < 128)
        assert dark > 500, f"{page.name} looks blank"
    text = subprocess.run(["pdftotext", str(tmp_path / "report.pdf"), "-"], capture_output=True, text=True, check=True).stdout
    (tmp_path.parent / "digest-text.txt").write_text(text)
    text = " ".join(text.split())
    assert "Comparative table" in text and "spiritual and moral values" in text and version_report.chain_head[:16] in text.replace(" ", "")


def test_the_list_page_and_endpoint_read_a_bounded_number_of_queries(client, story, member, django_assert_max_num_queries):
    for day in range(1, 6):  # five built reports, each with its files
        report = services.digest_request(
            consultation=story, kind=Kind.ON_DEMAND, requested_by=member,
            period_start=datetime.datetime(2026, 1, day, tzinfo=datetime.UTC), period_end=datetime.datetime(2026, 1, day + 1, tzinfo=datetime.UTC),
        )
        services.digest_build(report_id=report.pk)
    client.force_login(member)
    with django_assert_max_num_queries(12):
        listed = client.get("/api/v1/reports/", {"consultation": story.slug}).json()
    assert len(listed["results"]) == 5 and all(row["checkpoint_holds"] for row in listed["results"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("digest-list", args=[story.slug])).status_code == 200


def test_the_list_page_is_paginated(client, story, member):
    from comments.digests.views import PAGE_SIZE

    for day in range(1, PAGE_SIZE + 3):  # queued, never built: a list shows them too
        services.digest_request(
            consultation=story, kind=Kind.ON_DEMAND, requested_by=member,
            period_start=datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=day),
            period_end=datetime.datetime(2025, 1, 2, tzinfo=datetime.UTC) + datetime.timedelta(days=day),
        )
    client.force_login(member)
    first = client.get(reverse("digest-list", args=[story.slug])).content.decode()
    assert 'rel="next"' in first and "Page 1 of 2" in first
    second = client.get(reverse("digest-list", args=[story.slug]), {"page": 2}).content.decode()
    assert 'rel="prev"' in second and 'rel="next"' not in second


def test_the_admin_lists_reports_and_retries_failed_ones(client, story, member, admin_user):
    report = services.digest_request(consultation=story, kind=Kind.VERSION, version=DraftVersion.objects.get(document__slug="constitution", number=1))
    DigestReport.objects.filter(pk=report.pk).update(version=None)
    with pytest.raises(Exception):
        services.digest_build(report_id=report.pk)
    client.force_login(admin_user)
    assert client.get("/admin/comments/digestreport/").status_code == 200
    assert client.get(f"/admin/comments/digestreport/{report.pk}/change/").status_code == 200
    client.post("/admin/comments/digestreport/", {"action": "retry_selected", "_selected_action": [report.pk]})
    report.refresh_from_db()
    assert report.status == DigestReport.Status.PENDING


def test_the_consultation_page_links_its_reports(client, story):
    assert reverse("digest-list", args=[story.slug]).encode() in client.get(reverse("consultation-detail", args=[story.slug])).content


def test_the_checkpoints_page_shows_a_broken_checkpoint(client, version_report, story):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE comments_receipt SET chain_hash = %s WHERE consultation_id = %s AND sequence = %s",
            ["e" * 64, story.pk, version_report.chain_length],
        )
    page = client.get(reverse("digest-checkpoints", args=[story.slug]))
    assert b"No: broken" in page.content
    detail = client.get(reverse("digest-detail", args=[story.slug, version_report.pk]))
    assert b"no longer carries this hash" in detail.content
