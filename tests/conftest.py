"""Settings and markers shared by the whole suite.

- A fast password hasher: PBKDF2 costs about a second a user on these machines, and the suite
  creates hundreds of users. Production keeps Django's default.
- Static files and cache as on a laptop: plain static storage (production's manifest storage needs
  `collectstatic` first: tests/test_serving.py runs that against gunicorn) and no STATIC_ROOT for
  whitenoise to scan on every test client; a cache in this process's memory (production's is
  shared by the workers: tests/test_cache.py).
- Background tasks run at once, in the request that queues them (django-tasks' immediate
  backend); tests/claims/test_import_jobs.py runs the production backend and its worker.
- Markers: `browser` (Debian chromium + Playwright), `fuzz` (schemathesis), `slow` (loads the whole
  demo campaign). Everything under tests/browser/ is `browser` and test_fuzz.py is `fuzz` without
  saying so in each file. `make test-fast` leaves the three out; CI runs them once, on PostgreSQL.
"""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.cache import caches
from django.utils import translation

from tests import worlds
from tests.factories import user_with_role

HERE = Path(__file__).resolve().parent


def pytest_configure(config):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    settings.STATIC_ROOT = None
    settings.CACHES = {
        alias: {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": alias}
        for alias in ("default", "throttle")
    }
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}


def pytest_collection_modifyitems(config, items):
    for item in items:
        path = Path(item.fspath)
        if HERE / "browser" in path.parents:
            item.add_marker(pytest.mark.browser)
        if path.name == "test_fuzz.py":
            item.add_marker(pytest.mark.fuzz)


@pytest.fixture(autouse=True)
def _default_language():
    """Each test starts in the default language: the test client runs requests in the test's
    thread, and a request to /ar/ leaves Arabic active after it (as LocaleMiddleware does)."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.deactivate()


@pytest.fixture(autouse=True)
def _media_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Tests are never throttled by accident (they compare many pages with the API):
    tests/api/test_errors_and_limits.py sets low rates on purpose."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    for each in caches.all():
        each.clear()


# One user in each role, the names the tests' expectations use. A module needing another user
# builds it with user_with_role.
@pytest.fixture
def analyst(db):
    return user_with_role("analyst", username="alice")


@pytest.fixture
def reviewer(db):
    return user_with_role("reviewer", username="rita")


@pytest.fixture
def publisher(db):
    return user_with_role("publisher", username="paula")


@pytest.fixture
def rita(client, reviewer):
    """The reviewer's logged-in client."""
    client.force_login(reviewer)
    return client


# The small worlds (tests/worlds.py says what is in each).
@pytest.fixture
def world(db):
    """tests.worlds.api_world: five claims, the API's tests."""
    return worlds.api_world()


@pytest.fixture
def pages_world(db):
    """tests.worlds.pages_world: six claims, most with coordinates, the claims pages' tests."""
    return worlds.pages_world()


@pytest.fixture
def march_2017(db):
    """tests.worlds.campaign_march_2017: a campaign whose March 2017 can be checked by hand."""
    return worlds.campaign_march_2017()
