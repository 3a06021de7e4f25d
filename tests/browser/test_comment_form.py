"""The comment form and a comment's buttons in a real browser: typed words never move the comment to
another paragraph (the author chooses it, the field says where the words are), a refused form takes the
focus to its errors with or without JavaScript, an endorsement shows and can be taken back, and
withdrawing a comment asks first."""
from __future__ import annotations

import re

import pytest

from comments import services as comment_services
from comments.models import Comment
from drafts.models import Provision

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -r requirements.txt").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ARTICLE_25 = "/c/tarvania-2026/constitution/v1/p/II/25/"
PARAGRAPH_1 = ARTICLE_25 + "1/"
WORDS = "spiritual and moral values"  # in paragraph 1 only


def _provision(path: str) -> Provision:
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path=path)


def test_typed_words_found_in_another_paragraph_are_an_error_at_the_field_until_the_author_chooses_it(page, make_participant, sign_in):
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")
    about, quote = form.locator("[name=provision]"), form.locator("[name=quote_exact]")
    article, paragraph = str(_provision("II/25").pk), str(_provision("II/25/1").pk)
    expect(about).to_have_value(article)

    quote.fill(WORDS)
    status = form.locator(".quote-status")
    expect(status).to_have_text(
        "These words are not in Article 25; they are in Article 25, paragraph 1. Choose it under “About” to quote them."
    )
    expect(status).to_have_class(re.compile(r"\bquote-error\b"))
    expect(quote).to_have_attribute("aria-invalid", "true")
    expect(quote).to_have_attribute("aria-describedby", re.compile(r"\bid_quote_exact_status\b"))
    expect(about).to_have_value(article)  # the words did not move the comment
    expect(form.locator(".quote-preview")).to_be_hidden()

    form.get_by_role("button", name="Choose Article 25, paragraph 1").click()
    expect(about).to_have_value(paragraph)
    expect(status).to_have_text("Your comment is now about Article 25, paragraph 1. Found in the text.")
    expect(quote).not_to_have_attribute("aria-invalid", "true")
    expect(quote).to_be_focused()
    expect(form.locator(".quote-preview")).to_have_text(f"«{WORDS}»")

    about.select_option(article)  # the author goes back to the article: the words are an error again
    expect(status).to_have_class(re.compile(r"\bquote-error\b"))
    expect(form.locator(".quote-preview")).to_be_hidden()
    quote.fill("the right to bear arms")
    expect(status).to_have_text("These words are not in the chosen provision.")
    expect(form.get_by_role("button", name=re.compile("^Choose "))).to_be_hidden()


def test_words_sent_with_the_article_chosen_are_refused_at_the_field_and_the_errors_take_the_focus(page, make_participant, sign_in):
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")
    form.locator("[name=quote_exact]").fill(WORDS)
    form.locator("[name=body]").fill("Name the values.")
    form.get_by_role("radio", name="Oppose").check()
    with page.expect_navigation() as refused:
        form.get_by_role("button", name="Send comment").click()
    assert refused.value.status == 400 and not Comment.objects.exists()

    summary = page.locator("#comment-form-errors")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link")).to_have_text(re.compile("^Words you comment on .*: The quoted words are not in the text of this provision"))
    expect(form.locator("#id_quote_exact_error")).to_have_text("The quoted words are not in the text of this provision.")
    expect(form.locator("[name=provision]")).to_have_value(str(_provision("II/25").pk))  # nothing chose for the author
    expect(form.get_by_role("button", name="Choose Article 25, paragraph 1")).to_be_visible()  # the script says where they are

    form.get_by_role("button", name="Choose Article 25, paragraph 1").click()
    with page.expect_navigation():
        form.get_by_role("button", name="Send comment").click()
    expect(page).to_have_url(re.compile(r"/receipts/TARVANIA-2026-\d{7}/\?new=1$"))
    comment = Comment.objects.select_related("provision").get()
    assert comment.provision.path == "II/25/1" and comment.quote_exact == WORDS and comment.body == "Name the values."


def test_without_javascript_a_refused_form_still_takes_the_focus_to_its_errors(new_page, make_participant, sign_in):
    page = new_page(java_script_enabled=False)
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")
    with page.expect_navigation() as refused:
        form.get_by_role("button", name="Send comment").click()
    assert refused.value.status == 400
    summary = page.locator("#comment-form-errors[role=alert]")
    expect(summary).to_be_focused()
    expect(summary).to_be_in_viewport()
    expect(summary.get_by_role("link", name=re.compile("^Your position"))).to_have_attribute("href", "#id_stance")
    expect(summary.get_by_role("link", name=re.compile("^Your comment"))).to_have_attribute("href", "#id_body")


def test_an_endorsement_shows_and_is_taken_back(page, make_participant, sign_in):
    comment = comment_services.comment_submit(
        author=make_participant("Bolat"), provision_id=_provision("II/25/1").pk, body="Agreed.", stance="support", language="en",
    )
    sign_in(page, make_participant("Aigerim"), next_path=PARAGRAPH_1)
    card = page.locator(f"#comment-{comment.pk}")
    expect(card.locator(".endorsements")).to_have_text("0 endorsements")

    card.get_by_role("button", name="+1 Endorse the comment of Bolat", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("your endorsement was added")
    card = page.locator(f"#comment-{comment.pk}")
    expect(card.locator(".endorsed-mark")).to_have_text("✓ You endorsed this")
    expect(card.locator(".endorsements")).to_have_text("1 endorsement")
    expect(card.get_by_role("button", name=re.compile("Endorse"))).to_have_count(0)

    card.get_by_role("button", name="Take back your endorsement of the comment of Bolat", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("Your endorsement was taken back.")
    card = page.locator(f"#comment-{comment.pk}")
    expect(card.locator(".endorsements")).to_have_text("0 endorsements")
    expect(card.locator(".endorsed-mark")).to_have_count(0)
    expect(card.get_by_role("button", name="+1 Endorse the comment of Bolat", exact=True)).to_be_visible()
    assert Comment.objects.get(pk=comment.pk).endorsement_count == 0


def test_withdrawing_a_comment_asks_first(page, make_participant, sign_in):
    author = make_participant("Aigerim")
    comment = comment_services.comment_submit(
        author=author, provision_id=_provision("II/25/1").pk, body="On second thoughts.", stance="oppose", language="en",
    )
    sign_in(page, author, next_path=PARAGRAPH_1)
    card = page.locator(f"#comment-{comment.pk}")
    card.get_by_role("link", name=re.compile("^Withdraw")).click()
    expect(page).to_have_url(re.compile(rf"/comments/{comment.pk}/withdraw/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Withdraw your comment?")
    expect(page.locator("main")).to_contain_text("On second thoughts.")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.PUBLISHED  # asking changed nothing

    page.get_by_role("link", name="Keep it").click()
    expect(page).to_have_url(re.compile(rf"{re.escape(PARAGRAPH_1)}#comment-{comment.pk}$"))
    expect(page.locator(f"#comment-{comment.pk} .comment-body")).to_have_text("On second thoughts.")

    page.locator(f"#comment-{comment.pk}").get_by_role("link", name=re.compile("^Withdraw")).click()
    page.get_by_role("button", name="Withdraw the comment").click()
    expect(page.locator(".messages")).to_contain_text("Your comment is withdrawn")
    expect(page.locator(f"#comment-{comment.pk} .withdrawn")).to_have_text("Withdrawn by the author.")
    assert Comment.objects.get(pk=comment.pk).status == Comment.Status.WITHDRAWN
