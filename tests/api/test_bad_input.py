"""Anonymous input that made 500s (issue 13, found 4) is a 4xx in the API's error shape {"message", "code",
"fields"}: a non-numeric id, JSON nested 1,000 deep, a body over the size limit, a NUL byte in a path or
query, an address no route has; and a form that is not UTF-8 is refused, as the API refuses such JSON."""
import json

import pytest
from rest_framework.test import APIClient

from tests.factories import participant_user

pytestmark = pytest.mark.django_db

SHAPE = {"message", "code", "fields"}


def _error(answer, status: int, code: str) -> dict:
    assert answer.status_code == status, answer.content[:300]
    assert answer["Content-Type"] == "application/json"
    body = answer.json()
    assert set(body) == SHAPE and body["code"] == code
    return body


@pytest.fixture
def signed_in():
    client = APIClient()
    client.force_authenticate(participant_user("Probe"))
    return client


@pytest.mark.parametrize("action", ["withdraw", "endorse", "report", "hide", "restore"])
@pytest.mark.parametrize("who", ["anonymous", "signed_in"])
def test_a_non_numeric_comment_id_is_a_404_on_every_action(request, action, who):
    client = APIClient() if who == "anonymous" else request.getfixturevalue("signed_in")
    _error(client.post(f"/api/v1/comments/abc/{action}/", {"reason": "spam"}, format="json"), 404, "not_found")


@pytest.mark.parametrize("method", ["get", "patch"])
def test_a_non_numeric_comment_id_is_a_404_when_read_or_corrected(signed_in, method):
    _error(getattr(signed_in, method)("/api/v1/comments/12x/", {"body": "x"}, format="json"), 404, "not_found")


def test_an_address_no_route_has_is_a_404_in_the_error_shape_under_the_api_and_a_page_elsewhere(client):
    assert _error(client.get("/api/v1/nothing-here/"), 404, "not_found")["message"] == "Not found."
    page = client.get("/nothing-here/")
    assert page.status_code == 404 and page["Content-Type"].startswith("text/html")


@pytest.mark.parametrize("opening,closing", [("[", "]"), ('{"a":', "}")])
def test_json_nested_1000_deep_is_a_parse_error(signed_in, opening, closing):
    body = opening * 1000 + "1" + closing * 1000
    answer = signed_in.generic("POST", "/api/v1/comments/", body, content_type="application/json")
    assert _error(answer, 400, "parse_error")["message"] == "The JSON is nested too deeply."


def test_json_nested_deeper_than_any_request_needs_is_refused_and_a_usual_one_is_read(signed_in):
    deep = "x"
    for _level in range(40):
        deep = [deep]
    deep = {"quote": {"exact": deep}}
    _error(signed_in.post("/api/v1/comments/", deep, format="json"), 400, "parse_error")
    usual = signed_in.post("/api/v1/comments/", {"provision": 0, "stance": "oppose", "body": "x", "quote": {"exact": "x"}}, format="json")
    assert _error(usual, 400, "invalid")["fields"]  # read, then refused field by field


@pytest.mark.parametrize("content_type", ["application/json", "application/x-www-form-urlencoded"])
def test_a_body_over_the_size_limit_is_a_413_in_the_error_shape(signed_in, settings, content_type):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = json.dumps({"body": "x" * 2000}) if content_type == "application/json" else "body=" + "x" * 2000
    answer = signed_in.generic("POST", "/api/v1/comments/", body, content_type=content_type)
    assert _error(answer, 413, "too_large")["message"] == "The request is too large."
    assert signed_in.generic("POST", "/api/v1/comments/", json.dumps({"body": "x"}), content_type="application/json").status_code == 400


def test_a_body_over_the_size_limit_read_before_any_view_is_a_413_under_the_api(client, settings):
    """Django itself refuses it (the CSRF check reads the form of a signed-in user's POST): handler400 answers."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    client.force_login(participant_user("Probe"))
    answer = client.post("/api/v1/comments/", "body=" + "x" * 2000, content_type="application/x-www-form-urlencoded")
    _error(answer, 413, "too_large")
    page = client.post("/accounts/email/", "email=" + "x" * 2000, content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400 and page["Content-Type"].startswith("text/html")


def test_nested_field_errors_are_readable_messages(signed_in):
    answer = signed_in.post("/api/v1/comments/", {"stance": "oppose", "body": "x", "quote": {"exact": 5, "prefix": [1]}}, format="json")
    fields = _error(answer, 400, "invalid")["fields"]
    assert fields["quote"] == {"prefix": ["Not a valid string."]}
    assert "ErrorDetail" not in answer.content.decode()


@pytest.mark.parametrize("path", [
    "/api/v1/receipts/%00/", "/api/v1/receipts/?comment=%00", "/api/v1/moderation/?consultation=%00",
    "/api/v1/versions/1/tree/?language=%00", "/api/v1/documents/constitution%00/comparison/?old=0&new=1",
    "/api/v1/comments/%00/withdraw/", "/api/v1/provisions/?path=%00",
])
def test_a_nul_in_any_api_path_or_query_is_a_400(client, path):
    _error(client.get(path), 400, "nul_character")


@pytest.mark.parametrize("path", [
    "/c/tarvania-2026/constitution/v1/?q=%00", "/c/tarvania-2026/constitution/compare/v0-v1/?level=%00",
    "/c/tarvania-2026/moderation/?q=%00", "/receipts/%00/",
])
def test_a_nul_in_a_page_address_is_a_400(client, path):
    assert client.get(path).status_code == 400


def test_a_form_that_is_not_utf8_is_refused_as_the_api_refuses_such_json(client, signed_in, demo):
    from comments.models import Comment

    client.force_login(participant_user("Form Writer"))
    form = "/c/tarvania-2026/constitution/v1/p/II/25/1/comment/"
    page = client.post(form, b"body=caf%E9+au+lait&stance=oppose&language=en", content_type="application/x-www-form-urlencoded")
    assert page.status_code == 400 and "The form was not sent in UTF-8." in page.content.decode()
    assert not Comment.objects.filter(body__contains="\ufffd").exists()
    api_form = signed_in.generic("POST", "/api/v1/comments/", b"body=caf%E9", content_type="application/x-www-form-urlencoded")
    _error(api_form, 400, "invalid_encoding")
    api_json = signed_in.generic("POST", "/api/v1/comments/", b'{"body": "caf\xe9"}', content_type="application/json")
    _error(api_json, 400, "parse_error")
    # A form in UTF-8 goes through to the view (here refused field by field, as it names no provision).
    assert signed_in.generic("POST", "/api/v1/comments/", "body=café".encode(), content_type="application/x-www-form-urlencoded").status_code == 400
    assert signed_in.generic("POST", "/api/v1/comments/", "body=café".encode(), content_type="application/x-www-form-urlencoded").json()["code"] == "invalid"
