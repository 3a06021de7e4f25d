"""Consultation pages: list with its empty state, one consultation, the interface language."""
import pytest

from tests.factories import ConsultationFactory

pytestmark = pytest.mark.django_db

READER = "/c/tarvania-2026/constitution/v1/"


def test_consultation_list(client, demo):
    response = client.get("/")
    assert response.status_code == 200
    assert "Constitutional reform of the Republic of Tarvania" in response.content.decode()


def test_consultation_list_empty_state(client, db):
    ConsultationFactory(status="draft")  # not yet public
    assert "No consultation is open" in client.get("/").content.decode()


def test_consultation_page_shows_documents_versions_and_phases(client, demo):
    page = client.get("/c/tarvania-2026/").content.decode()
    assert "Constitution of the Republic of Tarvania" in page
    assert "Constitutional Law on the Republic Referendum" in page
    assert READER in page and "/c/tarvania-2026/constitution/v0/" in page
    assert "Open now" in page and "Referendum on the new Constitution" in page


def test_interface_language_follows_the_user_choice(client, demo):
    client.post("/i18n/setlang/", {"language": "ru", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="ru">' in page
