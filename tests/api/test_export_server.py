"""An export cut by the server (gunicorn's timeout, or the database gone mid-stream) is seen as
cut by an HTTP client: the response ends without the last chunk of its chunked body, and its
X-Total-Count says more rows than came. And with the gthread worker, gunicorn's timeout does not
cut a long export at all. gunicorn serves a copy of the app on a free port with its own SQLite
file (tests/api/faulty_export_wsgi.py slows the export down or fails it)."""

import csv
import http.client
import io
import os
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = shutil.which("gunicorn", path=str(Path(sys.executable).parent)) or shutil.which(
    "gunicorn"
)
BELLIGERENTS = 3000

if GUNICORN is None:
    pytest.skip("gunicorn is not installed (requirements.txt)", allow_module_level=True)


@pytest.fixture(scope="module")
def environment(tmp_path_factory):
    """The environment of a production-like server on a database of 3,000 belligerents."""
    database = tmp_path_factory.mktemp("export-server") / "db.sqlite3"
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{database}",
        "SECRET_KEY": "export-server-test",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SETTINGS_MODULE": "casualty_tracker.settings",
    }
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v0"], cwd=ROOT, env=env, check=True)
    create = (
        "from claims.models import Belligerent; Belligerent.objects.bulk_create("
        f"Belligerent(name=f'Party {{n:05d}}') for n in range({BELLIGERENTS}))"
    )
    subprocess.run([*manage, "shell", "-c", create], cwd=ROOT, env=env, check=True)
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def serve(env: dict, log: Path, fault: str, *options: str):
    """Start gunicorn (its log in `log`); return (process, port) once it answers."""
    port = free_port()
    command = [GUNICORN, "--bind", f"127.0.0.1:{port}", "--workers", "1", *options]
    with log.open("ab") as output:
        process = subprocess.Popen(
            [*command, "tests.api.faulty_export_wsgi:application"],
            cwd=ROOT,
            env={**env, "EXPORT_FAULT": fault},
            stdout=subprocess.DEVNULL,
            stderr=output,
        )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    process.wait()
    pytest.fail(f"gunicorn did not start: {log.read_text()[-2000:]}")


@pytest.fixture
def server(environment, tmp_path):
    started = []

    def start(fault: str, *options: str) -> int:
        process, port = serve(environment, tmp_path / "gunicorn.log", fault, *options)
        started.append(process)
        return port

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=30)


def export(port: int) -> tuple[http.client.HTTPResponse, bytes | None, Exception | None]:
    """GET the CSV of every belligerent over HTTP/1.1; the body, or the error reading it."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", "/api/v1/belligerents/?format=csv")
    response = connection.getresponse()
    try:
        return response, response.read(), None
    except (http.client.IncompleteRead, ConnectionError) as error:
        return response, None, error
    finally:
        connection.close()


def rows(body: bytes) -> int:
    return len(list(csv.DictReader(io.StringIO(body.decode(), newline=""))))


@pytest.mark.parametrize(
    ("fault", "options"),
    [
        ("fail", ["--worker-class", "gthread", "--threads", "2"]),  # the database gone
        ("slow", ["--worker-class", "sync", "--timeout", "1"]),  # killed by the timeout
    ],
)
def test_a_cut_export_is_an_incomplete_response_not_a_short_file(server, fault, options):
    response, body, error = export(server(fault, *options))
    assert response.status == 200
    assert response.getheader("Transfer-Encoding") == "chunked"
    assert response.getheader("X-Total-Count") == str(BELLIGERENTS)
    assert body is None
    assert isinstance(error, http.client.IncompleteRead | ConnectionError)


def test_a_long_export_outlives_the_timeout_with_the_gthread_worker(server):
    """6 s of export against a 1 s timeout: the gthread worker's main thread keeps telling the
    arbiter it is alive while a thread streams."""
    options = ["--worker-class", "gthread", "--threads", "2", "--timeout", "1"]
    response, body, error = export(server("slow", *options))
    assert error is None
    assert response.getheader("X-Total-Count") == str(BELLIGERENTS)
    assert rows(body) == BELLIGERENTS
