"""The comments API: status codes, payloads, the permission boundary of every endpoint, no personal data."""
import csv
import io
import json

import pytest
from rest_framework.test import APIClient

from comments import services
from comments.moderation import services as moderation
from comments.models import Comment, Endorsement, Report
from tests.factories import AdminFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def client_for(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


def payload(target, **overrides):
    data = {"provision": target.pk, "body": "Use the ICCPR grounds only.", "stance": "oppose", "language": "en"}
    data.update(overrides)
    return data


@pytest.fixture
def comment(aigerim, draft_provision):
    return services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="First.", stance="oppose", language="en")


def test_submit_answers_201_with_the_receipt(aigerim, draft_provision):
    response = client_for(aigerim).post(
        "/api/v1/comments/", payload(draft_provision, quote={"exact": "spiritual and moral values", "language": "en"}), format="json"
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["receipt"] == "TARVANIA-2026-0000001" and len(body["receipt_hash"]) == 64
    assert body["author"] == "Aigerim" and body["quote"] == "spiritual and moral values" and body["provision_path"] == "II/25/1"
    assert Comment.objects.get().receipt.number == body["receipt"]


@pytest.mark.parametrize(
    ("data", "status", "field_or_code"),
    [
        ({"body": ""}, 400, "body"),
        ({"body": "x" * 10_001}, 400, "body"),
        ({"stance": "maybe"}, 400, "stance"),
        ({"quote": {"exact": "not in this provision at all"}}, 400, "quote"),
        ({"provision": 99999999}, 404, "provision_not_found"),
        ({"provision": "abc"}, 400, "provision"),
    ],
)
def test_bad_submissions_are_refused_and_nothing_saved(aigerim, draft_provision, data, status, field_or_code):
    response = client_for(aigerim).post("/api/v1/comments/", payload(draft_provision, **data), format="json")
    assert response.status_code == status
    body = response.json()
    assert field_or_code in body["fields"] or body["code"] == field_or_code
    assert set(body) == {"message", "code", "fields"}
    assert not Comment.objects.exists()


def test_anonymous_and_unverified_are_refused(make_participant, draft_provision):
    assert client_for().post("/api/v1/comments/", payload(draft_provision), format="json").status_code in (401, 403)
    unverified = make_participant("Unverified", verified=False)
    response = client_for(unverified).post("/api/v1/comments/", payload(draft_provision), format="json")
    assert response.status_code == 403 and response.json()["code"] == "email_unverified"
    assert not Comment.objects.exists()


def test_csrf_is_enforced_for_session_clients(aigerim, draft_provision):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(aigerim)
    response = client.post("/api/v1/comments/", payload(draft_provision), format="json")
    assert response.status_code == 403 and "CSRF" in response.json()["message"]
    assert not Comment.objects.exists()


def test_list_filter_search_and_cursor(aigerim, make_participant, draft_provision):
    bolat = make_participant("Bolat", organisation="Bar Association")
    for n in range(5):
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Individual view {n} on morality", stance="oppose", language="en")
    services.comment_submit(author=bolat, provision_id=draft_provision.pk, body="The bar supports health grounds", stance="support", language="en")
    api = client_for()
    first = api.get("/api/v1/comments/", {"provision": draft_provision.pk, "page_size": 4}).json()
    assert len(first["results"]) == 4 and first["next"]
    rest = api.get(first["next"]).json()
    assert len(rest["results"]) == 2 and rest["next"] is None
    ids = [c["id"] for c in first["results"] + rest["results"]]
    assert ids == sorted(ids, reverse=True)
    assert [c["author"] for c in api.get("/api/v1/comments/", {"submitter_type": "organisation"}).json()["results"]] == ["Bolat"]
    assert len(api.get("/api/v1/comments/", {"stance": "oppose"}).json()["results"]) == 5
    found = api.get("/api/v1/comments/", {"search": "health"}).json()["results"]
    assert [c["author"] for c in found] == ["Bolat"]
    assert api.get("/api/v1/comments/", {"stance": "nonsense"}).status_code == 400


def test_endorse_once_and_take_back(comment, make_participant):
    bolat = client_for(make_participant("Bolat"))
    assert bolat.post(f"/api/v1/comments/{comment.pk}/endorse/").json()["endorsements"] == 1
    again = bolat.post(f"/api/v1/comments/{comment.pk}/endorse/")
    assert again.status_code == 409 and again.json()["code"] == "already_endorsed"
    assert bolat.delete(f"/api/v1/comments/{comment.pk}/endorse/").json()["endorsements"] == 0
    assert not Endorsement.objects.exists()


def test_own_comment_cannot_be_endorsed(comment, aigerim):
    assert client_for(aigerim).post(f"/api/v1/comments/{comment.pk}/endorse/").status_code == 400


def test_report_needs_a_reason_and_is_once(comment, make_participant):
    reporter = client_for(make_participant("Bolat"))
    assert reporter.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": ""}, format="json").status_code == 400
    assert reporter.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "Insults"}, format="json").status_code == 201
    assert reporter.post(f"/api/v1/comments/{comment.pk}/report/", {"reason": "Again"}, format="json").status_code == 409
    assert Report.objects.count() == 1


def test_withdraw_is_for_the_author_only(comment, make_participant, aigerim):
    assert client_for(make_participant("Bolat")).post(f"/api/v1/comments/{comment.pk}/withdraw/").status_code == 403
    response = client_for(aigerim).post(f"/api/v1/comments/{comment.pk}/withdraw/")
    assert response.status_code == 200 and response.json()["status"] == "withdrawn" and response.json()["body"] == ""
    assert Comment.objects.get().body == "First."  # kept in the record


def test_edit_is_for_the_author_and_keeps_the_previous_text(comment, make_participant, aigerim):
    assert client_for(make_participant("Bolat")).patch(f"/api/v1/comments/{comment.pk}/", {"body": "Hijack"}, format="json").status_code == 403
    response = client_for(aigerim).patch(f"/api/v1/comments/{comment.pk}/", {"body": "First, corrected."}, format="json")
    assert response.status_code == 200 and response.json()["body"] == "First, corrected." and response.json()["edited_at"]
    assert list(comment.revisions.values_list("body", flat=True)) == ["First."]


def test_hide_is_for_the_commission_of_that_consultation(comment, make_participant, demo):
    citizen = client_for(make_participant("Bolat"))
    assert citizen.post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "Spam"}, format="json").status_code == 403
    outsider = make_participant("Other Commission")
    MembershipFactory(user=outsider)  # member of another consultation
    assert client_for(outsider).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "Spam"}, format="json").status_code == 403
    staff = AdminFactory(username="operator")  # staff are not moderators by is_staff (consult.selectors.can_act_for_commission)
    assert client_for(staff).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "Spam"}, format="json").status_code == 403
    member = make_participant("Member")
    MembershipFactory(consultation=demo, user=member)
    response = client_for(member).post(f"/api/v1/comments/{comment.pk}/hide/", {"reason": "Personal attack"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "hidden" and response.json()["body"] == "" and response.json()["moderation_reason"] == "Personal attack"


def test_moderation_queue_is_for_the_commission(comment, make_participant, demo):
    moderation.comment_report(comment_id=comment.pk, reporter=make_participant("Bolat"), reason="Spam")
    assert client_for(make_participant("Citizen")).get("/api/v1/moderation/", {"consultation": demo.slug}).status_code == 403
    member = make_participant("Member")
    MembershipFactory(consultation=demo, user=member)
    results = client_for(member).get("/api/v1/moderation/", {"consultation": demo.slug}).json()["results"]
    assert [c["id"] for c in results] == [comment.pk]


def test_receipt_chain_is_public_and_verifies(comment, make_participant, draft_provision):
    services.comment_submit(author=make_participant("Bolat"), provision_id=draft_provision.pk, body="Second.", stance="support", language="en")
    chain = client_for().get("/api/v1/receipts/", {"consultation": "tarvania-2026"}).json()["results"]
    assert [r["sequence"] for r in chain] == [1, 2]
    assert chain[1]["previous_hash"] == chain[0]["chain_hash"]
    one = client_for().get(f"/api/v1/receipts/{chain[1]['number']}/").json()
    assert one["verified"] is True
    assert client_for().get("/api/v1/receipts/NOPE-1/").status_code == 404


def test_exports_stream_every_comment_without_personal_data(comment, aigerim, draft_provision):
    moderator = MembershipFactory(consultation=comment.consultation).user
    moderation.comment_hide(comment_id=comment.pk, moderator=moderator, reason="Off topic")
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Visible, «quoted» & <b>", stance="support", language="en")
    response = client_for().get("/api/v1/consultations/tarvania-2026/export/comments.csv")
    assert response.status_code == 200 and response.streaming
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["status"] for r in rows] == ["hidden", "published"]
    assert rows[0]["body"] == "" and rows[0]["moderation_reason"] == "Off topic"
    assert rows[1]["body"] == "Visible, «quoted» & <b>"
    jsonl = b"".join(client_for().get("/api/v1/consultations/tarvania-2026/export/comments.jsonl").streaming_content).decode()
    records = [json.loads(line) for line in jsonl.splitlines()]
    assert len(records) == 2
    for blob in (text, jsonl):
        assert "aigerim@example.org" not in blob and "127.0.0.1" not in blob


def test_export_of_an_unknown_consultation_is_404():
    response = client_for().get("/api/v1/consultations/nope/export/comments.csv")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_no_payload_carries_an_email_or_ip(comment, aigerim):
    for url in ("/api/v1/comments/", f"/api/v1/comments/{comment.pk}/", "/api/v1/receipts/"):
        text = client_for().get(url, REMOTE_ADDR="10.9.8.7").content.decode()
        assert "@example.org" not in text and "10.9.8.7" not in text and "127.0.0.1" not in text


def test_comment_list_query_count_does_not_grow(aigerim, draft_provision, django_assert_max_num_queries):
    for n in range(30):
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}", stance="support", language="en")
    with django_assert_max_num_queries(3):
        assert client_for().get("/api/v1/comments/", {"page_size": 25}).status_code == 200
