"""Corrections and receipts in public: the earlier text of a corrected comment on the page and in the API,
the "Correct" link only while the window is open, and the receipt page telling the comment as submitted
(the hashed content) and its status now, without ever showing a hidden or withdrawn comment's words to others."""
import datetime
import hashlib

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from comments import services
from comments.models import Comment
from comments.moderation import services as moderation

pytestmark = pytest.mark.django_db
PARAGRAPH = "/c/tarvania-2026/constitution/v1/p/II/25/1/"


@pytest.fixture
def comment(aigerim, draft_provision):
    return services.comment_submit(
        author=aigerim, provision_id=draft_provision.pk, body="Firstwording zebra clause.", stance="oppose", language="en",
        proposed_wording="Original proposal quokka.",
    )


def _correct(comment, author):
    return services.comment_edit(comment_id=comment.pk, author=author, body="Secondwording corrected.", proposed_wording="")


def test_the_page_shows_the_earlier_text_of_a_corrected_comment(client, comment, aigerim):
    _correct(comment, aigerim)
    page = client.get(PARAGRAPH).content.decode()
    assert "Secondwording corrected." in page and "Firstwording zebra clause." in page and "Original proposal quokka." in page
    assert f'href="#comment-{comment.pk}-history"' in page and f'id="comment-{comment.pk}-history"' in page


def test_an_uncorrected_comment_has_no_history(client, comment):
    page = client.get(PARAGRAPH).content.decode()
    assert f"comment-{comment.pk}-history" not in page


def test_the_earlier_text_of_a_hidden_corrected_comment_is_not_shown(client, comment, aigerim, member):
    _correct(comment, aigerim)
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Off topic")
    page = client.get(PARAGRAPH).content.decode()
    assert "Firstwording" not in page and "Secondwording" not in page and "Off topic" in page
    detail = APIClient().get(f"/api/v1/comments/{comment.pk}/").json()
    assert detail["revisions"] == [] and detail["body"] == ""


def test_the_api_detail_carries_the_revisions(comment, aigerim):
    _correct(comment, aigerim)
    detail = APIClient().get(f"/api/v1/comments/{comment.pk}/").json()
    assert detail["body"] == "Secondwording corrected."
    assert [(r["body"], r["proposed_wording"], r["stance"]) for r in detail["revisions"]] == [
        ("Firstwording zebra clause.", "Original proposal quokka.", "oppose")
    ]
    assert detail["revisions"][0]["replaced_at"]


def test_the_api_detail_of_an_uncorrected_comment_has_no_revisions(comment):
    assert APIClient().get(f"/api/v1/comments/{comment.pk}/").json()["revisions"] == []


@pytest.mark.parametrize("pk", ["999999", "abc"])
def test_the_api_detail_of_an_unknown_comment_is_404(demo, pk):
    assert APIClient().get(f"/api/v1/comments/{pk}/").status_code == 404


def test_the_correct_link_is_shown_within_the_window_only(client, comment, aigerim, settings):
    client.force_login(aigerim)
    edit_url = f"/comments/{comment.pk}/edit/"
    assert f'href="{edit_url}"' in client.get(PARAGRAPH).content.decode()
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(seconds=settings.COMMENT_EDIT_WINDOW_SECONDS + 5))
    page = client.get(PARAGRAPH).content.decode()
    assert f'href="{edit_url}"' not in page and ">Withdraw<" in page


def test_the_correct_link_is_never_shown_to_others(client, comment, make_participant):
    client.force_login(make_participant("Bolat"))
    assert f"/comments/{comment.pk}/edit/" not in client.get(PARAGRAPH).content.decode()


def test_the_receipt_page_shows_the_comment_as_submitted_and_its_hash(client, comment, aigerim):
    _correct(comment, aigerim)
    receipt = comment.receipt
    page = client.get(f"/receipts/{receipt.number}/").content.decode()
    assert "The comment as submitted" in page and "Firstwording zebra clause." in page and "Original proposal quokka." in page
    assert "still hashes to the receipt" in page and "Published." in page and "corrected it after sending" in page
    from comments.chain import selectors as chain_selectors

    submitted = chain_selectors.receipt_comment_as_submitted(receipt=receipt)
    assert hashlib.sha256(submitted.canonical.encode("utf-8")).hexdigest() == receipt.content_hash
    assert submitted.matches and submitted.payload["body"] == "Firstwording zebra clause."


def test_the_receipt_page_of_a_hidden_comment_gives_status_and_reason_not_words(client, comment, member, make_participant):
    moderation.comment_hide(comment_id=comment.pk, moderator=member, reason="Personal attack")
    for viewer in (None, make_participant("Bolat")):
        if viewer:
            client.force_login(viewer)
        page = client.get(f"/receipts/{comment.receipt.number}/").content.decode()
        assert "Hidden by the moderators: Personal attack" in page
        assert "zebra" not in page and "quokka" not in page and "hashed-content" not in page


def test_the_receipt_page_of_a_withdrawn_comment_says_so_without_words(client, comment, aigerim):
    services.comment_withdraw(comment_id=comment.pk, author=aigerim)
    page = client.get(f"/receipts/{comment.receipt.number}/").content.decode()
    assert "Withdrawn by the author." in page and "zebra" not in page and "quokka" not in page


def test_the_author_still_sees_the_words_of_a_withdrawn_comment_on_its_receipt(client, comment, aigerim):
    services.comment_withdraw(comment_id=comment.pk, author=aigerim)
    client.force_login(aigerim)
    page = client.get(f"/receipts/{comment.receipt.number}/").content.decode()
    assert "Firstwording zebra clause." in page and "Only you, its author, see these words" in page


def test_a_receipt_that_no_longer_matches_its_comment_says_so(client, comment):
    Comment.objects.filter(pk=comment.pk).update(body="Tampered quietly.")
    page = client.get(f"/receipts/{comment.receipt.number}/").content.decode()
    assert "no longer matches the receipt" in page


def test_the_receipt_checker_is_linked_from_the_footer_and_every_comment(client, comment):
    home = client.get("/").content.decode()
    assert 'href="/receipts/"' in home and "Check a receipt" in home
    page = client.get(PARAGRAPH).content.decode()
    assert "Check a receipt" in page
    assert f'href="/receipts/{comment.receipt.number}/"' in page and f"Check receipt {comment.receipt.number}" in page


@pytest.mark.parametrize("language, words", [("kk", "Жіберілген күйіндегі пікір"), ("ru", "Комментарий в том виде")])
def test_the_receipt_page_speaks_the_readers_language(client, comment, language, words):
    page = client.get(f"/receipts/{comment.receipt.number}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert words in page
