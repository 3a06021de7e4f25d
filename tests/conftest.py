"""Suite-wide fixtures, and a fail-fast check that the real services are reachable."""
from __future__ import annotations

import collections
import os
import socket
from urllib.parse import urlparse

import pytest

SERVICE_HINTS = {
    "PostgreSQL": "pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start",
    "Redis": 'redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save "" --appendonly no',
}


def _reachable(url: str, default_port: int) -> tuple[str, int, bool]:
    parsed = urlparse(url)
    host, port = parsed.hostname or "127.0.0.1", parsed.port or default_port
    try:
        with socket.create_connection((host, port), timeout=2):
            return host, port, True
    except OSError:
        return host, port, False


def _settings_module(config) -> str:
    try:
        return os.environ.get("DJANGO_SETTINGS_MODULE") or str(config.getini("DJANGO_SETTINGS_MODULE"))
    except ValueError:  # pytest-django disabled (-p no:django): pure tests only
        return ""


def pytest_configure(config):
    """Stop at once, saying what is missing, rather than hang on a service that is not there."""
    if _settings_module(config).endswith(".test"):
        checks = [
            ("PostgreSQL", "DATABASE_URL", os.environ.get("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/consult"), 5432),
            ("Redis", "REDIS_URL", os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"), 6379),
        ]
        if urlparse(os.environ.get("CACHE_URL", "")).scheme.startswith("redis"):  # the cache may be another Redis than the broker
            checks.append(("Redis", "CACHE_URL", os.environ["CACHE_URL"], 6379))
        missing, seen = [], set()
        for name, variable, url, port in checks:
            host, port, ok = _reachable(url, port)
            if not ok and (host, port) not in seen:
                seen.add((host, port))
                missing.append(f"- {name} is not reachable at {host}:{port} ({variable}). Start it: {SERVICE_HINTS[name]}")
        if missing:
            pytest.exit("The test suite needs real services:\n" + "\n".join(missing), returncode=3)


@pytest.fixture
def corpora_dir():
    """The real texts in ../shared/corpora; tests that need them skip where they are absent."""
    from pathlib import Path

    root = Path(os.environ.get("CORPORA_DIR", Path(__file__).resolve().parent.parent.parent / "shared" / "corpora"))
    if not root.is_dir():
        pytest.skip(f"{root} not found: set CORPORA_DIR to the shared corpora to run this test")
    return root


SMALL_CONSTITUTION_EN = """# Constitution of Testland

> We, the people of Testland, adopt this Constitution.

## Section I. General Provisions

### Article 1

1. Testland is a democratic state.
2. The sources of law are:
1) this Constitution;
2) the laws.

### Article 2

The capital of Testland is Testville.

## Section II. Rights and Freedoms

### Article 3

1. Everyone has the right to life.
2. Everyone has the right to liberty.

### Article 3-1

Everyone is equal before the law.
"""

SMALL_CONSTITUTION_RU = """# Конституция Тестландии

> Мы, народ Тестландии, принимаем настоящую Конституцию.

## Раздел I. Общие положения

### Статья 1

1. Тестландия является демократическим государством.
2. Источниками права являются:
1) настоящая Конституция;
2) законы.

### Статья 2

Столица Тестландии — город Тествиль.
"""


@pytest.fixture
def document(db):
    from tests.factories import DocumentFactory

    return DocumentFactory(slug="testland", title="Constitution of Testland")


@pytest.fixture
def make_version(db):
    """Import (and by default publish) a version of `document` from texts given per language."""
    from drafts import services

    def make(document, texts=None, *, number=None, publish=True, by=None):
        texts = texts or {"en": SMALL_CONSTITUTION_EN}
        uploads = [
            services.DraftUpload(filename=f"v.{language}.md", data=text.encode(), language=language)
            for language, text in texts.items()
        ]
        sources = services.draft_sources_parse(uploads=uploads)
        version = services.draft_version_import(document=document, sources=sources, number=number, accept_warnings=True)
        if publish:
            version = services.draft_version_publish(version=version, by=by)
        return version

    return make


@pytest.fixture
def demo(db):
    """The demo consultation of `make run`, with its admin account (password "admin").

    Loaded for real once, then its rows copied into each later test's transaction (tests/_demo_snapshot.py:
    the same rows in milliseconds instead of a second); DEMO_SNAPSHOT=0 loads it for real every time.
    """
    from tests import _demo_snapshot

    return _demo_snapshot.demo_load()


@pytest.fixture
def citizen(db):
    from tests.factories import UserFactory

    return UserFactory(username="citizen")


# Caches whose clear() empties only what this process wrote (the test database's cache table included).
PRIVATE_CACHE_BACKENDS = {
    "django.core.cache.backends.locmem.LocMemCache",
    "django.core.cache.backends.dummy.DummyCache",
    "django.core.cache.backends.db.DatabaseCache",
}


def cache_clear_own() -> int | None:
    """Delete this run's cache keys and nothing else; how many went, where Redis says.

    A Redis database may be shared with a developer's other runs, CI and the broker: only the keys
    under the run's KEY_PREFIX (config/settings/test.py) go, never the whole database (cache.clear()
    would FLUSHDB it). A cache private to the process is simply cleared; any other is refused.
    """
    from django.conf import settings
    from django.core.cache import cache

    config = settings.CACHES["default"]
    if config["BACKEND"] in PRIVATE_CACHE_BACKENDS:
        cache.clear()
        return None
    if config["BACKEND"] == "django_redis.cache.RedisCache" and config.get("KEY_PREFIX"):
        return cache.delete_pattern("*")  # matches "<KEY_PREFIX>:<version>:*" only
    raise pytest.UsageError(f"The tests cannot empty a {config['BACKEND']} cache without touching other users' keys")


@pytest.fixture(autouse=True)
def _fresh_cache(request):
    """Rate-limit counters and stashed uploads live in the cache (Redis): every test starts with none,
    and the run leaves none of its keys behind."""
    own_cache = request.config.pluginmanager.has_plugin("django")  # a pure test under -p no:django has none
    _breakers_reset()
    if own_cache:
        cache_clear_own()
    yield
    _breakers_reset()
    if own_cache:
        cache_clear_own()


def _breakers_reset():
    """A test that made Redis fail opened this process's breakers (config.redis_breaker): the next starts closed."""
    from config.redis_breaker import breakers

    for breaker in breakers.values():
        breaker.reset()


@pytest.fixture(autouse=True)
def _default_language(request):
    """Every test starts in the default language, as in a fresh process: a request through LocaleMiddleware
    leaves its language (kk, ru) active in the thread, and the next test would otherwise read its messages
    in it, depending on which tests ran before it in that process (pytest-xdist distributes them)."""
    if not request.config.pluginmanager.has_plugin("django"):  # a pure test under -p no:django: no settings
        yield
        return
    from django.utils import translation

    translation.deactivate()
    yield
    translation.deactivate()


@pytest.fixture
def celery_worker(settings):
    """A real Celery worker consuming from Redis, in a thread of the test process (it shares the test
    database, so the tests that use it must be transactional). It consumes the run's own queue
    (CELERY_TASK_DEFAULT_QUEUE), so a run never takes another run's tasks."""
    from celery.contrib.testing.worker import start_worker

    from config.celery_app import app

    assert app.conf.task_default_queue == settings.CELERY_TASK_DEFAULT_QUEUE
    app.control.purge()  # the run's queue only: messages queued by earlier tests name rows of their own databases
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, shutdown_timeout=10) as worker:
        assert [queue.name for queue in worker.consumer.task_consumer.queues] == [settings.CELERY_TASK_DEFAULT_QUEUE]
        yield worker


def wait_for(condition, seconds=15) -> bool:
    """Poll `condition` until it holds or `seconds` pass (for work done by the worker)."""
    import time

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


VACUUM_EVERY = 100  # tests
_tests_run = 0


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item):
    """Every VACUUM_EVERY tests, VACUUM ANALYZE the test database.

    Each test rolls back what it wrote (a demo import: hundreds of provisions), and a PostgreSQL with
    autovacuum off (as on these machines) keeps every dead row: late in a run, one insert of provision
    texts took a second. Best effort: any failure here is ignored, and it never waits more than a minute.
    """
    yield
    global _tests_run
    _tests_run += 1
    if _tests_run % VACUUM_EVERY:
        return
    try:
        import psycopg
        from django.conf import settings as django_settings

        database = django_settings.DATABASES["default"]
        if "postgresql" not in database["ENGINE"] or not str(database["NAME"]).startswith("test_"):
            return
        with psycopg.connect(
            dbname=database["NAME"], user=database.get("USER") or None, password=database.get("PASSWORD") or None,
            host=database.get("HOST") or None, port=database.get("PORT") or None, autocommit=True, connect_timeout=5,
            options="-c statement_timeout=60000 -c lock_timeout=5000",
        ) as connection:
            connection.execute("VACUUM ANALYZE")
    except Exception:  # an optimisation only: the suite runs the same without it
        pass


def pytest_terminal_summary(terminalreporter, config):
    """How the `demo` fixture was served (tests/_demo_snapshot.py), summed over the xdist workers, and how many
    cases the API fuzzing tried."""
    from tests import _demo_snapshot

    counts = _demo_snapshot.stats + getattr(config, "_demo_snapshot_stats", collections.Counter())
    if counts:
        terminalreporter.write_line("demo fixture: " + ", ".join(f"{key} {value}" for key, value in sorted(counts.items())))
    # The API fuzzing's cases per role (tests/api/test_fuzz.py records them on its reports, which xdist forwards).
    fuzzed = collections.Counter()
    for report in (*terminalreporter.stats.get("passed", ()), *terminalreporter.stats.get("failed", ())):
        fuzzed.update({name.removeprefix("fuzz cases "): value for name, value in report.user_properties if name.startswith("fuzz cases ")})
    if fuzzed:
        terminalreporter.write_line(
            f"fuzz cases tried: {sum(fuzzed.values())} (" + ", ".join(f"{role} {count}" for role, count in fuzzed.items()) + ")"
        )
    # The fault tests' figures (tests/faults/test_faults.py), one line per fault survived.
    for report in terminalreporter.stats.get("passed", ()):
        for name, value in report.user_properties:
            if name == "fault survived":
                terminalreporter.write_line(f"fault survived: {value}")


@pytest.hookimpl(optionalhook=True)
def pytest_testnodedown(node, error):
    """xdist: add a worker's demo counts to the run's (sent in its workeroutput by pytest_sessionfinish)."""
    counts = getattr(node.config, "_demo_snapshot_stats", collections.Counter())
    counts.update(getattr(node, "workeroutput", {}).get("demo_snapshot_stats", {}))
    node.config._demo_snapshot_stats = counts


def pytest_sessionfinish(session):
    workeroutput = getattr(session.config, "workeroutput", None)
    if workeroutput is not None:
        from tests import _demo_snapshot

        workeroutput["demo_snapshot_stats"] = dict(_demo_snapshot.stats)
