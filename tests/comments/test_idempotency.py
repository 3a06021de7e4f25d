"""A retried submission returns the original receipt instead of a second comment (issue 13, found 5).

A comment can be committed while its client sees an error; the client then sends it again with the
same Idempotency-Key (the API's header, the HTML form's hidden field) and must get the first comment's
receipt, even when the first answer never arrived, the phase has closed since, or both requests
arrive at once. A key sent again with other words is refused, and writes nothing.
"""
from __future__ import annotations

import datetime
import re
import threading

import pytest
from django.db import connection
from django.utils import timezone
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment, Receipt, SubmissionKey
from consult.models import Phase
from drafts.models import Provision

pytestmark = pytest.mark.django_db
ARTICLE = "/c/tarvania-2026/constitution/v1/p/II/25/"


def client_for(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


def payload(provision, **overrides):
    return {"provision": provision.pk, "body": "Use the ICCPR grounds only.", "stance": "oppose", "language": "en", **overrides}


def test_a_retry_with_the_same_key_returns_the_first_answer_and_makes_no_second_comment(aigerim, draft_provision):
    client = client_for(aigerim)
    first = client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    assert first.status_code == 201 and again.status_code == 201, again.json()
    assert again.json() == first.json() and first.json()["receipt"]
    assert again.headers["Idempotent-Replayed"] == "true" and "Idempotent-Replayed" not in first.headers
    assert Comment.objects.count() == 1 and Receipt.objects.count() == 1
    assert SubmissionKey.objects.get().comment_id == first.json()["id"]


def test_the_first_answer_never_arriving_is_what_the_key_is_for(aigerim, draft_provision):
    """The service committed (as when the response is lost); the client's retry then finds it."""
    made = services.comment_submit(
        author=aigerim, provision_id=draft_provision.pk, body="Use the ICCPR grounds only.", stance="oppose",
        language="en", idempotency_key="lost-answer",
    )
    response = client_for(aigerim).post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="lost-answer")
    assert response.status_code == 201 and response.json()["receipt"] == made.receipt.number
    assert Comment.objects.count() == 1


def test_a_retry_after_the_phase_closed_still_gets_its_receipt_but_a_new_comment_is_refused(aigerim, draft_provision):
    client = client_for(aigerim)
    first = client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="before-close")
    Phase.objects.filter(version=draft_provision.version).update(
        opens_at=timezone.now() - datetime.timedelta(days=20), closes_at=timezone.now() - datetime.timedelta(days=1)
    )
    again = client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="before-close")
    other = client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="after-close")
    assert again.status_code == 201 and again.json()["receipt"] == first.json()["receipt"]
    assert other.status_code == 403 and Comment.objects.count() == 1


def test_a_key_sent_again_with_other_words_is_refused_and_writes_nothing(aigerim, draft_provision):
    client = client_for(aigerim)
    client.post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="k-2")
    response = client.post(
        "/api/v1/comments/", payload(draft_provision, body="Something else entirely."), format="json", HTTP_IDEMPOTENCY_KEY="k-2"
    )
    assert response.status_code == 422
    assert response.json()["code"] == "idempotency_key_reused" and "idempotency_key" in response.json()["fields"]
    assert Comment.objects.count() == 1 and Receipt.objects.count() == 1


def test_keys_are_per_author_and_a_new_key_makes_a_new_comment(aigerim, make_participant, draft_provision):
    bolat = make_participant("Bolat")
    assert client_for(aigerim).post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert client_for(bolat).post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="same").status_code == 201
    assert client_for(aigerim).post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="other").status_code == 201
    assert client_for(aigerim).post("/api/v1/comments/", payload(draft_provision), format="json").status_code == 201  # no key: no check
    assert Comment.objects.count() == 4


@pytest.mark.parametrize("key", ["has space", "x" * 256, "ключ"])
def test_a_malformed_key_is_refused_in_the_error_shape(aigerim, draft_provision, key):
    response = client_for(aigerim).post(
        "/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY=key.encode().decode("latin-1")
    )
    assert response.status_code == 400 and response.json()["code"] == "idempotency_key_invalid", response.content
    assert set(response.json()) == {"message", "code", "fields"} and not Comment.objects.exists()


def test_an_anonymous_request_with_a_key_is_refused_as_without(draft_provision):
    response = APIClient().post("/api/v1/comments/", payload(draft_provision), format="json", HTTP_IDEMPOTENCY_KEY="k")
    assert response.status_code in (401, 403) and not Comment.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_same_submission_sent_twice_at_once_makes_one_comment(aigerim, draft_provision):
    """Both requests pass the first look-up; the unique key makes the second wait and return the first's comment."""
    results, barrier = [], threading.Barrier(4)

    def send():
        barrier.wait()
        try:
            comment = services.comment_submit(
                author=aigerim, provision_id=draft_provision.pk, body="At once.", stance="oppose", language="en",
                idempotency_key="together",
            )
            results.append((comment.receipt.number, comment.replayed))
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == 4 and len({number for number, _replayed in results}) == 1, results
    assert sorted(replayed for _number, replayed in results) == [False, True, True, True]
    assert Comment.objects.count() == 1 and Receipt.objects.count() == 1


def _form_key(html: str) -> str:
    return re.search(r'<input type="hidden" name="idempotency_key" value="([0-9a-f]{32})"', html).group(1)


def test_the_html_form_carries_a_fresh_key_and_a_resent_form_shows_the_same_receipt(client, aigerim, demo):
    client.force_login(aigerim)
    key = _form_key(client.get(ARTICLE).content.decode())
    assert key != _form_key(client.get(ARTICLE).content.decode())  # one per form shown
    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25")
    data = {"provision": provision.pk, "stance": "oppose", "body": "Name the values.", "lang": "en", "idempotency_key": key}
    first = client.post(ARTICLE + "comment/", data)
    again = client.post(ARTICLE + "comment/", data)  # the browser sends the form again (a reload, the back button)
    assert first.status_code == again.status_code == 302 and first.url == again.url
    assert Comment.objects.count() == 1 and first.url.startswith(f"/receipts/{Comment.objects.get().receipt.number}")


def test_a_resent_form_with_other_words_says_so_and_can_then_be_sent_as_a_new_comment(client, aigerim, demo):
    client.force_login(aigerim)
    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25")
    data = {"provision": provision.pk, "stance": "oppose", "body": "Name the values.", "lang": "en", "idempotency_key": "f" * 32}
    client.post(ARTICLE + "comment/", data)
    refused = client.post(ARTICLE + "comment/", {**data, "body": "Name the values, and who decides."})
    html = refused.content.decode()
    assert refused.status_code == 422 and "already sent with other words" in html and Comment.objects.count() == 1
    new_key = _form_key(html)
    assert new_key != data["idempotency_key"] and "who decides" in html  # the words are kept for sending again
    sent = client.post(ARTICLE + "comment/", {**data, "body": "Name the values, and who decides.", "idempotency_key": new_key})
    assert sent.status_code == 302 and Comment.objects.count() == 2
