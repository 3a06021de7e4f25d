"""`make test` on a machine without the services says what is missing at once instead of hanging."""
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_missing_services_are_named_and_the_run_stops_fast():
    env = {**os.environ, "DATABASE_URL": "postgres://postgres@127.0.0.1:1/consult", "REDIS_URL": "redis://127.0.0.1:2/0"}
    started = time.monotonic()
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/drafts/test_diff.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 3
    assert "PostgreSQL is not reachable at 127.0.0.1:1" in run.stdout + run.stderr
    assert "Redis is not reachable at 127.0.0.1:2" in run.stdout + run.stderr
    assert time.monotonic() - started < 30


def test_an_unreachable_cache_is_named_too():
    env = {**os.environ, "CACHE_URL": "redis://127.0.0.1:3/0"}
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/drafts/test_diff.py"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=60,
    )
    assert run.returncode == 3
    assert "Redis is not reachable at 127.0.0.1:3 (CACHE_URL)" in run.stdout + run.stderr
