"""Settings of the server under benchmark: production, plus the baseline view's URL.

Everything else (database, Redis, secret key, rate limits) comes from the environment that
bench/comment_submission.py gives gunicorn, exactly as in production.
"""
import json
import os

from config.settings.production import *  # noqa: F401,F403

ROOT_URLCONF = "bench.urls"

# provision id -> [consultation id, version id, lineage id], prepared before the server starts so that
# the baseline view does nothing but its one INSERT.
BENCH_BASELINE_PROVISIONS = {int(k): v for k, v in json.loads(os.environ.get("BENCH_BASELINE_PROVISIONS", "{}")).items()}

# The reading benchmark renders pages in its own process without running collectstatic first: static
# file names are then served unhashed (what it measures is the comments, not a manifest lookup).
if os.environ.get("BENCH_STATIC_UNHASHED"):
    STORAGES = {**STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}  # noqa: F405
