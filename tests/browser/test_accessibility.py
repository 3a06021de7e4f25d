"""axe-core (bundled by axe-playwright-python, no network) finds no serious or critical violation on the pages
people read and write on: the reader, an article with comments (as a visitor, as a participant, and with the
comment form's errors), the comparison of two drafts, sign-up, and a receipt."""
from __future__ import annotations

import pytest

from comments.demo_data import demo_comments_load
from comments.models import Comment

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -r requirements.txt").expect
Axe = pytest.importorskip("axe_playwright_python.sync_playwright", reason="pip install -r requirements.txt").Axe

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DRAFT = "/c/tarvania-2026/constitution/v1/"
ARTICLE_25 = DRAFT + "p/II/25/"
COMPARISON = "/c/tarvania-2026/constitution/compare/v0-v1/"
BLOCKING = ("serious", "critical")
# axe's default rules, and the one the issue names although axe still calls it experimental.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"label-content-name-mismatch": {"enabled": True}}}


def _assert_no_serious_violation(page) -> None:
    violations = [v for v in Axe().run(page, options=AXE_OPTIONS).response["violations"] if v["impact"] in BLOCKING]
    found = [
        f"{v['id']} ({v['impact']}): {v['help']} at {[node['target'] for node in v['nodes']][:5]}" for v in violations
    ]
    assert not found, f"{page.url}:\n" + "\n".join(found)
    assert page.evaluate(_DANGLING) == [], f"{page.url}: aria ids that name no element"


# axe accepts an aria-describedby of which one id exists; none may be missing here.
_DANGLING = """() => Array.from(document.querySelectorAll("[aria-describedby], [aria-labelledby]")).flatMap(
  (element) => ["aria-describedby", "aria-labelledby"].flatMap((name) => (element.getAttribute(name) || "").split(/\\s+/))
    .filter((id) => id && !document.getElementById(id)).map((id) => `${element.tagName} ${id}`))"""


@pytest.fixture
def story(demo):
    """The demo with its comments on draft 1: replies, the commission's answer, endorsements, a hidden one."""
    demo_comments_load(consultation=demo)
    return demo


@pytest.mark.parametrize("path", [DRAFT, ARTICLE_25, COMPARISON, "/accounts/signup/"])
def test_a_visitor_s_pages_have_no_serious_violation(page, story, path):
    page.goto(path)
    _assert_no_serious_violation(page)


def test_a_receipt_has_no_serious_violation(page, story):
    comment = Comment.objects.filter(status=Comment.Status.PUBLISHED).select_related("receipt").first()
    page.goto(f"/receipts/{comment.receipt.number}/")
    expect(page.locator(".receipt-number")).to_have_text(comment.receipt.number)
    _assert_no_serious_violation(page)


def test_an_article_with_comments_as_a_participant_has_no_serious_violation(page, story, make_participant, sign_in):
    """Signed in, every comment has its endorse, report and reply controls, and the page the comment form."""
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    expect(page.locator("#comment-form")).to_be_visible()
    expect(page.locator(".comment-actions button.endorse").first).to_be_visible()
    _assert_no_serious_violation(page)


def test_the_comment_form_with_errors_has_no_serious_violation(page, story, make_participant, sign_in):
    sign_in(page, make_participant("Aigerim"), next_path=ARTICLE_25)
    form = page.locator("#comment-form")
    form.locator("[name=quote_exact]").fill("words that are nowhere")
    with page.expect_navigation():
        form.get_by_role("button", name="Send comment").click()
    expect(form.locator(".field.has-error").first).to_be_visible()
    _assert_no_serious_violation(page)
