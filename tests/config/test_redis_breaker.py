"""A frozen Redis costs one timeout, not one per call (issue 13, point 8): the breaker of config.redis_breaker,
against a real redis-server on a spare port that the test stops with SIGSTOP and starts again with SIGCONT."""
from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import time

import pytest
from django.core.cache import caches

from comments.ratelimits import rate_limit_hit
from config.redis_breaker import breakers

pytestmark = pytest.mark.skipif(not shutil.which("redis-server"), reason="redis-server is not installed")


@pytest.fixture
def own_redis():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            time.sleep(0.05)
    yield server, port
    os.kill(server.pid, signal.SIGCONT)
    server.terminate()
    server.wait(timeout=10)


@pytest.fixture
def cache_on(settings, own_redis):
    from config.settings.base import REDIS_CACHE_OPTIONS

    server, port = own_redis
    settings.CACHES = {"default": {"BACKEND": "django_redis.cache.RedisCache", "LOCATION": f"redis://127.0.0.1:{port}/0",
                                   "OPTIONS": REDIS_CACHE_OPTIONS}}
    return server


def test_a_frozen_redis_costs_one_timeout_then_calls_fail_at_once_until_it_answers_again(cache_on, monkeypatch):
    cache = caches["default"]
    cache.set("greeting", "hello")
    os.kill(cache_on.pid, signal.SIGSTOP)
    started = time.monotonic()
    answers = [cache.get("greeting") for _call in range(40)]
    for number in range(20):  # set and add ask django-redis for a client another way than get does
        cache.set(f"key{number}", number)
        cache.add(f"flag{number}", True)
    for _call in range(20):
        rate_limit_hit(action="comment", user_id=7, ip="198.51.100.4")  # fails open, counts nothing
    elapsed = time.monotonic() - started
    assert answers == [None] * 40
    assert elapsed < 1.5, f"100 calls took {elapsed:.2f} s: each waited for the frozen Redis"  # 100 timeouts would be 25 s
    assert breakers["cache"].is_open()
    os.kill(cache_on.pid, signal.SIGCONT)
    monkeypatch.setattr(breakers["cache"], "_open_until", 0.0)  # the few seconds have passed
    assert cache.get("greeting") == "hello" and not breakers["cache"].is_open()


def test_a_working_redis_never_opens_the_breaker(cache_on):
    cache = caches["default"]
    for number in range(50):
        cache.set(f"key{number}", number)
    assert [cache.get(f"key{number}") for number in range(50)] == list(range(50))
    assert not breakers["cache"].is_open()
