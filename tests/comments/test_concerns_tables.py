"""The summary and comparative tables as the commission files them: JSON, CSV and .docx (opened with python-docx)."""
import csv
import io

import docx
import pytest

from comments.concerns import services as concerns
from comments.demo_data import demo_comments_load, demo_next_draft_load
from comments.models import Concern
from drafts.models import Alignment, DraftVersion

pytestmark = pytest.mark.django_db
BASE = "/api/v1/consultations/tarvania-2026/tables/"


@pytest.fixture
def record(demo):
    demo_comments_load(consultation=demo)
    return demo


def test_the_summary_table_answers_every_comment(client, record):
    rows = client.get(BASE + "summary.json").json()["rows"]
    assert len(rows) == 21 - 8 + 1  # the citizens' comments (the official answer is not owed one), the 8 form letters as one row
    by_body = {row["comment"].split("\n")[0]: row for row in rows}
    grounds = next(row for body, row in by_body.items() if body.startswith("Nobody can say"))
    assert grounds["decision"].endswith(": Under review") and grounds["receipt"].startswith("TARVANIA-2026-")
    assert grounds["author"] == "Aigerim S." and grounds["element"] == "Draft 1, II/25/1"
    bar = next(row for row in rows if row["author"] == "Bar Association of Ordabel")
    assert "Proposed wording" in bar["comment"]
    assert any(row["decision"] == "No separate answer" for row in rows)


def test_the_summary_table_as_csv_and_docx(client, record):
    answer = client.get(BASE + "summary.csv")
    assert answer["Content-Disposition"] == 'attachment; filename="tarvania-2026-summary.csv"'
    lines = list(csv.reader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))
    assert lines[0] == ["Structural element", "Author", "Receipt", "Comment", "Decision", "Reasoning"] and len(lines) == 15
    document = docx.Document(io.BytesIO(client.get(BASE + "summary.docx").content))
    [table] = document.tables
    assert [cell.text for cell in table.rows[0].cells][:2] == ["Structural element", "Author"] and len(table.rows) == 15
    assert "Summary of comments" in document.paragraphs[0].text
    assert client.get(BASE + "summary.xlsx").status_code == 404



def test_the_summary_table_takes_the_comment_lists_filters(client, record):
    """The same FilterSet as the comment list and its exports: the table of one version's, one stance's… comments."""
    every = client.get(BASE + "summary.json").json()["rows"]
    draft_1, baseline = (DraftVersion.objects.get(document__slug="constitution", number=n).pk for n in (1, 0))
    assert client.get(BASE + "summary.json", {"version": draft_1}).json()["rows"] == every
    assert client.get(BASE + "summary.json", {"version": baseline}).json()["rows"] == []
    for params in ({"submitter_type": "organisation"}, {"stance": "support"}, {"search": "moral"}):
        rows = client.get(BASE + "summary.json", params).json()["rows"]
        listed = client.get("/api/v1/comments/", {**params, "consultation": "tarvania-2026", "page_size": 200}).json()["results"]
        assert 0 < len(rows) < len(every), params
        assert {row["receipt"] for row in rows} <= {comment["receipt"] for comment in listed}, params
    answer = client.get(BASE + "summary.csv", {"stance": "maybe"}, HTTP_ACCEPT="text/csv")
    assert answer.status_code == 400 and answer["Content-Type"] == "application/json" and "stance" in answer.json()["fields"]
    assert client.get(BASE + "summary.csv", {"stance": "support"}, HTTP_ACCEPT="text/csv").status_code == 200


def test_the_tables_are_in_the_schema_with_their_formats_and_the_summary_with_the_lists_filters(client, db):
    from comments.filters import CommentFilter

    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    summary = paths["/api/v1/consultations/{slug}/tables/summary.{fmt}"]["get"]
    assert {p["name"] for p in summary["parameters"]} == set(CommentFilter.base_filters) | {"slug", "fmt"}
    comparative = paths["/api/v1/consultations/{slug}/tables/{document_slug}/v{old_number}-v{new_number}.{fmt}"]["get"]
    for operation in (summary, comparative):
        assert set(operation["responses"]["200"]["content"]) == {
            "application/json", "text/csv", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
        assert all(p.get("description") for p in operation["parameters"])


def test_the_comparative_table_shows_the_concern_its_changes_carry(client, record, make_participant):
    from tests.factories import MembershipFactory

    member = make_participant("Member")
    MembershipFactory(consultation=record, user=member)
    baseline, draft = DraftVersion.objects.filter(document__slug="constitution").order_by("number")
    alignment = Alignment.objects.get(old_version=baseline, new_version=draft)
    assert alignment.status == "done"
    article = alignment.changes.filter(level="article", new_provisions__path="II/25").get()
    concern = Concern.objects.create(  # raised on the baseline, so that draft 1 can resolve it
        consultation=record, document=baseline.document, title="Rights limits must be precise", raised_in=baseline, created_by=member,
    )
    concerns.concern_decide(
        actor=member, concern_id=concern.pk, status="partially_accepted", rationale="Narrowed, not yet to the ICCPR's list.",
        resolved_in_id=draft.pk, change_ids=[article.pk],
    )
    rows = client.get(BASE + "constitution/v0-v1.json").json()["rows"]
    [row] = [row for row in rows if row["element"].startswith("II/25 ")]
    assert row["concerns"] == "Rights limits must be precise (partially accepted)" and row["rationale"].startswith("Narrowed")
    assert "spiritual and moral values" in row["new_wording"]
    assert all(r["concerns"] == "" for r in rows if r is not row)
    document = docx.Document(io.BytesIO(client.get(BASE + "constitution/v0-v1.docx").content))
    assert any("Rights limits must be precise" in cell.text for cell in document.tables[0].columns[3].cells)


def test_a_comparative_table_needs_a_computed_comparison(client, record):
    assert client.get(BASE + "constitution/v0-v7.csv").status_code == 404
    Alignment.objects.filter(new_version__number=1, new_version__document__slug="constitution").update(status="pending")
    answer = client.get(BASE + "constitution/v0-v1.csv")
    assert answer.status_code == 409 and answer.json()["code"] == "comparison_not_ready"


def test_the_tables_are_in_the_openapi_schema(client):
    paths = client.get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "/api/v1/consultations/{slug}/tables/summary.{fmt}" in paths


def test_a_campaign_is_one_row_with_its_supporters(client, record, make_participant, draft_provision):
    from comments import services
    from comments.campaigns import services as campaigns

    letter = ("Please replace the grounds of spiritual and moral values with the grounds that the International "
              "Covenant on Civil and Political Rights allows, as other states have done.")
    for n in range(3):
        services.comment_submit(author=make_participant(f"Sender {n}"), provision_id=draft_provision.pk, body=f"{letter} {n}",
                                stance="oppose", language="en")
    campaigns.campaigns_sweep()
    rows = client.get(BASE + "summary.json").json()["rows"]
    [campaign] = [row for row in rows if row["author"].startswith("Campaign of") and row["comment"].startswith("Please replace")]
    assert campaign["author"] == "Campaign of 3 comments"
    assert len(rows) == 14 + 1


def test_after_draft_2_both_tables_show_the_accepted_concern(client, record):
    demo_next_draft_load(consultation=record)
    rows = client.get(BASE + "summary.json").json()["rows"]
    grounds = next(row for row in rows if row["comment"].startswith("Nobody can say"))
    assert grounds["decision"].endswith(": Accepted") and "ICCPR art. 18(3)" in grounds["reasoning"]
    [letters] = [row for row in rows if row["author"] == "Campaign of 8 comments"]
    assert letters["decision"] == grounds["decision"] and letters["element"] == "Draft 1, II/25/1"
    comparative = client.get(BASE + "constitution/v1-v2.json").json()["rows"]
    [article] = [row for row in comparative if row["element"].startswith("II/25 ")]
    assert article["concerns"] == "Restricting rights on grounds of 'spiritual and moral values' (accepted)"
    assert article["rationale"].startswith("Accepted.") and "spiritual and moral values" in article["old_wording"]
    assert "national security" in article["new_wording"] and "spiritual" not in article["new_wording"]
    assert [row["element"].split(" ")[0] for row in comparative if row["concerns"]] == ["II/25"]
