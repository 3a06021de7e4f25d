"""In the browser: the comparison of the demo's drafts, and comments carried into the next draft."""
import pytest
from playwright.sync_api import expect

from comments import services
from drafts.models import Provision
from tests.comments.test_carried_forward import draft_2_text

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _v1(path):
    return Provision.objects.get(version__document__slug="constitution", version__number=1, path=path)


def test_carried_forward_comments_show_their_anchor_status(page, demo, make_participant):
    from drafts import services as draft_services

    author = make_participant("Aigerim")
    services.comment_submit(author=author, provision_id=_v1("II/25/1").pk, body="These grounds are vague.", stance="oppose",
                            language="en", quote=services.QuoteInput(exact="spiritual and moral values", language="en"))
    services.comment_submit(author=author, provision_id=_v1("II/25/1").pk, body="Public order is fine.", stance="support",
                            language="en", quote=services.QuoteInput(exact="constitutional order, public order", language="en"))
    document = demo.documents.get(slug="constitution")
    sources = draft_services.draft_sources_parse(uploads=[draft_services.DraftUpload("v2.md", draft_2_text().encode(), "en")])
    draft_services.draft_version_publish(version=draft_services.draft_version_import(document=document, sources=sources, accept_warnings=True), by=None)

    page.goto("/c/tarvania-2026/constitution/v2/p/II/25/")
    earlier = page.locator("#earlier-comments")
    expect(earlier.get_by_role("heading", name="Comments on earlier versions of this provision")).to_be_visible()
    vague = earlier.locator("article", has_text="These grounds are vague.")
    expect(vague.locator(".anchor-gone")).to_have_text("Provision changed: the quoted words are gone")
    fine = earlier.locator("article", has_text="Public order is fine.")
    expect(fine.locator(".anchor-exact")).to_have_text("Quoted words still present")


def test_the_comparison_page_filters_and_jumps_between_changes(page, demo):
    page.goto("/c/tarvania-2026/constitution/compare/v0-v1/")
    expect(page.get_by_role("heading", name="What changed")).to_be_visible()
    page.select_option("#f-kind", "moved")
    page.get_by_role("button", name="Show").click()
    first = page.locator("li.change").first
    expect(first).to_contain_text("Article 9")
    expect(first).to_contain_text("Article 10")
    page.select_option("#f-kind", "modified")
    page.select_option("#f-section", "II")
    page.get_by_role("button", name="Show").click()
    expect(page.locator("li.change ins").first).to_be_visible()
    page.locator("li.change").first.get_by_role("link", name="↓ next").click()
    assert page.url.endswith("#change-2")
