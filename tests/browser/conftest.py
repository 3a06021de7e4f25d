"""Browser tests: Playwright driving Debian's chromium against pytest-django's live server.

One browser for these tests, a fresh context (cookies, storage, viewport) per test. Without
/usr/bin/chromium the tests skip with the command that installs it; they never download a browser.
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]
PASSWORD = "correct horse battery"  # tests.factories.UserFactory
TIMEOUT_MS = 10_000  # no wait in these tests should come near it; a broken page fails instead of hanging


def _chromium_missing() -> str | None:
    return None if os.access(CHROMIUM, os.X_OK) else f"Debian chromium not found at {CHROMIUM}; apt-get install chromium"


def pytest_collection_modifyitems(config, items):
    """Skip before any database or browser is set up when there is no chromium to drive."""
    reason = _chromium_missing()
    if reason:
        for item in items:
            if item.get_closest_marker("browser"):
                item.add_marker(pytest.mark.skip(reason=reason))


@pytest.fixture(scope="package")
def browser():
    """One chromium for all the browser tests, closed before the rest of the suite runs.

    While Playwright's sync API is started, its event loop counts as running in this thread, so Django
    refuses synchronous ORM calls here (the tests' own, and pytest-django's flush) unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. It is set only for that time: the other tests keep the check,
    and find no event loop left running.
    """
    reason = _chromium_missing()
    if reason:
        pytest.skip(reason)
    sync_api = pytest.importorskip("playwright.sync_api", reason="Playwright is not installed: pip install -r requirements.txt")
    sync_api.expect.set_options(timeout=TIMEOUT_MS)
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, timeout=30_000)
            yield browser
            browser.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def new_page(browser, live_server):
    """Open a page in a new context (options as for `browser.new_context`); every context is closed after the test."""
    contexts = []

    def make(**options):
        options = {"base_url": live_server.url, "viewport": {"width": 1280, "height": 900}, "locale": "en-GB", **options}
        context = browser.new_context(**options)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


@pytest.fixture
def demo(live_server):
    """The demo consultation of `make run`, loaded once the live server's (transactional) database is ready."""
    from consult.demo_data import demo_consultation_load

    return demo_consultation_load(admin_password="admin")


@pytest.fixture
def make_participant(demo):
    """A verified user with a participant profile (tests.factories.participant_user), once the demo is loaded."""
    from tests.factories import participant_user

    return participant_user


@pytest.fixture(autouse=True)
def _celery_in_process():
    """Send the receipt e-mail (queued on commit) in-process: a task left in Redis would be taken later by the
    worker of tests/comments/test_tasks.py, against another test's database rows."""
    from config.celery_app import app

    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def sign_in():
    """Sign a page in through allauth's form, with the keyboard only (fill and Enter: no click)."""

    def sign_in(page, user, *, next_path: str = "/") -> None:
        page.goto(f"/accounts/login/?next={next_path}")
        form = page.locator("main form:has([name=login])")
        form.locator("[name=login]").fill(user.email)
        form.locator("[name=password]").fill(PASSWORD)
        with page.expect_navigation():
            form.locator("[name=password]").press("Enter")
        assert "/accounts/login/" not in page.url, page.locator("main").inner_text()

    return sign_in
