"""A service that is down is logged once per interval, without a traceback per request (issue 13, point 8)."""
from __future__ import annotations

import logging
import time

from config.logging_filters import OncePerInterval


def _records(logger_name: str, count: int, *, exc: bool) -> list[logging.LogRecord]:
    records = []
    for _number in range(count):
        try:
            raise ConnectionError("Error 111 connecting to 127.0.0.1:6379")
        except ConnectionError:
            import sys

            records.append(logging.LogRecord(logger_name, logging.WARNING, __file__, 1, "Could not queue %s", ("x",), sys.exc_info() if exc else None))
    return records


def test_one_line_per_interval_without_traceback_then_a_count_of_the_rest(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(time, "monotonic", lambda: clock[0])
    once = OncePerInterval(seconds=60)
    records = _records("config.tasks", 500, exc=True)
    passed = [record for record in records if once.filter(record)]
    assert len(passed) == 1 and passed[0].exc_info is None
    assert "ConnectionError: Error 111" in passed[0].getMessage()
    clock[0] += 61
    later = _records("config.tasks", 1, exc=True)[0]
    assert once.filter(later) and "[499 more like this in the last 60 s]" in later.getMessage()


def test_other_messages_and_loggers_pass_on_their_own(monkeypatch):
    once = OncePerInterval(seconds=60)
    first = _records("config.tasks", 1, exc=False)[0]
    other_logger = _records("django_redis.cache", 1, exc=False)[0]
    assert once.filter(first) and once.filter(other_logger)
