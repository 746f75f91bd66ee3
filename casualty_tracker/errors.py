"""Server errors as each audience reads them: JSON under /api/ (scripts parse it), a plain page
elsewhere. Nothing about the failure is shown: the details go to the log, never to the reader.

The database not answering is no bug of ours but an outage: 503 with Retry-After, so clients and
proxies wait and try again (casualty_tracker/health.py catches it)."""

import sys

from django.conf import settings
from django.db import InterfaceError, OperationalError
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils import translation
from django.views.defaults import server_error as html_server_error

API_PREFIX = "/api/"
# Errors that mean "the database is not answering now" (down, restarting, unreachable).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def page_language(request) -> str:
    """The language of the address (/ar/...), also when no middleware ran."""
    return translation.get_language_from_path(request.path_info) or settings.LANGUAGE_CODE


def service_unavailable(request):
    """503 with Retry-After: JSON under /api/, a plain page (no database, no context) elsewhere."""
    if request.path.startswith(API_PREFIX):
        response = JsonResponse(
            {
                "detail": (
                    "Service unavailable: the database is not answering. Nothing was changed; "
                    f"try again in {RETRY_AFTER_SECONDS} seconds."
                )
            },
            status=503,
        )
    else:
        with translation.override(page_language(request)):
            html = loader.get_template("503.html").render({"retry_after": RETRY_AFTER_SECONDS})
        response = HttpResponse(html, status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def server_error(request, *args, **kwargs):
    # Raised outside a view (a middleware saving the session, say): the middleware never saw it,
    # but it is still an outage, not a bug.
    if isinstance(sys.exc_info()[1], DATABASE_UNAVAILABLE):
        return service_unavailable(request)
    if request.path.startswith(API_PREFIX):
        return JsonResponse(
            {
                "detail": (
                    "Server error: the request could not be answered. It has been logged; "
                    "try again later."
                )
            },
            status=500,
        )
    with translation.override(page_language(request)):
        return html_server_error(request, *args, **kwargs)
