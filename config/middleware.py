"""Turns the platform's ApplicationError into an HTML error page for the server-rendered views.

The API has its own handler (config.api.exception_handlers); this one covers everything else,
so that a service error never surfaces as a 500.
"""
from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

from config.errors import ApplicationError


class ApplicationErrorMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, ApplicationError):
            return None
        if request.path.startswith("/api/"):
            response = JsonResponse(exception.as_dict(), status=exception.status)
        else:
            response = render(request, "error.html", {"error": exception}, status=exception.status)
        if getattr(exception, "retry_after", None):
            response["Retry-After"] = str(exception.retry_after)
        return response
