"""API coherence (issue 11, point 8): a comment's field holds the kind of value that the filter of the same
name takes (the version's id as `version`, its number as `version_number`; slugs for the consultation and
document); the exports take the list's filters (the same FilterSet) and are in the OpenAPI schema with
their real media types."""
import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from comments.apis import EXPORT_FIELDS, CommentRecordSerializer
from comments.filters import CommentFilter
from drafts.models import Provision
from tests.comments.test_api import _comments_in_bulk
from tests.comments.test_carried_forward import draft_2_text
from tests.comments.test_concerns_changes import _concern

pytestmark = pytest.mark.django_db

SLUG = "tarvania-2026"
CSV = f"/api/v1/consultations/{SLUG}/export/comments.csv"
JSONL = f"/api/v1/consultations/{SLUG}/export/comments.jsonl"


@pytest.fixture
def on_two_versions(aigerim, draft_provision):
    """Comments on draft 1's paragraph II/25/1 and on the same paragraph of the baseline (version 0)."""
    baseline = Provision.objects.exclude(version=draft_provision.version).get(lineage=draft_provision.lineage)
    _comments_in_bulk(aigerim, draft_provision, count=3)
    _comments_in_bulk(aigerim, baseline, count=2, stance="support")
    return draft_provision, baseline


@pytest.fixture
def publish_draft_2(demo, make_version):
    return lambda: make_version(demo.documents.get(slug="constitution"), texts={"en": draft_2_text()})


def _list(**params) -> list[dict]:
    answer = APIClient().get("/api/v1/comments/", {"page_size": 200, **params})
    assert answer.status_code == 200, answer.json()
    return answer.json()["results"]


def test_a_comments_version_is_what_the_version_filter_takes(on_two_versions):
    draft, baseline = on_two_versions
    listed = _list(provision=draft.pk)
    assert {(c["version"], c["version_number"]) for c in listed} == {(draft.version_id, 1)}
    for comment in listed + _list(provision=baseline.pk):
        same_version = _list(version=comment["version"])
        assert comment["id"] in {c["id"] for c in same_version}
        assert {c["version"] for c in same_version} == {comment["version"]}
        assert {c["version_number"] for c in same_version} == {comment["version_number"]}
    assert {c["version_number"] for c in _list(version=baseline.version_id)} == {0}


@pytest.mark.parametrize("name", ["consultation", "provision", "lineage", "stance", "submitter_type"])
def test_every_field_that_has_a_filter_of_its_name_is_taken_back_by_it(on_two_versions, name):
    for comment in _list():
        assert comment["id"] in {c["id"] for c in _list(**{name: comment[name]})}, (name, comment[name])


def test_the_record_names_the_consultation_and_document_by_slug_as_the_rest_of_the_api(on_two_versions):
    draft, _baseline = on_two_versions
    comment = _list(provision=draft.pk)[0]
    assert (comment["consultation"], comment["document"]) == (SLUG, "constitution")
    detail = APIClient().get(f"/api/v1/comments/{comment['id']}/").json()
    assert {key: detail[key] for key in comment} == comment


@pytest.mark.parametrize(
    ("params", "field"),
    [({"version": "draft-1"}, "version"), ({"version": "1.5"}, "version"), ({"provision": "9" * 30}, "provision"),
     ({"stance": "maybe"}, "stance"), ({"since": "yesterday"}, "since"), ({"order": "loudest"}, "order")],
)
def test_a_bad_filter_is_a_400_on_its_field(db, params, field):
    answer = APIClient().get("/api/v1/comments/", params)
    assert answer.status_code == 400 and field in answer.json()["fields"]


def _csv_rows(answer) -> list[dict]:
    assert answer.status_code == 200 and answer["Content-Type"] == "text/csv; charset=utf-8"
    return list(csv.DictReader(io.StringIO(b"".join(answer.streaming_content).decode("utf-8-sig"))))


def _jsonl_rows(answer) -> list[dict]:
    assert answer.status_code == 200 and answer["Content-Type"] == "application/x-ndjson; charset=utf-8"
    return [json.loads(line) for line in b"".join(answer.streaming_content).decode().splitlines()]


@pytest.mark.parametrize(
    "params",
    [{}, {"stance": "support"}, {"version": "<baseline>"}, {"provision": "<draft>"}, {"search": "Point"},
     {"since": "2000-01-01T00:00:00Z", "stance": "oppose"}],
)
def test_the_exports_take_the_lists_filters_and_give_its_records(on_two_versions, params):
    draft, baseline = on_two_versions
    params = {name: {"<baseline>": baseline.version_id, "<draft>": draft.pk}.get(value, value) for name, value in params.items()}
    listed = sorted(_list(**params), key=lambda c: c["id"])
    assert listed, params
    jsonl = _jsonl_rows(APIClient().get(JSONL, params))
    assert jsonl == listed  # oldest first; the same records as the list
    rows = _csv_rows(APIClient().get(CSV, params))
    assert list(rows[0]) == EXPORT_FIELDS == list(listed[0])
    assert [(int(row["id"]), int(row["version"]), int(row["version_number"])) for row in rows] == [
        (c["id"], c["version"], c["version_number"]) for c in listed
    ]


def test_an_export_asked_for_by_its_media_type_is_served_and_a_bad_filter_is_a_json_400(on_two_versions):
    assert _csv_rows(APIClient().get(CSV, HTTP_ACCEPT="text/csv"))
    assert _jsonl_rows(APIClient().get(JSONL, HTTP_ACCEPT="application/x-ndjson"))
    for path in (CSV, JSONL):
        answer = APIClient().get(path, {"stance": "maybe"}, HTTP_ACCEPT="text/csv")
        assert answer.status_code == 400 and answer["Content-Type"] == "application/json"
        assert "stance" in answer.json()["fields"]
    assert APIClient().get("/api/v1/consultations/no-such-consultation/export/comments.csv").status_code == 404


def test_the_exports_are_in_the_schema_with_their_media_types_and_the_lists_filters(db):
    schema = APIClient().get("/api/schema/", {"format": "json"}).json()
    listing = schema["paths"]["/api/v1/comments/"]["get"]
    filters = {p["name"] for p in listing["parameters"]} - {"cursor", "page_size", "order"}
    assert filters == set(CommentFilter.base_filters)
    for path, media_type in ((CSV, "text/csv"), (JSONL, "application/x-ndjson")):
        operation = schema["paths"][path.replace(SLUG, "{slug}")]["get"]
        assert list(operation["responses"]["200"]["content"]) == [media_type]
        parameters = {p["name"]: p for p in operation["parameters"]}
        assert set(parameters) == filters | {"slug"}
        for name in filters:
            assert parameters[name] == next(p for p in listing["parameters"] if p["name"] == name)
    jsonl = schema["paths"][JSONL.replace(SLUG, "{slug}")]["get"]["responses"]["200"]["content"]["application/x-ndjson"]
    assert jsonl["schema"]["$ref"].endswith("/CommentRecord")
    assert set(schema["components"]["schemas"]["CommentRecord"]["properties"]) == set(CommentRecordSerializer().fields)


def test_a_concerns_versions_are_ids_as_decide_and_the_suggestions_take_them(demo, member, comments, publish_draft_2):
    concern = _concern(member, demo, comments=comments)
    draft_2 = publish_draft_2()
    commission = APIClient()
    commission.force_authenticate(member)
    suggestions = commission.get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version": draft_2.pk}).json()
    decided = commission.post(
        f"/api/v1/concerns/{concern.pk}/decide/",
        {"status": "accepted", "rationale": "The ICCPR's grounds.", "resolved_in": draft_2.pk,
         "changes": [row["id"] for row in suggestions if row["suggested"]]},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    record = APIClient().get(f"/api/v1/concerns/{concern.pk}/").json()
    assert (record["resolved_in"], record["resolved_in_number"]) == (draft_2.pk, 2)
    assert (record["raised_in"], record["raised_in_number"]) == (comments[0].version_id, 1)
    assert record["raised_in"] == _list(provision=comments[0].provision_id)[0]["version"]
    assert commission.get(f"/api/v1/concerns/{concern.pk}/change-suggestions/", {"version": record["resolved_in"]}).json() == suggestions
    [listed] = APIClient().get("/api/v1/concerns/", {"consultation": SLUG}).json()["results"]
    assert {key: listed[key] for key in ("raised_in", "raised_in_number", "resolved_in", "resolved_in_number")} == {
        key: record[key] for key in ("raised_in", "raised_in_number", "resolved_in", "resolved_in_number")
    }
