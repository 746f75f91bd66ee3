"""Real servers for the serving tests: `make serve`'s gunicorn (DEBUG off, static files collected)
and `runserver`, started on a free loopback port in a subprocess, with their own SQLite file,
static folder and cache folder under a temporary directory."""

import atexit
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def production_env(folder: Path, **extra) -> dict:
    """The environment `make serve` runs with, everything under `folder`."""
    unset = {"DEBUG", "DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env = {k: v for k, v in os.environ.items() if k not in unset}
    env.update(
        SECRET_KEY="serving-tests-only-" + "k" * 40,
        ALLOWED_HOSTS="127.0.0.1",
        SQLITE_PATH=str(folder / "db" / "db.sqlite3"),
        STATIC_ROOT=str(folder / "static"),
        CACHE_DIR=str(folder / "cache"),
        WEB_CONCURRENCY="2",
    )
    env.update(extra)
    return env


def manage(env: dict, *args: str) -> None:
    subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True
    )


_prepared: list[Path] = []  # the first folder prepared in this run, copied for the next ones


def prepare(folder: Path) -> dict:
    """collectstatic and migrate, as `make serve` does before it starts gunicorn. Done once a
    run (about 15 s); the next folders get a copy of the first one's files and database."""
    env = production_env(folder)
    if _prepared and (_prepared[0] / "db" / "db.sqlite3").exists():
        shutil.copytree(_prepared[0] / "static", folder / "static")
        (folder / "db").mkdir()
        shutil.copy2(_prepared[0] / "db" / "db.sqlite3", folder / "db" / "db.sqlite3")
        return env
    manage(env, "collectstatic", "--no-input")
    (folder / "db").mkdir()
    manage(env, "migrate", "--no-input")
    # A pristine copy: the first folder's own server writes to its database.
    pristine = Path(tempfile.mkdtemp(prefix="prepared-"))
    shutil.copytree(folder / "static", pristine / "static")
    (pristine / "db").mkdir()
    shutil.copy2(folder / "db" / "db.sqlite3", pristine / "db" / "db.sqlite3")
    atexit.register(shutil.rmtree, pristine, True)
    _prepared.append(pristine)
    return env


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def get(url: str, headers: dict | None = None):
    """(status, headers, body) without raising on 4xx/5xx."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


@contextmanager
def running(command: list[str], env: dict, port: int, log: Path):
    """Start the server, wait until it answers /healthz (whatever the status), stop it after."""
    with log.open("wb") as out:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=out)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                get(f"{url}/healthz")
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise AssertionError(f"the server did not start:\n{log.read_text()}") from None
                time.sleep(0.3)
        yield url
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def gunicorn(env: dict, log: Path):
    port = free_port()
    env = {**env, "HOST": "127.0.0.1", "PORT": str(port)}
    return running([str(BIN / "gunicorn"), "--config", "gunicorn.conf.py"], env, port, log)


def runserver(env: dict, log: Path):
    port = free_port()
    command = [sys.executable, "manage.py", "runserver", f"127.0.0.1:{port}", "--noreload"]
    return running(command, env, port, log)


def bring_database_back(prepared: Path, folder: Path) -> None:
    """The database 'comes back': a migrated SQLite file appears where the server looks."""
    shutil.copytree(prepared / "db", folder / "db")
