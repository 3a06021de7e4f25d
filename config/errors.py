"""The one error vocabulary of the platform.

Services raise these; the API exception handler and the HTML views turn them into
a response with the same message, a stable machine-readable `code` and, where the
error is about particular input fields, `fields`. Raising one inside a service's
`transaction.atomic` block rolls the whole service back: nothing is half-saved.
"""
from __future__ import annotations


class ApplicationError(Exception):
    code = "invalid"
    status = 400

    def __init__(self, message: str, *, fields: dict[str, list[str]] | None = None, code: str | None = None):
        super().__init__(message)
        self.message = message
        self.fields = fields or {}
        if code:
            self.code = code

    def as_dict(self) -> dict:
        return {"message": self.message, "code": self.code, "fields": self.fields}


class NotFound(ApplicationError):
    code = "not_found"
    status = 404


class PermissionDenied(ApplicationError):
    code = "permission_denied"
    status = 403


class RequestTooLarge(ApplicationError):
    """A request body over DATA_UPLOAD_MAX_MEMORY_SIZE: refused before it is read further."""

    code = "too_large"
    status = 413


class ServiceUnavailable(ApplicationError):
    """A service the request needs (the database) cannot be reached: nothing was done, try again shortly."""

    code = "service_unavailable"
    status = 503
    retry_after = 30


class InvalidState(ApplicationError):
    """The object exists but is not in a state that allows the action (e.g. editing a published version)."""

    code = "invalid_state"
    status = 409
