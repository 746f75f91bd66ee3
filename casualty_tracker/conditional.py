"""Conditional GETs and cached public answers, derived from the data version.

Every public page and API read (GET or HEAD) is a function of the records (the data version,
casualty_tracker/data_version.py), the day (the current month, "as of today"), the request
(scheme and host, path and query string, Accept, language) and who asks. `fingerprint(request)`
names that combination; it is the answer's ETag and the key of a cached answer, so it is known
before the view does any work:

- `ConditionalGetMiddleware`: a 200 answer to a GET or HEAD gets that ETag and a Cache-Control
  (`public, max-age=0, must-revalidate` when nobody is signed in; `private, ...` for a session or
  an `Authorization` header). An anonymous If-None-Match that matches is a 304 at once: no view,
  no query (and not counted by the API's throttle: it costs less than its refusal). A signed-in
  request always reaches the view (its permissions are checked afresh), then is answered 304 if
  the ETag matches. Never on /admin/ or /healthz, never on an error, a redirect, a response that
  sets a cookie or already has its own ETag or Cache-Control, nor on one whose page used the
  request's CSP nonce (a copy revalidated later would not match the new nonce).
- `CachedResponseMixin`: a view whose whole answer to an anonymous GET is kept in the shared
  cache under the fingerprint (the home page, the report pages, the report API): the next
  anonymous request reads it back without computing anything, before DRF's authentication and
  throttle (a cached answer costs less than the throttle's own bookkeeping, as a page, which has
  no throttle). Only anonymous answers, only 200s, never one that sets a cookie or uses a nonce;
  the security headers (CSP...) are added afresh to every answer by the middleware outside.

Both are off with DEBUG: in development a template edited since the last write would otherwise
be answered 304 or served from the cache. In production a release runs `migrate`, which makes a
new data version (data_version.connect).
"""

from __future__ import annotations

import hashlib
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_vary_headers

from . import data_version
from .errors import DATABASE_UNAVAILABLE

SAFE_METHODS = ("GET", "HEAD")
EXCLUDED_PREFIXES = ("/admin/", "/healthz")
PUBLIC = "public, max-age=0, must-revalidate"
PRIVATE = "private, max-age=0, must-revalidate"
# What besides the URL may change an answer: the format (API), the language, who asks.
VARY = ("Accept", "Accept-Language", "Authorization", "Cookie")


def is_active(request) -> bool:
    return (
        not settings.DEBUG
        and request.method in SAFE_METHODS
        and not request.path_info.startswith(EXCLUDED_PREFIXES)
    )


def is_anonymous(request) -> bool:
    """Nobody signed in: no session user and no API token (which DRF reads only in the view)."""
    return "HTTP_AUTHORIZATION" not in request.META and not request.user.is_authenticated


def fingerprint(request) -> str:
    """The ETag (quoted) of the answer to this request under the current data version."""
    request = getattr(request, "_request", request)  # a DRF Request wraps Django's
    known = getattr(request, "_fingerprint", None)
    if known is not None:
        return known
    who = ""
    if not is_anonymous(request):
        token = hashlib.sha256(request.META.get("HTTP_AUTHORIZATION", "").encode()).hexdigest()
        who = f"{request.user.pk}:{token}"
    parts = (
        data_version.current(),
        timezone.localdate().isoformat(),
        translation.get_language() or "",
        # Answers carry absolute links (claims/links.py): one host's are not another's.
        f"{request.scheme}://{request.get_host()}",
        request.get_full_path(),
        request.META.get("HTTP_ACCEPT", ""),
        who,
    )
    digest = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:32]
    request._fingerprint = f'"{digest}"'
    return request._fingerprint


def _used_nonce(request) -> bool:
    return isinstance(getattr(request, "_csp_nonce", None), str)


def _cache_control(request) -> str:
    return PUBLIC if is_anonymous(request) else PRIVATE


class ConditionalGetMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not is_active(request):
            return self.get_response(request)
        try:
            etag, anonymous = fingerprint(request), is_anonymous(request)
        except DATABASE_UNAVAILABLE:  # a session to read: the view will answer 503 (health.py)
            return self.get_response(request)
        if anonymous:  # answered before the view: a 304, or a 412 for an If-Match that fails
            answer = get_conditional_response(request, etag=etag)
            if answer is not None and answer.status_code == 304:
                return self._labelled(request, answer, etag)
            if answer is not None:
                return answer
        response = self.get_response(request)
        if (
            response.status_code != 200
            or response.cookies
            or response.has_header("ETag")
            or response.has_header("Cache-Control")
            or _used_nonce(request)
        ):
            return response
        response = self._labelled(request, response, etag)
        # A signed-in request reached the view (its permissions checked); it may still be a 304.
        return get_conditional_response(request, etag=etag, response=response)

    @staticmethod
    def _labelled(request, response, etag):
        response["ETag"] = etag
        response["Cache-Control"] = _cache_control(request)
        patch_vary_headers(response, VARY)
        return response


def cached_response(dispatch):
    """Keep the whole answer of this view method (`dispatch`) to an anonymous GET in the shared
    cache, under the request's fingerprint (so a write, a new day, another URL or format is
    another entry)."""

    @wraps(dispatch)
    def wrapper(view, request, *args, **kwargs):
        if not is_active(request) or request.method != "GET" or not is_anonymous(request):
            return dispatch(view, request, *args, **kwargs)
        key = f"response:{fingerprint(request)}"
        stored = cache.get(key)
        if stored is not None:
            status, content, headers = stored
            response = HttpResponse(content, status=status)
            for name, value in headers:
                response[name] = value
            return response
        response = dispatch(view, request, *args, **kwargs)
        if hasattr(response, "add_post_render_callback") and not response.is_rendered:
            response.add_post_render_callback(lambda rendered: _store(key, request, rendered))
        else:
            _store(key, request, response)
        return response

    return wrapper


def _store(key: str, request, response) -> None:
    request = getattr(request, "_request", request)
    if (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not _used_nonce(request)
    ):
        entry = (response.status_code, response.content, list(response.items()))
        cache.set(key, entry, data_version.TIMEOUT)


class CachedResponseMixin:
    """First among a view's bases (Django's or DRF's): its answers to anonymous GETs are kept."""

    @cached_response
    def dispatch(self, request, *args, **kwargs):
        return super().dispatch(request, *args, **kwargs)
