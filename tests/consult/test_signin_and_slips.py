"""Issue 11, points 7 and 10: sign-in by e-mail or username, the demo's accounts for each role, sign-up that returns
the person to the page they came from, and the small slips a newcomer saw ("Published Published", "Dana K..",
"Sign Up" beside "Create an account", no favicon)."""
import re
from html import unescape

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.staticfiles import finders
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from consult import services
from consult.demo_data import demo_role_accounts_load
from consult.models import CommissionMembership, Participant
from consult.selectors import can_act_for_commission
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery"


def _login(client, login: str, password: str):
    return client.post(reverse("account_login"), {"login": login, "password": password})


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def _verified_user(*, username: str, email: str, display_name: str = "Aigerim"):
    user = UserFactory(username=username, email=email)
    user.set_password(PASSWORD)
    user.save()
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    services.participant_save(user=user, display_name=display_name)
    return user


# Sign in by e-mail or username ------------------------------------------------------------------------------------


@pytest.mark.parametrize("login", ["steppe", "steppe.reader@example.org", "STEPPE.READER@example.org"])
def test_sign_in_by_email_or_by_username(client, login):
    user = _verified_user(username="steppe", email="steppe.reader@example.org")

    response = _login(client, login, PASSWORD)

    assert response.status_code == 302
    assert _signed_in_user_id(client) == str(user.pk)


def test_a_wrong_password_signs_nobody_in_whichever_login_is_given(client):
    _verified_user(username="steppe", email="steppe.reader@example.org")

    for login in ("steppe", "steppe.reader@example.org"):
        response = _login(client, login, "not the password")
        assert response.status_code == 200
        assert response.context["form"].errors
        assert _signed_in_user_id(client) is None


def test_the_sign_in_field_says_username_or_email(client):
    page = client.get(reverse("account_login")).content.decode()

    label = re.search(r'<label[^>]*for="id_login"[^>]*>(.*?)</label>', page, re.S)
    assert label and label.group(1).startswith("Username or email")


# The demo's accounts ----------------------------------------------------------------------------------------------


def test_the_readmes_demo_credentials_sign_in_each_role(client):
    call_command("load_demo", "--no-comments", "--no-next-draft", stdout=open("/dev/null", "w"))
    readme = open("README.md", encoding="utf-8").read()
    consultation = CommissionMembership.objects.select_related("consultation").first().consultation

    for username, password in (("admin", "admin"), ("member", "member"), ("citizen", "citizen")):
        assert f"`{username}` / `{password}`" in readme
        client.logout()
        response = _login(client, username, password)
        assert response.status_code == 302, (username, response.content.decode()[:400])
        user = User.objects.get(username=username)
        assert _signed_in_user_id(client) == str(user.pk)
        assert EmailAddress.objects.get(user=user).verified
        assert Participant.objects.get(user=user).display_name

    member, citizen = User.objects.get(username="member"), User.objects.get(username="citizen")
    assert consultation.memberships.get(user=member).role == CommissionMembership.Role.REVIEWER
    assert can_act_for_commission(user=member, consultation=consultation)
    assert not can_act_for_commission(user=citizen, consultation=consultation)
    assert not (member.is_staff or citizen.is_staff or member.is_superuser or citizen.is_superuser)


def test_without_the_admin_the_demo_has_no_accounts_at_all(db):
    call_command("load_demo", "--no-admin", "--no-comments", "--no-next-draft", stdout=open("/dev/null", "w"))

    assert not User.objects.filter(username__in=["admin", "member", "citizen"]).exists()
    assert not CommissionMembership.objects.exists()


def test_loading_the_role_accounts_twice_changes_nothing_but_the_passwords(demo):
    demo_role_accounts_load(consultation=demo)
    demo_role_accounts_load(consultation=demo)

    assert User.objects.filter(username__in=["member", "citizen"]).count() == 2
    assert EmailAddress.objects.filter(user__username__in=["member", "citizen"]).count() == 2
    assert demo.memberships.filter(user__username="member").count() == 1
    assert not demo.memberships.filter(user__username="citizen").exists()


# Sign-up returns the person to the page they came from ------------------------------------------------------------


def test_sign_up_returns_the_person_to_the_page_they_came_from(client, demo):
    page_path = reverse("consultation-detail", args=[demo.slug])
    page = client.get(page_path).content.decode()
    signup_link = re.search(r'href="(/accounts/signup/[^"]*)"', page).group(1)
    assert unescape(signup_link) == f"{reverse('account_signup')}?next={page_path}"

    form_page = client.get(unescape(signup_link)).content.decode()
    assert f'name="next" value="{page_path}"' in form_page  # carried through the sign-up form
    response = client.post(reverse("account_signup"), {
        "email": "newcomer@example.org", "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase", "display_name": "Newcomer", "submitter_type": "individual",
        "organisation_name": "", "next": page_path,
    })
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")

    confirmation = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirmation)

    assert response.status_code == 302 and response.url == page_path
    assert _signed_in_user_id(client) == str(User.objects.get(email="newcomer@example.org").pk)


def test_sign_up_refuses_a_next_page_on_another_site(client):
    response = client.post(reverse("account_signup"), {
        "email": "newcomer@example.org", "password1": "a long and unusual passphrase",
        "password2": "a long and unusual passphrase", "display_name": "Newcomer", "submitter_type": "individual",
        "organisation_name": "", "next": "https://evil.example.com/",
    })
    confirmation = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", mail.outbox[-1].body).group(1)
    response = client.post(confirmation)

    assert response.status_code == 302 and "evil.example.com" not in response.url


def test_the_login_pages_signup_link_carries_next(client):
    page = client.get(reverse("account_login") + "?next=/c/somewhere/").content.decode()

    assert re.search(r'href="/accounts/signup/\?next=(%2F|/)c(%2F|/)somewhere(%2F|/)"', page)


# Small slips ------------------------------------------------------------------------------------------------------


def test_create_an_account_everywhere_never_sign_up(client, demo):
    for path in (reverse("account_login"), reverse("account_signup"), reverse("consultation-detail", args=[demo.slug])):
        page = client.get(path).content.decode()
        assert "Sign Up" not in page and "Signup" not in page and "sign up" not in page.lower(), path
        assert "Create an account" in page, path
    signup = client.get(reverse("account_signup")).content.decode()
    assert re.search(r"<h1[^>]*>\s*Create an account\s*</h1>", signup)
    assert re.search(r"<title>\s*Create an account", signup)
    assert re.search(r'<button[^>]*type="submit"[^>]*>\s*Create an account\s*</button>', signup)


def test_the_version_reader_says_published_once(client, demo):
    page = client.get(reverse("version-reader", args=[demo.slug, "constitution", 1])).content.decode()
    meta = re.search(r'<p class="meta">(.*?)</p>', page, re.S).group(1)
    text = re.sub(r"<[^>]+>", " ", meta)

    assert len(re.findall(r"\bPublished\b", text)) == 1, text


@pytest.mark.parametrize("name, expected", [("Dana K.", "You are signed in as Dana K."), ("Dana", "You are signed in as Dana.")])
def test_a_name_ending_in_a_full_stop_gets_no_second_one(client, name, expected):
    _verified_user(username="dana", email="dana@example.org", display_name=name)

    response = _login(client, "dana", PASSWORD)
    page = client.get(response.url).content.decode()

    assert expected in page
    assert "Dana K.." not in page


def test_already_signed_in_says_the_name_with_one_full_stop(client):
    _verified_user(username="dana", email="dana@example.org", display_name="Dana K.")
    _login(client, "dana", PASSWORD)

    page = client.get(reverse("account_reset_password")).content.decode()  # allauth's snippet for a signed-in person

    assert "You are already signed in as Dana K." in page
    assert "Dana K.." not in page


def test_the_favicon_is_linked_and_served_locally(client):
    page = client.get(reverse("account_login")).content.decode()
    link = re.search(r'<link rel="icon" href="([^"]+)"', page)

    assert link and link.group(1).startswith("/static/") and "favicon" in link.group(1)
    assert finders.find("favicon.svg")
