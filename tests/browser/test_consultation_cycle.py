"""The whole cycle of a consultation in a browser (issue 11): draft 1 is open → a citizen comments on it → an admin
imports draft 2 through the admin's pages, publishes it and opens its comment phase → the consultation page and the
pages of both drafts say which draft is open and until when → the citizen comments on draft 2, where the comment on
draft 1 is shown among the comments on earlier versions of the provision."""
from __future__ import annotations

import datetime
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth.models import Permission
from django.utils import dateformat, timezone, translation

from comments.models import Comment
from consult.demo_data import DEMO_DIR
from consult.models import Phase
from drafts.models import DraftVersion, Provision
from tests.factories import UserFactory

expect = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -r requirements.txt").expect

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CONSULTATION = "/c/tarvania-2026/"
DRAFT_1 = CONSULTATION + "constitution/v1/"
DRAFT_2 = CONSULTATION + "constitution/v2/"
ARTICLE = "p/II/25/"  # paragraph 1 changes in draft 2: "spiritual and moral values" are gone
OPEN_DRAFT_2 = "Comment on Draft 2 of Constitution of the Republic of Tarvania"  # the link to the draft open for comment
RECEIPT = re.compile(r"/receipts/TARVANIA-2026-\d{7}/\?new=1$")
# What an editor of drafts needs, and nothing more: the staff user is not a superuser.
EDITOR_PERMISSIONS = (
    "drafts.view_document", "drafts.change_document", "drafts.view_draftversion", "drafts.change_draftversion",
    "consult.view_consultation", "consult.change_consultation", "consult.view_phase", "consult.change_phase",
)


def _editor():
    """Staff, with a verified e-mail address: the admin's sign-in is allauth's (config.urls, secure_admin_login)."""
    user = UserFactory(username="editor", is_staff=True)
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    for name in EDITOR_PERMISSIONS:
        app_label, codename = name.split(".")
        user.user_permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))
    return user


def _comment(page, *, provision: Provision, body: str, stance: str) -> None:
    """Comment through the article page's form, about one of its provisions, and land on the new receipt."""
    form = page.locator("#comment-form")
    form.locator("[name=provision]").select_option(str(provision.pk))
    form.locator("[name=body]").fill(body)
    form.locator(f"input[name=stance][value={stance}]").check()
    form.get_by_role("button", name="Send comment").click()
    expect(page).to_have_url(RECEIPT)
    expect(page.locator(".verification.ok[role=status]")).to_contain_text("Verified")


def _provision(number: int, path: str) -> Provision:
    return Provision.objects.get(version__document__slug="constitution", version__number=number, path=path)


def test_draft_1_comments_then_draft_2_published_by_an_admin_then_comments_on_draft_2(new_page, demo, make_participant, sign_in):
    # Draft 1 is open: a citizen comments on paragraph 1 of article 25.
    citizen = new_page()
    sign_in(citizen, make_participant("Aigerim"), next_path=DRAFT_1 + ARTICLE)
    _comment(citizen, provision=_provision(1, "II/25/1"), body="Which values? Name them or drop the words.", stance="oppose")
    on_draft_1 = Comment.objects.select_related("provision__version").get()
    assert on_draft_1.provision.path == "II/25/1" and on_draft_1.provision.version.number == 1

    # An admin imports draft 2 (the upload, its preview, saved as a version being prepared) ...
    admin = new_page()
    document = demo.documents.get(slug="constitution")
    sign_in(admin, _editor(), next_path=f"/admin/drafts/document/{document.pk}/import/")
    expect(admin.get_by_role("heading", name="Import a version of Constitution of the Republic of Tarvania")).to_be_visible()
    upload = admin.locator("form[enctype='multipart/form-data']")
    upload.locator("[name=file]").set_input_files(str(DEMO_DIR / "constitution_v2.en.md"))
    upload.locator("[name=language]").select_option("en")
    for slot, language in ((1, "kk"), (2, "ru")):
        upload.locator(f"[name=translation_{slot}_file]").set_input_files(str(DEMO_DIR / f"constitution_v2.{language}.md"))
        upload.locator(f"[name=translation_{slot}_language]").select_option(language)
    upload.locator("[name=number]").fill("2")
    upload.locator("[name=label]").fill("Draft 2")
    upload.get_by_role("button", name="Preview").click()
    expect(admin.get_by_role("heading", name="Preview: nothing has been saved yet")).to_be_visible()
    expect(admin.locator("#content")).to_contain_text("Translation kk (constitution_v2.kk.md): 242 of 242 provisions matched.")
    # The Russian covers Sections I and II, and every one of its provisions found its English one.
    expect(admin.locator("#content")).to_contain_text("Translation ru (constitution_v2.ru.md): 113 of 242 provisions matched.")
    admin.get_by_role("button", name="Save as a version being prepared").click()
    expect(admin.locator(".messagelist")).to_contain_text("Draft 2 saved. Review it, then publish it.")
    draft_2 = DraftVersion.objects.get(document=document, number=2)
    assert draft_2.status == DraftVersion.Status.PREPARING

    # ... and publishes it, opening its comment phase with dates, on the consult admin's publish page.
    admin.get_by_role("link", name="Publish and move the comment phase").click()
    expect(admin.locator("#content")).to_contain_text("Public comment on draft 1 of the Constitution")
    closes = (timezone.localtime() + datetime.timedelta(days=21)).replace(hour=18, minute=0, second=0, microsecond=0)
    publish = admin.locator("#content form")
    expect(publish.locator("[name=close_previous]")).to_be_checked()
    expect(publish.locator("[name=open_phase]")).to_be_checked()
    publish.locator("[name=title]").fill("Public comment on draft 2 of the Constitution")
    publish.locator("[name=closes_at]").fill(closes.strftime("%Y-%m-%dT%H:%M"))
    publish.get_by_role("button", name="Next: check what will happen").click()
    plan = admin.locator(".publication-plan")  # nothing is written before the admin confirms what will happen
    expect(plan).to_contain_text("“Public comment on draft 1 of the Constitution” (Draft 1) closes now")
    with translation.override("en"):
        expect(plan).to_contain_text("“Public comment on draft 2 of the Constitution” opens on ")
        expect(plan).to_contain_text(f" and closes on {dateformat.format(closes, 'j E Y, H:i')}.")
    assert DraftVersion.objects.get(pk=draft_2.pk).status == DraftVersion.Status.PREPARING
    # Draft 1's phase closes, and its version report (a PDF) is built by the worker, here in-process before the
    # response: the one step given more than the usual wait.
    with admin.expect_navigation(timeout=90_000):
        admin.get_by_role("button", name="Publish (cannot be undone)").click(no_wait_after=True)
    expect(admin.locator(".messagelist")).to_contain_text(
        "Draft 2 published; “Public comment on draft 2 of the Constitution” is open for comment."
    )
    draft_2.refresh_from_db()
    assert draft_2.status == DraftVersion.Status.PUBLISHED
    phase = Phase.objects.get(version=draft_2)
    assert phase.is_open() and phase.closes_at == closes

    # The pages say the truth: draft 2 is open until that date, draft 1 is closed and sends to draft 2.
    with translation.override("en"):
        until = f"open for comment until {dateformat.format(timezone.localtime(closes), 'j E Y, H:i')}"
    visitor = new_page()
    visitor.goto(CONSULTATION)
    now = visitor.locator("#comment-now")
    expect(now).to_contain_text(until)
    expect(now.get_by_role("link", name=OPEN_DRAFT_2)).to_have_attribute("href", DRAFT_2)
    expect(visitor.locator("main")).not_to_contain_text("Comment on Draft 1 of Constitution of the Republic of Tarvania")
    for url in (DRAFT_1, DRAFT_1 + ARTICLE):
        visitor.goto(url)
        now = visitor.locator("#comment-now")
        expect(now).to_contain_text("Draft 1 has been superseded: its comments are closed and shown for the record.")
        expect(now).to_contain_text(until)
        expect(now.get_by_role("link", name=OPEN_DRAFT_2)).to_have_attribute("href", DRAFT_2)
    citizen.goto(DRAFT_1 + ARTICLE)
    expect(citizen.locator("#comment-form")).to_have_count(0)  # signed in, and still no form on draft 1
    expect(citizen.locator("#comments")).to_contain_text("Which values? Name them or drop the words.")

    # The citizen comments on draft 2, where the comment on draft 1 is carried forward.
    citizen.goto(DRAFT_2 + ARTICLE)
    expect(citizen.locator("#comment-form")).to_be_visible()
    expect(citizen.locator("#comment-now")).to_have_count(0)  # this is the open draft: no notice sends elsewhere
    earlier = citizen.locator("#earlier-comments")
    expect(earlier.get_by_role("heading", name="Comments on earlier versions of this provision")).to_be_visible()
    expect(earlier).to_contain_text("Which values? Name them or drop the words.")
    carried = earlier.locator("article", has_text="Which values? Name them or drop the words.")
    expect(carried.locator(".badge").first).to_contain_text("Draft 1")
    expect(carried.locator(".anchor-provision")).to_have_text("About the whole provision")  # it quoted no words
    _comment(citizen, provision=_provision(2, "II/25"), body="Better: the grounds now follow the ICCPR.", stance="support")
    on_draft_2 = Comment.objects.exclude(pk=on_draft_1.pk).select_related("provision__version").get()
    assert on_draft_2.provision.path == "II/25" and on_draft_2.provision.version == draft_2

    citizen.goto(DRAFT_2 + ARTICLE + "?lang=kk")  # the admin's upload gave draft 2 its Kazakh text as well
    expect(citizen.locator(".document.single")).to_contain_text("демократиялық қоғамда ұлттық қауіпсіздікті")
    expect(citizen.locator("#comments")).to_contain_text("Better: the grounds now follow the ICCPR.")
    expect(citizen.locator("#earlier-comments")).to_contain_text("Which values? Name them or drop the words.")
    expect(citizen.locator("#earlier-comments")).not_to_contain_text("Better: the grounds now follow the ICCPR.")
