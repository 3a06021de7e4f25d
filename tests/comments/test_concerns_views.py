"""The pages of concerns: the public record, a concern's page, the receipt of a decision, and the commission's triage."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from comments.concerns import services as concerns
from comments.models import CommentNoAnswer, Concern, ConcernComment, Receipt
from tests.factories import AdminFactory, ConsultationFactory

pytestmark = pytest.mark.django_db
HEARD = "/c/tarvania-2026/heard/"
TRIAGE = "/c/tarvania-2026/triage/"




def _decided(member, demo, comments, title="Restricting rights on 'spiritual and moral values'"):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title=title, comment_ids=[c.pk for c in comments])
    return concerns.concern_decide(
        actor=member, concern_id=concern.pk, status="accepted", rationale="The ICCPR's grounds replace them.",
        norms=[concerns.NormInput("ICCPR art. 18(3)", "https://www.ohchr.org/iccpr"), concerns.NormInput("Venice Commission opinion")],
    )


def test_the_public_record_is_empty_before_any_concern(client, demo):
    response = client.get(HEARD)
    page = response.content.decode()
    assert response.status_code == 200
    assert "has not raised any concern" in page and 'role="status"' in page
    assert "No comment to answer yet." in page and "<progress" not in page  # no bar for nothing: an empty state


def test_the_public_record_shows_a_decided_concern(client, demo, member, comments):
    concern = _decided(member, demo, comments)
    page = client.get(HEARD).content.decode()
    assert "3 of 3 comments answered" in page and '<progress max="3" value="3"' in page
    assert concern.title.replace("'", "&#x27;") in page and "The ICCPR&#x27;s grounds replace them." in page
    assert '<a href="https://www.ohchr.org/iccpr" rel="external noopener">ICCPR art. 18(3)</a>' in page
    assert "Venice Commission opinion" in page and "(II/25/1)" in page
    assert f'href="/c/tarvania-2026/concerns/{concern.pk}/"' in page
    assert page.index("Accepted") < page.index(concern.title.replace("'", "&#x27;"))


def test_the_consultation_page_links_the_public_record(client, demo):
    assert f'href="{HEARD}"' in client.get("/c/tarvania-2026/").content.decode()


def test_decisions_come_before_what_is_still_open(client, demo, member, comments):
    concerns.concern_create(actor=member, consultation_id=demo.pk, title="Still open point", comment_ids=[comments[0].pk])
    _decided(member, demo, comments[1:], title="Decided point")
    page = client.get(HEARD).content.decode()
    assert page.index("Decided point") < page.index("Still open point")
    assert "2 of 3 comments answered" not in page  # all three are behind a concern
    assert "3 of 3 comments answered" in page


def test_the_public_record_does_not_grow_in_queries_per_concern(client, demo, member, comments):
    def count():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(HEARD).status_code == 200
        return len(queries)

    _decided(member, demo, comments[:1], title="Concern 0")
    one = count()
    _decided(member, demo, comments[1:2], title="Concern 1")
    for n in range(2, 10):
        concerns.concern_create(actor=member, consultation_id=demo.pk, title=f"Concern {n}", comment_ids=[comments[2].pk])
    assert Concern.objects.count() == 10
    ten = count()
    assert ten == one and one <= 12


def test_the_public_record_is_paginated(client, demo, member, comments):
    for n in range(26):
        concerns.concern_create(actor=member, consultation_id=demo.pk, title=f"Point {n}", comment_ids=[comments[n % 3].pk])
    first, second = (client.get(HEARD, {"page": page}).content.decode() for page in (1, 2))
    assert first.count('class="card concern"') == 25 and second.count('class="card concern"') == 1
    assert "Point 25" in second and "Point 25" not in first and 'rel="next"' in first


def test_a_concerns_page_shows_its_trail_receipt_and_comments(client, demo, member, comments):
    concern = _decided(member, demo, comments)
    receipt = Receipt.objects.get(kind="decision", decision__concern=concern)
    response = client.get(f"/c/tarvania-2026/concerns/{concern.pk}/")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'href="/receipts/{receipt.number}/"' in page and ">Commission Member<" in page  # the actor's public name
    assert page.count("#comment-") == 3 and f"/c/tarvania-2026/constitution/v1/p/II/25/1/#comment-{comments[0].pk}" in page
    assert "Record the decision" not in page  # not for the public


def test_a_concern_of_another_consultation_is_not_found(client, demo, member, comments):
    concern = _decided(member, demo, comments)
    other = ConsultationFactory(slug="other")
    assert client.get(f"/c/{other.slug}/concerns/{concern.pk}/").status_code == 404


def test_the_receipt_of_a_decision_names_the_concern(client, demo, member, comments):
    concern = _decided(member, demo, comments)
    receipt = Receipt.objects.get(kind="decision", decision__concern=concern)
    page = client.get(f"/receipts/{receipt.number}/").content.decode()
    assert "Decision on concern" in page and f'href="/c/tarvania-2026/concerns/{concern.pk}/"' in page and "Verified" in page
    assert "Comment on" not in page


def test_output_is_escaped(client, demo, member, comments):
    concern = _decided(member, demo, comments, title="<script>alert('x')</script>")
    for url in (HEARD, f"/c/tarvania-2026/concerns/{concern.pk}/"):
        page = client.get(url).content.decode()
        assert "<script>alert(" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize("who", ["anonymous", "citizen", "staff"])
def test_the_triage_page_is_the_commissions_only(client, demo, make_participant, who):
    if who == "citizen":
        client.force_login(make_participant("Citizen"))
    elif who == "staff":
        client.force_login(AdminFactory())
    assert client.get(TRIAGE).status_code == 403
    assert client.post(TRIAGE, {"action": "no_answer", "comments": [1], "reason": "x"}).status_code == 403


def test_the_triage_page_lists_the_unaccounted_comments(client, demo, member, comments):
    client.force_login(member)
    page = client.get(TRIAGE).content.decode()
    assert all(f'name="comments" value="{c.pk}"' in page for c in comments)
    assert "<progress" in page and "Raise the concern" in page
    assert f'href="{TRIAGE}"' in client.get("/c/tarvania-2026/moderation/").content.decode()


def test_raising_a_concern_from_checked_comments(client, demo, member, comments):
    client.force_login(member)
    response = client.post(TRIAGE, {"action": "create", "comments": [comments[0].pk, comments[1].pk], "title": "Vague grounds"})
    assert response.status_code == 302
    concern = Concern.objects.get(title="Vague grounds")
    assert set(concern.comments.values_list("pk", flat=True)) == {comments[0].pk, comments[1].pk}
    page = client.get(response.url).content.decode()
    assert "is raised from 2 comment(s)" in page and f'value="{comments[0].pk}"' not in page


def test_adding_comments_to_an_open_concern(client, demo, member, comments):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    client.force_login(member)
    response = client.post(TRIAGE, {"action": "add", "comments": [comments[1].pk, comments[2].pk], "concern": concern.pk})
    assert response.status_code == 302
    assert concern.comments.count() == 3


def test_marking_comments_as_needing_no_answer(client, demo, member, comments):
    client.force_login(member)
    response = client.post(TRIAGE, {"action": "no_answer", "comments": [c.pk for c in comments], "reason": "Thank-you notes."})
    assert response.status_code == 302
    assert CommentNoAnswer.objects.filter(reason="Thank-you notes.").count() == 3
    assert "Every comment is accounted for" in client.get(TRIAGE).content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"action": "no_answer", "reason": "  "}, "Say why this comment needs no separate answer"),
        ({"action": "create", "title": ""}, "Give the concern a title"),
        ({"action": "create", "title": "No comments", "comments": []}, "Check at least one comment"),
    ],
)
def test_bad_triage_input_shows_the_error_and_changes_nothing(client, demo, member, comments, data, message):
    client.force_login(member)
    data = {"comments": [c.pk for c in comments], **data}
    response = client.post(TRIAGE, data)
    page = response.content.decode()
    assert response.status_code == 400 and message in page and 'role="alert"' in page
    assert not Concern.objects.exists() and not CommentNoAnswer.objects.exists() and not ConcernComment.objects.exists()
    if data["comments"]:
        assert f'value="{comments[0].pk}" checked' in page  # what was checked stays checked


def test_deciding_through_the_concern_page(client, demo, member, comments):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    client.force_login(member)
    url = f"/c/tarvania-2026/concerns/{concern.pk}/"
    assert "Record the decision" in client.get(url).content.decode()
    response = client.post(url + "transition/", {"to_status": "under_review", "reason": "To the rights group."})
    assert response.status_code == 302
    response = client.post(url + "decide/", {
        "status": "partially_accepted", "rationale": "Partly: the grounds are narrowed.",
        "norms": "ICCPR art. 18(3) | https://www.ohchr.org/iccpr\nVenice Commission\n",
    })
    assert response.status_code == 302 and response.url == url
    concern.refresh_from_db()
    assert concern.status == "partially_accepted" and concern.rationale == "Partly: the grounds are narrowed."
    assert list(concern.norms.values_list("label", "url")) == [("ICCPR art. 18(3)", "https://www.ohchr.org/iccpr"), ("Venice Commission", "")]
    assert Receipt.objects.filter(kind="decision", decision__concern=concern).count() == 1
    page = client.get(url).content.decode()
    assert "The decision is recorded" in page and "Under review" in page and "Revise the decision" in page
    assert 'id="id_revises" checked' not in page  # revising is a deliberate act


def test_an_empty_rationale_shows_the_error_and_changes_nothing(client, demo, member, comments):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    client.force_login(member)
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {"status": "accepted", "rationale": "   "})
    assert response.status_code == 400 and "Every decision states its rationale" in response.content.decode()
    concern.refresh_from_db()
    assert concern.status == "open" and concern.events.count() == 1 and not Receipt.objects.filter(kind="decision").exists()


def test_deciding_again_without_revising_is_refused(client, demo, member, comments):
    concern = _decided(member, demo, comments)
    client.force_login(member)
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {"status": "rejected", "rationale": "No."})
    assert response.status_code == 409 and "already decided" in response.content.decode()
    assert Receipt.objects.filter(kind="decision", decision__concern=concern).count() == 1


def test_a_citizen_cannot_decide(client, demo, member, comments, make_participant):
    concern = concerns.concern_create(actor=member, consultation_id=demo.pk, title="Vague grounds", comment_ids=[comments[0].pk])
    client.force_login(make_participant("Citizen"))
    response = client.post(f"/c/tarvania-2026/concerns/{concern.pk}/decide/", {"status": "accepted", "rationale": "Yes."})
    assert response.status_code == 403
    concern.refresh_from_db()
    assert concern.status == "open"


@pytest.mark.parametrize("ids", [["abc"], [str(10**30)], ["-4"], ["1\x00"]])
def test_malformed_comment_ids_on_the_triage_page_are_refused_clearly(client, member, comments, ids):
    from comments.models import Concern

    client.force_login(member)
    response = client.post(TRIAGE, {"action": "create", "comments": ids, "title": "T\x00itle"})
    assert response.status_code == 400 and not Concern.objects.exists()
