"""Settings shared by every environment; each value that differs comes from the environment."""
from pathlib import Path

import environ
from celery.schedules import crontab
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("DJANGO_SECRET_KEY", default="insecure-local-key-never-used-in-production")
DEBUG = env.bool("DJANGO_DEBUG", default=False)
ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "testserver"])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "rest_framework",
    "django_filters",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "allauth",
    "allauth.account",
    "drafts",
    "consult",
    "comments",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "csp.middleware.CSPMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "config.middleware.ApplicationErrorMiddleware",
]

# Content-Security-Policy (django-csp), everywhere, development and tests included so that the browser tests
# run under it: scripts only from the site's own files, never inline (the pages' data goes in JSON blocks);
# inline style attributes are allowed (the admin and a few progress bars use them), nothing is framed.
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'", "'unsafe-inline'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "worker-src": ["'self'", "blob:"],  # the API reference (ReDoc) renders in a worker
        "object-src": ["'none'"],
        "base-uri": ["'self'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]



def database_from_environment(**default) -> dict:
    """DATABASE_URL, connections kept for a minute, and on PostgreSQL parameters bound by the server.

    Server-side binding lets psycopg prepare the statements a connection runs often: the comment
    submission's two statements are then planned once per connection instead of on every request
    (planning was most of their cost). Set DATABASE_SERVER_SIDE_BINDING=false behind a connection
    pooler in transaction mode that cannot keep prepared statements.
    """
    database = env.db("DATABASE_URL", **default)
    database["CONN_MAX_AGE"] = env.int("DATABASE_CONN_MAX_AGE", default=60)
    # A kept connection is checked before a request uses it, so a restarted PostgreSQL costs no failed request.
    database["CONN_HEALTH_CHECKS"] = True
    if database["ENGINE"] == "django.db.backends.postgresql" and env.bool("DATABASE_SERVER_SIDE_BINDING", default=True):
        # psycopg prepares a statement on its fifth run on a connection (Django turns this off by default).
        database.setdefault("OPTIONS", {}).update(server_side_binding=True, prepare_threshold=5)
    return database


DATABASES = {"default": database_from_environment(default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
LOGIN_REDIRECT_URL = "/"
LOGIN_URL = "account_login"

# Accounts (django-allauth): e-mail is the login and must be verified before commenting;
# the public only ever sees the participant's display name.
ACCOUNT_LOGIN_METHODS = {"email", "username"}  # the demo's accounts sign in by name (admin / admin)
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_SIGNUP_FORM_CLASS = "consult.forms.ParticipantSignupForm"
ACCOUNT_FORMS = {"login": "consult.account_forms.UsernameOrEmailLoginForm"}
ACCOUNT_EMAIL_SUBJECT_PREFIX = ""
ACCOUNT_USER_DISPLAY = "consult.selectors.participant_display_name"
# Behind a reverse proxy, how many X-Forwarded-For hops to trust when counting "per IP" limits.
TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
ALLAUTH_TRUSTED_PROXY_COUNT = TRUSTED_PROXY_COUNT
# Brute force and sign-up floods are limited by allauth itself: past "login_failed" the login form
# refuses even a right password for that account or address; "login" and "signup" answer 429.
ACCOUNT_RATE_LIMITS = {
    "login": env("RATE_LOGIN", default="30/m/ip"),
    "login_failed": env("RATE_LOGIN_FAILED", default="5/5m/ip,5/5m/key"),
    "signup": env("RATE_SIGNUP", default="20/h/ip"),
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
}
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="consultation@localhost")
# The site's address as readers reach it, for the links in e-mails (sent by workers, outside any request).
SITE_URL = env("SITE_URL", default="http://localhost:8000")

# Per account and per IP address, counted in the cache (comments.ratelimits).
COMMENT_RATE_LIMITS = {
    "comment": {"user": env("RATE_COMMENT_USER", default="30/h"), "ip": env("RATE_COMMENT_IP", default="300/h")},
    "report": {"user": env("RATE_REPORT_USER", default="30/h"), "ip": env("RATE_REPORT_IP", default="100/h")},
    "endorse": {"user": env("RATE_ENDORSE_USER", default="300/h"), "ip": env("RATE_ENDORSE_IP", default="1000/h")},
}
# The comment window: an author may correct a comment this long after sending it, unless moderated.
COMMENT_EDIT_WINDOW_SECONDS = 15 * 60
# How long the anonymous rendering of a published version's reader page is kept (comments.page_cache); 0 turns the
# cache off. Its key holds the live counts, so a new comment is shown at once whatever this is.
READER_CACHE_SECONDS = env.int("READER_CACHE_SECONDS", default=10 * 60)
# E-mail that fails is tried again after 1, 2, 4, 8 … times this delay, then marked failed (comments.notifications).
OUTBOX_MAX_ATTEMPTS = env.int("OUTBOX_MAX_ATTEMPTS", default=6)
OUTBOX_RETRY_DELAY_SECONDS = env.float("OUTBOX_RETRY_DELAY_SECONDS", default=60)

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The interface ships in the three languages of the reference case; document texts
# carry their own languages (drafts.ProvisionText.language), independent of these.
LANGUAGE_CODE = "en"
LANGUAGES = [("kk", _("Kazakh")), ("ru", _("Russian")), ("en", _("English"))]
LOCALE_PATHS = [
    BASE_DIR / "locale",
    BASE_DIR / "locale_allauth",  # allauth has no Kazakh catalogue; kept apart so that makemessages does not drop it
]
TIME_ZONE = env("DJANGO_TIME_ZONE", default="Asia/Almaty")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}
MEDIA_ROOT = BASE_DIR / "media"
MEDIA_URL = "/media/"

# Uploaded drafts are parsed in memory; a national constitution in .docx is a few MB at most.
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
DRAFT_UPLOAD_MAX_BYTES = env.int("DRAFT_UPLOAD_MAX_BYTES", default=10 * 1024 * 1024)

REDIS_URL = env("REDIS_URL", default="redis://127.0.0.1:6379/0")

CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

CELERY_BROKER_URL = env("CELERY_BROKER_URL", default=REDIS_URL)
CELERY_RESULT_BACKEND = env("CELERY_RESULT_BACKEND", default=REDIS_URL)
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = 30 * 60
CELERY_TASK_SOFT_TIME_LIMIT = 25 * 60
CELERY_TASK_TRACK_STARTED = True
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
# Publishing a task must never hang a request when Redis is down (the outbox catches up later).
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "socket_connect_timeout": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
    "socket_timeout": env.float("BROKER_TIMEOUT", default=0.5),
    "max_retries": 0,
}
# Beat reads crontab hours in the site's time zone (Celery's default would be UTC).
CELERY_TIMEZONE = TIME_ZONE
# The daily digest of the previous local day is asked for at this hour and minute (local time) and e-mailed to each
# commission member once it is built; comment phases closed without a version report are looked for every few minutes
# (closed within the last DIGEST_VERSION_REPORT_WINDOW_DAYS).
DIGEST_DAILY_HOUR = env.int("DIGEST_DAILY_HOUR", default=6)
DIGEST_DAILY_MINUTE = env.int("DIGEST_DAILY_MINUTE", default=0)
DIGEST_VERSION_REPORT_SCAN_SECONDS = env.int("DIGEST_VERSION_REPORT_SCAN_SECONDS", default=5 * 60)
DIGEST_VERSION_REPORT_WINDOW_DAYS = env.int("DIGEST_VERSION_REPORT_WINDOW_DAYS", default=30)
CELERY_BEAT_SCHEDULE = {
    "digests-daily": {
        "task": "comments.tasks.digests_daily_request", "schedule": crontab(hour=DIGEST_DAILY_HOUR, minute=DIGEST_DAILY_MINUTE),
    },
    "digests-version-reports": {"task": "comments.tasks.digests_version_reports_due", "schedule": float(DIGEST_VERSION_REPORT_SCAN_SECONDS)},
    "outbox-sweep": {"task": "comments.tasks.outbox_sweep", "schedule": 60.0},
    "campaigns-sweep": {"task": "comments.tasks.campaigns_sweep", "schedule": 60.0},
    "background-jobs-sweep": {"task": "config.jobs.background_jobs_sweep", "schedule": 60.0},
}
# A running background job (config/jobs.py: an alignment, a digest) whose worker gave no sign of life
# for this long is taken over by the next worker: its worker died (killed, out of memory, over its time
# limit). Well above the longest gap between two progress reports; a live job heartbeats every quarter of it.
BACKGROUND_JOB_STALE_SECONDS = env.int("BACKGROUND_JOB_STALE_SECONDS", default=5 * 60)

REST_FRAMEWORK = {
    "DEFAULT_SCHEMA_CLASS": "config.api.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": ["django_filters.rest_framework.DjangoFilterBackend"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.IsAuthenticatedOrReadOnly"],
    # The session only (with CSRF for writes), signed in through allauth's form and its lockout: HTTP Basic
    # checked a password on every request, outside the lockout, at ~2 s of CPU per attempt (issue 13).
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    # Anonymous use is limited per IP address, signed-in use per account (counted in the cache).
    "DEFAULT_THROTTLE_CLASSES": ["config.api.throttles.AnonThrottle", "config.api.throttles.UserThrottle"],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("RATE_API_ANON", default="300/min"),
        "user": env("RATE_API_USER", default="1200/min"),
        # A whole consultation streamed as CSV or JSON lines: a few per hour and address.
        "export": env("RATE_API_EXPORT", default="30/h"),
    },
    # Which address is the client's: without a proxy REMOTE_ADDR, never a spoofable X-Forwarded-For.
    "NUM_PROXIES": TRUSTED_PROXY_COUNT,
    # JSON with a size limit and a depth limit (a body nested 1,000 deep was a 500); forms as DRF's defaults.
    "DEFAULT_PARSER_CLASSES": [
        "config.api.parsers.LimitedJSONParser",
        "rest_framework.parsers.FormParser",
        "rest_framework.parsers.MultiPartParser",
    ],
    "DEFAULT_PAGINATION_CLASS": "config.api.pagination.DefaultPagination",
    "PAGE_SIZE": 50,
    "EXCEPTION_HANDLER": "config.api.exception_handlers.application_exception_handler",
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
}

SPECTACULAR_SETTINGS = {
    "TITLE": "Public consultation API",
    "DESCRIPTION": (
        "Open data of the public consultation: consultations, documents, draft versions "
        "and their provisions. Reading is public; importing and publishing drafts is for admins."
    ),
    "VERSION": "1.0.0",
    "SERVE_INCLUDE_SCHEMA": False,
    # Served from the sidecar package: the platform must work on a closed network.
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "COMPONENT_SPLIT_REQUEST": True,
    # One name per choice set used by several fields (a concern's status, and an event's from and to).
    "ENUM_NAME_OVERRIDES": {
        "ConcernStatusEnum": "comments.concerns.models.ConcernStatus",
        "CommentStatusEnum": "comments.models.CommentStatus",
        "VersionStatusEnum": "config.api.enums.VersionStatus",
        "ReceiptKindEnum": "config.api.enums.ReceiptKind",
        "ReportStatusEnum": "config.api.enums.ReportStatus",
        "ChangeKindEnum": "config.api.enums.ChangeKind",
        "ComparisonStatusEnum": "drafts.apis.COMPARISON_STATUSES",
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # A dead Redis is logged once a minute by what meets it on the request path (the cache, task queueing).
    "filters": {"once_per_minute": {"()": "config.logging_filters.OncePerInterval", "seconds": 60}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env("DJANGO_LOG_LEVEL", default="INFO")},
    "loggers": {
        # WeasyPrint logs each page it lays out at INFO ("Step 5 - Creating layout - Page 12"): not worth a worker's log.
        "weasyprint.progress": {"level": "WARNING"},
        "django_redis.cache": {"filters": ["once_per_minute"]},
        "config.tasks": {"filters": ["once_per_minute"]},
        "comments.ratelimits": {"filters": ["once_per_minute"]},
    },
}
# Redis as the cache, wherever it is one (production, tests): a Redis down or frozen costs a request at most
# a few short waits, then cache misses (IGNORE_EXCEPTIONS), logged once a minute, never an error.
REDIS_CACHE_OPTIONS = {
    # django-redis's client behind a circuit breaker: after a failure, Redis is skipped for a few seconds.
    "CLIENT_CLASS": "config.redis_breaker.BreakerClient",
    "IGNORE_EXCEPTIONS": True,
    "SOCKET_CONNECT_TIMEOUT": env.float("REDIS_CONNECT_TIMEOUT", default=0.25),
    "SOCKET_TIMEOUT": env.float("REDIS_TIMEOUT", default=0.25),
}
DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS = True
DJANGO_REDIS_LOGGER = "django_redis.cache"

# Digest reports (comments/digests): each query of a report is bounded, and so is the worker's task.
DIGEST_STATEMENT_TIMEOUT_MS = env.int("DIGEST_STATEMENT_TIMEOUT_MS", default=5 * 60 * 1000)
DIGEST_TASK_SOFT_TIME_LIMIT = env.int("DIGEST_TASK_SOFT_TIME_LIMIT", default=10 * 60)
DIGEST_TASK_TIME_LIMIT = env.int("DIGEST_TASK_TIME_LIMIT", default=12 * 60)
