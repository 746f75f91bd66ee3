"""Health and outages.

- `/healthz`: 200 {"status": "ok", "database": "ok", "cache": "ok"} when both answer, 503 saying
  which does not. For load balancers and process monitors: no session, no template, one query.
- With the database down every page answers 503 with Retry-After (casualty_tracker/errors.py),
  not a 500; nothing here holds state, so the next request after the database is back succeeds.
  Nothing queries the database at start-up (imports, AppConfig.ready, URL loading) either, so the
  server starts while it is down.
"""

import logging

from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from .errors import DATABASE_UNAVAILABLE, RETRY_AFTER_SECONDS, service_unavailable

logger = logging.getLogger(__name__)


def _database_answers() -> bool:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            return cursor.fetchone() == (1,)
    except DATABASE_UNAVAILABLE:
        return False


def _cache_answers() -> bool:
    try:
        cache.set("healthz", "ok", timeout=10)
        return cache.get("healthz") == "ok"
    except Exception:  # the cache backends raise their own errors (redis.ConnectionError...)
        logger.warning("healthz: the cache does not answer", exc_info=True)
        return False


@never_cache
@require_GET
def healthz(request):
    checks = {
        "database": "ok" if _database_answers() else "unavailable",
        "cache": "ok" if _cache_answers() else "unavailable",
    }
    healthy = all(value == "ok" for value in checks.values())
    response = JsonResponse({"status": "ok" if healthy else "unavailable", **checks})
    if not healthy:
        response.status_code = 503
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


class DatabaseUnavailableMiddleware:
    """A view (or its template) that cannot reach the database answers 503, not 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_UNAVAILABLE):
            logger.error("The database is not answering: %s", exception)
            return service_unavailable(request)
        return None
