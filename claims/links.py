"""Every record's two addresses, absolute: its public page (`url`) and its API record
(`api_url`). The one home of both: the serializers (`claims.api.serializers.Link`), the list
rows and exports (`claims.api.rows`), GeoJSON's properties and the pages read them here.

The base (scheme and host) is the request's where there is one, else the `SITE_URL` setting
(commands and background builds). Paths are built from a reversed pattern once, then by string
formatting: a `reverse()` per row would cost more than reading the row (350,000 rows an export).
"""

import re
from urllib.parse import quote, urlencode

from django.conf import settings
from django.urls import reverse
from django.utils.translation import get_language

# What Django's reverse() leaves unquoted in a path (django.urls.resolvers: RFC 3986's
# sub-delimiters and "/~:@"), so that a link made here is the one reverse() makes.
_SAFE = "!$&'()*+,;=/~:@"
_MARKER = "KEY"
# Keys made of these alone are the same quoted: no quote() call.
_PLAIN = re.compile(r"[A-Za-z0-9_.~-]*")


def site_base(request=None) -> str:
    """scheme://host of the absolute links: the request's, else `SITE_URL`."""
    if request is not None:
        return f"{request.scheme}://{request.get_host()}"
    return settings.SITE_URL.rstrip("/")


def absolute(path: str, request=None) -> str:
    return site_base(request) + path


class _Path:
    """reverse(name, args=[key]) for one URL name, without reverse()'s cost: the pattern is
    reversed once per language, then a key is put in its place (quoted as reverse() would, when
    it needs quoting). `bind()` gives the path of the active language, looked up once: what a
    list of rows calls per row (about 0.5 µs, against 9 µs for quote() and a cached lookup)."""

    def __init__(self, name: str):
        self.name = name
        # Per language: a public page's path has the language's prefix (/ar/claims/...).
        self.parts: dict[str | None, tuple[str, str]] = {}

    def bind(self, base: str = ""):
        """This path in the active language, after `base` (scheme://host: an absolute link),
        as a function of the key."""
        language = get_language()
        parts = self.parts.get(language)
        if parts is None:
            prefix, suffix = reverse(self.name, args=[_MARKER]).split(_MARKER)
            parts = self.parts[language] = (prefix, suffix)
        prefix, suffix = parts
        prefix = base + prefix
        plain = _PLAIN.fullmatch

        def path(key) -> str:
            text = key if type(key) is str else str(key)
            if not plain(text):
                text = quote(text, safe=_SAFE)
            return prefix + text + suffix

        return path

    def __call__(self, key) -> str:
        return self.bind()(key)


class _Anchor:
    """A place on another record's page: `page(key)` + `mark` + the number of the place."""

    def __init__(self, page: _Path, mark: str):
        self.page, self.mark = page, mark

    def bind(self, base: str = ""):
        page, mark = self.page.bind(base), self.mark
        return lambda key, number: page(key) + mark + str(number)

    def __call__(self, key, number) -> str:
        return self.bind()(key, number)


def bound(path, base: str = ""):
    """`path` (a function of a record's key) in the active language and after `base`
    (scheme://host), for many calls: a `_Path` or an `_Anchor` looks its language up once; any
    other function is called as it is."""
    bind = getattr(path, "bind", None)
    if bind is not None:
        return bind(base)
    return (lambda *key: base + path(*key)) if base else path


_PATHS: dict[str, _Path] = {}


def path_of(name: str, key) -> str:
    """reverse(name, args=[key]), without reverse()'s cost."""
    path = _PATHS.get(name) or _PATHS.setdefault(name, _Path(name))
    return path(key)


# --- the public pages ------------------------------------------------------------------------


claim_page = _Path("claims:detail")
strike_page = _Path("claims:strike")


# An approved assessment: its event in its claim's history (`id="event-N"`), from the claim's
# ref and the assessment's sequence.
assessment_page = _Anchor(claim_page, "#event-")
# An independent finding: its row in its claim's table (`id="external-N"`), from the claim's ref
# and the finding's id.
external_page = _Anchor(claim_page, "#external-")


def belligerent_page(pk: int) -> str:
    """A belligerent has no page of its own: the claims that name it."""
    return f"{reverse('claims:list')}?{urlencode({'belligerent': pk})}"


# --- the API's records -----------------------------------------------------------------------


def api_record(basename: str) -> _Path:
    """The path of a record of the API's `basename` list ("claim", "strike"...) from its key."""
    return _Path(f"api:{basename}-detail")
