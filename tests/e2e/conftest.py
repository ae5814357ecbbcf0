"""Real-browser tests: Playwright for Python driving Debian's Chromium against a live server.

`playwright install` cannot download browsers here, so the tests use /usr/bin/chromium
(apt-get install chromium; .ci/run does it). Without it they skip with the reason, except
with CI=true, where they fail. Screenshots of every step go to test-artifacts/e2e/.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

# Data fixtures of the apps' own tests, for the flows here.
from tests.kb.conftest import kb_index  # noqa: F401
from tests.learning.conftest import catalogue  # noqa: F401
from tests.orders.conftest import shop  # noqa: F401
from tests.reporting.conftest import period, sales  # noqa: F401

CHROMIUM = os.environ.get("E2E_CHROMIUM", "/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "e2e"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make to set
# up data and check results are ordinary synchronous calls, so Django's guard does not apply.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _require(condition: bool, reason: str) -> None:
    if condition:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (required when CI=true)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser():
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _require(False, "playwright is not installed (pip install -e '.[test]')")
    _require(
        Path(CHROMIUM).exists() or bool(shutil.which(CHROMIUM)),
        f"Chromium not found at {CHROMIUM} (apt-get install chromium, or set E2E_CHROMIUM)",
    )
    playwright = sync_playwright().start()
    browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()
    playwright.stop()


@pytest.fixture
def page(browser, live_server, request):
    """A fresh browser context (no cookies) on the live server, English first."""
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", viewport={"width": 1280, "height": 900}
    )
    page = context.new_page()
    page.set_default_timeout(15_000)
    page.csp_violations = []
    page.on(
        "console",
        lambda message: (
            "Content Security Policy" in message.text and page.csp_violations.append(message.text)
        ),
    )
    yield page
    context.close()


@pytest.fixture
def shot(page, request):
    """shot("step") saves test-artifacts/e2e/<test>-<nn>-step.png."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    test = re.sub(r"[^\w.-]+", "_", request.node.name)
    counter = iter(range(1, 100))

    def take(step: str) -> Path:
        path = ARTIFACTS / f"{test}-{next(counter):02d}-{step}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


def sign_in(page, username: str, password: str | None = None) -> None:
    """Sign in through the login form and wait until the portal has redirected away from it."""
    from tests.factories import PASSWORD

    page.goto("/accounts/login/")
    page.get_by_label(re.compile("user ?name", re.I)).fill(username)
    page.get_by_label(re.compile("password", re.I)).fill(password or PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(lambda url: "/accounts/login/" not in url)


def download(page, link):
    """Click `link` (a locator) and return (Download, Response) of the file it sends.

    The Download gives the bytes and the suggested file name; the Response its headers.
    """
    from urllib.parse import urljoin

    url = urljoin(page.url, link.get_attribute("href"))
    with page.expect_download() as download_info:
        with page.expect_response(lambda r: r.url == url) as response_info:
            link.click()
    return download_info.value, response_info.value


def content(download) -> bytes:
    """The bytes of a finished download (Playwright stores it under a name with no extension)."""
    assert download.failure() is None, download.failure()
    return Path(download.path()).read_bytes()


def nav(page, name: str):
    """A link of the main navigation in the header."""
    return page.get_by_role("navigation", name="Main").get_by_role("link", name=name, exact=True)
