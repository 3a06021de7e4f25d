"""Turns every API error into {"message", "code", "fields"} with the right status."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler, set_rollback

from config.errors import ApplicationError


def application_exception_handler(exc, context):
    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response(exc.as_dict(), status=exc.status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response
    if isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(_django_validation_detail(exc))
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound()
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied()

    response = exception_handler(exc, context)
    if response is None:
        return None
    response.data = _shape(exc, response.data)
    return response


def _django_validation_detail(exc: DjangoValidationError):
    if hasattr(exc, "error_dict"):
        return exc.message_dict
    return {"non_field_errors": exc.messages}


def _shape(exc: exceptions.APIException, data) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {"non_field_errors": data}
        first = next(iter(fields.values()), ["Invalid input."])
        message = first[0] if isinstance(first, list) and first else str(first)
        return {"message": str(message), "code": "invalid", "fields": fields}
    detail = data.get("detail", "") if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or exc.default_code
    if exc.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        code = "throttled"
    return {"message": str(detail), "code": code, "fields": {}}
