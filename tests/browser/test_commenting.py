"""Commenting in a real browser: sign-up to receipt with the mouse, the keyboard alone, a touch screen,
without JavaScript, and what the public sees of a comment the moderators hid."""
from __future__ import annotations

import re

import pytest
from django.core import mail

from comments import services as comment_services
from comments.models import Comment
from consult.models import CommissionMembership
from drafts.models import Provision, ProvisionText

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -r requirements.txt").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "/c/tarvania-2026/constitution/v1/"
ARTICLE_25 = DRAFT + "p/II/25/"
PARAGRAPH_1 = ARTICLE_25 + "1/"  # comments on the paragraph are listed on its own page
WORDS = "spiritual and moral values"
PARAGRAPH = '.quotable [data-path="II/25/1"]'
RECEIPT_NUMBER = re.compile(r"^TARVANIA-2026-\d{7}$")


def _paragraph_1() -> Provision:
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")


def _assert_quoted(comment: Comment) -> None:
    """The comment quotes WORDS of paragraph 1, at their place in its authoritative (English) text."""
    text = ProvisionText.objects.get(provision=_paragraph_1(), language="en").text
    assert comment.provision.path == "II/25/1"
    assert comment.quote_exact == WORDS
    assert (comment.quote_start, comment.quote_end) == (text.index(WORDS), text.index(WORDS) + len(WORDS))
    assert text[comment.quote_start:comment.quote_end] == WORDS


def _expect_receipt(page) -> str:
    """The page is a new receipt that verifies; returns its number."""
    expect(page).to_have_url(re.compile(r"/receipts/TARVANIA-2026-\d{7}/\?new=1$"))
    expect(page.locator(".receipt-number")).to_have_text(RECEIPT_NUMBER)
    expect(page.locator(".verification.ok[role=status]")).to_contain_text("Verified")  # the link in the chain
    expect(page.locator(".verification.ok:not([role])")).to_contain_text("as submitted, still hashes")  # the text it hashed
    return page.locator(".receipt-number").inner_text()


# The Range gives the words' place on screen; the mouse then drags over them like a reader would.
_WORDS_BOX = """([selector, words]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) { continue; }
    const box = (from) => { const r = document.createRange(); r.setStart(node, from); r.setEnd(node, from + 1); return r.getBoundingClientRect(); };
    const first = box(at), last = box(at + words.length - 1);
    return {x1: first.left + 1, y1: first.top + first.height / 2, x2: last.right - 1, y2: last.top + last.height / 2};
  }
  return null;
}"""

_SELECT_WORDS = """([selector, words]) => {
  const element = document.querySelector(selector);
  const walker = document.createTreeWalker(element, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const at = node.data.indexOf(words);
    if (at < 0) { continue; }
    const range = document.createRange();
    range.setStart(node, at);
    range.setEnd(node, at + words.length);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
    return true;
  }
  return false;
}"""


def _tab_to(page, selector: str, *, limit: int = 80) -> None:
    """Press Tab until the focus is on `selector` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return
    raise AssertionError(f"{selector} was not reached with {limit} Tab presses")


def test_a_citizen_signs_up_verifies_selects_words_with_the_mouse_comments_and_gets_a_receipt(page, demo):
    page.goto("/accounts/signup/")
    signup = page.locator("main form:has([name=password2])")
    signup.locator("[name=email]").fill("steppe.reader@example.org")
    signup.locator("[name=password1]").fill("a long and unusual passphrase")
    signup.locator("[name=password2]").fill("a long and unusual passphrase")
    signup.locator("[name=display_name]").fill("Steppe Reader")
    signup.locator("[name=submitter_type]").select_option("individual")
    with page.expect_navigation():
        signup.locator("[type=submit]").click()
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["steppe.reader@example.org"]
    link = re.search(r"https?://[^/\s]+(/accounts/confirm-email/[^/\s]+/)", mail.outbox[0].body)
    assert link, mail.outbox[0].body

    page.goto(link.group(1))
    with page.expect_navigation():
        page.locator("main form[method=post] [type=submit]").first.click()  # a GET only asks to confirm
    expect(page.locator(".account-name")).to_have_text("Steppe Reader")

    page.goto(DRAFT)
    page.locator('[id="p-II.25"] a.comment-link').click()
    expect(page).to_have_url(re.compile(re.escape(ARTICLE_25)))
    paragraph = page.locator(PARAGRAPH)
    paragraph.scroll_into_view_if_needed()
    box = page.evaluate(_WORDS_BOX, [PARAGRAPH, WORDS])
    assert box, f"{WORDS!r} not on the page"
    page.mouse.move(box["x1"], box["y1"])
    page.mouse.down()
    page.mouse.move(box["x2"], box["y2"], steps=8)
    page.mouse.up()
    assert page.evaluate("() => window.getSelection().toString()") == WORDS

    form = page.locator("#comment-form")
    # The article is chosen; the button names the paragraph the words are in, and pressing it chooses it.
    expect(form.locator("[name=provision] option:checked")).to_contain_text("Article 25")
    page.get_by_role("button", name="Comment on the selected words of Article 25, paragraph 1", exact=True).click()
    expect(form.locator("[name=provision] option:checked")).to_have_text("Article 25, paragraph 1")
    expect(form.locator(".quote-preview")).to_have_text(f"«{WORDS}»")
    expect(form.locator("[name=quote_exact]")).to_have_value(WORDS)
    expect(form.locator(".quote-status")).to_have_text(
        "Your comment is now about Article 25, paragraph 1. The selected words are quoted in your comment."
    )
    expect(form.locator("[name=body]")).to_be_focused()
    form.locator("[name=body]").fill("Which values? The law should name them, or this clause restricts everything.")
    form.locator("input[name=stance][value=oppose]").check()
    form.get_by_role("button", name="Send comment").click()

    number = _expect_receipt(page)
    comment = Comment.objects.select_related("provision", "receipt").get()
    assert comment.receipt.number == number and comment.stance == "oppose" and comment.author_name == "Steppe Reader"
    _assert_quoted(comment)


def test_a_keyboard_user_quotes_typed_words_and_sends_the_comment_without_a_mouse(page, demo, make_participant, sign_in):
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    expect(page).to_have_url(re.compile(re.escape(ARTICLE_25)))
    form = page.locator("#comment-form")

    # What the comment is about: the article by default; the typed words are in its paragraph 1.
    _tab_to(page, "#comment-form [name=provision]")
    page.keyboard.press("ArrowDown")
    expect(form.locator("[name=provision]")).to_have_value(str(_paragraph_1().pk))

    _tab_to(page, "#comment-form [name=quote_exact]")
    page.keyboard.type(WORDS)
    expect(form.locator(".quote-status")).to_have_text("Found in the text.")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("spiritual and immoral values")
    expect(form.locator(".quote-status")).to_have_text("These words are not in the chosen provision.")
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type(WORDS)
    expect(form.locator(".quote-status")).to_have_text("Found in the text.")
    expect(form.locator(".quote-preview")).to_have_text(f"«{WORDS}»")

    # No position is chosen for the author: Tab reaches the group's first radio, unchecked; the arrow chooses.
    _tab_to(page, "#comment-form [name=stance]")
    expect(form.locator("input[name=stance]:checked")).to_have_count(0)
    page.keyboard.press("ArrowDown")  # moves to the next stance, "Oppose", and chooses it
    expect(form.locator("input[name=stance][value=oppose]")).to_be_checked()
    _tab_to(page, "#comment-form [name=body]")
    page.keyboard.type("Name the values, or drop the words.")
    _tab_to(page, "#comment-form button[type=submit]")
    page.keyboard.press("Enter")

    _expect_receipt(page)
    comment = Comment.objects.select_related("provision").get()
    assert comment.stance == "oppose" and comment.body == "Name the values, or drop the words."
    _assert_quoted(comment)


def test_on_a_touch_phone_selected_words_are_quoted_with_a_tap(new_page, demo, make_participant, sign_in):
    page = new_page(viewport={"width": 390, "height": 844}, has_touch=True, is_mobile=True, device_scale_factor=2)
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")

    page.locator(PARAGRAPH).scroll_into_view_if_needed()
    assert page.evaluate(_SELECT_WORDS, [PARAGRAPH, WORDS])
    button = page.get_by_role("button", name="Comment on the selected words")
    button.tap()
    expect(form.locator(".quote-preview")).to_have_text(f"«{WORDS}»")
    form.locator("[name=body]").fill("Too vague.")
    form.locator("input[name=stance][value=question]").tap()
    expect(form.locator("input[name=stance][value=question]")).to_be_checked()
    form.get_by_role("button", name="Send comment").tap()

    _expect_receipt(page)
    comment = Comment.objects.select_related("provision").get()
    assert comment.stance == "question"
    _assert_quoted(comment)


def test_without_javascript_the_whole_provision_can_be_commented_and_a_wrong_quote_is_refused(new_page, demo, make_participant, sign_in):
    page = new_page(java_script_enabled=False)
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")
    expect(page.locator(PARAGRAPH)).to_contain_text(WORDS)
    expect(form.locator("[name=body]")).to_be_visible()
    expect(page.locator(".quote-hint")).to_be_hidden()  # it speaks of selecting, which needs the script
    expect(page.locator(".quote-button")).to_have_count(0)

    form.locator("[name=body]").fill("The whole article needs a closed list of grounds.")
    with page.expect_navigation() as refused:  # no position is chosen for the author
        form.get_by_role("button", name="Send comment").click()
    assert refused.value.status == 400 and Comment.objects.count() == 0
    expect(form.locator("fieldset.stance .errorlist")).to_contain_text("Choose your position")
    expect(form.locator("[name=body]")).to_have_value("The whole article needs a closed list of grounds.")
    form.get_by_role("radio", name="Oppose").check()
    form.get_by_role("button", name="Send comment").click()
    _expect_receipt(page)
    comment = Comment.objects.select_related("provision").get()
    assert comment.provision.path == "II/25" and comment.quote_exact == ""

    page.goto(ARTICLE_25)
    form.locator("[name=body]").fill("About these words.")
    form.locator("[name=quote_exact]").fill("the right to bear arms")
    form.get_by_role("radio", name="Question").check()
    with page.expect_navigation() as refused:
        form.get_by_role("button", name="Send comment").click()
    assert refused.value.status == 400
    expect(form.locator(".field.has-error:has([name=quote_exact]) .errorlist")).to_be_visible()
    expect(form.locator("[name=quote_exact]")).to_have_value("the right to bear arms")
    expect(form.locator("[name=body]")).to_have_value("About these words.")  # nothing typed is lost
    assert Comment.objects.count() == 1


def test_a_comment_hidden_by_the_commission_shows_the_reason_and_keeps_its_receipt(new_page, demo, make_participant, sign_in):
    comment = comment_services.comment_submit(
        author=make_participant("Aigerim"), provision_id=_paragraph_1().pk, body="Insulting words.", stance="oppose", language="en",
    )
    member = make_participant("Commission Member")
    CommissionMembership.objects.create(consultation=demo, user=member, role=CommissionMembership.Role.REVIEWER)
    reason = "Personal insult (rule 3)."

    moderator_page = new_page()
    sign_in(moderator_page, member, next_path=PARAGRAPH_1)
    card = moderator_page.locator(f"#comment-{comment.pk}")
    card.locator("details.moderate summary").click()
    card.locator("details.moderate [name=reason]").fill(reason)
    card.get_by_role("button", name="Hide comment").click()
    expect(moderator_page.locator(".messages")).to_contain_text("The comment is hidden")
    comment.refresh_from_db()
    assert comment.status == Comment.Status.HIDDEN and comment.moderation_reason == reason

    visitor = new_page()
    visitor.goto(PARAGRAPH_1)
    card = visitor.locator(f"#comment-{comment.pk}")
    expect(card.locator(".moderated")).to_have_text(f"Hidden by the moderators: {reason}")
    expect(card).not_to_contain_text("Insulting words.")
    expect(card.locator(".receipt-link")).to_have_text(comment.receipt.number)
    expect(visitor.locator("#comments-heading")).to_contain_text("1 hidden by moderators")
