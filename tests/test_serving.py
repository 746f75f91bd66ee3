"""`make serve` as production runs it: gunicorn with DEBUG off, static files collected under
hashed names and served by whitenoise with long cache headers; and the servers start with the
database down and recover by themselves when it comes back (tests/servers.py starts them).

The gunicorn tests are `slow` (collectstatic and migrate first, ~15 s); runserver's is not."""

import json
import re
from pathlib import Path

import pytest

from casualty_tracker.serving import MEMORY
from tests import servers

HASHED = re.compile(r'(?:href|src)="(/static/[^"]+\.[0-9a-f]{12}\.(?:css|js))"')
YEAR_IMMUTABLE = "max-age=315360000, public, immutable"
PUBLIC_PAGES = [
    "/",
    "/claims/",
    "/map/",
    "/reports/",
    "/comparison/",
    "/methodology/",
    "/api/v1/claims/",
    "/api/docs/",
    "/admin/login/",
]


@pytest.fixture(scope="module")
def prepared(tmp_path_factory):
    folder = tmp_path_factory.mktemp("served")
    env = servers.prepare(folder)
    return folder, env


@pytest.fixture(scope="module")
def served(prepared, tmp_path_factory):
    folder, env = prepared
    with servers.gunicorn(env, folder / "gunicorn.log") as url:
        yield url


def test_runserver_starts_with_the_database_down_and_recovers(tmp_path):
    env = servers.production_env(tmp_path, DEBUG="true")  # db/ does not exist: no database
    with servers.runserver(env, tmp_path / "runserver.log") as url:
        status, headers, body = servers.get(f"{url}/healthz")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert json.loads(body)["database"] == "unavailable"
        status, headers, body = servers.get(f"{url}/claims/")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert b"<h1>Temporarily unavailable</h1>" in body

        (tmp_path / "db").mkdir()  # SQLite can open its file again

        status, _, body = servers.get(f"{url}/healthz")
        assert (status, json.loads(body)) == (
            200,
            {"status": "ok", "database": "ok", "cache": "ok"},
        )
    assert (
        "The database is not answering (unable to open database file); serving anyway"
        in (tmp_path / "runserver.log").read_text()
    )


@pytest.mark.slow
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_every_public_page_and_the_admin_answer_200_with_debug_off(served, path):
    status, headers, body = servers.get(served + path)
    assert status == 200, body[:500]
    assert headers["Server"].startswith("gunicorn")


@pytest.mark.slow
def test_static_files_have_hashed_names_and_a_years_cache(served):
    _, _, body = servers.get(served + "/")
    assets = HASHED.findall(body.decode())
    assert any(a.startswith("/static/css/site.") for a in assets), assets
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        status, headers, content = servers.get(served + asset, {"Accept-Encoding": "gzip"})
        assert status == 200, asset
        assert headers["Cache-Control"] == YEAR_IMMUTABLE, asset
        assert headers["Content-Encoding"] == "gzip", asset
        assert content[:2] == b"\x1f\x8b"


@pytest.mark.slow
def test_an_unknown_static_file_is_a_404(served):
    assert servers.get(served + "/static/css/no-such-file.css")[0] == 404


@pytest.mark.slow
def test_gunicorn_starts_with_the_database_down_and_recovers(prepared, tmp_path):
    folder, _ = prepared
    env = servers.production_env(tmp_path, STATIC_ROOT=str(folder / "static"))
    with servers.gunicorn(env, tmp_path / "gunicorn.log") as url:
        status, headers, body = servers.get(f"{url}/")
        assert (status, headers["Retry-After"]) == (503, "30")
        assert b"<h1>Temporarily unavailable</h1>" in body
        status, headers, body = servers.get(f"{url}/api/v1/claims/")
        assert (status, headers["Content-Type"]) == (503, "application/json")
        assert json.loads(body)["detail"].startswith("Service unavailable")
        assert servers.get(f"{url}/healthz")[0] == 503

        servers.bring_database_back(folder, tmp_path)

        # Both workers (each has tried and failed) answer again, with nothing restarted.
        for _ in range(6):
            assert servers.get(f"{url}/healthz")[0] == 200
            assert servers.get(f"{url}/")[0] == 200
            assert servers.get(f"{url}/api/v1/claims/")[0] == 200


@pytest.mark.slow
@pytest.mark.skipif(not MEMORY.is_dir(), reason=f"no memory file system at {MEMORY}")
def test_gunicorn_workers_count_the_api_throttle_together_in_memory(prepared, tmp_path):
    """Both workers count in one private folder in memory (casualty_tracker/serving.py), which
    is gone when the server stops; the cache folder holds no counter."""
    _, env = prepared
    env = {**env, "CACHE_DIR": str(tmp_path / "cache"), "API_ANON_RATE": "3/min"}
    log = tmp_path / "gunicorn.log"
    with servers.gunicorn(env, log) as url:
        [named] = re.findall(r"API throttle counters in (\S+)", log.read_text())
        counters = Path(named)
        assert counters.parent == MEMORY and counters.stat().st_mode & 0o777 == 0o700
        statuses = [servers.get(f"{url}/api/v1/strikes/")[0] for _ in range(4)]
        assert statuses == [200, 200, 200, 429]
        assert len(list(counters.glob("*.djcache"))) == 1
        assert not (tmp_path / "cache" / "throttle").exists()
    assert not counters.exists()
