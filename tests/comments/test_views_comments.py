"""Commenting through the pages (no JavaScript needed): form, receipt, actions, moderation queue, limits."""
import datetime

import pytest
from django.contrib.auth import get_user_model
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from comments import services
from comments.models import Comment, ModerationEvent, Report
from comments.moderation import selectors as moderation_selectors
from comments.moderation import services as moderation
from config.errors import ApplicationError
from consult.models import CommissionMembership, Phase
from tests.factories import MembershipFactory

pytestmark = pytest.mark.django_db
ARTICLE = "/c/tarvania-2026/constitution/v1/p/II/25/"
PARAGRAPH = ARTICLE + "1/"


def form_data(provision, **overrides):
    data = {"provision": provision.pk, "stance": "oppose", "body": "Use the ICCPR grounds.", "lang": "en"}
    data.update(overrides)
    return data


def test_anonymous_visitors_are_asked_to_sign_in(client, demo):
    page = client.get(ARTICLE).content.decode()
    assert "Sign in to comment." in page and 'id="comment-form"' not in page


def test_unverified_participants_are_asked_to_confirm(client, make_participant, demo):
    client.force_login(make_participant("Unverified", verified=False))
    assert "Confirm your e-mail address" in client.get(ARTICLE).content.decode()


def test_a_verified_participant_comments_and_gets_the_receipt(client, aigerim, draft_provision):
    client.force_login(aigerim)
    page = client.get(ARTICLE).content.decode()
    assert 'id="comment-form"' in page and 'name="provision"' in page
    response = client.post(ARTICLE + "comment/", form_data(draft_provision, quote_exact="spiritual and moral values"))
    comment = Comment.objects.get()
    assert response.status_code == 302 and response.url == f"/receipts/{comment.receipt.number}/?new=1"
    receipt_page = client.get(response.url).content.decode()
    assert comment.receipt.number in receipt_page and "Verified" in receipt_page and "has been received" in receipt_page
    assert comment.quote_exact == "spiritual and moral values"
    article_page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert "Use the ICCPR grounds." in article_page and "«spiritual and moral values»" in article_page


def test_comment_text_is_escaped_on_the_page(client, aigerim, draft_provision):
    client.force_login(aigerim)
    client.post(ARTICLE + "comment/", form_data(draft_provision, body="<script>alert('x')</script>"))
    page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert "<script>alert(" not in page and "&lt;script&gt;" in page


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"body": ""}, "This field is required."),
        ({"quote_exact": "words that are nowhere"}, "The quoted words are not in the text of this provision."),
        ({"stance": "propose_wording"}, "Give the wording you propose."),
    ],
)
def test_form_errors_are_shown_and_nothing_saved(client, aigerim, draft_provision, overrides, message):
    client.force_login(aigerim)
    response = client.post(ARTICLE + "comment/", form_data(draft_provision, **overrides))
    assert response.status_code == 400 and message in response.content.decode()
    assert not Comment.objects.exists()


def test_a_closed_phase_shows_why_and_refuses(client, aigerim, draft_provision):
    Phase.objects.filter(version=draft_provision.version).update(closes_at=timezone.now() - datetime.timedelta(minutes=1))
    client.force_login(aigerim)
    assert "is not open for comment now" in client.get(ARTICLE).content.decode()
    response = client.post(ARTICLE + "comment/", form_data(draft_provision))
    assert response.status_code == 403 and not Comment.objects.exists()


def test_comments_are_paginated_and_ordered(client, aigerim, make_participant, draft_provision):
    for n in range(23):
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Comment number {n}.", stance="support", language="en")
    page_url = "/c/tarvania-2026/constitution/v1/p/II/25/1/"
    first = client.get(page_url).content.decode()
    assert "Comment number 22." in first and "Comment number 2." not in first and "More comments" in first
    cursor = first.split("after=")[1].split("#")[0]
    second = client.get(page_url, {"after": cursor}).content.decode()
    assert "Comment number 2." in second and "Comment number 22." not in second
    oldest = client.get(page_url, {"order": "oldest"}).content.decode()
    assert oldest.index("Comment number 0.") < oldest.index("Comment number 1.")


def test_reader_shows_counts_and_hidden_counts(client, aigerim, draft_provision, demo):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="A.", stance="support", language="en")
    services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="B.", stance="support", language="en")
    moderation.comment_hide(comment_id=comment.pk, moderator=_member(demo, "Mod"), reason="Spam")
    page = client.get("/c/tarvania-2026/constitution/v1/").content.decode()
    assert "1 comment" in page and "1 hidden by moderators" in page


def test_endorse_report_withdraw_through_forms(client, aigerim, make_participant, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Mine.", stance="support", language="en")
    client.force_login(make_participant("Bolat"))
    assert client.post(f"/comments/{comment.pk}/endorse/").status_code == 302
    client.post(f"/comments/{comment.pk}/report/", {"reason": "Off topic"})
    assert Comment.objects.get().endorsement_count == 1 and Report.objects.count() == 1
    client.post(f"/comments/{comment.pk}/withdraw/")  # not the author: refused with a message
    assert Comment.objects.get().status == "published"
    client.force_login(aigerim)
    client.post(f"/comments/{comment.pk}/withdraw/")
    assert Comment.objects.get().status == "withdrawn"
    page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert "Withdrawn by the author." in page and "Mine." not in page


def test_author_corrects_within_the_window(client, aigerim, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Typo.", stance="support", language="en")
    client.force_login(aigerim)
    page = client.get(f"/comments/{comment.pk}/edit/")
    assert page.status_code == 200 and "for 15 minutes after sending it" in page.content.decode()
    response = client.post(f"/comments/{comment.pk}/edit/", {"stance": "support", "body": "Fixed.", "proposed_wording": ""})
    assert response.status_code == 302 and Comment.objects.get().body == "Fixed."


def test_moderation_queue_and_hiding_through_the_page(client, aigerim, make_participant, draft_provision, demo):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Rude words.", stance="oppose", language="en")
    moderation.comment_report(comment_id=comment.pk, reporter=make_participant("Reporter"), reason="Insulting")
    client.force_login(make_participant("Citizen"))
    assert client.get("/c/tarvania-2026/moderation/").status_code == 403
    client.force_login(_member(demo, "Moderator"))
    queue = client.get("/c/tarvania-2026/moderation/").content.decode()
    assert "Rude words." in queue and "Insulting" in queue
    client.post(f"/comments/{comment.pk}/hide/", {"reason": "Personal attack"})
    page = client.get("/c/tarvania-2026/constitution/v1/p/II/25/1/").content.decode()
    assert "Hidden by the moderators: Personal attack" in page and "Rude words." not in page
    assert comment.receipt.number in page
    assert "Nothing to moderate" in client.get("/c/tarvania-2026/moderation/").content.decode()


class _Rollback(Exception):
    pass


def _service_allows(call) -> bool:
    """Whether the service accepts the call (whatever it wrote is rolled back), or refuses it."""
    try:
        with transaction.atomic():
            call()
            raise _Rollback
    except _Rollback:
        return True
    except ApplicationError:
        return False


def _staff(make_participant, name):
    user = make_participant(name)
    user.is_staff = user.is_superuser = True
    user.save(update_fields=["is_staff", "is_superuser"])
    return user


@pytest.mark.parametrize(("who", "acts_for_commission"), [
    ("citizen", False), ("staff", False), ("member", True), ("staff member", True),
])
def test_the_page_shows_exactly_the_commission_actions_the_services_allow(
    client, aigerim, make_participant, draft_provision, demo, who, acts_for_commission
):
    """Staff are not moderators by `is_staff` (consult.selectors.can_act_for_commission): the demo's admin is
    staff and a member of its commission; a staff user outside the commission gets neither buttons nor rights."""
    published, hidden, withdrawn = (
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"{n}.", stance="support", language="en")
        for n in ("Published", "Hidden", "Withdrawn")
    )
    moderation.comment_hide(comment_id=hidden.pk, moderator=_member(demo, "Moderator"), reason="Spam")
    services.comment_withdraw(comment_id=withdrawn.pk, author=aigerim)
    user = {
        "citizen": lambda: make_participant("Citizen"),
        "staff": lambda: _staff(make_participant, "Operator"),
        "member": lambda: _member(demo, "Member"),
        "staff member": lambda: get_user_model().objects.get(username="admin"),  # the demo's chair
    }[who]()
    client.force_login(user)
    page = client.get(PARAGRAPH).content.decode()

    actions = {
        "hide published": (f'action="/comments/{published.pk}/hide/"', lambda: moderation.comment_hide(comment_id=published.pk, moderator=user, reason="Off topic")),
        "restore hidden": (f'action="/comments/{hidden.pk}/restore/"', lambda: moderation.comment_restore(comment_id=hidden.pk, moderator=user)),
        "hide hidden": (f'action="/comments/{hidden.pk}/hide/"', lambda: moderation.comment_hide(comment_id=hidden.pk, moderator=user, reason="Again")),
        "hide withdrawn": (f'action="/comments/{withdrawn.pk}/hide/"', lambda: moderation.comment_hide(comment_id=withdrawn.pk, moderator=user, reason="Off topic")),
        "restore published": (f'action="/comments/{published.pk}/restore/"', lambda: moderation.comment_restore(comment_id=published.pk, moderator=user)),
        "official reply": ('name="official"', lambda: services.comment_submit(
            author=user, provision_id=draft_provision.pk, body="For the commission.", stance="question", language="en",
            parent_id=published.pk, official=True,
        )),
        "moderation queue": ('href="/c/tarvania-2026/moderation/"', lambda: list(moderation_selectors.moderation_queue(consultation=demo, user=user))),
    }
    shown = {name for name, (marker, _call) in actions.items() if marker in page}
    allowed = {name for name, (_marker, call) in actions.items() if _service_allows(call)}
    assert shown == allowed
    assert shown == ({"hide published", "restore hidden", "official reply", "moderation queue"} if acts_for_commission else set())
    assert (client.get("/c/tarvania-2026/moderation/").status_code == 200) is acts_for_commission


def test_a_staff_user_outside_the_commission_cannot_hide_through_the_page(client, aigerim, make_participant, draft_provision, demo):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Kept.", stance="support", language="en")
    client.force_login(_staff(make_participant, "Operator"))
    response = client.post(f"/comments/{comment.pk}/hide/", {"reason": "Off topic"}, follow=True)
    assert "Only the commission of this consultation can moderate its comments." in response.content.decode()
    assert Comment.objects.get().status == "published" and not ModerationEvent.objects.exists()


def test_whether_the_reader_acts_for_the_commission_is_read_once_per_page(client, aigerim, draft_provision, demo):
    for n in range(5):
        comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Point {n}.", stance="support", language="en")
        services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body=f"Reply {n}.", stance="question", language="en", parent_id=comment.pk)
    client.force_login(_member(demo, "Member"))
    with CaptureQueriesContext(connection) as queries:
        page = client.get(PARAGRAPH).content.decode()
    assert page.count('action="/comments/') >= 10  # the commission's buttons are there, under every comment
    assert sum(CommissionMembership._meta.db_table in query["sql"] for query in queries.captured_queries) == 1


def test_receipt_lookup(client, aigerim, draft_provision):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="X.", stance="support", language="en")
    response = client.get("/receipts/", {"number": comment.receipt.number.lower()})
    assert response.status_code == 302 and response.url == f"/receipts/{comment.receipt.number}/"
    assert "No receipt has the number" in client.get("/receipts/", {"number": "NOPE-1"}, follow=True).content.decode()
    assert client.get("/receipts/NOPE-1/").status_code == 404


def test_comment_rate_limit_answers_429_with_retry_after(client, aigerim, draft_provision, settings):
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": "2/d", "ip": "100/d"}}
    client.force_login(aigerim)
    for _n in range(2):
        assert client.post(ARTICLE + "comment/", form_data(draft_provision)).status_code == 302
    response = client.post(ARTICLE + "comment/", form_data(draft_provision))
    assert response.status_code == 429 and int(response["Retry-After"]) > 0
    assert Comment.objects.count() == 2


def test_per_ip_limit_across_accounts(client, make_participant, draft_provision, settings):
    settings.COMMENT_RATE_LIMITS = {**settings.COMMENT_RATE_LIMITS, "comment": {"user": "100/d", "ip": "2/d"}}
    for name in ("One", "Two", "Three"):
        client.force_login(make_participant(name))
        response = client.post(ARTICLE + "comment/", form_data(draft_provision), REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 429 and Comment.objects.count() == 2


def test_api_rate_limits_for_comments_and_reports(aigerim, make_participant, draft_provision, settings):
    from rest_framework.test import APIClient

    settings.COMMENT_RATE_LIMITS = {
        **settings.COMMENT_RATE_LIMITS,
        "comment": {"user": "1/d", "ip": "100/d"},
        "report": {"user": "1/d", "ip": "100/d"},
    }
    api = APIClient()
    api.force_authenticate(aigerim)
    body = {"provision": draft_provision.pk, "body": "x", "stance": "support", "language": "en"}
    assert api.post("/api/v1/comments/", body, format="json").status_code == 201
    limited = api.post("/api/v1/comments/", body, format="json")
    assert limited.status_code == 429 and limited["Retry-After"] and limited.json()["code"] == "rate_limited"
    other = services.comment_submit(author=make_participant("Other"), provision_id=draft_provision.pk, body="y", stance="support", language="en")
    first = Comment.objects.order_by("id").first()
    assert api.post(f"/api/v1/comments/{other.pk}/report/", {"reason": "a"}, format="json").status_code == 201
    other_two = services.comment_submit(author=make_participant("Third"), provision_id=draft_provision.pk, body="z", stance="support", language="en")
    assert api.post(f"/api/v1/comments/{other_two.pk}/report/", {"reason": "b"}, format="json").status_code == 429
    assert first.author == aigerim


def test_no_page_shows_an_email_or_ip(client, aigerim, make_participant, draft_provision, demo):
    comment = services.comment_submit(author=aigerim, provision_id=draft_provision.pk, body="Visible.", stance="support", language="en", client_ip="198.51.100.7")
    urls = ["/", "/c/tarvania-2026/", "/c/tarvania-2026/constitution/v1/", "/c/tarvania-2026/constitution/v1/p/II/25/1/",
            f"/receipts/{comment.receipt.number}/"]
    client.force_login(make_participant("Reader"))
    for url in urls:
        page = client.get(url, REMOTE_ADDR="198.51.100.7").content.decode()
        assert "aigerim@example.org" not in page and "198.51.100.7" not in page and "reader@example.org" not in page, url


def _member(consultation, name):
    from allauth.account.models import EmailAddress

    from consult import services as consult_services
    from tests.factories import UserFactory

    user = UserFactory(username=name.lower())
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    consult_services.participant_save(user=user, display_name=name)
    MembershipFactory(consultation=consultation, user=user)
    return user


@pytest.mark.parametrize("cursor", ["garbage", "1.2.3", "x.5"])
def test_a_malformed_page_cursor_is_refused_clearly(client, demo, cursor):
    page = client.get(ARTICLE, {"after": cursor})
    assert page.status_code == 400 and "This page link is not valid" in page.content.decode()


def test_help_texts_are_tied_to_their_fields_for_screen_readers(client, aigerim, draft_provision):
    import re

    client.force_login(aigerim)
    page = client.get(PARAGRAPH).content.decode()
    described = set(re.findall(r'aria-describedby="([^"]+)"', page))
    helps = set(re.findall(r'<p class="help" id="([^"]+)"', page))
    assert helps and helps <= {name for ids in described for name in ids.split()}
