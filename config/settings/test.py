"""`make test`: the real services (PostgreSQL, Redis, a Celery worker), fast password hashing.

The services are the ones the environment names, and a developer and CI may share them: a run
touches only what is its own. Its database is DATABASE_URL's (pytest-django creates test_<name>);
its cache keys carry a prefix of its own and its Celery tasks go through a queue of its own, both
named after TEST_RUN_TOKEN, so that clearing the cache between tests or purging the queue never
deletes another run's keys or consumes another run's messages.
"""
import os
import secrets

from .base import *  # noqa: F401,F403
from .base import REDIS_CACHE_OPTIONS, REDIS_URL, database_from_environment, env

# One token per run, put in the environment so that the Celery workers a test starts in processes of
# their own (tests/drafts/test_tasks.py) read the same settings and so consume the run's queue. Under
# pytest-xdist every worker process is a run of its own.
TEST_RUN_TOKEN = os.environ.setdefault("TEST_RUN_TOKEN", secrets.token_hex(4)) + os.environ.get("PYTEST_XDIST_WORKER", "")

DATABASES = {"default": database_from_environment(default="postgres://postgres@127.0.0.1:5432/consult")}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # threads of the tests (live server, Celery worker) must not keep connections

# CACHE_URL as django-environ reads it (redis://host:6379/2, locmemcache://), by default REDIS_URL's
# database, as in production: the run's keys are told apart by their prefix, not by a database of their own.
CACHES = {"default": env.cache_url("CACHE_URL", default=REDIS_URL)}
CACHES["default"]["KEY_PREFIX"] = ":".join(filter(None, [CACHES["default"].get("KEY_PREFIX"), f"test-{TEST_RUN_TOKEN}"]))
if CACHES["default"]["BACKEND"] == "django_redis.cache.RedisCache":
    # The suite shares two cores with browsers and servers: a Redis call may wait longer than in production
    # without Redis being down, and a breaker opened by such a wait would let limits the tests check go uncounted.
    CACHES["default"]["OPTIONS"] = {
        **REDIS_CACHE_OPTIONS, "SOCKET_TIMEOUT": 2, "SOCKET_CONNECT_TIMEOUT": 2, **CACHES["default"].get("OPTIONS", {}),
    }

# The worker started by the `celery_worker` fixture consumes this queue (the app's default); a worker
# started in a process of its own must be given it too (`celery worker -Q <it>`, or the inherited
# TEST_RUN_TOKEN). The exchange and routing key follow the queue's name.
CELERY_TASK_DEFAULT_QUEUE = f"test-{TEST_RUN_TOKEN}"
CELERY_TASK_ALWAYS_EAGER = False

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}

# The suite and the benchmarks call the API far faster than a person; tests of the limits set their own rates.
REST_FRAMEWORK = {
    **REST_FRAMEWORK,  # noqa: F405
    "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min", "export": "100000/min"},
}
