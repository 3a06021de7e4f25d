"""Accounts: sign-up with a public profile, e-mail verification, rate limits, password reset, the profile page.

The e-mail address is private: it signs the user in and receives mail, and is shown to its owner on the
profile page only. The public sees the participant's display name.
"""
import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core import mail
from django.urls import reverse

from consult import services
from consult.models import Participant
from tests.factories import ConsultationFactory, UserFactory

pytestmark = pytest.mark.django_db

User = get_user_model()
PASSWORD = "correct horse battery"
EMAIL = "a.private.person@example.org"
SIGNUP = {
    "email": EMAIL,
    "password1": "a long and unusual passphrase",
    "password2": "a long and unusual passphrase",
    "display_name": "Steppe Reader",
    "submitter_type": "individual",
    "organisation_name": "",
}


def _signup(client, **changes):
    return client.post(reverse("account_signup"), {**SIGNUP, **changes})


def _verified_user(*, display_name: str | None = "Aigerim"):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    if display_name:
        services.participant_save(user=user, display_name=display_name)
    return user


def _login(client, email: str, password: str = PASSWORD):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _signed_in_user_id(client):
    return client.session.get("_auth_user_id")


def _confirmation_path(message) -> str:
    match = re.search(r"https?://testserver(/accounts/confirm-email/[^/\s]+/)", message.body)
    assert match, message.body
    return match.group(1)


def _rate_limits(settings, **limits):
    """Small limits for one test; allauth reads ACCOUNT_RATE_LIMITS at each request, so the fixture is enough."""
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, **limits}


# Sign-up -------------------------------------------------------------------------------------------------------


def test_signup_creates_the_user_and_the_participant(client):
    response = _signup(client, submitter_type="organisation", organisation_name="Legal Aid Centre")

    assert response.status_code == 302
    assert response.url == reverse("account_email_verification_sent")
    participant = Participant.objects.get(user__email=EMAIL)
    assert (participant.display_name, participant.submitter_type, participant.organisation_name) == (
        "Steppe Reader", "organisation", "Legal Aid Centre",
    )


def test_signup_as_an_organisation_without_its_name_is_refused(client):
    response = _signup(client, submitter_type="organisation", organisation_name="  ")

    assert response.status_code == 200
    assert "organisation_name" in response.context["form"].errors
    page = response.content.decode()
    assert 'role="alert"' in page and 'aria-invalid="true"' in page
    assert "Give the name of the organisation you comment for." in page
    assert not User.objects.exists() and not Participant.objects.exists() and not EmailAddress.objects.exists()
    assert mail.outbox == []


def test_signup_sends_a_verification_email_and_refuses_sign_in_until_it_is_followed(client):
    _signup(client)

    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL]
    client.logout()
    response = _login(client, EMAIL, SIGNUP["password1"])
    assert response.status_code == 302 and response.url == reverse("account_email_verification_sent")
    assert _signed_in_user_id(client) is None
    assert "Verify Your Email Address" in client.get(response.url).content.decode()


def test_following_the_verification_link_verifies_and_signs_in(client):
    _signup(client)
    path = _confirmation_path(mail.outbox[0])

    assert client.get(path).status_code == 200  # a GET only asks to confirm (ACCOUNT_CONFIRM_EMAIL_ON_GET = False)
    assert not EmailAddress.objects.get(email=EMAIL).verified
    response = client.post(path)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email=EMAIL).verified
    assert _signed_in_user_id(client) == str(User.objects.get(email=EMAIL).pk)


def test_the_email_address_never_appears_on_public_pages(client):
    ConsultationFactory(title="Constitutional reform of Testland")
    _signup(client)
    response = client.post(_confirmation_path(mail.outbox[0]), follow=True)  # lands on the consultation list

    page = response.content.decode()
    assert "Constitutional reform of Testland" in page
    assert "Steppe Reader" in page  # the header names the participant
    assert EMAIL not in page and "a.private.person" not in page  # nor does the welcome message use the e-mail
    assert EMAIL not in client.get(reverse("consultation-list")).content.decode()


# Rate limits ---------------------------------------------------------------------------------------------------


def test_failed_logins_beyond_the_limit_lock_the_account_out_even_with_the_right_password(client, settings):
    _rate_limits(settings, login_failed="3/m/ip,3/m/key")
    user = _verified_user()
    for _attempt in range(3):
        response = _login(client, user.email, "wrong password")
        assert "password you specified are not correct" in response.content.decode()

    response = _login(client, user.email)

    # allauth answers the login_failed limit with a form error, not a 429 (see test below for the 429).
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
    assert _signed_in_user_id(client) is None


def test_login_attempts_beyond_the_limit_are_answered_429(client, settings):
    _rate_limits(settings, login="3/m/ip")
    user = _verified_user()
    for _attempt in range(3):
        assert _login(client, user.email, "wrong password").status_code == 200

    response = _login(client, user.email)

    assert response.status_code == 429
    assert _signed_in_user_id(client) is None


def test_a_signup_flood_from_one_address_is_answered_429(client, settings):
    _rate_limits(settings, signup="3/m/ip")
    for number in range(3):
        assert _signup(client, email=f"citizen{number}@example.org").status_code == 302

    response = _signup(client, email="one.too.many@example.org")

    assert response.status_code == 429
    assert User.objects.count() == 3


# Password reset ------------------------------------------------------------------------------------------------


def test_password_reset_sends_an_email_whose_link_sets_a_new_password(client):
    user = _verified_user()

    response = client.post(reverse("account_reset_password"), {"email": user.email})

    assert response.status_code == 302 and response.url == reverse("account_reset_password_done")
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    link = re.search(r"https?://testserver(/accounts/password/reset/key/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and 'autocomplete="new-password"' in form_page.content.decode()
    new_password = "another long passphrase"
    response = client.post(form_page.redirect_chain[-1][0], {"password1": new_password, "password2": new_password})
    assert response.status_code == 302 and response.url == reverse("account_reset_password_from_key_done")
    assert _login(client, user.email, new_password).status_code == 302
    assert _signed_in_user_id(client) == str(user.pk)


# Pages and header ----------------------------------------------------------------------------------------------

SIGNED_OUT_PAGES = ["account_login", "account_signup", "account_reset_password", "account_email_verification_sent", "account_reset_password_done"]
SIGNED_IN_PAGES = ["account_logout", "account_email", "account_change_password", "participant-profile"]


@pytest.mark.parametrize("url_name", SIGNED_OUT_PAGES)
def test_allauth_pages_render_inside_the_site_layout(client, url_name):
    page = client.get(reverse(url_name)).content.decode()

    assert 'class="site-header"' in page and '<main id="main"' in page and 'class="site-footer"' in page
    assert "Menu:" not in page  # allauth's own bare layout is not used


@pytest.mark.parametrize("url_name", SIGNED_IN_PAGES)
def test_account_management_pages_render_inside_the_site_layout(client, url_name):
    client.force_login(_verified_user())

    response = client.get(reverse(url_name))

    assert response.status_code == 200
    page = response.content.decode()
    assert 'class="site-header"' in page and '<main id="main"' in page and "Menu:" not in page


def test_forms_have_labels_and_the_autocomplete_hints_of_allauth(client):
    page = client.get(reverse("account_signup")).content.decode()

    for field in ["email", "password1", "password2", "display_name", "submitter_type", "organisation_name"]:
        assert f'<label for="id_{field}">' in page
    assert 'autocomplete="email"' in page and 'autocomplete="new-password"' in page


def test_header_when_signed_out_offers_sign_in_and_sign_up(client):
    page = client.get(reverse("consultation-list")).content.decode()

    assert f'href="{reverse("account_login")}?next=/"' in page
    assert f'href="{reverse("account_signup")}?next=/"' in page and "Create an account" in page  # back here after sign-up
    assert "Sign out" not in page


def test_header_when_signed_in_names_the_participant_never_the_email(client):
    user = _verified_user(display_name="Aigerim")
    client.force_login(user)

    page = client.get(reverse("consultation-list")).content.decode()

    assert "Aigerim" in page and f'href="{reverse("participant-profile")}"' in page
    assert f'<form action="{reverse("account_logout")}" method="post">' in page
    assert user.email not in page and "Create an account" not in page


def test_header_without_a_participant_says_my_account(client):
    client.force_login(_verified_user(display_name=None))

    assert "My account" in client.get(reverse("consultation-list")).content.decode()


def test_sign_out_is_a_post(client):
    client.force_login(_verified_user())

    response = client.post(reverse("account_logout"))

    assert response.status_code == 302 and _signed_in_user_id(client) is None


# Profile -------------------------------------------------------------------------------------------------------


def test_profile_requires_sign_in(client):
    response = client.get(reverse("participant-profile"))

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={reverse('participant-profile')}"


def test_profile_shows_the_own_email_with_a_link_to_manage_it(client):
    user = _verified_user(display_name="Aigerim")
    client.force_login(user)

    page = client.get(reverse("participant-profile")).content.decode()

    assert user.email in page and f'href="{reverse("account_email")}"' in page
    assert 'value="Aigerim"' in page


def test_profile_edit_saves_through_the_service(client):
    user = _verified_user(display_name="Aigerim")
    client.force_login(user)

    response = client.post(
        reverse("participant-profile"),
        {"display_name": "Legal Aid Centre", "submitter_type": "organisation", "organisation_name": "Legal Aid Centre NGO"},
    )

    assert response.status_code == 302 and response.url == reverse("participant-profile")
    participant = Participant.objects.get(user=user)
    assert (participant.display_name, participant.submitter_type, participant.organisation_name) == (
        "Legal Aid Centre", "organisation", "Legal Aid Centre NGO",
    )


def test_profile_edit_creates_the_participant_an_account_lacked(client):
    user = _verified_user(display_name=None)
    client.force_login(user)

    client.post(reverse("participant-profile"), {"display_name": "Bolat", "submitter_type": "individual", "organisation_name": ""})

    assert Participant.objects.get(user=user).display_name == "Bolat"


def test_profile_refuses_an_organisation_without_a_name(client):
    user = _verified_user(display_name="Aigerim")
    client.force_login(user)

    response = client.post(
        reverse("participant-profile"), {"display_name": "Aigerim", "submitter_type": "organisation", "organisation_name": ""}
    )

    assert response.status_code == 200
    assert "organisation_name" in response.context["form"].errors
    assert 'role="alert"' in response.content.decode()
    participant = Participant.objects.get(user=user)
    assert (participant.submitter_type, participant.organisation_name) == ("individual", "")


def test_profile_edit_requires_sign_in(client):
    response = client.post(reverse("participant-profile"), {"display_name": "Intruder", "submitter_type": "individual"})

    assert response.status_code == 302 and not Participant.objects.exists()
