"""The API fuzzed against its own OpenAPI schema (issue 13, build 1): schemathesis draws requests for every
operation the schema documents, as anonymous, a verified citizen, a commission member and an admin, and
every answer must be no 5xx and match the schema (its status documented with a body of that shape).

Each operation is fuzzed in up to three passes: requests that fit the schema, their path parameters drawn
too (mostly no such object); requests that break it (a string for an id, a missing field: a 4xx is due);
and, where it has path parameters, requests naming objects that exist (a comment of the role's user, its
concern and receipt, the demo's draft). The examples are bounded (EXAMPLES per pass, fewer for anonymous
writes and for the broken requests) and derandomized, so a run is reproducible and short; the run's
summary line "fuzz cases tried" counts them per role (tests/conftest.py). The requests go through Django's own test handler (CSRF-exempt, as the test client is, in the
test's transaction); each one runs in a savepoint rolled back after it, so every case meets the same demo
consultation and a failed one cannot spoil the next. Failures are gathered and reported together: the
operation, the status, the check that failed and a curl line to replay it.
"""
from __future__ import annotations

import contextlib
import sys

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.signals import got_request_exception
from django.db import transaction
from django.test import Client
from django.test.client import ClientHandler
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from hypothesis.errors import Unsatisfiable
from rest_framework.test import APIClient
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import response_schema_conformance

pytestmark = [pytest.mark.django_db, pytest.mark.fuzz]

EXAMPLES = 5
# Requests that break the schema (a string for an id, a missing field, a wrong type): the 4xx they need.
NEGATIVE_EXAMPLES = 3
# Anonymous writes are all refused (403) before their body is read: a couple each show it.
ANONYMOUS_WRITE_EXAMPLES = 2
ROLES = ("anonymous", "citizen", "member", "admin")
CHECKS = [not_a_server_error, response_schema_conformance]


@pytest.fixture(scope="module")
def api_schema(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        answer = APIClient().get("/api/schema/", {"format": "json"})
    assert answer.status_code == 200
    return schemathesis.openapi.from_dict(answer.json())


def _role_user(role, demo):
    """A user of the role (None for anonymous): a verified citizen, a member of the demo's commission, its admin."""
    from tests.factories import MembershipFactory, participant_user

    if role == "anonymous":
        return None
    if role == "admin":
        return get_user_model().objects.get(username="admin")
    user = participant_user("Fuzz Citizen" if role == "citizen" else "Fuzz Member")
    if role == "member":
        MembershipFactory(consultation=demo, user=user)
    return user


def _session_cookie(user) -> dict:
    """The session cookie of the user, signed in as allauth would (none for anonymous)."""
    if user is None:
        return {}
    client = Client()
    client.force_login(user)
    return {settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value}


def _real_objects(demo, user) -> dict:
    """Path parameters naming objects that exist, by the collection they are in: drawn at random, an id almost
    never names one, and the code behind a 404 is only a lookup. A comment of the user's own (or, for
    anonymous, another citizen's) so that withdrawing, correcting and endorsing it get past the lookup, and a
    concern raised from it."""
    from comments import services
    from comments.concerns import services as concern_services
    from comments.models import Receipt
    from drafts.models import DraftVersion, Provision
    from tests.factories import participant_user

    provision = Provision.objects.get(version__document__slug="constitution", version__number=1, path="II/25/1")
    author = user if user is not None and user.username != "admin" else participant_user("Fuzz Author")
    comment = services.comment_submit(
        author=author, provision_id=provision.pk, stance="oppose", language="en", body="How will these values be interpreted?",
    )
    admin = get_user_model().objects.get(username="admin")
    concern = concern_services.concern_create(actor=admin, consultation_id=demo.pk, title="Values", comment_ids=[comment.pk])
    version = DraftVersion.objects.get(document__slug="constitution", number=1)
    return {
        "comments": {"id": comment.pk}, "concerns": {"id": concern.pk}, "versions": {"id": version.pk},
        "provisions": {"id": provision.pk, "provision_id": provision.pk}, "documents": {"slug": "constitution"},
        "consultations": {"slug": demo.slug, "document_slug": "constitution", "old_number": 0, "new_number": 1},
        "receipts": {"number": Receipt.objects.get(comment=comment).number},
    }


@pytest.mark.parametrize("role", ROLES)
def test_every_operation_answers_without_a_server_error_and_as_its_schema_says(api_schema, demo, role, record_property):
    user = _role_user(role, demo)
    cookies, real = _session_cookie(user), _real_objects(demo, user)
    tried = 0
    app, failures = _wsgi_application(), {}
    with _exceptions_raised() as raised:
        for result in api_schema.get_all_operations():
            operation = result.ok()
            examples = ANONYMOUS_WRITE_EXAMPLES if role == "anonymous" and operation.method.upper() != "GET" else EXAMPLES
            tried += _fuzz(operation.as_strategy(), operation.label, examples, app=app, cookies=cookies, failures=failures, raised=raised)
            if _has_input(operation):
                negative = operation.as_strategy(generation_mode=GenerationMode.NEGATIVE)
                tried += _fuzz(negative, operation.label, NEGATIVE_EXAMPLES, app=app, cookies=cookies, failures=failures, raised=raised)
            existing = _existing(operation, real)
            if existing:
                strategy = operation.as_strategy(path_parameters=existing)
                tried += _fuzz(strategy, operation.label, examples, app=app, cookies=cookies, failures=failures, raised=raised)
    record_property(f"fuzz cases {role}", tried)  # the run's summary adds them up (tests/conftest.py)
    assert not failures, f"{len(failures)} operations failed as {role}:\n\n" + "\n\n".join(
        f"{label}: {failure}" for label, failure in failures.items()
    )


def _has_input(operation) -> bool:
    """Whether the operation takes anything that a request could get wrong (else there is no negative case)."""
    return bool(len(operation.path_parameters) or len(operation.query) or len(operation.body))


def _existing(operation, real: dict) -> dict:
    """The operation's path parameters that name an existing object (none if it has no path parameter)."""
    collection = operation.path.split("/")[3]
    names = {parameter.name for parameter in operation.path_parameters}
    return {name: value for name, value in real.get(collection, {}).items() if name in names}


def _fuzz(strategy, label: str, examples: int, *, app, cookies: dict, failures: dict, raised: list) -> int:
    """Send up to `examples` cases drawn from the strategy; the first that fails is put in `failures` under the
    operation's label. Returns how many were sent."""
    sent = 0

    @hypothesis_settings(
        max_examples=examples, derandomize=True, database=None, deadline=None,
        phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def fuzz(case):
        nonlocal sent
        if label in failures:
            return
        sent += 1
        raised.clear()
        with transaction.atomic():
            try:
                case.call_and_validate(app=app, cookies=cookies, checks=CHECKS)
            except (FailureGroup, AssertionError) as failure:
                failures[label] = f"{failure}\n{' '.join(raised)}\n{case.as_curl_command()}"
            transaction.set_rollback(True)

    try:
        fuzz()
    except Unsatisfiable:  # nothing of the operation can be drawn wrong (a negative pass of an enum-only path, say)
        pass
    return sent


def _wsgi_application():
    """Django's test handler (the test client's: no CSRF checks, the database connection kept) as a WSGI application."""
    handler = ClientHandler(enforce_csrf_checks=False)

    def application(environ, start_response):
        response = handler(environ)
        cookies = [("Set-Cookie", cookie.output(header="")) for cookie in response.cookies.values()]
        start_response(f"{response.status_code} {response.reason_phrase}", [*response.items(), *cookies])
        return response

    return application


@contextlib.contextmanager
def _exceptions_raised():
    """The exceptions that views raised (what made a 500), to show beside a failure."""
    raised = []

    def remember(sender, request, **kwargs):
        raised.append(repr(sys.exc_info()[1]))

    got_request_exception.connect(remember)
    try:
        yield raised
    finally:
        got_request_exception.disconnect(remember)
