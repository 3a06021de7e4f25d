"""Every password check goes through allauth's login form and its lockout; the API is throttled (issue 13, point 1)."""
from __future__ import annotations

import base64

import pytest
from rest_framework.test import APIClient

from config.api.throttles import AnonThrottle
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "correct horse battery"


def _basic(username: str, password: str) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()}


def test_http_basic_credentials_are_not_a_way_in():
    """Right or wrong, a Basic header authenticates nobody: no password is checked outside the login form."""
    user = UserFactory(username="amina", is_staff=True)
    client = APIClient()
    assert client.get("/api/v1/me/comments/", **_basic("amina", PASSWORD)).status_code == 403
    for _attempt in range(40):
        answer = client.get("/api/v1/me/comments/", **_basic("amina", "wrong"))
        assert answer.status_code == 403 and set(answer.json()) == {"message", "code", "fields"}
    user.refresh_from_db()
    assert user.last_login is None


def test_the_admin_signs_in_through_the_form_with_its_lockout(client):
    UserFactory(username="root", is_staff=True, is_superuser=True)
    answer = client.get("/admin/login/?next=/admin/")
    assert answer.status_code == 302 and answer["Location"].startswith("/accounts/login/")
    refused = [client.post("/admin/login/", {"username": "root", "password": "wrong"}) for _attempt in range(3)]
    assert all(r.status_code == 302 and r["Location"].startswith("/accounts/login/") for r in refused)  # no check there
    for _attempt in range(6):
        client.post("/accounts/login/", {"login": "root", "password": "wrong"})
    locked = client.post("/accounts/login/", {"login": "root", "password": PASSWORD})
    assert "_auth_user_id" not in client.session and locked.status_code in (200, 429)


def test_anonymous_api_use_is_throttled_with_the_error_shape(monkeypatch):
    monkeypatch.setattr(AnonThrottle, "THROTTLE_RATES", {**AnonThrottle.THROTTLE_RATES, "anon": "5/min"})
    client = APIClient()
    answers = [client.get("/api/v1/consultations/") for _request in range(7)]
    assert [a.status_code for a in answers[:5]] == [200] * 5
    throttled = answers[5]
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert set(throttled.json()) == {"message", "code", "fields"} and throttled.json()["code"] == "throttled"
    # Another address is not held back by this one.
    assert client.get("/api/v1/consultations/", REMOTE_ADDR="10.0.0.9").status_code == 200
    # A forged X-Forwarded-For does not give the same address a new budget.
    assert client.get("/api/v1/consultations/", HTTP_X_FORWARDED_FOR="10.1.2.3").status_code == 429


@pytest.mark.parametrize("path", [
    "/api/v1/consultations/tarvania-2026/export/comments.csv",
    "/api/v1/consultations/tarvania-2026/export/comments.jsonl",
    "/api/v1/consultations/tarvania-2026/tables/summary.csv",
    "/api/v1/consultations/tarvania-2026/tables/constitution/v0-v1.json",
])
def test_exports_have_a_limit_of_their_own_per_address(monkeypatch, demo, path):
    """One export streams a whole consultation: the export scope limits them per address, signed in or not,
    besides the default limits (which here are far higher)."""
    from config.api.throttles import ExportThrottle

    monkeypatch.setattr(ExportThrottle, "THROTTLE_RATES", {**ExportThrottle.THROTTLE_RATES, "export": "2/min"})
    client = APIClient()
    assert [client.get(path).status_code for _request in range(2)] == [200, 200]
    throttled = client.get(path)
    assert throttled.status_code == 429 and throttled["Retry-After"]
    assert throttled.json()["code"] == "throttled" and set(throttled.json()) == {"message", "code", "fields"}
    client.force_authenticate(UserFactory(username="exporter"))
    assert client.get(path).status_code == 429  # the same address, signed in
    assert client.get("/api/v1/consultations/").status_code == 200  # other API use goes on
