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


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.when == "call" and report.failed and hasattr(item, "browser_log"):
        # What the page did, in the CI log: a failure on a slow machine can be read afterwards.
        report.sections.append(("browser log", "\n".join(item.browser_log) or "(nothing)"))
    return report


@pytest.fixture(autouse=True)
def _browser_log(request):
    """Log the page's requests (sent, answered with their status, failed), console messages and
    errors with their time since the test began; shown in the report of a failed test."""
    if "page" not in request.fixturenames:
        yield
        return
    import time

    page = request.getfixturevalue("page")
    log = request.node.browser_log = []
    start = time.monotonic()

    def note(text):
        log.append(f"{time.monotonic() - start:7.2f}s {text}")

    page.on("request", lambda r: note(f"-> {r.method} {r.url}"))
    page.on("response", lambda r: note(f"<- {r.status} {r.url}"))
    page.on("requestfailed", lambda r: note(f"!! {r.url}: {r.failure}"))
    page.on("console", lambda m: note(f"console.{m.type}: {m.text}"))
    page.on("pageerror", lambda e: note(f"page error: {e}"))
    page.on("framenavigated", lambda f: f == page.main_frame and note(f"== now at {f.url}"))
    page.add_init_script(CLICKS_LOGGED)
    yield


# Where each click lands, and whether a script cancelled it (in the console, so in the log).
CLICKS_LOGGED = """
window.addEventListener("click", function (event) {
  var t = event.target;
  var classes = typeof t.className === "string" && t.className ? "." + t.className : "";
  var name = t.tagName + classes;
  console.debug("click at " + event.clientX + "," + event.clientY + " on " + name + " '" +
    (t.textContent || "").trim().slice(0, 40) + "'" +
    (event.defaultPrevented ? " (cancelled)" : ""));
}, false);
"""
