"""Browser tests: Playwright for Python driving Debian's chromium (never Playwright's download).

They skip with a reason when chromium is absent, and fail instead when CI is set, so CI can never
go green without running them. Screenshots go to artifacts/screenshots/ (kept by CI).
"""

import os
import shutil
from pathlib import Path

import pytest

# pytest-django's live_server runs beside Playwright's sync API, which runs an event loop.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_collection_modifyitems(config, items):
    if Path(CHROMIUM).exists():
        return
    if os.environ.get("CI"):
        raise pytest.UsageError(f"CI is set but chromium is missing ({CHROMIUM}): install it.")
    skip = pytest.mark.skip(reason=f"chromium not found at {CHROMIUM} (apt-get install chromium)")
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_ARGS}


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args):
    return {**browser_context_args, "viewport": {"width": 1400, "height": 1000}}


@pytest.fixture
def screenshot():
    """Save a full-page screenshot under artifacts/screenshots/NAME.png."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(page, name: str):
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def offline(page, live_server):
    """Block every request that does not go to the test server: nothing is fetched from outside."""
    blocked = []

    def route(route):
        if route.request.url.startswith(live_server.url):
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.route("**/*", route)
    return blocked


@pytest.fixture(autouse=True)
def _role_groups(transactional_db):
    """Transactional tests flush the database afterwards, migration data included: make sure the
    role groups exist whatever ran before."""
    from claims.roles import role_groups_sync

    role_groups_sync()
