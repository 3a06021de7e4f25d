"""Positions are not biased: nothing is chosen for the author, a reply may take no position, and the
commission's official reply is shown as its answer, never as a "Question"."""
import pytest
from django.db import IntegrityError, connection, transaction
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment, Receipt
from config.errors import ApplicationError

pytestmark = pytest.mark.django_db
ARTICLE = "/c/tarvania-2026/constitution/v1/p/II/25/"
CHOOSE = "Choose your position"


def _comment(user, provision, **overrides):
    arguments = {"body": "Restrictions must follow the ICCPR.", "stance": "oppose", "language": "en"}
    arguments.update(overrides)
    return services.comment_submit(author=user, provision_id=provision.pk, **arguments)


def _api(user):
    api = APIClient()
    api.force_authenticate(user)
    return api


# --- the form ----------------------------------------------------------------------------------------


def test_the_comment_form_preselects_no_position_and_explains_the_choice(client, aigerim, draft_provision):
    client.force_login(aigerim)
    page = client.get(ARTICLE).content.decode()
    form = page[page.index('id="comment-form"'):]
    form = form[: form.index("</form>")]
    assert 'name="stance"' in form and "checked" not in form
    assert 'aria-describedby="id_stance_helptext"' in form and 'id="id_stance_helptext"' in form
    assert "Required: say whether you support or oppose this text" in form


def test_a_comment_without_a_position_is_refused_at_the_field_and_nothing_is_saved(client, aigerim, draft_provision):
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", {"provision": draft_provision.pk, "body": "My words stay.", "lang": "en"})
    assert response.status_code == 400
    page = response.content.decode()
    assert CHOOSE in page and 'id="id_stance_error"' in page and "id_stance_helptext id_stance_error" in page
    assert "My words stay." in page  # nothing typed is lost
    assert not Comment.objects.exists() and not Receipt.objects.exists()


def test_an_unknown_position_is_refused(client, aigerim, draft_provision):
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", {"provision": draft_provision.pk, "stance": "maybe", "body": "x", "lang": "en"})
    assert response.status_code == 400 and not Comment.objects.exists()


def test_a_chosen_position_is_kept(client, aigerim, draft_provision):
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", {"provision": draft_provision.pk, "stance": "support", "body": "Good.", "lang": "en"})
    assert response.status_code == 302 and Comment.objects.get().stance == "support"


# --- the service and the API -------------------------------------------------------------------------


def test_the_service_refuses_a_comment_without_a_position(aigerim, draft_provision):
    with pytest.raises(ApplicationError) as refused:
        _comment(aigerim, draft_provision, stance="")
    assert refused.value.status == 400 and CHOOSE in refused.value.fields["stance"][0]
    assert not Comment.objects.exists()


def test_the_api_requires_a_position_for_a_comment(aigerim, draft_provision):
    response = _api(aigerim).post("/api/v1/comments/", {"provision": draft_provision.pk, "body": "x", "language": "en"}, format="json")
    assert response.status_code == 400 and "stance" in response.json()["fields"]
    assert not Comment.objects.exists()


def test_a_reply_may_take_no_position_or_one(aigerim, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    timur = make_participant("Timur")
    plain = _comment(timur, draft_provision, parent_id=first.pk, stance="", body="Which covenant article?")
    agreeing = _comment(timur, draft_provision, parent_id=first.pk, stance="support", body="Agreed.")
    assert (Comment.objects.get(pk=plain.pk).stance, Comment.objects.get(pk=agreeing.pk).stance) == ("", "support")
    with pytest.raises(ApplicationError):
        _comment(timur, draft_provision, parent_id=first.pk, stance="maybe")
    assert Comment.objects.count() == 3


def test_a_reply_without_a_position_through_the_api(aigerim, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    response = _api(make_participant("Timur")).post(
        "/api/v1/comments/", {"provision": draft_provision.pk, "body": "A reply.", "language": "en", "parent": first.pk}, format="json"
    )
    assert response.status_code == 201 and response.json()["stance"] == ""
    assert _api(aigerim).get(f"/api/v1/comments/{response.json()['id']}/").json()["stance"] == ""


def test_an_official_reply_takes_no_position(aigerim, member, draft_provision):
    first = _comment(aigerim, draft_provision)
    answer = _comment(member, draft_provision, parent_id=first.pk, official=True, stance="question", body="We will answer by draft 2.")
    assert Comment.objects.get(pk=answer.pk).stance == ""


def test_the_database_refuses_a_top_level_comment_without_a_position(aigerim, draft_provision):
    comment = _comment(aigerim, draft_provision)
    with pytest.raises(IntegrityError), transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("UPDATE comments_comment SET stance = '' WHERE id = %s", [comment.pk])
    assert Comment.objects.get(pk=comment.pk).stance == "oppose"


def test_a_reply_without_a_position_can_be_corrected(aigerim, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    timur = make_participant("Timur")
    reply = _comment(timur, draft_provision, parent_id=first.pk, stance="")
    services.comment_edit(comment_id=reply.pk, author=timur, body="Corrected reply.")
    reply.refresh_from_db()
    assert (reply.body, reply.stance) == ("Corrected reply.", "")


# --- what the public sees ----------------------------------------------------------------------------


def test_the_official_reply_is_shown_as_the_commissions_answer_never_as_a_question(client, aigerim, member, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    answer = _comment(member, draft_provision, parent_id=first.pk, official=True, body="We will answer by draft 2.")
    plain = _comment(make_participant("Timur"), draft_provision, parent_id=first.pk, stance="", body="Me too.")
    page = client.get(ARTICLE + "1/").content.decode()
    card = page[page.index(f'id="comment-{answer.pk}"'):]
    card = card[: card.index("</header>")]
    assert "Answer of the commission" in card and "Question" not in card and "stance-" not in card
    reply_card = page[page.index(f'id="comment-{plain.pk}"'):]
    reply_card = reply_card[: reply_card.index("</header>")]
    assert "badge reply-badge" in reply_card and "stance-" not in reply_card


def test_the_reply_form_offers_an_optional_position_and_sends_none_by_default(client, aigerim, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    timur = make_participant("Timur")
    client.force_login(timur)
    page = client.get(ARTICLE + "1/").content.decode()
    reply_form = page[page.index('<details class="reply">'):]
    reply_form = reply_form[: reply_form.index("</details>")]
    assert 'value="question"' in reply_form and 'name="stance" value="" checked' in reply_form and "Your position (optional)" in reply_form
    response = client.post(ARTICLE + "1/comment/", {"provision": draft_provision.pk, "parent": first.pk, "stance": "", "body": "Me too.", "lang": "en"})
    assert response.status_code == 302
    assert Comment.objects.get(parent=first).stance == ""


def test_the_receipt_of_a_reply_without_a_position(client, aigerim, make_participant, draft_provision):
    first = _comment(aigerim, draft_provision)
    reply = _comment(make_participant("Timur"), draft_provision, parent_id=first.pk, stance="", body="Me too.")
    assert client.get(f"/receipts/{reply.receipt.number}/").status_code == 200
