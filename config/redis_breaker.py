"""A circuit breaker for Redis on the request path: after one failure, skip Redis for a few seconds.

Short timeouts alone are not enough. A comment touches Redis five times (the API throttle's read and
write, the rate-limit pipeline, the outbox and campaign sweep flags), and a frozen Redis that answers
nothing makes each of them wait out its timeout: 0.25 s five times over, so 2 comments a second instead
of a hundred. The first failure opens the breaker of this process; until it closes, every Redis call
fails at once (a cache miss, a limit not counted, a task left for the periodic sweep), then one call is
let through to see whether Redis is back.

`BreakerClient` is django-redis's client behind the breaker (CACHES OPTIONS CLIENT_CLASS). The rate
limits' pipeline and task publishing ask `breakers` directly.
"""
from __future__ import annotations

import functools
import threading
import time

from django_redis.client import DefaultClient
from django_redis.exceptions import ConnectionInterrupted

OPEN_SECONDS = 5.0


class BreakerOpen(ConnectionError):
    """Redis failed moments ago; not tried again yet."""


class Breaker:
    """Open for `seconds` after a failure; then half-open: the next call tries, and opens it again if it fails."""

    def __init__(self, name: str, seconds: float = OPEN_SECONDS):
        self.name = name
        self.seconds = seconds
        self._open_until = 0.0
        self._lock = threading.Lock()

    def is_open(self) -> bool:
        return time.monotonic() < self._open_until

    def trip(self) -> None:
        with self._lock:
            self._open_until = time.monotonic() + self.seconds

    def reset(self) -> None:
        with self._lock:
            self._open_until = 0.0


# One per use of Redis, per process: the cache (and the limits counted in it), and the Celery broker.
breakers = {"cache": Breaker("cache"), "broker": Breaker("broker")}


class BreakerClient(DefaultClient):
    """django-redis's DefaultClient that fails at once while the cache breaker is open, and opens it on a failure."""

    def get_client(self, write: bool = True, tried=None):
        _refuse_while_open()
        return super().get_client(write=write, tried=tried)

    def get_client_with_index(self, write: bool = True, tried=None):
        _refuse_while_open()  # what `set` (and so `add`) asks for instead of get_client
        return super().get_client_with_index(write=write, tried=tried)


def _refuse_while_open() -> None:
    if breakers["cache"].is_open():
        try:
            raise BreakerOpen(f"Redis failed less than {breakers['cache'].seconds:.0f} s ago")
        except BreakerOpen as error:
            raise ConnectionInterrupted(connection=None) from error


def _tripping(method):
    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except ConnectionInterrupted as error:
            if not isinstance(error.__cause__, BreakerOpen):
                breakers["cache"].trip()
            raise

    return call


_NOT_COMMANDS = {"get_next_client_index", "get_client", "get_client_with_index", "connect", "disconnect", "close",
                 "do_close_clients", "decode", "encode", "make_key", "make_pattern"}
for _name, _method in list(vars(DefaultClient).items()):
    if callable(_method) and not _name.startswith("_") and _name not in _NOT_COMMANDS:
        setattr(BreakerClient, _name, _tripping(_method))
