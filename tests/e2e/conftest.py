"""Browser tests: Debian's chromium driven by Playwright against pytest-django's live server.

Outside CI a missing chromium or Playwright skips these tests with the reason; with
CI=true it fails them (see `tests.conftest.require_service`).

Three things about how they run:

- Playwright's sync API keeps an asyncio loop marked as running in the test thread for
  as long as it is started, so Django's ORM would refuse to work there: we allow it
  (DJANGO_ALLOW_ASYNC_UNSAFE, set while Playwright runs). The same running loop would
  break any later test that calls ``asyncio.run()``, so the browser tests are moved to
  the end of the run.
- The live server needs a transactional database. The flush that ends such a test
  drops Wagtail's root page, and the site-structure ``post_migrate`` handler cannot
  rebuild the tree without it; every browser test therefore uses a serialized
  rollback: the database as migrations left it is restored before each test, and the
  flush after it skips ``post_migrate``.
- Every test gets a new browser context (own cookies, own session) from one browser
  per session, with short timeouts so that a broken page fails fast.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import require_service

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 10_000
E2E_DIR = Path(__file__).resolve().parent
ARTIFACTS = E2E_DIR.parent.parent / ".test-artifacts"


def _is_e2e(item: pytest.Item) -> bool:
    return E2E_DIR in Path(str(item.path)).resolve().parents


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Browser tests last (after pytest-django's own ordering), in their own order."""
    items.sort(key=_is_e2e)


def _playwright_available() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True


@pytest.fixture(scope="session")
def _playwright(django_db_setup):
    """Playwright, started once the test database exists (see `_keep_serialized_database`)."""
    require_service(
        os.path.exists(CHROMIUM) and _playwright_available(),
        "Debian's chromium (/usr/bin/chromium) and Playwright are needed for browser tests",
    )
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=TIMEOUT_MS)
    serialized = _serialized_databases()
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            _keep_serialized_database(serialized)
            yield playwright
    finally:
        if previous is None:
            del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


def _serialized_databases() -> dict[str, str]:
    from django.db import connections

    return {
        alias: connections[alias]._test_serialized_contents
        for alias in connections
        if hasattr(connections[alias], "_test_serialized_contents")
    }


def _keep_serialized_database(serialized: dict[str, str]) -> None:
    """Once Playwright's loop counts as running in this thread, Django hands the thread a
    new set of database connections (asgiref's Local switches to per-context storage).
    The copy of the database that pytest-django serialized at setup hangs on the old
    connection objects: put it on the new ones, or serialized rollback does nothing."""
    from django.db import connections

    for alias, contents in serialized.items():
        connections[alias]._test_serialized_contents = contents


@pytest.fixture(scope="session")
def browser(_playwright):
    browser = _playwright.chromium.launch(
        executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS, timeout=30_000
    )
    yield browser
    browser.close()


@pytest.fixture(autouse=True)
def _restore_database(_playwright, django_db_serialized_rollback):
    """Serialized rollback for every browser test (see the module docstring). Requested
    statically, so pytest-django serializes the database when it creates it."""


@pytest.fixture
def new_page(browser, live_server):
    """Open pages in fresh browser contexts (one person each); all closed at teardown."""
    contexts = []

    def open_page():
        context = browser.new_context(base_url=live_server.url, locale="it-IT")
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()
