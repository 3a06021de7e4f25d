"""Production: every secret from the environment, PostgreSQL, Redis as broker and cache."""
from .base import *  # noqa: F401,F403
from .base import REDIS_CACHE_OPTIONS, REDIS_URL, database_from_environment, env

SECRET_KEY = env("DJANGO_SECRET_KEY")
DEBUG = False
DATABASES = {"default": database_from_environment()}
CACHES = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": env("CACHE_URL", default=REDIS_URL),
        "OPTIONS": REDIS_CACHE_OPTIONS,
    }
}
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="smtp://localhost:25")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="consultation@localhost")
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# HTTPS only, by default: HSTS for a year, plain HTTP redirected, cookies never sent in clear. A local run of
# the production settings over plain HTTP turns all of it off with DJANGO_HTTPS=false, and only so.
HTTPS = env.bool("DJANGO_HTTPS", default=True)
SECURE_SSL_REDIRECT = HTTPS
SECURE_HSTS_SECONDS = env.int("DJANGO_HSTS_SECONDS", default=365 * 24 * 3600) if HTTPS else 0
SECURE_HSTS_INCLUDE_SUBDOMAINS = HTTPS
SECURE_HSTS_PRELOAD = HTTPS and env.bool("DJANGO_HSTS_PRELOAD", default=True)
SESSION_COOKIE_SECURE = HTTPS
CSRF_COOKIE_SECURE = HTTPS
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
