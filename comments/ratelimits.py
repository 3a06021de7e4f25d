"""Abuse limits on commenting, reporting and endorsing, per account and per IP address.

Fixed windows counted in the cache: a window of `period` seconds starts at each multiple of the
period, and a key counts the attempts inside it. With Redis (production, tests) both counters of a
call are counted in one round trip (a pipeline), because commenting is the hottest write; other
caches (the development server's local memory) use Django's cache API.

The IP address is used only, hashed, as a cache key for the current window; it is never stored with
anything. When the cache is down, limits fail open: a comment is never refused because Redis is
unavailable.
"""
from __future__ import annotations

import hashlib
import logging
import re
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.utils.translation import ngettext
from django_redis.cache import RedisCache

from config.errors import ApplicationError
from config.redis_breaker import breakers

logger = logging.getLogger(__name__)

PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
RATE_PATTERN = re.compile(r"^(\d+)/(\d*)([smhd])$")


class RateLimited(ApplicationError):
    code = "rate_limited"
    status = 429

    def __init__(self, message: str, *, retry_after: int):
        super().__init__(message)
        self.retry_after = max(1, retry_after)


@dataclass(frozen=True)
class Limit:
    key: str  # the cache key of the current window
    allowed: int
    period: int  # seconds
    seconds_left: int  # until the window ends


def rate_parse(rate: str) -> tuple[int, int]:
    """"30/h" -> (30, 3600); "5/10m" -> (5, 600)."""
    match = RATE_PATTERN.match(rate.strip())
    if match is None:
        raise ValueError(f"rate {rate!r}: expected COUNT/PERIOD such as 30/h or 5/10m")
    count, multiple, unit = match.groups()
    return int(count), int(multiple or 1) * PERIODS[unit]


def rate_limit_hit(*, action: str, user_id: int | None, ip: str | None) -> None:
    """Count one `action` for the account, then for the IP address; raise RateLimited past either limit.

    The address is counted only for attempts the account's own limit lets through: an account refused
    for its own excess uses up nothing of its address's budget, so one account cannot shut out an office
    or a carrier's NAT that shares the address; it spends at most its own limit of it.
    """
    rates = settings.COMMENT_RATE_LIMITS[action]
    now = _now()
    if user_id:
        _limit_check(_limit(f"{action}:user:{user_id}", rates["user"], now))
    if ip:
        _limit_check(_limit(f"{action}:ip:{hashlib.sha256(ip.encode()).hexdigest()[:32]}", rates["ip"], now))


def _limit_check(limit: Limit) -> None:
    (count,) = _counts_increment([limit])
    if count is not None and count > limit.allowed:
        raise RateLimited(
            ngettext(
                "Too many attempts; try again in %(seconds)d second.",
                "Too many attempts; try again in %(seconds)d seconds.",
                limit.seconds_left,
            ) % {"seconds": limit.seconds_left},
            retry_after=limit.seconds_left,
        )


def _now() -> int:
    return int(time.time())


def _limit(subject: str, rate: str, now: int) -> Limit:
    allowed, period = rate_parse(rate)
    window = now // period
    return Limit(key=f"rl:{subject}:{period}:{window}", allowed=allowed, period=period, seconds_left=max(1, (window + 1) * period - now))


def _counts_increment(limits: list[Limit]) -> list[int | None]:
    """Add one to each counter; its new value, or None when the cache could not be reached (fail open)."""
    if not limits:
        return []
    try:
        if isinstance(caches["default"], RedisCache):
            return _counts_increment_redis(limits)
        return [_count_increment_cache(limit) for limit in limits]
    except Exception:  # the cache being down must never refuse a comment
        breakers["cache"].trip()
        logger.warning("Rate limits not counted: the cache is unavailable", exc_info=True)
        return [None] * len(limits)


def _counts_increment_redis(limits: list[Limit]) -> list[int]:
    pipeline = cache.client.get_client(write=True).pipeline(transaction=False)
    for limit in limits:
        key = cache.make_key(limit.key)  # the cache's KEY_PREFIX and version apply here too
        pipeline.set(key, 0, ex=limit.period + 1, nx=True)
        pipeline.incr(key)
    results = pipeline.execute()
    return [int(count) for count in results[1::2]]


def _count_increment_cache(limit: Limit) -> int | None:
    if cache.add(limit.key, 1, timeout=limit.period + 1):
        return 1
    try:
        return cache.incr(limit.key)
    except ValueError:  # expired between the two calls: this attempt opens a new window
        cache.add(limit.key, 1, timeout=limit.period + 1)
        return 1


def client_ip(request) -> str | None:
    """The client's address for per-IP limits, trusting TRUSTED_PROXY_COUNT hops of X-Forwarded-For."""
    hops = settings.TRUSTED_PROXY_COUNT
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
    if hops and len(forwarded) >= hops:
        return forwarded[-hops]
    return request.META.get("REMOTE_ADDR")
