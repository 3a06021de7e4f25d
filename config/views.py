"""The site's last-resort error views, for what no view or middleware answered.

handler500: a database out of reach is a 503 with Retry-After (JSON under /api/), anything else Django's
500 (JSON under /api/). handler404 and handler400: under /api/ the API's error shape instead of Django's
HTML page, for an address no route matches (/api/v1/comments/abc/withdraw/) and for a request Django
refused before any view ran (a body over DATA_UPLOAD_MAX_MEMORY_SIZE is a 413 there)."""
from __future__ import annotations

import sys

from django.http import JsonResponse
from django.utils.translation import gettext as _
from django.views import defaults

from config.api.exception_handlers import DATABASE_UNREACHABLE, application_error_from_django, database_unreachable
from config.errors import ApplicationError, NotFound
from config.middleware import unavailable_page


def server_error(request):
    raised = sys.exc_info()[1]
    api = request.path.startswith("/api/")
    if isinstance(raised, DATABASE_UNREACHABLE):
        error = database_unreachable()
        response = JsonResponse(error.as_dict(), status=error.status) if api else unavailable_page(error)
        response["Retry-After"] = str(error.retry_after)
        return response
    if api:
        return JsonResponse({"message": "Server error.", "code": "server_error", "fields": {}}, status=500)
    return defaults.server_error(request)


def page_not_found(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(NotFound(_("Not found.")))
    return defaults.page_not_found(request, exception)


def bad_request(request, exception):
    if request.path.startswith("/api/"):
        return _api_error(application_error_from_django(exception) or ApplicationError(_("Bad request."), code="bad_request"))
    return defaults.bad_request(request, exception)


def _api_error(error: ApplicationError) -> JsonResponse:
    return JsonResponse(error.as_dict(), status=error.status)
