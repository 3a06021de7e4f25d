"""Every error the API can meet has the shape {"message", "code", "fields"} and the right status, and
rolls the request back; the HTML views show the error page instead of a 500.

Views in tests/config/urls.py write a row, then raise the exception named in their URL.
"""
import pytest
from django.contrib.auth.models import Group
from django.db import connection

from tests.config.urls import WRITTEN

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.config.urls")]

# kind -> (status, code, message, fields, Retry-After)
APPLICATION_ERRORS = {
    "application-error": (400, "draft_not_ready", "The draft is not ready.", {"file": ["Too big."]}, None),
    "not-found": (404, "not_found", "There is no draft 7.", {}, None),
    "permission-denied": (403, "not_commission", "Only the commission may do this.", {}, None),
    "invalid-state": (409, "already_published", "The version is already published.", {}, None),
    "rate-limited": (429, "rate_limited", "Too many attempts; try again in 42 seconds.", {}, "42"),
}
DJANGO_ERRORS = {
    # A model's clean() reports errors about no field under "__all__": the API says "non_field_errors", as DRF does.
    "django-validation-dict": (
        400, "invalid", "Too long.", {"title": ["Too long.", "Not unique."], "non_field_errors": ["The phases overlap."]}, None
    ),
    "django-validation-list": (400, "invalid", "First problem.", {"non_field_errors": ["First problem.", "Second problem."]}, None),
    "django-validation-message": (400, "invalid", "1 May is in the past.", {"non_field_errors": ["1 May is in the past."]}, None),
    # Django's 404 messages name models, in English: the API says its own translated words.
    "http404": (404, "not_found", "Not found.", {}, None),
    "django-permission-denied": (403, "permission_denied", "You do not have permission to perform this action.", {}, None),
    "django-permission-denied-message": (403, "permission_denied", "Staff only.", {}, None),
}
DRF_ERRORS = {
    "drf-validation-dict": (400, "invalid", "Too long.", {"quote": {"exact": ["Too long."]}, "body": ["Required."]}, None),
    "drf-validation-message": (400, "invalid", "Invalid cursor.", {"non_field_errors": ["Invalid cursor."]}, None),
    "drf-not-found": (404, "not_found", "Not found.", {}, None),
    "drf-permission-denied": (403, "permission_denied", "You do not have permission to perform this action.", {}, None),
    # Session authentication sends no WWW-Authenticate challenge, so DRF answers 403 rather than 401.
    "drf-not-authenticated": (403, "not_authenticated", "Authentication credentials were not provided.", {}, None),
    "drf-parse-error": (400, "parse_error", "Malformed request.", {}, None),
    "drf-method-not-allowed": (405, "method_not_allowed", 'Method "DELETE" not allowed.', {}, None),
    "drf-throttled": (429, "throttled", "Request was throttled. Expected available in 30 seconds.", {}, "30"),
}


def _assert_error(response, expected):
    status, code, message, fields, retry_after = expected
    assert response.status_code == status
    assert response["Content-Type"] == "application/json"
    assert response.json() == {"message": message, "code": code, "fields": fields}
    assert response.get("Retry-After") == retry_after


@pytest.mark.parametrize("kind", [*APPLICATION_ERRORS, *DJANGO_ERRORS, *DRF_ERRORS])
def test_the_api_gives_every_error_its_status_code_and_shape(client, kind):
    expected = {**APPLICATION_ERRORS, **DJANGO_ERRORS, **DRF_ERRORS}[kind]
    _assert_error(client.get(f"/api/test-drf/{kind}/"), expected)


@pytest.mark.parametrize("kind", [*APPLICATION_ERRORS, *DJANGO_ERRORS])
def test_an_api_view_that_is_not_drf_answers_in_the_same_shape(client, kind):
    """The exports under /api/ are plain Django views: the middleware answers for them, alike."""
    _assert_error(client.get(f"/api/test-plain/{kind}/"), {**APPLICATION_ERRORS, **DJANGO_ERRORS}[kind])


@pytest.mark.parametrize("path", ["/api/test-drf/unexpected/", "/api/test-plain/unexpected/", "/test-page/unexpected/"])
def test_an_unexpected_exception_is_not_dressed_as_a_client_error(client, path):
    with pytest.raises(RuntimeError, match="a bug"):  # a 500, logged, in production
        client.get(path)


UNAVAILABLE = (503, "service_unavailable", "The service is briefly unavailable: nothing was saved. Try again in a moment.", {}, "30")


@pytest.mark.parametrize("kind", ["database-down", "database-lost"])
@pytest.mark.parametrize("view", ["test-drf", "test-plain"])
def test_a_database_out_of_reach_is_a_json_503_with_retry_after(client, view, kind):
    _assert_error(client.get(f"/api/{view}/{kind}/"), UNAVAILABLE)


def test_a_page_meets_a_database_out_of_reach_with_a_503_page_that_needs_no_database(client):
    page = client.get("/test-page/database-down/")
    assert page.status_code == 503 and page["Retry-After"] == "30"
    assert "Briefly unavailable" in page.content.decode() and "nothing was saved" in page.content.decode()


def test_the_last_resort_handler_answers_503_for_a_database_error_raised_outside_any_view(rf):
    """What no middleware sees (an error in a middleware itself) reaches handler500 with the exception current."""
    from django.db import OperationalError

    from config.views import server_error

    for path, content_type in (("/api/v1/comments/", "application/json"), ("/c/x/", "text/html; charset=utf-8")):
        try:
            raise OperationalError("the database system is shutting down")
        except OperationalError:
            answer = server_error(rf.get(path))
        assert answer.status_code == 503 and answer["Retry-After"] == "30" and answer["Content-Type"] == content_type
    try:
        raise RuntimeError("a bug")
    except RuntimeError:
        assert server_error(rf.get("/api/v1/comments/")).status_code == 500


@pytest.fixture
def atomic_requests(monkeypatch):
    """Each request in a transaction of its own (inside the test's), as with ATOMIC_REQUESTS in production."""
    monkeypatch.setitem(connection.settings_dict, "ATOMIC_REQUESTS", True)


@pytest.mark.parametrize("kind", [*APPLICATION_ERRORS, *DJANGO_ERRORS, *DRF_ERRORS])
def test_a_failed_api_request_rolls_back_what_it_wrote(client, atomic_requests, kind):
    assert client.get(f"/api/test-drf/{kind}/").status_code >= 400
    assert not Group.objects.filter(name=WRITTEN).exists()


@pytest.mark.parametrize("path", ["/api/test-drf/none/", "/api/test-plain/none/", "/test-page/none/"])
def test_a_request_that_succeeds_keeps_what_it_wrote(client, atomic_requests, path):
    """The counterpart of the rollback tests: the same write, no exception, and the row is there."""
    assert client.get(path).status_code == 200
    assert Group.objects.filter(name=WRITTEN).exists()


@pytest.mark.parametrize("path", ["/api/test-plain/not-found/", "/test-page/invalid-state/", "/test-page/django-validation-list/"])
def test_a_failed_page_rolls_back_what_it_wrote(client, atomic_requests, path):
    assert client.get(path).status_code >= 400
    assert not Group.objects.filter(name=WRITTEN).exists()


@pytest.mark.parametrize(
    ("kind", "status", "message"),
    [
        ("application-error", 400, "The draft is not ready."),
        ("not-found", 404, "There is no draft 7."),
        ("permission-denied", 403, "Only the commission may do this."),
        ("invalid-state", 409, "The version is already published."),
        ("rate-limited", 429, "Too many attempts; try again in 42 seconds."),
        # A service's full_clean() that the view did not catch: the page says what is wrong, not a 500.
        ("django-validation-dict", 400, "Too long."),
        ("django-validation-list", 400, "First problem."),
    ],
)
def test_a_page_shows_the_error_page_with_the_status_and_message(client, kind, status, message):
    response = client.get(f"/test-page/{kind}/")
    assert response.status_code == status
    assert response["Content-Type"].startswith("text/html")
    assert [template.name for template in response.templates][0] == "error.html"
    assert f'<p class="error-message" role="alert">{message}</p>' in response.content.decode()
    assert response.get("Retry-After") == ("42" if kind == "rate-limited" else None)


@pytest.mark.parametrize(
    ("kind", "status", "text"),
    [("http404", 404, "There is no page at this address."), ("django-permission-denied", 403, "403 Forbidden")],
)
def test_a_page_leaves_not_found_and_permission_denied_to_django(client, kind, status, text):
    response = client.get(f"/test-page/{kind}/")
    assert response.status_code == status and text in response.content.decode()


def test_the_message_is_the_first_field_error_however_deeply_nested():
    """A list of nested objects (a decision's norms) has an empty object for each item that was right: the
    message skips them and says what is wrong, as plain words (never an ErrorDetail repr)."""
    from rest_framework.exceptions import ErrorDetail

    from config.api.exception_handlers import _first_message

    assert _first_message({"norms": [{}, {"label": [ErrorDetail("Too long.", code="max_length")]}]}) == "Too long."
    assert _first_message({"quote": {"exact": [ErrorDetail("Required.", code="required")]}, "body": ["Blank."]}) == "Required."
    assert _first_message({"norms": [{}, {}]}) == ""
