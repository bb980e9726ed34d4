"""Real-browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Nothing downloads a browser. Where Chromium or Playwright is missing the tests skip with the reason, unless
REQUIRE_BROWSER=1 (CI), where they fail. A failing test leaves a screenshot in $PLAYWRIGHT_ARTIFACTS.
"""

import os
import re
from pathlib import Path

import pytest

from accounts import second_factor
from tests.factories import PASSWORD
from tests.second_factor import current_code, device_for

CHROMIUM = "/usr/bin/chromium"
REQUIRED = os.environ.get("REQUIRE_BROWSER") == "1"
ARTIFACTS = Path(os.environ.get("PLAYWRIGHT_ARTIFACTS", "test-artifacts"))


def _unavailable_reason():
    if not os.path.exists(CHROMIUM):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    return None


def pytest_collection_modifyitems(config, items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


@pytest.fixture(scope="session")
def chromium():
    reason = _unavailable_reason()
    if reason:
        if REQUIRED:
            pytest.fail(f"REQUIRE_BROWSER=1 but {reason}")
        pytest.skip(reason)
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the ORM calls of test set-up are still synchronous.
    # Set only while a browser is up, so that no other test (nor a subprocess it starts) inherits it.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=["--no-sandbox"])
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium, request):
    context = chromium.new_context(viewport={"width": 1366, "height": 768}, locale="vi-VN")
    context.set_default_timeout(10_000)
    page = context.new_page()
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    context.close()


@pytest.fixture
def log_in(page, live_server):
    """log_in(user) signs the persona in through the real login form (and the second factor) and returns the page."""

    def _log_in(user):
        # Administrators must pass the second factor: give them a phone (a device) and type its code, as they would.
        device = device_for(user) if second_factor.state_at_login(user) != second_factor.PASSED else None
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("input[name=username]", user.username)
        page.fill("input[name=password]", PASSWORD)
        page.click("button[type=submit]")
        page.wait_for_load_state()
        if device is not None:
            page.fill("input[name=code]", current_code(device))
            page.press("input[name=code]", "Enter")
            page.wait_for_load_state()
        return page

    return _log_in
