"""`make test`: the real services (PostgreSQL, Redis, a Celery worker), fast password hashing."""
from .base import *  # noqa: F401,F403
from .base import REDIS_URL, database_from_environment, env

DATABASES = {"default": database_from_environment(default="postgres://postgres@127.0.0.1:5432/consult")}
DATABASES["default"]["CONN_MAX_AGE"] = 0  # threads of the tests (live server, Celery worker) must not keep connections
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL.rsplit("/", 1)[0] + "/1"),
        "OPTIONS": {
            "CLIENT_CLASS": "django_redis.client.DefaultClient",
            # Redis down must delay, never refuse: cache misses instead of errors, and no long waits.
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 1,
            "SOCKET_TIMEOUT": 1,
        },
    }
}
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
CELERY_TASK_ALWAYS_EAGER = False
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
