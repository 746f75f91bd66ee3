"""Failed sign-ins (django-axes): who is signing in, and the page a locked-out client gets.

Settings: the "Login protection" block of casualty_tracker/settings.py (why each choice).
"""

from django.conf import settings
from django.contrib import admin
from django.shortcuts import render
from django.utils import timezone
from django.utils.timesince import timeuntil


def client_ip(request) -> str | None:
    """The address whose failures are counted.

    Behind one TLS proxy (BEHIND_TLS_PROXY) every request comes from the proxy's address, so the
    client's is the last one the proxy appended to X-Forwarded-For (earlier entries are whatever
    the client sent, and cannot be trusted); otherwise it is REMOTE_ADDR.
    """
    if settings.BEHIND_TLS_PROXY:
        forwarded = [ip.strip() for ip in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if forwarded[-1]:
            return forwarded[-1]
    return request.META.get("REMOTE_ADDR")


def lockout_response(request, original_response=None, credentials=None):
    """429 Too Many Requests, saying when to try again (also in Retry-After, in seconds).

    Every attempt during a lockout restarts the cool-off (AXES_RESET_COOL_OFF_ON_FAILURE_DURING_
    LOCKOUT, axes' default), so the lockout ends one cool-off after this attempt at the latest.
    """
    cool_off = settings.AXES_COOLOFF_TIME
    now = timezone.now()
    retry_at = now + cool_off
    context = {
        **admin.site.each_context(request),
        "title": "Too many failed sign-ins",
        "failure_limit": settings.AXES_FAILURE_LIMIT,
        "retry_at": retry_at,
        "retry_in": timeuntil(retry_at, now),
    }
    # Rendered now: axes' middleware swaps it in after the view.
    response = render(request, "admin/lockout.html", context, status=429)
    response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
