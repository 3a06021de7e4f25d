"""django-allauth's own pages in Kazakh.

allauth ships no Kazakh catalogue: its strings are translated in locale_allauth/ (the second entry of
LOCALE_PATHS), kept apart from locale/ so that `make messages` does not drop them. The strings checked
here all come from that catalogue; the site's header and footer come from our own and are not checked.
"""
import re

import pytest
from allauth.account.models import EmailAddress

from consult import services
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"  # tests.factories.UserFactory

PAGES = {
    "/accounts/login/": {
        # The page's title, heading and button are the site's "Sign in" (our catalogue), not allauth's "Sign In".
        "title": {"kk": "Кіру", "en": "Sign in"},
        "kk": ["Пайдаланушы аты немесе электрондық пошта", "Құпиясөзді ұмыттыңыз ба?", "Мені есте сақтау"],
        "en": ["Username or email", "Forgot your password?", "Remember Me"],
    },
    "/accounts/signup/": {
        # "Create an account" (our catalogue) everywhere, never allauth's "Signup" / "Sign Up".
        "title": {"kk": "Тіркелу", "en": "Create an account"},
        "kk": [
            "Есептік жазбаңыз бар ма?",
            "Құпиясөз (қайталап)",
            # Django's password validators: Django's own kk catalogue leaves them untranslated.
            "Құпиясөз кемінде 8 таңбадан тұруы тиіс.",
        ],
        "en": ["Already have an account?", "Password (again)", "Your password must contain at least"],
    },
    "/accounts/password/reset/": {
        "title": {"kk": "Құпиясөзді қалпына келтіру", "en": "Password Reset"},
        "kk": [
            "Төменде электрондық пошта мекенжайыңызды енгізіңіз",
            "Құпиясөзімді қалпына келтіру",
        ],
        "en": ["Password Reset", "Forgotten your password?", "Reset My Password"],
    },
}


def _choose_language(client, language: str):
    client.post("/i18n/setlang/", {"language": language, "next": "/"})


def _title(page: str) -> str:
    """The page's own part of <title> (before " · " and the site's name)."""
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    return " ".join(title.split()).split(" · ")[0]


@pytest.mark.parametrize("path", PAGES)
def test_allauth_page_is_in_kazakh(client, path):
    _choose_language(client, "kk")

    response = client.get(path)

    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="kk">' in page
    assert _title(page) == PAGES[path]["title"]["kk"]
    for kazakh in PAGES[path]["kk"]:
        assert kazakh in page
    for english in PAGES[path]["en"]:
        assert english not in page


@pytest.mark.parametrize("path", PAGES)
def test_the_english_originals_are_what_allauth_renders(client, path):
    """Keeps the test above honest: the English strings it looks for are really on the page in English."""
    _choose_language(client, "en")

    page = client.get(path).content.decode()

    assert _title(page) == PAGES[path]["title"]["en"]
    for english in PAGES[path]["en"]:
        assert english in page


def _verified_user(display_name: str = "Aigerim"):
    user = UserFactory()
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    services.participant_save(user=user, display_name=display_name)
    return user


def test_the_message_after_signing_in_is_in_kazakh(client):
    """The text comes from our own override (templates/account/messages/logged_in.txt)."""
    user = _verified_user()
    _choose_language(client, "kk")

    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD}, follow=True)

    page = response.content.decode()
    assert client.session.get("_auth_user_id") == str(user.pk)
    assert "Сіз жүйеге Aigerim ретінде кірдіңіз." in page
    assert "signed in as" not in page


def test_the_message_after_signing_out_is_in_kazakh(client):
    """allauth's own message (account/messages/logged_out.txt), translated in locale_allauth/."""
    client.force_login(_verified_user())
    _choose_language(client, "kk")

    page = client.get("/accounts/logout/").content.decode()
    assert "Жүйеден шығуға сенімдісіз бе?" in page and "Are you sure you want to sign out?" not in page

    response = client.post("/accounts/logout/", follow=True)

    page = response.content.decode()
    assert "_auth_user_id" not in client.session
    assert "Сіз жүйеден шықтыңыз." in page
    assert "You have signed out." not in page
