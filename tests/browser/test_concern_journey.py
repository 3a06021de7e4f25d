"""In the browser, the commission's whole journey on the demo (issue 9's "done when"): a member takes the
unaccounted comments, accepts a suggested grouping, decides the concern with a rationale and links it to the
change in draft 2; the public record, both tables (page, CSV and .docx) and the commenter's own page show it."""
import csv
import io

import docx
import pytest
from django.contrib.auth import get_user_model
from playwright.sync_api import expect

from comments.models import Concern
from tests.browser.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Everyone, not only citizens, may assemble"
RATIONALE = "Accepted. Draft 2 gives the right of peaceful assembly to everyone, as ICCPR art. 21 does."
SLUG = "tarvania-2026"


@pytest.fixture
def story(demo):
    """The demo as `make run` loads it: comments, campaign and concerns on draft 1, then draft 2."""
    from comments.demo_data import demo_comments_load, demo_next_draft_load

    demo_comments_load(consultation=demo)
    demo_next_draft_load(consultation=demo)
    return demo


def _sign_in_as(page, username: str, password: str) -> None:
    """allauth's form, by keyboard only: fill, then Enter."""
    page.goto("/accounts/login/")
    form = page.locator("main form:has([name=login])")
    form.locator("[name=login]").fill(get_user_model().objects.get(username=username).email)
    form.locator("[name=password]").fill(password)
    with page.expect_navigation():
        form.locator("[name=password]").press("Enter")
    assert "/accounts/login/" not in page.url, page.locator("main").inner_text()


def test_a_member_groups_decides_and_links_a_concern_and_the_public_sees_it(new_page, story):
    member = new_page()
    _sign_in_as(member, "admin", "admin")  # the demo's chair

    # Triage: the suggested groupings of the comments not yet accounted for.
    member.goto(f"/c/{SLUG}/triage/")
    expect(member.locator(".accounted")).to_be_visible()
    member.get_by_role("link", name="Suggested groupings").click()
    group = member.locator("section.triage-group", has_text="Foreign students")
    expect(group.get_by_role("heading")).to_contain_text("4 similar comments")
    group.get_by_label("Title of the new concern").fill(TITLE)
    with member.expect_navigation():
        group.get_by_label("Title of the new concern").press("Enter")  # the keyboard submits the group's own form
    expect(member.locator(".messages")).to_contain_text(TITLE)
    concern = Concern.objects.get(title=TITLE)
    assert concern.comments.count() == 4

    # The decision, linked to the change of Article 21 in draft 2 that the form suggests.
    member.goto(f"/c/{SLUG}/concerns/{concern.pk}/")
    member.get_by_role("combobox", name="Decision", exact=True).select_option("accepted")
    member.get_by_label("Rationale", exact=True).fill(RATIONALE)
    member.get_by_role("combobox", name="Resolved in").select_option(label="Draft 2")
    suggested = member.locator("li.change-choice", has_text="(II/21/1)")
    expect(suggested.locator("input[type=checkbox]")).to_be_checked()
    member.get_by_role("button", name="Record the decision").click()
    expect(member.locator(".messages")).to_contain_text("added to the receipt chain")
    concern.refresh_from_db()
    assert concern.status == "accepted" and concern.resolved_in.number == 2
    assert "II/21/1" in {change.new_provisions.first().path for change in concern.changes.all() if change.new_provisions.exists()}

    # The public record, for everyone: the consultation's page and the provision's, with the new words.
    public = new_page()
    public.goto(f"/c/{SLUG}/heard/")
    entry = public.locator("li", has_text=TITLE).first
    expect(entry).to_contain_text("Accepted")
    expect(entry).to_contain_text(RATIONALE)
    public.goto(f"/c/{SLUG}/heard/constitution/v1/p/II/21/1/")
    expect(public.locator("main")).to_contain_text(TITLE)
    expect(public.locator("main ins").first).to_be_visible()
    expect(public.locator("main")).to_contain_text("Everyone")

    # Both tables, as pages and as the downloads the commission files.
    public.goto(f"/c/{SLUG}/heard/summary/")
    expect(public.locator("table")).to_contain_text("Foreign students")
    public.goto(f"/c/{SLUG}/heard/constitution/v1-v2/")
    row = public.locator("tr", has_text=TITLE)
    expect(row).to_contain_text(RATIONALE)
    csv_text = public.request.get(public.get_by_role("link", name="CSV").get_attribute("href")).text()
    assert any(TITLE in line.get("concerns", "") or TITLE in " ".join(line.values()) for line in csv.DictReader(io.StringIO(csv_text)))
    body = public.request.get(public.get_by_role("link", name="Word (.docx)").get_attribute("href")).body()
    cells = [cell.text for table in docx.Document(io.BytesIO(body)).tables for row_ in table.rows for cell in row_.cells]
    assert any(TITLE in cell for cell in cells) and any(RATIONALE in cell for cell in cells)

    # The commenter's own page: their comment, the decision, and what draft 2 did to the provision.
    author = get_user_model().objects.get(username="demo-students")
    author.set_password(PASSWORD)
    author.save(update_fields=["password"])
    commenter = new_page()
    _sign_in_as(commenter, "demo-students", PASSWORD)
    commenter.goto("/me/comments/")
    mine = commenter.locator("li.my-comment", has_text="Foreign students")
    expect(mine.get_by_role("link", name=TITLE)).to_be_visible()
    expect(mine).to_contain_text("Accepted")
    expect(mine).to_contain_text(RATIONALE)
    expect(mine.locator(".outcome-later")).to_contain_text("In Draft 2: modified")
