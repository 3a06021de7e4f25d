"""Limits on API use (DRF throttling), counted in the cache like the comment limits.

Anonymous requests are counted per client address (the one TRUSTED_PROXY_COUNT says to believe,
DRF's NUM_PROXIES), signed-in ones per account. Exports stream a whole consultation, so they have
a scope of their own, per address whoever asks. The cache ignores a Redis that is down
(django-redis IGNORE_EXCEPTIONS): then nothing is counted and the API stays up.
"""
from __future__ import annotations

from rest_framework import throttling
from rest_framework.settings import api_settings


class AnonThrottle(throttling.AnonRateThrottle):
    pass


class UserThrottle(throttling.UserRateThrottle):
    pass


class ExportThrottle(throttling.SimpleRateThrottle):
    """Exports: per client address, signed in or not."""

    scope = "export"

    def get_cache_key(self, request, view):
        return self.cache_format % {"scope": self.scope, "ident": self.get_ident(request)}


def with_export_throttle() -> list:
    """The throttles of an export view: the default ones (per address or account) and the export scope's."""
    return [*api_settings.DEFAULT_THROTTLE_CLASSES, ExportThrottle]
