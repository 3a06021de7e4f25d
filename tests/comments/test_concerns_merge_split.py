"""Merging concerns into one and splitting one in two: the services, their audit trail, every refusal
(with nothing changed), who may, and the API on them (merge, split, suggested groupings)."""
import pytest
from rest_framework.test import APIClient

from comments import services as comment_services
from comments.concerns import selectors as concern_selectors
from comments.concerns import services as concerns
from comments.models import Concern, ConcernComment, ConcernEvent
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied
from drafts.models import Provision
from tests.factories import AdminFactory, ConsultationFactory, MembershipFactory

pytestmark = pytest.mark.django_db


def _raise(member, demo, comments, title):
    return concerns.concern_create(actor=member, consultation_id=demo.pk, title=title, comment_ids=[c.pk for c in comments])


@pytest.fixture
def three(member, demo, comments):
    """Three open concerns about the demo's clause: one comment each."""
    return [_raise(member, demo, [comment], f"Point {n}") for n, comment in enumerate(comments)]


def _state():
    """Everything a refused merge or split must leave as it was."""
    return (
        sorted(ConcernComment.objects.values_list("id", "concern_id", "comment_id", "added_by_id")),
        sorted(Concern.objects.values_list("id", "status", "merged_into_id", "raised_in_id", "title")),
        sorted(Concern.lineages.through.objects.values_list("concern_id", "lineage_id")),
        ConcernEvent.objects.count(),
    )


def _law_provision():
    return Provision.objects.filter(version__document__slug="referendum-law", version__number=1, kind="article").order_by("order").first()


# --- merge ----------------------------------------------------------------------------------------


def test_merging_moves_the_comments_and_withdraws_the_merged_with_a_trail(member, demo, comments, three, make_participant):
    kept, second, third = three
    concerns.concern_comments_add(actor=member, concern_id=third.pk, comment_ids=[comments[0].pk])  # behind two of them
    merged = concerns.concern_merge(actor=member, concern_id=kept.pk, merged_ids=[second.pk, third.pk, second.pk], reason="The same point.")
    assert merged.pk == kept.pk
    assert sorted(kept.comments.values_list("pk", flat=True)) == sorted(c.pk for c in comments)
    assert ConcernComment.objects.count() == 3  # each comment behind one concern, once
    assert ConcernComment.objects.get(comment=comments[1]).added_by == member  # moved, with who put it there
    for other in (second, third):
        other.refresh_from_db()
        assert other.status == "withdrawn" and other.merged_into_id == kept.pk and not other.comments.exists()
        last = other.events.last()
        assert (last.from_status, last.to_status) == ("open", "withdrawn")
        assert last.reason == f"Merged into #{kept.pk}.\nThe same point." and last.actor == member
        assert list(other.lineages.all()) == list(kept.lineages.all())  # each still says what it was about
    assert kept.events.last().reason == f"Merged from #{second.pk}, #{third.pk}.\nThe same point."
    kept.refresh_from_db()
    assert kept.status == "open" and kept.merged_into_id is None
    assert concern_selectors.comments_accounted_for(consultation=demo).accounted == 3


def test_merging_gathers_the_lineages_and_the_newest_version(member, demo, comments, three, draft_provision):
    article = Provision.objects.get(version=draft_provision.version, path="II/25")
    other = concerns.concern_create(actor=member, consultation_id=demo.pk, title="The article", lineage_ids=[article.lineage_id])
    concerns.concern_merge(actor=member, concern_id=three[0].pk, merged_ids=[other.pk])
    assert set(three[0].lineages.values_list("pk", flat=True)) == {draft_provision.lineage_id, article.lineage_id}


def test_a_concern_under_review_can_take_others(member, three):
    concerns.concern_transition(actor=member, concern_id=three[0].pk, to_status="under_review")
    concerns.concern_transition(actor=member, concern_id=three[1].pk, to_status="under_review")
    concerns.concern_merge(actor=member, concern_id=three[0].pk, merged_ids=[three[1].pk])
    three[1].refresh_from_db()
    assert three[1].status == "withdrawn" and three[1].events.last().from_status == "under_review"


def _decide(member, concern):
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="rejected", rationale="The clause stays.")


@pytest.mark.parametrize(
    ("case", "error", "code"),
    [
        ("itself", InvalidState, "merge_into_itself"),
        ("kept decided", InvalidState, "concern_decided"),
        ("merged decided", InvalidState, "concern_decided"),
        ("merged already", InvalidState, "concern_merged"),
        ("kept withdrawn", InvalidState, "concern_withdrawn"),
        ("other consultation", ApplicationError, "concern_not_in_consultation"),
        ("other document", ApplicationError, "concern_other_document"),
        ("no such concern", ApplicationError, "concern_not_in_consultation"),
        ("none", ApplicationError, "merge_nothing"),
    ],
)
def test_a_refused_merge_says_why_and_changes_nothing(member, demo, three, case, error, code):
    kept, second, third = three
    merged_ids = [second.pk]
    if case == "itself":
        merged_ids = [second.pk, kept.pk]
    elif case == "kept decided":
        _decide(member, kept)
    elif case == "merged decided":
        _decide(member, second)
    elif case == "merged already":
        concerns.concern_merge(actor=member, concern_id=third.pk, merged_ids=[second.pk])
    elif case == "kept withdrawn":
        concerns.concern_transition(actor=member, concern_id=kept.pk, to_status="withdrawn")
    elif case == "other consultation":
        other = Concern.objects.create(
            consultation=ConsultationFactory(slug="elsewhere"), document=kept.document, raised_in=kept.raised_in, title="Elsewhere",
            created_by=member,
        )
        merged_ids = [other.pk]
    elif case == "other document":
        other = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Law", lineage_ids=[_law_provision().lineage_id])
        merged_ids = [second.pk, other.pk]
    elif case == "no such concern":
        merged_ids = [987654]
    elif case == "none":
        merged_ids = []
    before = _state()
    with pytest.raises(error) as raised:
        concerns.concern_merge(actor=member, concern_id=kept.pk, merged_ids=merged_ids, reason="Why.")
    assert type(raised.value) is error and raised.value.code == code and raised.value.message
    assert raised.value.status == (409 if error is InvalidState else 400)
    assert _state() == before


def test_merging_into_no_concern_is_not_found(member, three):
    before = _state()
    with pytest.raises(NotFound):
        concerns.concern_merge(actor=member, concern_id=987654, merged_ids=[three[0].pk])
    assert _state() == before


def test_a_reason_too_long_is_refused(member, three):
    before = _state()
    with pytest.raises(ApplicationError) as raised:
        concerns.concern_merge(actor=member, concern_id=three[0].pk, merged_ids=[three[1].pk], reason="x" * 10_001)
    assert "reason" in raised.value.fields and _state() == before


@pytest.mark.parametrize("who", ["citizen", "other commission", "staff"])
def test_only_the_commission_merges_and_splits(who, three, comments, make_participant, member):
    user = {"citizen": lambda: make_participant("C"), "other commission": lambda: MembershipFactory().user, "staff": AdminFactory}[who]()
    concerns.concern_comments_add(actor=member, concern_id=three[0].pk, comment_ids=[comments[1].pk])
    before = _state()
    with pytest.raises(PermissionDenied):
        concerns.concern_merge(actor=user, concern_id=three[0].pk, merged_ids=[three[1].pk])
    with pytest.raises(PermissionDenied):
        concerns.concern_split(actor=user, concern_id=three[0].pk, comment_ids=[comments[1].pk], title="Another point")
    assert _state() == before


def test_a_merged_concern_is_not_reopened(member, three):
    concerns.concern_merge(actor=member, concern_id=three[0].pk, merged_ids=[three[1].pk])
    before = _state()
    with pytest.raises(InvalidState) as raised:
        concerns.concern_transition(actor=member, concern_id=three[1].pk, to_status="open")
    assert raised.value.code == "concern_merged" and f"#{three[0].pk}" in raised.value.message
    assert _state() == before


# --- split ----------------------------------------------------------------------------------------


@pytest.fixture
def concern(member, demo, comments):
    return _raise(member, demo, comments, "Spiritual and moral values")


def test_splitting_raises_a_new_concern_from_some_comments(member, demo, comments, concern, draft_provision):
    concerns.concern_transition(actor=member, concern_id=concern.pk, to_status="under_review")
    new = concerns.concern_split(
        actor=member, concern_id=concern.pk, comment_ids=[comments[2].pk, comments[1].pk], title="  Who interprets the values  ",
        summary="Asked who decides.",
    )
    assert new.pk != concern.pk and new.title == "Who interprets the values" and new.summary == "Asked who decides."
    assert new.status == "open" and new.document_id == concern.document_id and new.raised_in == draft_provision.version
    assert sorted(new.comments.values_list("pk", flat=True)) == [comments[1].pk, comments[2].pk]
    assert list(concern.comments.values_list("pk", flat=True)) == [comments[0].pk]
    assert list(new.lineages.values_list("pk", flat=True)) == [draft_provision.lineage_id]
    assert [(e.from_status, e.to_status, e.reason) for e in new.events.all()] == [("open", "open", f"Split from #{concern.pk}.")]
    last = concern.events.last()
    assert (last.from_status, last.to_status, last.actor) == ("under_review", "under_review", member)
    assert last.reason == f"Split into #{new.pk}: 2 comment(s) moved there."
    concern.refresh_from_db()
    assert concern.status == "under_review"
    assert concern_selectors.comments_accounted_for(consultation=demo).accounted == 3


@pytest.mark.parametrize(
    ("case", "error", "code"),
    [
        ("none", ApplicationError, "split_nothing"),
        ("all", InvalidState, "split_all"),
        ("not behind it", ApplicationError, "comment_not_in_concern"),
        ("decided", InvalidState, "concern_decided"),
        ("withdrawn", InvalidState, "concern_withdrawn"),
        ("no title", ApplicationError, "invalid"),
    ],
)
def test_a_refused_split_says_why_and_changes_nothing(member, demo, comments, case, error, code, make_participant, draft_provision):
    concern = _raise(member, demo, comments[:2], "Two comments")
    ids, title = [comments[0].pk], "Another point"
    if case == "none":
        ids = []
    elif case == "all":
        ids = [comments[0].pk, comments[1].pk, comments[0].pk]
    elif case == "not behind it":
        ids = [comments[0].pk, comments[2].pk]
    elif case == "decided":
        _decide(member, concern)
    elif case == "withdrawn":
        concerns.concern_transition(actor=member, concern_id=concern.pk, to_status="withdrawn")
    elif case == "no title":
        title = "   "
    before = _state()
    with pytest.raises(error) as raised:
        concerns.concern_split(actor=member, concern_id=concern.pk, comment_ids=ids, title=title)
    assert type(raised.value) is error and raised.value.code == code and raised.value.message
    assert _state() == before


def test_splitting_no_concern_is_not_found(member, comments):
    with pytest.raises(NotFound):
        concerns.concern_split(actor=member, concern_id=987654, comment_ids=[comments[0].pk], title="T")


# --- API ------------------------------------------------------------------------------------------


def client_for(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_authenticate(user)
    return client


def test_merge_and_split_through_the_api(member, demo, comments, three):
    client = client_for(member)
    merged = client.post(f"/api/v1/concerns/{three[0].pk}/merge/", {"concerns": [three[1].pk, three[2].pk], "reason": "Same."}, format="json")
    assert merged.status_code == 200, merged.json()
    assert merged.json()["comments"] == [c.pk for c in comments] and merged.json()["merged_into"] is None
    assert merged.json()["events"][-1]["reason"] == f"Merged from #{three[1].pk}, #{three[2].pk}.\nSame."
    withdrawn = client_for().get(f"/api/v1/concerns/{three[1].pk}/").json()
    assert withdrawn["status"] == "withdrawn" and withdrawn["merged_into"] == three[0].pk and withdrawn["comments"] == []
    split = client.post(
        f"/api/v1/concerns/{three[0].pk}/split/", {"comments": [comments[2].pk], "title": "A third point"}, format="json"
    )
    assert split.status_code == 201, split.json()
    assert split.json()["title"] == "A third point" and split.json()["comments"] == [comments[2].pk]
    assert split.json()["events"][0]["reason"] == f"Split from #{three[0].pk}."
    assert client_for().get(f"/api/v1/concerns/{three[0].pk}/").json()["comments"] == [comments[0].pk, comments[1].pk]


@pytest.mark.parametrize(
    ("path", "payload", "status", "code"),
    [
        ("merge", {"concerns": ["SELF"]}, 409, "merge_into_itself"),
        ("merge", {"concerns": [987654]}, 400, "concern_not_in_consultation"),
        ("merge", {"concerns": []}, 400, "merge_nothing"),
        ("merge", {"concerns": ["abc"]}, 400, None),
        ("merge", {"concerns": [10**30]}, 400, None),
        ("merge", {}, 400, None),
        ("split", {"comments": ["ALL"], "title": "All"}, 409, "split_all"),
        ("split", {"comments": [], "title": "None"}, 400, "split_nothing"),
        ("split", {"comments": [987654], "title": "Foreign"}, 400, "comment_not_in_concern"),
        ("split", {"comments": ["FIRST"], "title": " "}, 400, None),
        ("split", {"comments": ["FIRST"]}, 400, None),
    ],
)
def test_refusals_through_the_api_change_nothing(member, concern, comments, path, payload, status, code):
    ids = {"SELF": [concern.pk], "ALL": [c.pk for c in comments], "FIRST": [comments[0].pk]}
    payload = {key: [i for item in value for i in ids.get(item, [item])] if isinstance(value, list) else value for key, value in payload.items()}
    before = _state()
    response = client_for(member).post(f"/api/v1/concerns/{concern.pk}/{path}/", payload, format="json")
    assert response.status_code == status, response.json()
    assert response.json()["message"] and (code is None or response.json()["code"] == code)
    assert _state() == before


def test_a_decided_concern_is_not_merged_nor_split_through_the_api(member, concern, comments, demo):
    other = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Other", lineage_ids=[concern.lineages.get().pk])
    _decide(member, concern)
    before = _state()
    client = client_for(member)
    assert client.post(f"/api/v1/concerns/{concern.pk}/merge/", {"concerns": [other.pk]}, format="json").json()["code"] == "concern_decided"
    assert client.post(f"/api/v1/concerns/{other.pk}/merge/", {"concerns": [concern.pk]}, format="json").status_code == 409
    split = client.post(f"/api/v1/concerns/{concern.pk}/split/", {"comments": [comments[0].pk], "title": "T"}, format="json")
    assert split.status_code == 409 and split.json()["code"] == "concern_decided"
    assert _state() == before


@pytest.mark.parametrize("who", ["anonymous", "citizen", "other commission", "staff"])
def test_only_the_commission_merges_splits_and_sees_groupings_through_the_api(who, member, concern, comments, demo, make_participant):
    other = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Other", lineage_ids=[concern.lineages.get().pk])
    user = {"anonymous": lambda: None, "citizen": lambda: make_participant("C"), "other commission": lambda: MembershipFactory().user,
            "staff": AdminFactory}[who]()
    client = client_for(user)
    before = _state()
    answers = [
        client.post(f"/api/v1/concerns/{concern.pk}/merge/", {"concerns": [other.pk]}, format="json"),
        client.post(f"/api/v1/concerns/{concern.pk}/split/", {"comments": [comments[0].pk], "title": "T"}, format="json"),
        client.get("/api/v1/concerns/groupings/", {"consultation": demo.slug}),
    ]
    assert {answer.status_code for answer in answers} <= {401, 403}
    assert _state() == before


def _comment(make_participant, provision, name, body):
    return comment_services.comment_submit(
        author=make_participant(name), provision_id=provision.pk, stance="oppose", language="en", body=body
    )


SIMILAR = [
    "The words spiritual and moral values are too vague: any right could be restricted on these grounds.",
    "Spiritual and moral values are too vague: any right could be restricted on these grounds by an official.",
]


def test_groupings_through_the_api(member, demo, make_participant, draft_provision):
    similar = [_comment(make_participant, draft_provision, f"Similar {n}", body) for n, body in enumerate(SIMILAR)]
    _comment(make_participant, draft_provision, "Other", "The referendum should need a turnout of half the voters to be valid at all.")
    response = client_for(member).get("/api/v1/concerns/groupings/", {"consultation": demo.slug, "provision": draft_provision.pk})
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["threshold"] == 0.5 and body["considered"] == body["total"] == 3 and body["capped"] is False and body["cap"] == 2000
    assert [group["comments"] for group in body["groups"]] == [[c.pk for c in similar]]
    assert body["groups"][0]["size"] == 2 and "too vague" in body["groups"][0]["template"]
    strict = client_for(member).get("/api/v1/concerns/groupings/", {"consultation": demo.slug, "threshold": "0.9"}).json()
    assert strict["threshold"] == 0.9 and strict["groups"] == []


@pytest.mark.parametrize(
    ("query", "status"),
    [
        ({"threshold": "0"}, 400), ({"threshold": "1.5"}, 400), ({"threshold": "abc"}, 400), ({"provision": "x"}, 400),
        ({"provision": str(10**30)}, 400), ({"document": "nope"}, 404), ({"provision": "987654"}, 404), ({"consultation": "nope"}, 404),
        ({"consultation": ""}, 400),
    ],
)
def test_bad_groupings_queries_are_answered_clearly(member, demo, query, status):
    response = client_for(member).get("/api/v1/concerns/groupings/", {"consultation": demo.slug, **query})
    assert response.status_code == status and response.json()["message"]


def test_the_new_endpoints_are_in_the_openapi_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    for path in ("/api/v1/concerns/{id}/merge/", "/api/v1/concerns/{id}/split/", "/api/v1/concerns/groupings/"):
        assert path in schema["paths"], path
    groupings = schema["paths"]["/api/v1/concerns/groupings/"]["get"]
    assert {parameter["name"] for parameter in groupings["parameters"]} >= {"consultation", "document", "provision", "threshold"}
    assert "merged_into" in schema["components"]["schemas"]["ConcernDetail"]["properties"]
