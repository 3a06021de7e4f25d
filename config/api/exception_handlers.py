"""Turns every API error into {"message", "code", "fields"} with the right status, and rolls back.

The platform's ApplicationError gives its own status and code. Django's own exceptions are put in the
same vocabulary first (`application_error_from_django`, which the HTML middleware uses too): a
ValidationError is a 400 "invalid" with its fields, Http404 a 404 "not_found", PermissionDenied a 403
"permission_denied", a body over the size limit a 413 "too_large". DRF's exceptions keep their status
and code. Every handled error marks the request's transaction for rollback (under ATOMIC_REQUESTS), as
DRF's own handler does; anything else is not handled here and becomes a 500.
"""
from __future__ import annotations

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import InterfaceError, OperationalError
from django.utils.translation import gettext as _
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

from config.api.parsers import request_too_large
from config.errors import ApplicationError, NotFound, PermissionDenied, ServiceUnavailable

# The database restarting or out of reach: a connection refused, lost mid-request, or closed under us.
DATABASE_UNREACHABLE = (OperationalError, InterfaceError)


def application_exception_handler(exc, context):
    exc = application_error_from_django(exc) or exc
    if isinstance(exc, ApplicationError):
        set_rollback()
        response = Response(exc.as_dict(), status=exc.status)
        if getattr(exc, "retry_after", None):
            response["Retry-After"] = str(exc.retry_after)
        return response

    response = exception_handler(exc, context)  # DRF's own exceptions; None for the rest (a 500)
    if response is None:
        return None
    response.data = _shape(exc, response.data)
    return response


def application_error_from_django(exc: Exception) -> ApplicationError | None:
    """Django's ValidationError, Http404 and PermissionDenied as an ApplicationError; None for anything else.

    Http404 always says DRF's translated "Not found." (Django's own messages name models, in English);
    PermissionDenied keeps the message it was raised with, if any.
    """
    if isinstance(exc, DjangoValidationError):
        fields = _validation_fields(exc)
        return ApplicationError(_first_message(fields) or str(exceptions.ValidationError.default_detail), fields=fields)
    if isinstance(exc, Http404):
        return NotFound(str(exceptions.NotFound.default_detail))
    if isinstance(exc, DjangoPermissionDenied):
        message = str(exc.args[0]) if exc.args and exc.args[0] else str(exceptions.PermissionDenied.default_detail)
        return PermissionDenied(message)
    if isinstance(exc, DATABASE_UNREACHABLE):
        return database_unreachable()
    if isinstance(exc, RequestDataTooBig | TooManyFieldsSent):
        return request_too_large()
    return None


def database_unreachable() -> ServiceUnavailable:
    return ServiceUnavailable(_("The service is briefly unavailable: nothing was saved. Try again in a moment."))


def _validation_fields(exc: DjangoValidationError) -> dict[str, list[str]]:
    """Its messages by field; those about no field (model.clean(), a list) under DRF's "non_field_errors"."""
    if hasattr(exc, "error_dict"):
        fields = {field: [str(message) for message in messages] for field, messages in exc.message_dict.items()}
        if NON_FIELD_ERRORS in fields:
            fields[api_settings.NON_FIELD_ERRORS_KEY] = fields.pop(NON_FIELD_ERRORS)
        return fields
    return {api_settings.NON_FIELD_ERRORS_KEY: [str(message) for message in exc.messages]}


def _first_message(errors) -> str:
    """The first message in DRF's or Django's nested errors (a nested serializer's are dicts in dicts; a list of
    them has an empty dict for each item that was right, as in {"norms": [{}, {"label": ["Too long."]}]})."""
    if isinstance(errors, dict | list):
        for value in errors.values() if isinstance(errors, dict) else errors:
            message = _first_message(value)
            if message:
                return message
        return ""
    return str(errors)


def _shape(exc: exceptions.APIException, data) -> dict:
    if isinstance(exc, exceptions.ValidationError):
        fields = data if isinstance(data, dict) else {api_settings.NON_FIELD_ERRORS_KEY: data}
        return {"message": _first_message(fields) or str(exc.default_detail), "code": "invalid", "fields": fields}
    detail = data.get("detail", "") if isinstance(data, dict) else data
    code = getattr(detail, "code", None) or exc.default_code
    if exc.status_code == status.HTTP_429_TOO_MANY_REQUESTS:
        code = "throttled"
    return {"message": str(detail), "code": code, "fields": {}}
