"""A NUL character in a request's path or query is refused with a 400 before any view sees it: no text column
can hold one, and a view passing it on to PostgreSQL would answer a 500."""
import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", [
    "/api/v1/reports/?consultation=%00", "/api/v1/campaigns/?consultation=tarvania%00", "/api/v1/comments/?search=a%00b",
    "/api/v1/concerns/groupings/?consultation=tarvania-2026&threshold=%00",
])
def test_the_api_refuses_a_nul_in_the_query_in_its_error_shape(client, demo, path):
    response = client.get(path)
    assert response.status_code == 400
    assert response.json() == {"message": "The address contains a NUL character.", "code": "nul_character", "fields": {}}


@pytest.mark.parametrize("path", [
    "/c/tarvania-2026/heard/constitution/v1/p/%00/", "/c/tarvania-2026/heard/?document=%00", "/c/tarvania-2026/campaigns/?page=%00",
    "/c/tarvania-2026/constitution/v1/p/II/25%00/",
])
def test_a_page_refuses_a_nul_in_the_path_or_query_with_the_error_page(client, demo, path):
    response = client.get(path)
    assert response.status_code == 400 and "The address contains a NUL character." in response.content.decode()


def test_an_address_without_nul_is_served(client, demo):
    assert client.get("/c/tarvania-2026/heard/", {"document": "constitution"}).status_code == 200
