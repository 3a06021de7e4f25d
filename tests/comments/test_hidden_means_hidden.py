"""Hidden means hidden: no read path matches or shows the words of a hidden or withdrawn comment.

One record for every test: a published comment (its word is found everywhere), a comment hidden by the
moderators and a comment withdrawn by its author, each with a word of its own in its body and its proposed
wording, all three in a campaign (with a fourth, plain, letter) and behind a concern. Each read path is asked
for the hidden and withdrawn words: it must neither match them nor show them, while it still says that the
comments exist (their place, status and the public count of hidden comments). The author of the hidden comment
still reads it on their own "My comments" page.
"""
import csv
import io
import json

import docx
import pytest
from django.test import Client
from rest_framework.test import APIClient

from comments import selectors, services
from comments.campaigns import services as campaigns
from comments.concerns import services as concerns
from comments.models import Campaign, Comment
from comments.moderation import services as moderation

pytestmark = pytest.mark.django_db

SLUG = "tarvania-2026"
SHOWN = "quokkashown"
HIDDEN = "quokkahidden"
GONE = "quokkagone"
SECRET_WORDS = (HIDDEN, GONE)
LETTER = (
    "I oppose the grounds of spiritual and moral values in Article 25 because no court can tell what they mean, "
    "and I ask the commission to use only the grounds that the International Covenant allows."
)


@pytest.fixture
def record(make_participant, draft_provision, member):
    def submit(name, word):
        return services.comment_submit(
            author=make_participant(name), provision_id=draft_provision.pk, stance="oppose", language="en",
            body=f"{word} {LETTER}", proposed_wording=f"Replace it with {word} wording.",
        )

    shown, hidden, gone, plain = submit("Shown Author", SHOWN), submit("Hidden Author", HIDDEN), submit("Gone Author", GONE), submit("Plain Author", "")
    campaigns.campaigns_sweep()
    concern = concerns.concern_create(
        actor=member, consultation_id=shown.consultation_id, title="Vague grounds of restriction",
        comment_ids=[shown.pk, hidden.pk, gone.pk],
    )
    moderation.comment_hide(comment_id=hidden.pk, moderator=member, reason="Personal data of a third person.")
    services.comment_withdraw(comment_id=gone.pk, author=gone.author)
    hidden.refresh_from_db()
    gone.refresh_from_db()
    assert (hidden.status, gone.status) == (Comment.Status.HIDDEN, Comment.Status.WITHDRAWN)
    return {"shown": shown, "hidden": hidden, "gone": gone, "plain": plain, "concern": concern, "provision": draft_provision}


def assert_no_secret(text):
    for word in SECRET_WORDS:
        assert word not in text, f"{word!r} is revealed"


def page(path, user=None, **params):
    client = Client()
    if user is not None:
        client.force_login(user)
    answer = client.get(path, params)
    assert answer.status_code == 200, (path, answer.status_code)
    return answer.content.decode()


def body_of(answer):
    assert answer.status_code == 200
    content = b"".join(answer.streaming_content) if answer.streaming else answer.content
    return content.decode("utf-8-sig")


def provision_path(provision):
    return f"/c/{SLUG}/constitution/v1/p/{provision.path}/"


# --- HTML pages ---------------------------------------------------------------------------------------------------


def test_the_provision_page_shows_that_they_exist_but_not_their_words(record, aigerim):
    for user in (None, aigerim):
        html = page(provision_path(record["provision"]), user)
        assert SHOWN in html and f'id="comment-{record["hidden"].pk}"' in html and f'id="comment-{record["gone"].pk}"' in html
        assert "Personal data of a third person." in html and "Withdrawn by the author." in html
        assert "1 hidden by moderators" in html  # the count of hidden comments stays public
        assert_no_secret(html)


def test_the_version_reader_and_its_article_page_do_not_show_their_words(record):
    assert_no_secret(page(f"/c/{SLUG}/constitution/v1/"))
    article = record["provision"].parent
    assert_no_secret(page(provision_path(article)))


def test_the_commission_member_reading_the_provision_does_not_see_their_words_either(record, member):
    assert_no_secret(page(provision_path(record["provision"]), member))


def test_the_concern_page_and_the_public_record_show_the_status_not_the_words(record):
    html = page(f"/c/{SLUG}/concerns/{record['concern'].pk}/")
    assert SHOWN in html and "Hidden" in html and "Withdrawn" in html
    assert_no_secret(html)
    assert_no_secret(page(f"/c/{SLUG}/heard/"))


def test_the_campaign_pages_do_not_show_their_words(record):
    campaign = Campaign.objects.get(fingerprints__comment=record["shown"])
    assert campaign.size == 2  # the hidden and the withdrawn letters no longer count
    html = page(f"/c/{SLUG}/campaigns/{campaign.pk}/")
    assert SHOWN in html and record["hidden"].receipt.number not in html and record["gone"].receipt.number not in html
    assert_no_secret(html)
    assert_no_secret(campaign.template_text)
    assert_no_secret(page(f"/c/{SLUG}/campaigns/"))


def test_the_summary_table_page_and_its_exports_do_not_show_their_words(record):
    html = page(f"/c/{SLUG}/heard/summary/")
    assert SHOWN in html
    assert_no_secret(html)
    client = Client()
    rows = client.get(f"/api/v1/consultations/{SLUG}/tables/summary.json").json()["rows"]
    assert any(SHOWN in row["comment"] for row in rows)
    assert_no_secret(json.dumps(rows))
    assert_no_secret(body_of(client.get(f"/api/v1/consultations/{SLUG}/tables/summary.csv")))
    document = docx.Document(io.BytesIO(client.get(f"/api/v1/consultations/{SLUG}/tables/summary.docx").content))
    text = "\n".join(cell.text for table in document.tables for row in table.rows for cell in row.cells)
    assert SHOWN in text
    assert_no_secret(text + "\n".join(paragraph.text for paragraph in document.paragraphs))


def test_another_users_my_comments_page_does_not_show_them_while_the_author_sees_their_own(record, aigerim):
    assert_no_secret(page("/me/comments/", aigerim))
    hidden_author, gone_author = record["hidden"].author, record["gone"].author
    own = page("/me/comments/", hidden_author)
    assert HIDDEN in own and "Personal data of a third person." in own and GONE not in own
    assert GONE not in page("/me/comments/", record["shown"].author)
    assert "Withdrawn by you." in page("/me/comments/", gone_author)


def test_the_my_comments_page_needs_a_sign_in(record):
    answer = Client().get("/me/comments/")
    assert answer.status_code == 302 and "login" in answer["Location"]


def test_the_receipt_pages_of_the_hidden_and_withdrawn_comments_do_not_show_their_words(record, aigerim):
    for key in ("hidden", "gone"):
        number = record[key].receipt.number
        for user in (None, aigerim):
            html = page(f"/receipts/{number}/", user)
            assert number in html
            assert_no_secret(html)


# --- API ----------------------------------------------------------------------------------------------------------


def api_get(path, **params):
    answer = APIClient().get(path, params)
    assert answer.status_code == 200, (path, answer.status_code, answer.content[:300])
    return answer


def test_the_api_search_never_matches_a_hidden_or_withdrawn_comment(record):
    found = api_get("/api/v1/comments/", search=SHOWN).json()["results"]
    assert [item["id"] for item in found] == [record["shown"].pk]
    for word in SECRET_WORDS:
        answer = api_get("/api/v1/comments/", search=word)
        assert answer.json()["results"] == []
        assert_no_secret(answer.content.decode())
    # a word they share with published comments finds only the published ones
    shared = {item["id"] for item in api_get("/api/v1/comments/", search="Covenant").json()["results"]}
    assert shared == {record["shown"].pk, record["plain"].pk}


def test_the_api_search_combined_with_filters_never_matches_them(record):
    provision = record["provision"]
    for word in SECRET_WORDS:
        for filters in ({"provision": provision.pk}, {"version": provision.version_id}, {"stance": "oppose"},
                        {"consultation": SLUG}, {"lineage": provision.lineage_id}):
            assert api_get("/api/v1/comments/", search=word, **filters).json()["results"] == []


def test_the_api_list_and_filters_keep_their_place_without_their_words(record):
    provision = record["provision"]
    for filters in ({}, {"provision": provision.pk}, {"version": provision.version_id}, {"stance": "oppose"}, {"consultation": SLUG}):
        answer = api_get("/api/v1/comments/", **filters)
        statuses = {item["id"]: item["status"] for item in answer.json()["results"]}
        assert statuses[record["hidden"].pk] == "hidden" and statuses[record["gone"].pk] == "withdrawn"
        assert_no_secret(answer.content.decode())


def test_the_api_detail_keeps_the_reason_not_the_words(record):
    hidden = api_get(f"/api/v1/comments/{record['hidden'].pk}/").json()
    assert hidden["status"] == "hidden" and hidden["moderation_reason"] == "Personal data of a third person."
    assert hidden["body"] == "" and hidden["proposed_wording"] == ""
    for key in ("hidden", "gone"):
        assert_no_secret(api_get(f"/api/v1/comments/{record[key].pk}/").content.decode())


def test_the_api_search_rejects_a_too_long_or_blank_query(record):
    for query in ("x" * 201, "   "):
        answer = APIClient().get("/api/v1/comments/", {"search": query})
        assert answer.status_code == 400 and "search" in answer.json()["fields"]


def test_the_csv_and_jsonl_exports_keep_their_rows_without_their_words(record):
    client = Client()
    csv_text = body_of(client.get(f"/api/v1/consultations/{SLUG}/export/comments.csv"))
    rows = {int(row["id"]): row for row in csv.DictReader(io.StringIO(csv_text))}
    assert rows[record["hidden"].pk]["status"] == "hidden" and rows[record["gone"].pk]["status"] == "withdrawn"
    assert SHOWN in rows[record["shown"].pk]["body"]
    assert_no_secret(csv_text)
    jsonl = body_of(client.get(f"/api/v1/consultations/{SLUG}/export/comments.jsonl"))
    records = {item["id"]: item for item in map(json.loads, jsonl.splitlines())}
    assert records[record["hidden"].pk]["body"] == "" and records[record["gone"].pk]["proposed_wording"] == ""
    assert_no_secret(jsonl)


# --- selectors (the one place) ------------------------------------------------------------------------------------


def test_the_search_selector_never_matches_them_and_the_counts_stay_public(record):
    every = selectors.comment_public_queryset()
    assert list(selectors.comment_search(comments=every, query=SHOWN)) == [record["shown"]]
    for word in SECRET_WORDS:
        assert not selectors.comment_search(comments=every, query=word).exists()
        assert not selectors.comment_search(comments=every, query=f"{word} spiritual").exists()
    counts = selectors.comment_counts_for_version(version=record["provision"].version)[record["provision"].pk]
    assert (counts.published, counts.hidden, counts.withdrawn) == (2, 1, 1)
    records = [selectors.comment_public_record(record[key]) for key in ("hidden", "gone")]
    assert_no_secret(json.dumps(records))


def test_a_restored_comment_is_found_again(record, member):
    moderation.comment_restore(comment_id=record["hidden"].pk, moderator=member)
    found = api_get("/api/v1/comments/", search=HIDDEN).json()["results"]
    assert [item["id"] for item in found] == [record["hidden"].pk]
