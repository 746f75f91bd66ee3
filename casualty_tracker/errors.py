"""Server errors as each audience reads them: JSON under /api/ (scripts parse it), a plain page
elsewhere. Nothing about the failure is shown: the details go to the log, never to the reader."""

from django.http import JsonResponse
from django.views.defaults import server_error as html_server_error

API_PREFIX = "/api/"


def server_error(request, *args, **kwargs):
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
    return html_server_error(request, *args, **kwargs)
