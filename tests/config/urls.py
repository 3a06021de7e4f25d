"""The project's URLs plus views that write a row and then raise a given exception, to exercise the
API exception handler (a DRF view, under /api/), the middleware's JSON (a plain Django view under
/api/) and its error pages (a plain view elsewhere)."""
from django.contrib.auth.models import Group
from django.db import InterfaceError, OperationalError
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpResponse
from django.urls import include, path
from rest_framework import exceptions
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from comments.ratelimits import RateLimited
from config.errors import ApplicationError, InvalidState, NotFound, PermissionDenied

WRITTEN = "written by the failing request"

RAISED = {
    "application-error": lambda: ApplicationError("The draft is not ready.", fields={"file": ["Too big."]}, code="draft_not_ready"),
    "not-found": lambda: NotFound("There is no draft 7."),
    "permission-denied": lambda: PermissionDenied("Only the commission may do this.", code="not_commission"),
    "invalid-state": lambda: InvalidState("The version is already published.", code="already_published"),
    "rate-limited": lambda: RateLimited("Too many attempts; try again in 42 seconds.", retry_after=42),
    "django-validation-dict": lambda: DjangoValidationError(
        {"title": ["Too long.", "Not unique."], NON_FIELD_ERRORS: ["The phases overlap."]}
    ),
    "django-validation-list": lambda: DjangoValidationError(["First problem.", "Second problem."]),
    "django-validation-message": lambda: DjangoValidationError("%(date)s is in the past.", params={"date": "1 May"}),
    "http404": lambda: Http404("No Comment matches the given query."),
    "django-permission-denied": lambda: DjangoPermissionDenied(),
    "django-permission-denied-message": lambda: DjangoPermissionDenied("Staff only."),
    "drf-validation-dict": lambda: exceptions.ValidationError({"quote": {"exact": ["Too long."]}, "body": ["Required."]}),
    "drf-validation-message": lambda: exceptions.ValidationError("Invalid cursor."),
    "drf-not-found": lambda: exceptions.NotFound(),
    "drf-permission-denied": lambda: exceptions.PermissionDenied(),
    "drf-not-authenticated": lambda: exceptions.NotAuthenticated(),
    "drf-parse-error": lambda: exceptions.ParseError(),
    "drf-method-not-allowed": lambda: exceptions.MethodNotAllowed("DELETE"),
    "drf-throttled": lambda: exceptions.Throttled(wait=30),
    "unexpected": lambda: RuntimeError("a bug"),
    "database-down": lambda: OperationalError("connection to server at 127.0.0.1, port 5432 failed: Connection refused"),
    "database-lost": lambda: InterfaceError("connection already closed"),
}


def _write_then_raise(kind: str):
    Group.objects.create(name=WRITTEN)
    if kind != "none":
        raise RAISED[kind]()


class RaisingApi(APIView):
    permission_classes = [AllowAny]

    def get(self, request, kind):
        _write_then_raise(kind)
        return Response({"ok": True})


def raising_view(request, kind):
    _write_then_raise(kind)
    return HttpResponse("ok")


urlpatterns = [
    path("api/test-drf/<slug:kind>/", RaisingApi.as_view()),
    path("api/test-plain/<slug:kind>/", raising_view),
    path("test-page/<slug:kind>/", raising_view),
    path("", include("config.urls")),
]
