import os
from pathlib import Path

import pytest

from spending.importing import load_fixtures
from tests.chromium import CHROMIUM, launch_chromium

SCREENSHOTS = Path(__file__).resolve().parent.parent / "test-output" / "screenshots"


@pytest.fixture(scope="session", autouse=True)
def static_files_under_their_own_names():
    """Pages link static files by their own names, served from static/: hashed names need
    collectstatic first (tests/spending/test_static_files.py runs it on its own)."""
    from django.conf import settings
    from django.test import override_settings

    plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
    with override_settings(
        STORAGES={**settings.STORAGES, "staticfiles": plain},
        MIDDLEWARE=[name for name in settings.MIDDLEWARE if not name.startswith("whitenoise.")],
    ):
        yield


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The test database holds the shipped NATO data, loaded once per run."""
    with django_db_blocker.unblock():
        load_fixtures()


@pytest.fixture(autouse=True)
def empty_cache():
    """Each test starts with empty caches (answers, pages and throttle counters): nothing
    cached or counted by one test leaks into another."""
    from django.core.cache import caches

    for cache in caches.all():
        cache.clear()


@pytest.fixture
def nato_data(transactional_db):
    """The shipped data for tests that commit (live server, concurrency): reloaded after a flush."""
    load_fixtures()


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium under Playwright; skipped where it is missing unless CI requires it."""
    if not Path(CHROMIUM).exists():
        message = (
            f"Browser tests skipped: no Chromium at {CHROMIUM}. "
            "Install Debian's chromium (apt-get install chromium) to run them."
        )
        if os.environ.get("REQUIRE_BROWSER_TESTS"):
            pytest.fail(message.replace("skipped", "required"))
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the ORM calls the tests make
    # alongside it are still synchronous.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


def is_favicon_probe_cut_short(request):
    """The browser's own favicon fetch, aborted because the test went on to the next page."""
    return request.url.endswith("/favicon.svg") and request.failure == "net::ERR_ABORTED"


@pytest.fixture
def page(browser):
    """A fresh page recording console errors, failed or 4xx/5xx requests and dialogs (dismissed)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.console_errors = []
    page.failed_requests = []
    page.dialogs = []
    page.on(
        "console", lambda message: message.type == "error" and page.console_errors.append(message)
    )
    page.on("pageerror", lambda error: page.console_errors.append(error))
    page.on(
        "requestfailed",
        lambda request: (
            not is_favicon_probe_cut_short(request)
            and page.failed_requests.append(f"{request.url} ({request.failure})")
        ),
    )
    page.on(
        "response",
        lambda response: (
            response.status >= 400
            and page.failed_requests.append(f"{response.status} {response.url}")
        ),
    )
    page.on("dialog", lambda dialog: (page.dialogs.append(dialog.message), dialog.dismiss()))
    yield page
    context.close()


def save_screenshots(page, name):
    """Full-page screenshots at 1280 and 375 px wide under test-output/screenshots/."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        page.screenshot(path=SCREENSHOTS / f"{name}-{width}.png", full_page=True)
