"""The concerns API: public reading, the commission's work, every role at the boundary, bad input answered clearly."""
import pytest
from rest_framework.test import APIClient

from comments.concerns import services as concerns
from comments.models import Concern, Receipt
from tests.factories import AdminFactory, MembershipFactory

pytestmark = pytest.mark.django_db




def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def _create(client, comments, title="Spiritual and moral values"):
    return client.post(
        "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": title, "comments": [c.pk for c in comments]}, format="json"
    )


def test_a_member_raises_and_decides_a_concern_the_public_reads(member, comments):
    created = _create(client_for(member), comments)
    assert created.status_code == 201, created.json()
    concern_id = created.json()["id"]
    assert created.json()["comments"] == [c.pk for c in comments] and created.json()["status"] == "open"
    decided = client_for(member).post(
        f"/api/v1/concerns/{concern_id}/decide/",
        {"status": "accepted", "rationale": "Replaced by the ICCPR grounds.", "norms": [{"label": "ICCPR art. 18(3)", "url": ""}]},
        format="json",
    )
    assert decided.status_code == 200, decided.json()
    public = client_for().get(f"/api/v1/concerns/{concern_id}/").json()
    assert public["status"] == "accepted" and public["norms"] == [{"label": "ICCPR art. 18(3)", "url": ""}]
    decision = public["events"][-1]
    assert decision["to_status"] == "accepted" and decision["receipt"] == Receipt.objects.get(kind="decision").number
    assert decision["actor"] == "Commission Member"
    listing = client_for().get("/api/v1/concerns/", {"consultation": "tarvania-2026"}).json()
    assert [(c["id"], c["comment_count"]) for c in listing["results"]] == [(concern_id, 3)]
    figures = client_for().get("/api/v1/concerns/accounted-for/", {"consultation": "tarvania-2026"}).json()
    assert figures == {"accounted": 3, "total": 3, "share": 1.0}


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other commission", "staff"])
def test_only_the_commission_writes(who, comments, make_participant, member):
    concern = concerns.concern_create(actor=member, consultation_id=comments[0].consultation_id, title="T", comment_ids=[comments[0].pk])
    user = {"anonymous": lambda: None, "citizen": lambda: make_participant("C"), "other commission": lambda: MembershipFactory().user,
            "staff": lambda: AdminFactory()}[who]()
    client = client_for(user)
    answers = [
        _create(client, comments),
        client.post(f"/api/v1/concerns/{concern.pk}/decide/", {"status": "accepted", "rationale": "Why."}, format="json"),
        client.post(f"/api/v1/concerns/{concern.pk}/transition/", {"status": "under_review"}, format="json"),
        client.post(f"/api/v1/concerns/{concern.pk}/comments/", {"comments": [comments[1].pk]}, format="json"),
        client.post("/api/v1/concerns/no-answer/", {"comment": comments[2].pk, "reason": "Thanks."}, format="json"),
    ]
    assert {answer.status_code for answer in answers} <= {401, 403}
    assert Concern.objects.count() == 1 and Concern.objects.get().status == "open" and concern.links.count() == 1


def test_bad_input_is_answered_clearly_and_changes_nothing(member, comments):
    client = client_for(member)
    concern_id = _create(client, comments).json()["id"]
    empty = client.post(f"/api/v1/concerns/{concern_id}/decide/", {"status": "accepted", "rationale": "  "}, format="json")
    assert empty.status_code == 400 and "rationale" in empty.json()["fields"]
    foreign = client.post(
        "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": "Other", "comments": [987654]}, format="json"
    )
    assert foreign.status_code == 400 and foreign.json()["code"] == "comment_not_in_consultation"
    assert client.post("/api/v1/concerns/424242/decide/", {"status": "accepted", "rationale": "Why."}, format="json").status_code == 404
    assert client.get("/api/v1/concerns/accounted-for/", {"consultation": "tarvania-2026", "document": "nope"}).status_code == 404
    assert Concern.objects.count() == 1 and not Receipt.objects.filter(kind="decision").exists()


def test_the_list_costs_the_same_whatever_the_number_of_concerns(member, comments, django_assert_max_num_queries):
    for n in range(10):
        concerns.concern_create(actor=member, consultation_id=comments[0].consultation_id, title=f"Point {n}", comment_ids=[comments[n % 3].pk])
    with django_assert_max_num_queries(7):  # the consultation with its prefetches (4), the count, the page, the norms
        answer = client_for().get("/api/v1/concerns/", {"consultation": "tarvania-2026"})
    assert answer.status_code == 200 and len(answer.json()["results"]) == 10


def test_the_concerns_are_in_the_openapi_schema():
    schema = client_for().get("/api/schema/", {"format": "json"}).json()
    assert {"/api/v1/concerns/", "/api/v1/concerns/{id}/decide/", "/api/v1/concerns/accounted-for/"} <= set(schema["paths"])


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("get", "/api/v1/concerns/abc/", None),
        ("get", "/api/v1/concerns/99999999999999999999999/", None),
        ("post", "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": "Nul\x00byte", "comments": []}),
        ("post", "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": "Huge", "comments": [10**30]}),
        ("post", "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": {"a": {"b": {"c": [[[]]]}}}}),
        ("post", "/api/v1/concerns/", {"consultation": "tarvania-2026", "title": "Many", "comments": list(range(1, 10_002))}),
        ("get", "/api/v1/concerns/accounted-for/?consultation=tarvania-2026&provision=99999999999999999999999", None),
    ],
)
def test_malformed_requests_get_a_clear_4xx_never_a_500(member, method, path, body):
    answer = getattr(client_for(member), method)(path, body, format="json") if body else getattr(client_for(member), method)(path)
    assert 400 <= answer.status_code < 500
    assert not Concern.objects.exists()


def test_an_unverified_account_cannot_raise_a_concern(comments):
    from tests.factories import UserFactory

    answer = _create(client_for(UserFactory(username="unverified")), comments)
    assert answer.status_code == 403 and not Concern.objects.exists()
