"""Abuse limits on commenting, reporting and endorsing, per account and per IP address (django-ratelimit).

The IP address is used only as a cache key for the current window; it is never stored with
anything. When the cache (Redis) is down, limits fail open: a comment is never refused
because Redis is unavailable.
"""
from __future__ import annotations

import hashlib

from django.conf import settings
from django.utils.translation import ngettext
from django_ratelimit.core import get_usage

from config.errors import ApplicationError


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, retry_after)


def rate_limit_hit(*, action: str, user_id: int | None, ip: str | None) -> None:
    """Count one `action` for the account and the IP address; raise RateLimited past either limit."""
    rates = settings.COMMENT_RATE_LIMITS[action]
    keys = [("user", str(user_id), rates["user"])] if user_id else []
    if ip:
        keys.append(("ip", hashlib.sha256(ip.encode()).hexdigest()[:32], rates["ip"]))
    for kind, value, rate in keys:
        usage = get_usage(None, group=f"{action}:{kind}", key=lambda _group, _request, v=value: v, rate=rate, increment=True)
        if usage and usage["should_limit"]:
            raise RateLimited(
                ngettext(
                    "Too many attempts; try again in %(seconds)d second.",
                    "Too many attempts; try again in %(seconds)d seconds.",
                    max(1, usage["time_left"]),
                ) % {"seconds": max(1, usage["time_left"])},
                retry_after=usage["time_left"],
            )


def client_ip(request) -> str | None:
    """The client's address for per-IP limits, trusting TRUSTED_PROXY_COUNT hops of X-Forwarded-For."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
