"""Every record's two addresses, absolute: its public page (`url`) and its API record
(`api_url`). The one home of both: the serializers (`claims.api.serializers.Link`), the list
rows and exports (`claims.api.rows`), GeoJSON's properties and the pages read them here.

The base (scheme and host) is the request's where there is one, else the `SITE_URL` setting
(commands and background builds). Paths are built from a reversed pattern once, then by string
formatting: a `reverse()` per row would cost more than reading the row (350,000 rows an export).
"""

from functools import cache
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse

# What Django's reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986's
# sub-delimiters and "/~:@"), so that a link made here is the one reverse() makes.
_SAFE = "!$&'()*+,;=/~:@"
_MARKER = "KEY"


def site_base(request=None) -> str:
    """scheme://host of the absolute links: the request's, else `SITE_URL`."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.SITE_URL.rstrip("/")


def absolute(path: str, request=None) -> str:
    return site_base(request) + path


@cache
def _around(name: str) -> tuple[str, str]:
    prefix, suffix = reverse(name, args=[_MARKER]).split(_MARKER)
    return prefix, suffix


def path_of(name: str, key) -> str:
    """reverse(name, args=[key]), without reverse()'s cost."""
    prefix, suffix = _around(name)
    return f"{prefix}{quote(str(key), safe=_SAFE)}{suffix}"


# --- the public pages ------------------------------------------------------------------------


def claim_page(claim_ref: str) -> str:
    return path_of("claims:detail", claim_ref)


def strike_page(strike_ref: str) -> str:
    return path_of("claims:strike", strike_ref)


def assessment_page(claim_ref: str, sequence: int) -> str:
    """An approved assessment: its event in its claim's history (`id="event-N"`)."""
    return f"{claim_page(claim_ref)}#event-{sequence}"


def external_page(claim_ref: str, pk: int) -> str:
    """An independent finding: its row in its claim's table (`id="external-N"`)."""
    return f"{claim_page(claim_ref)}#external-{pk}"


def belligerent_page(pk: int) -> str:
    """A belligerent has no page of its own: the claims that name it."""
    return f"{reverse('claims:list')}?{urlencode({'belligerent': pk})}"


# --- the API's records -----------------------------------------------------------------------


def api_record(basename: str):
    """The path of a record of the API's `basename` list ("claim", "strike"...) from its key."""

    def path(key) -> str:
        return path_of(f"api:{basename}-detail", key)

    path.__name__ = f"{basename.replace('-', '_')}_record"
    return path
