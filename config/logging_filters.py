"""Logging that stays readable when a service is down: one line per interval, not a traceback per request.

With Redis dead, every request that touches the cache or queues a task logs the same failure; at a few
hundred requests a second that was megabytes of tracebacks in seconds. `OncePerInterval` lets the first
record of each kind through in every interval, without its traceback, and says how many it held back.
"""
from __future__ import annotations

import logging
import threading
import time


class OncePerInterval(logging.Filter):
    """Pass one record per (logger, message template) every `seconds`; drop the rest, counting them."""

    def __init__(self, seconds: float = 60.0):
        super().__init__()
        self.seconds = float(seconds)
        self._lock = threading.Lock()
        self._last: dict[tuple[str, str], float] = {}
        self._held: dict[tuple[str, str], int] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        key = (record.name, str(record.msg))
        now = time.monotonic()
        with self._lock:
            last = self._last.get(key)
            if last is not None and now - last < self.seconds:
                self._held[key] = self._held.get(key, 0) + 1
                return False
            self._last[key] = now
            held = self._held.pop(key, 0)
        if record.exc_info and record.exc_info[1] is not None:
            record.msg = f"{record.msg} ({type(record.exc_info[1]).__name__}: {record.exc_info[1]})"
        record.exc_info, record.exc_text = None, None
        if held:
            record.msg = f"{record.msg} [{held} more like this in the last {self.seconds:.0f} s]"
        return True
