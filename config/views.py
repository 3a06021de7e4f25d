"""The site's last-resort error view (handler500), for what no middleware saw: a database out of reach
is a 503 with Retry-After (JSON under /api/), anything else Django's 500 (JSON under /api/)."""
from __future__ import annotations

import sys

from django.http import JsonResponse
from django.views import defaults

from config.api.exception_handlers import DATABASE_UNREACHABLE, database_unreachable
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
