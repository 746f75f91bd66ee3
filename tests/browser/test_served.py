"""The home page in chromium from `make serve`'s gunicorn (DEBUG off, static files collected):
every stylesheet and script it loads has a hashed name and answers 200; the stylesheet applies."""

import re

import pytest

from tests import servers

pytestmark = pytest.mark.browser

HASHED_ASSET = re.compile(r"/static/.+\.[0-9a-f]{12}\.(css|js)$")


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served-browser")
    env = servers.prepare(folder)
    with servers.gunicorn(env, folder / "gunicorn.log") as url:
        yield url


@pytest.fixture
def _role_groups():
    """gunicorn has its own database: the test database is not needed here."""


def test_home_page_loads_its_hashed_css_and_js_from_gunicorn(page, served, screenshot):
    assets = {}

    def record(response):
        if response.request.resource_type in {"stylesheet", "script"}:
            assets[response.url.removeprefix(served)] = response.status

    page.on("response", record)
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))

    response = page.goto(served + "/")
    page.wait_for_load_state("networkidle")

    assert response.status == 200
    assert response.headers["server"].startswith("gunicorn")
    assert any(path.startswith("/static/css/site.") for path in assets), assets
    assert any(path.endswith(".js") for path in assets), assets
    assert {path: status for path, status in assets.items() if status != 200} == {}
    assert [path for path in assets if not HASHED_ASSET.search(path)] == []
    assert errors == []
    # static/css/site.css's body font, not the browser's default.
    font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert font == 'Georgia, "Times New Roman", serif'
    screenshot(page, "served-home")
