"""'My comments and what became of them': the signed-in author's own comments only, with their receipts, status,
concerns and decisions, and their provisions in later drafts; the page and the API."""
import pytest
from rest_framework.test import APIClient

from comments import services
from comments.concerns import services as concerns
from comments.moderation import services as moderation
from consult.demo_data import DEMO_DIR
from drafts.models import Document, Provision

pytestmark = pytest.mark.django_db

PAGE = "/me/comments/"
API = "/api/v1/me/comments/"
DRAFT_2_EN = (
    (DEMO_DIR / "constitution_v1.en.md").read_text()
    .replace("the health of the population, and spiritual and moral values.", "public health or morals.")
    .replace(
        "3. Temporary restrictions of rights and freedoms may be imposed in a state of emergency or martial law only within the "
        "limits provided by the Constitution and the law, with an indication of the period of their effect.\n",
        "",
    )
)


def _provision(path):
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path=path)


def _comment(author, path, body, language="en"):
    return services.comment_submit(author=author, provision_id=_provision(path).pk, stance="oppose", language=language, body=body)


def api(user=None):
    client = APIClient()
    if user:
        client.force_authenticate(user)
    return client


@pytest.fixture
def history(make_participant, member, demo):
    """Aigerim's four comments: one behind an accepted concern (II/25/1, to be modified in draft 2), one marked as needing
    no separate answer (II/24/1), one hidden by the moderators (II/25/3, to be removed), one withdrawn. Dana's comment
    is behind the same concern."""
    aigerim, dana = make_participant("Aigerim"), make_participant("Dana")
    heard = _comment(aigerim, "II/25/1", "Use the grounds the ICCPR allows.")
    thanks = _comment(aigerim, "II/24/1", "Thank you for this article.")
    hidden = _comment(aigerim, "II/25/3", "Something the moderators hid, with words nobody else may read.")
    withdrawn = _comment(aigerim, "II/25/2", "I take this back.")
    theirs = _comment(dana, "II/25/1", "Dana's own point, on the same clause.")
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Grounds for restricting rights", comment_ids=[heard.pk, theirs.pk])
    concerns.concern_decide(actor=member, concern_id=concern.pk, status="accepted", rationale="Only the grounds the ICCPR allows remain.")
    concerns.comments_mark_no_answer(actor=member, consultation_id=demo.pk, comment_ids=[thanks.pk], reason="A thank-you.")
    moderation.comment_hide(comment_id=hidden.pk, moderator=member, reason="Personal attack")
    services.comment_withdraw(comment_id=withdrawn.pk, author=aigerim)
    return {
        "aigerim": aigerim, "dana": dana, "concern": concern,
        "heard": heard, "thanks": thanks, "hidden": hidden, "withdrawn": withdrawn, "theirs": theirs,
    }


@pytest.fixture
def draft_2(history, make_version):
    return make_version(Document.objects.get(slug="constitution"), texts={"en": DRAFT_2_EN})


def test_signing_in_is_required(client):
    response = client.get(PAGE)
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/?next=/me/comments/")
    assert api().get(API).status_code == 403


def test_the_empty_state(client, make_participant):
    client.force_login(make_participant("Newcomer"))
    page = client.get(PAGE).content.decode()
    assert "You have not commented yet." in page and "<h1>My comments and what became of them</h1>" in page


def test_the_header_links_to_the_page(client, make_participant):
    client.force_login(make_participant("Newcomer"))
    assert 'href="/me/comments/"' in client.get("/account/profile/").content.decode()


def test_the_page_says_what_became_of_each_comment(client, history, draft_2):
    client.force_login(history["aigerim"])
    page = client.get(PAGE).content.decode()
    positions = [page.index(f"#comment-{history[name].pk}") for name in ("withdrawn", "hidden", "thanks", "heard")]
    assert positions == sorted(positions)  # newest first
    heard = history["heard"]
    assert f'href="/receipts/{heard.receipt.number}/"' in page
    assert f'/c/tarvania-2026/concerns/{history["concern"].pk}/' in page and "Grounds for restricting rights" in page
    assert "Accepted" in page and "Only the grounds the ICCPR allows remain." in page
    assert "The commission answers it with no separate point: A thank-you." in page
    assert "Hidden by the moderators: Personal attack" in page and "Withdrawn by you." in page
    # draft 2: II/25/1 modified, II/25/3 removed, II/24/1 unchanged; each with the comparison
    assert "In Draft 2: modified." in page and "In Draft 2: removed." in page and "In Draft 2: unchanged." in page
    assert "/c/tarvania-2026/constitution/compare/v1-v2/" in page and "/c/tarvania-2026/constitution/v2/p/II/25/1/" in page
    assert "Dana&#x27;s own point" not in page and "Dana's own point" not in page  # another author's comment


def test_before_a_later_draft_the_page_says_so(client, history):
    client.force_login(history["aigerim"])
    page = client.get(PAGE).content.decode()
    assert "No later draft has been published since." in page and "In Draft 2" not in page


def test_another_user_never_sees_my_comments_even_hidden_ones(client, history):
    client.force_login(history["dana"])
    page = client.get(PAGE).content.decode()
    assert "Dana&#x27;s own point" in page
    assert "nobody else may read" not in page and "Use the grounds the ICCPR allows." not in page
    records = api(history["dana"]).get(API).json()["results"]
    assert [record["id"] for record in records] == [history["theirs"].pk]
    public = client.get("/c/tarvania-2026/constitution/v1/p/II/25/3/").content.decode()
    assert "nobody else may read" not in public and "Personal attack" in public  # the public sees the reason, not the words


def test_the_page_costs_the_same_however_many_comments(client, history, make_participant, make_version, django_assert_max_num_queries):
    prolific = make_participant("Prolific")
    for n in range(16):
        _comment(prolific, ("II/25/1", "II/25/3", "II/24/2")[n % 3], f"More {n}.")
    make_version(Document.objects.get(slug="constitution"), texts={"en": DRAFT_2_EN})
    counts = []
    for user in (history["aigerim"], prolific):
        client.force_login(user)
        client.get(PAGE)
        # session, user, count, page, concerns, alignments, old and new sides of their changes, the header's participant
        with django_assert_max_num_queries(9) as queries:
            page = client.get(PAGE).content.decode()
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] and "More 15." in page and "In Draft 2: removed." in page


def test_the_page_is_paginated(client, history):
    for n in range(21):
        _comment(history["aigerim"], "II/24/2", f"Comment number {n}.")
    client.force_login(history["aigerim"])
    first = client.get(PAGE).content.decode()
    assert "Page 1 of 2" in first and "Comment number 20." in first and "Thank you for this article." not in first
    second = client.get(PAGE, {"page": 2}).content.decode()
    assert "Thank you for this article." in second and "Comment number 20." not in second


def test_the_api_gives_the_same_record(history, draft_2, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        response = api(history["aigerim"]).get(API)
    assert response.status_code == 200
    records = {record["id"]: record for record in response.json()["results"]}
    assert list(records) == [history[name].pk for name in ("withdrawn", "hidden", "thanks", "heard")]
    heard = records[history["heard"].pk]
    assert heard["receipt"] == history["heard"].receipt.number and heard["provision_path"] == "II/25/1"
    assert (heard["version"], heard["version_number"]) == (history["heard"].version_id, 1)  # ids as `version`, as everywhere
    [concern] = heard["concerns"]
    assert concern == {
        "id": history["concern"].pk, "title": "Grounds for restricting rights", "status": "accepted",
        "rationale": "Only the grounds the ICCPR allows remain.", "resolved_in": None, "resolved_in_number": None,
        "url": f"/c/tarvania-2026/concerns/{history['concern'].pk}/",
    }
    assert heard["later_versions"] == [
        {"version": draft_2.pk, "version_number": 2, "version_label": "Draft 2", "change": "modified", "provisions": ["II/25/1"],
         "comparison_url": "/c/tarvania-2026/constitution/compare/v1-v2/"},
    ]
    assert records[history["hidden"].pk]["later_versions"][0]["change"] == "removed"
    assert records[history["hidden"].pk]["later_versions"][0]["provisions"] == []
    assert records[history["hidden"].pk]["status"] == "hidden" and records[history["hidden"].pk]["moderation_reason"] == "Personal attack"
    assert records[history["thanks"].pk]["no_answer_reason"] == "A thank-you." and records[history["thanks"].pk]["concerns"] == []
    assert records[history["withdrawn"].pk]["status"] == "withdrawn"


def test_the_api_pages_by_cursor(history):
    for n in range(3):
        _comment(history["aigerim"], "II/24/2", f"Comment number {n}.")
    first = api(history["aigerim"]).get(API, {"page_size": 5}).json()
    second = api(history["aigerim"]).get(first["next"]).json()
    ids = [record["id"] for record in first["results"] + second["results"]]
    assert len(ids) == 7 == len(set(ids)) and second["next"] is None


def test_the_schema_describes_my_comments(demo):
    paths = api().get("/api/schema/", {"format": "json"}).json()["paths"]
    assert "get" in paths["/api/v1/me/comments/"]
