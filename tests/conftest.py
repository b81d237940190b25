import math
import os
import shutil
import time
from pathlib import Path

import pytest
import time_machine

from mediation.services import communes_import
from tests.live_server import (
    let_the_live_server_finish,
    serve_one_request_at_a_time_on_sqlite,
)

serve_one_request_at_a_time_on_sqlite()


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """pytest-django's test database, with any session still open on it ended before it
    is dropped. Seen about once in three PostgreSQL runs: PostgreSQL refused to drop a
    worker's database at the end ("is being accessed by other users", one other
    session) and left it behind. Which thread held it was not caught; the likely ones are
    the live servers' request threads, daemon threads that nothing joins."""
    yield
    with django_db_blocker.unblock():
        from django.db import connection

        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
            connection.close()


@pytest.fixture
def somme(db):
    """The 771 communes of the Somme, imported inside the test so that they vanish with it.

    They were imported once per test process and committed: every later test of that
    process saw them, and a test run in another order than the usual one failed (seed_demo
    refusing to run without communes, the coverage report's lists, a factory's commune with
    a real INSEE code).
    """
    communes_import()


@pytest.fixture
def within_one_rate_limit_window():
    """The clock set back to one second after the current rate-limit window began, and left
    running: a test that makes its requests past a limit never sees them split over two
    windows. The windows are fixed, on multiples of their length since the epoch
    (sessions/public/ratelimit.py); a slow machine crossing a boundary in the middle of the
    test saw the count start again (a 121st feed request answered 200 on CI). One span
    holds a window of every limit: the clock goes back less than that span."""
    from cms.throttle import WINDOW_SECONDS as HEAVY_ENDPOINTS_WINDOW
    from sessions.public.demand_views import CONTACT_CODE_WINDOW_SECONDS, FORM_WINDOW_SECONDS
    from sessions.public.views import SIGNUP_WINDOW_SECONDS

    span = math.lcm(
        HEAVY_ENDPOINTS_WINDOW,
        FORM_WINDOW_SECONDS,
        SIGNUP_WINDOW_SECONDS,
        CONTACT_CODE_WINDOW_SECONDS,
    )
    started = time.time() // span * span + 1
    with time_machine.travel(started, tick=True):
        yield


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Each test starts with an empty cache: no page cached, no rate-limit count, by another."""
    from django.core.cache import cache

    cache.clear()


CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's headless Chromium driven by Playwright (browser downloads are blocked here).

    Skipped where Chromium is not installed, except in CI (REQUIRE_BROWSER=1), where its
    absence is a failure.
    """
    if not Path(CHROMIUM).exists():
        if os.environ.get("REQUIRE_BROWSER"):
            pytest.fail(f"Chromium is required but missing at {CHROMIUM}")
        pytest.skip("Chromium is not installed (apt-get install chromium)")
    # Playwright's sync API runs an event loop in this thread; the test's own database
    # calls are still synchronous and safe.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser context (cookies, storage) per test, in French."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    # Leave the page first, so that its scripts stop polling, then let the live server
    # finish what it already received before the database is flushed.
    if not page.is_closed():
        page.goto("about:blank")
    context.close()
    let_the_live_server_finish()


@pytest.fixture
def no_script_page(browser):
    """A resident's browser without JavaScript, in French: what the HTML alone does."""
    context = browser.new_context(
        locale="fr-FR", timezone_id="Europe/Paris", java_script_enabled=False
    )
    context.set_default_timeout(10_000)
    yield context.new_page()
    context.close()
    let_the_live_server_finish()


@pytest.fixture
def pdf_renders(monkeypatch) -> list[str]:
    """The documents the worker renders with WeasyPrint, in order (a prepared PDF copied
    from a kept file made from the same document is not rendered)."""
    from reports import services

    renders, render_pdf = [], services.render_pdf

    def rendering(html, **options):
        renders.append(html)
        return render_pdf(html, **options)

    monkeypatch.setattr(services, "render_pdf", rendering)
    return renders
