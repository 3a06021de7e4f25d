"""The comments API: status codes, payloads, the permission boundary of every endpoint, no personal data."""
import csv
import datetime
import io
import json

import pytest
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment, Endorsement, ModerationEvent, Report
from comments.moderation import services as moderation
from drafts.models import Provision
from tests.factories import AdminFactory, ConsultationFactory, MembershipFactory

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
    assert [(c["id"], c["open_reports"]) for c in results] == [(comment.pk, 1)]


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


def test_comment_list_query_count_does_not_grow(aigerim, draft_provision, django_assert_num_queries):
    for n in range(30):
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}", stance="support", language="en")
    with django_assert_num_queries(1):  # the page, with its receipts, provisions and versions
        assert client_for().get("/api/v1/comments/", {"page_size": 25}).status_code == 200


# --- pages: every comment once, in every order, across ties -------------------------------------


TIED = 1_300  # comments, nearly all at 0 endorsements: more ties than any page, and than DRF's offset cutoff (1,000)


def _comments_in_bulk(author, provision, *, count=TIED, **fields):
    """`count` comments written in one INSERT (no receipts: the list does not need them), `fields` set on all.
    Most are tied at 0 endorsements; every 50th has 1 to 3. Returns (id, endorsements) in id order."""
    fields = {
        "consultation_id": provision.version.document.consultations.get().pk, "version_id": provision.version_id,
        "provision": provision, "lineage_id": provision.lineage_id, "author": author, "author_name": "Aigerim",
        "submitter_type": "individual", "stance": "oppose", "language": "en", **fields,
    }
    created = Comment.objects.bulk_create(
        Comment(**fields, body=f"Point {n}.", endorsement_count=(n % 50 == 0) * (1 + n % 3)) for n in range(count)
    )
    return [(c.pk, c.endorsement_count) for c in created]


EXPECTED_ORDER = {
    "newest": lambda rows: sorted(rows, key=lambda r: -r[0]),
    "oldest": lambda rows: sorted(rows, key=lambda r: r[0]),
    "endorsed": lambda rows: sorted(rows, key=lambda r: (-r[1], -r[0])),
}


def _walk(api, start, params=None, *, link="next"):
    """Follow the `link` links from `start`, as a client would: each page's (id, endorsements), and the last answer."""
    pages, response = [], api.get(start, params)
    while True:
        assert response.status_code == 200, response.json()
        body = response.json()
        pages.append([(c["id"], c["endorsements"]) for c in body["results"]])
        if body[link] is None:
            return pages, body
        assert len(pages) < 100, "the links never end"
        response = api.get(body[link])


@pytest.mark.parametrize("page_size", [100, 150])  # 1,300 comments: pages that do and do not divide them
@pytest.mark.parametrize("order", EXPECTED_ORDER)
def test_every_order_walks_every_comment_once_across_ties(aigerim, draft_provision, order, page_size):
    rows = _comments_in_bulk(aigerim, draft_provision)
    assert sum(1 for _id, endorsements in rows if endorsements == 0) > 1_000
    api = client_for()
    pages, last = _walk(api, "/api/v1/comments/", {"order": order, "page_size": page_size})
    assert [row for page in pages for row in page] == EXPECTED_ORDER[order](rows)
    assert [len(page) for page in pages] == [page_size] * (TIED // page_size) + [TIED % page_size] * (TIED % page_size > 0)
    # and back by the `previous` links, from the last page to the first
    back, first = _walk(api, last["previous"], link="previous")
    assert back == pages[-2::-1]
    assert first["next"] is not None


FILTERS = {  # name: (its value for the draft's paragraph, whether a comment (a dict of its columns) passes)
    "consultation": ("tarvania-2026", lambda c, p: c["consultation__slug"] == "tarvania-2026"),
    "version": (lambda p: p.version_id, lambda c, p: c["version"] == p.version_id),
    "provision": (lambda p: p.pk, lambda c, p: c["provision"] == p.pk),
    "lineage": (lambda p: p.lineage_id, lambda c, p: c["lineage"] == p.lineage_id),
    "stance": ("support", lambda c, p: c["stance"] == "support"),
    "submitter_type": ("organisation", lambda c, p: c["submitter_type"] == "organisation"),
    "since": ("2026-01-10T00:00:00Z", lambda c, p: c["created_at"].day >= 10),
    "until": ("2026-01-10T00:00:00Z", lambda c, p: c["created_at"].day < 10),
    "search": ("morality", lambda c, p: "morality" in c["body"]),
}


@pytest.mark.parametrize("name", FILTERS)
def test_each_filter_walks_its_comments_once_in_the_endorsed_order(aigerim, draft_provision, name):
    same_lineage_in_the_baseline = Provision.objects.exclude(version=draft_provision.version).get(lineage=draft_provision.lineage)
    groups = [  # each group is left out by some filter and kept by the others
        _comments_in_bulk(aigerim, draft_provision, count=300, stance="support", submitter_type="organisation"),
        _comments_in_bulk(aigerim, Provision.objects.get(version=draft_provision.version, path="II/25/2"), count=100),
        _comments_in_bulk(aigerim, same_lineage_in_the_baseline, count=100),
        _comments_in_bulk(aigerim, draft_provision, count=100, consultation_id=ConsultationFactory().pk),
    ]
    Comment.objects.update(created_at=datetime.datetime(2026, 1, 5, tzinfo=datetime.UTC))
    Comment.objects.filter(pk__in=[pk for pk, _e in groups[0][::2]]).update(
        created_at=datetime.datetime(2026, 1, 15, tzinfo=datetime.UTC), body="On public morality."
    )
    value, keep = FILTERS[name]
    columns = Comment.objects.values(
        "pk", "endorsement_count", "consultation__slug", "version", "provision", "lineage", "stance", "submitter_type", "created_at", "body"
    )
    expected = EXPECTED_ORDER["endorsed"]([(c["pk"], c["endorsement_count"]) for c in columns if keep(c, draft_provision)])
    assert 0 < len(expected) < Comment.objects.count()
    params = {name: value(draft_provision) if callable(value) else value, "order": "endorsed", "page_size": 40}
    pages, _last = _walk(client_for(), "/api/v1/comments/", params)
    assert [row for page in pages for row in page] == expected


def test_a_page_is_one_query_at_any_depth(aigerim, draft_provision, django_assert_num_queries):
    _comments_in_bulk(aigerim, draft_provision, count=300)
    api = client_for()
    first = api.get("/api/v1/comments/", {"order": "endorsed", "page_size": 50, "provision": draft_provision.pk}).json()
    with django_assert_num_queries(1):
        deep = api.get(first["next"])
    assert deep.status_code == 200 and len(deep.json()["results"]) == 50
    with django_assert_num_queries(1):
        assert api.get("/api/v1/comments/", {"order": "oldest", "search": "point", "consultation": "tarvania-2026"}).status_code == 200


@pytest.mark.parametrize(
    "cursor", ["not-a-cursor!", "cD1hYmM=", "eD0x", "cD0xLjIuMw==", "cD05OTk5OTk5OTk5OTk5OTk5OTk5OS4x", ""],
)  # garbage, p=abc, x=1, p=1.2.3, p=<beyond a bigint>.1, empty
def test_a_cursor_that_no_link_gave_is_refused(comment, cursor):
    response = client_for().get("/api/v1/comments/", {"cursor": cursor, "order": "endorsed"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_cursor" and "cursor" in response.json()["fields"]


def test_the_schema_says_how_comments_are_paged(demo):
    schema = client_for().get("/api/schema/", {"format": "json"}).json()

    def page_of(path):
        operation = schema["paths"][path]["get"]
        reference = operation["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        return {p["name"] for p in operation["parameters"]}, schema["components"]["schemas"][reference.split("/")[-1]]["properties"]

    parameters, page = page_of("/api/v1/comments/")
    assert {"cursor", "page_size", "order", "search"} <= parameters and "page" not in parameters
    assert set(page) == {"next", "previous", "results"}
    assert page["results"]["items"]["$ref"].endswith("/CommentRecord")
    record = schema["components"]["schemas"]["CommentRecord"]["properties"]
    assert "replies" not in record and "parent" in record
    parameters, queue = page_of("/api/v1/moderation/")  # page-numbered: a page of its own in the schema
    assert "page" in parameters and set(queue) == {"count", "next", "previous", "results"}


# --- restore ------------------------------------------------------------------------------------


def _hidden(comment, demo, make_participant):
    member = make_participant("Member")
    MembershipFactory(consultation=demo, user=member)
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Personal attack")
    return member


def test_a_commission_member_restores_a_hidden_comment(comment, demo, make_participant):
    member = _hidden(comment, demo, make_participant)
    response = client_for(member).post(f"/api/v1/comments/{comment.pk}/restore/", {"reason": "Misread"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "published" and response.json()["body"] == "First."
    assert Comment.objects.get().status == Comment.Status.PUBLISHED
    event = ModerationEvent.objects.latest("id")
    assert (event.action, event.actor, event.reason) == (ModerationEvent.Action.RESTORE, member, "Misread")


def test_citizens_and_anonymous_cannot_restore(comment, demo, make_participant):
    _hidden(comment, demo, make_participant)
    citizen = client_for(make_participant("Bolat")).post(f"/api/v1/comments/{comment.pk}/restore/", {"reason": "Mine"}, format="json")
    assert citizen.status_code == 403
    assert client_for().post(f"/api/v1/comments/{comment.pk}/restore/", {"reason": "Mine"}, format="json").status_code in (401, 403)
    assert Comment.objects.get().status == Comment.Status.HIDDEN


def test_restoring_a_comment_that_is_not_hidden_is_a_conflict(comment, demo, make_participant):
    member = make_participant("Member")
    MembershipFactory(consultation=demo, user=member)
    response = client_for(member).post(f"/api/v1/comments/{comment.pk}/restore/", {"reason": "Why not"}, format="json")
    assert response.status_code == 409 and response.json()["code"] == "not_hidden"
    assert not ModerationEvent.objects.exists()
