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
SESSION_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_COOKIE_SECURE = env.bool("DJANGO_SECURE_COOKIES", default=True)
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])
