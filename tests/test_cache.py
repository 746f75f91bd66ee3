"""One cache for every worker (settings.CACHES): gunicorn's workers are separate processes, and a
throttle counted in each one's memory lets WEB_CONCURRENCY times the limit through. Each test
runs two processes, as two workers, against the settings production uses: files in CACHE_DIR
without REDIS_URL (the throttle's in the folder in memory that `make serve` gives its workers),
Redis with it."""

import os
import socket
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlparse

import pytest

from casualty_tracker.serving import forget_throttle, throttle_in_memory

ROOT = Path(__file__).resolve().parent.parent
REDIS_URL = os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0"
# One worker's requests from one address: prints the cache backend and how many got through.
WORKER = """
import sys
import django
django.setup()
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from claims.api.throttling import AnonThrottle

request = RequestFactory().get("/api/v1/claims/", REMOTE_ADDR=sys.argv[1])
request.user = AnonymousUser()
allowed = sum(AnonThrottle().allow_request(request, None) for _ in range(int(sys.argv[2])))
print(settings.CACHES["throttle"]["BACKEND"].rsplit(".", 1)[1], allowed)
"""


def worker(env, address, requests):
    unset = {"REDIS_URL", "CACHE_DIR", "THROTTLE_CACHE_DIR", "DEBUG"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    clean.update(env, SECRET_KEY="x", API_ANON_RATE="5/min")
    result = subprocess.run(
        [sys.executable, "-c", WORKER, address, str(requests)],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.split()


def redis_answers() -> bool:
    url = urlparse(REDIS_URL)
    try:
        with socket.create_connection((url.hostname, url.port or 6379), timeout=1):
            return True
    except OSError:
        return False


def test_workers_of_one_machine_share_the_throttle_count_without_redis(tmp_path):
    env = {"CACHE_DIR": str(tmp_path / "cache")}
    assert worker(env, "203.0.113.7", 3) == ["FileBasedCache", "3"]
    # The second worker sees the first one's three: two more, not three, reach the limit of 5.
    assert worker(env, "203.0.113.7", 3) == ["FileBasedCache", "2"]
    assert worker(env, "203.0.113.8", 1) == ["FileBasedCache", "1"]  # another address
    # In a folder of their own: a write there never lists (or culls) the cached pages' folder.
    assert len(list((tmp_path / "cache" / "throttle").glob("*.djcache"))) == 2
    assert list((tmp_path / "cache").glob("*.djcache")) == []


def test_workers_share_the_throttle_count_through_redis():
    if not redis_answers():
        if os.environ.get("CI"):
            pytest.fail(f"CI is set but Redis does not answer at {REDIS_URL}")
        pytest.skip(f"Redis does not answer at {REDIS_URL}")
    prefix = f"test-{uuid.uuid4().hex}"
    env = {"REDIS_URL": REDIS_URL, "CACHE_KEY_PREFIX": prefix}
    try:
        assert worker(env, "203.0.113.7", 3) == ["RedisCache", "3"]
        assert worker(env, "203.0.113.7", 3) == ["RedisCache", "2"]
        import redis

        counters = list(redis.Redis.from_url(REDIS_URL).scan_iter(f"{prefix}:throttle:*"))
        assert len(counters) == 1  # under the throttle cache's own prefix
    finally:
        import redis

        client = redis.Redis.from_url(REDIS_URL)
        keys = list(client.scan_iter(f"{prefix}:*"))
        if keys:
            client.delete(*keys)


def test_workers_share_the_throttle_count_in_the_folder_make_serve_gives_them(tmp_path):
    """gunicorn.conf.py points THROTTLE_CACHE_DIR at a folder in memory for its workers."""
    env = {"CACHE_DIR": str(tmp_path / "cache"), "THROTTLE_CACHE_DIR": str(tmp_path / "memory")}
    assert worker(env, "203.0.113.7", 3) == ["FileBasedCache", "3"]
    assert worker(env, "203.0.113.7", 3) == ["FileBasedCache", "2"]
    assert len(list((tmp_path / "memory").glob("*.djcache"))) == 1
    assert not (tmp_path / "cache" / "throttle").exists()


def test_make_serve_counts_the_throttle_in_a_private_folder_in_memory(tmp_path):
    environ = {"CACHE_DIR": str(tmp_path / "cache")}
    folder = throttle_in_memory(environ, memory=tmp_path)
    assert folder.parent == tmp_path and folder.is_dir()
    assert folder.stat().st_mode & 0o777 == 0o700  # no other account may read or plant a file
    assert environ["THROTTLE_CACHE_DIR"] == str(folder)
    assert throttle_in_memory(environ, memory=tmp_path) is None  # once: the workers share it
    forget_throttle(environ)  # when the server stops
    assert not folder.exists() and "THROTTLE_CACHE_DIR" not in environ


@pytest.mark.parametrize(
    "environ",
    [{"REDIS_URL": "redis://cache.internal:6379/0"}, {"THROTTLE_CACHE_DIR": "/srv/counters"}],
)
def test_make_serve_leaves_the_throttle_where_the_environment_put_it(tmp_path, environ):
    chosen = dict(environ)
    assert throttle_in_memory(environ, memory=tmp_path) is None
    forget_throttle(environ)
    assert environ == chosen and list(tmp_path.iterdir()) == []


def test_make_serve_counts_in_the_cache_folder_without_a_memory_file_system(tmp_path):
    environ = {}
    assert throttle_in_memory(environ, memory=tmp_path / "no-shm") is None
    assert environ == {}
