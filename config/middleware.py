"""Turns the platform's ApplicationError into an error page for the server-rendered views.

The API has its own handler (config.api.exception_handlers); this one covers everything else,
so that a service error never surfaces as a 500:
- an ApplicationError, and a Django ValidationError (a service's `full_clean()`), become the error
  page with their status (400 for a ValidationError) and message;
- under /api/ (the views that are not DRF's, such as the exports) they, Http404 and PermissionDenied
  become the API's JSON error shape instead;
- elsewhere Http404 and PermissionDenied are left to Django (404.html, 403);
- a request whose path or query holds a NUL character is refused (400) before any view sees it, and so
  is a form whose fields are not valid UTF-8 (Django would quietly turn the bytes into U+FFFD and store
  them; the API's JSON parser refuses them).
Under ATOMIC_REQUESTS the view's transaction has already been rolled back when this runs: the
exception went through it.
"""
from __future__ import annotations

from urllib.parse import unquote_to_bytes

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from config.api.exception_handlers import DATABASE_UNREACHABLE, application_error_from_django
from config.errors import ApplicationError, ServiceUnavailable


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if _has_nul(request):
            return self._response(request, ApplicationError(_("The address contains a NUL character."), code="nul_character"))
        if _form_not_utf8(request):
            return self._response(request, ApplicationError(_("The form was not sent in UTF-8."), code="invalid_encoding"))
        return self.get_response(request)

    def process_exception(self, request, exception):
        api = request.path.startswith("/api/")
        error = exception if isinstance(exception, ApplicationError) else None
        if error is None and (api or isinstance(exception, (ValidationError, *DATABASE_UNREACHABLE))):
            error = application_error_from_django(exception)
        if error is None:
            return None
        return self._response(request, error)

    def _response(self, request, error: ApplicationError):
        if request.path.startswith("/api/"):
            response = JsonResponse(error.as_dict(), status=error.status)
        elif isinstance(error, ServiceUnavailable):
            response = unavailable_page(error)
        else:
            response = render(request, "error.html", {"error": error}, status=error.status)
        if getattr(error, "retry_after", None):
            response["Retry-After"] = str(error.retry_after)
        return response


def unavailable_page(error: ServiceUnavailable) -> HttpResponse:
    """The 503 page, rendered without the request: its context (the signed-in user, the session) needs the
    very database that is out of reach."""
    return HttpResponse(render_to_string("503.html", {"error": error}), status=error.status)


def _has_nul(request) -> bool:
    """A NUL in the path or a query value: no text column can hold it (PostgreSQL refuses it), so no view should see it."""
    return "\x00" in request.path or any("\x00" in key or any("\x00" in value for value in values) for key, values in request.GET.lists())


def _form_not_utf8(request) -> bool:
    """A URL-encoded form (the site's forms) whose fields, once unquoted, are not valid UTF-8. Only a form in
    UTF-8, the site's charset, is checked: a client that names another charset is decoded in it by Django."""
    if request.method != "POST" or request.content_type != "application/x-www-form-urlencoded":
        return False
    if (request.encoding or settings.DEFAULT_CHARSET).lower().replace("_", "-") not in ("utf-8", "utf8"):
        return False
    try:
        for field in request.body.split(b"&"):
            unquote_to_bytes(field.replace(b"+", b" ")).decode("utf-8")
    except UnicodeDecodeError:
        return True
    return False
