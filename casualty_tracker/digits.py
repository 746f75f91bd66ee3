"""The digits of numbers and dates on Arabic pages: one home (settings.ARABIC_DIGITS).

"latin" (0-9, the default) leaves every page as written. "arabic-indic" writes ٠-٩ in the text
of an Arabic page (figures, dates, page numbers), never in what a machine reads (attributes:
links, `datetime`, ids; scripts and styles) nor in identifiers marked `translate="no"` (claim refs,
URLs, code), which are copied and searched as written. The charts read the same choice from
`<html data-number-locale>` (static/js/charts.js). The numbers are those of the English page.
"""

import re

from django.conf import settings
from django.utils import translation

ARABIC_INDIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
# Tags, comments, and the elements whose content is never text for a reader.
_TOKEN = re.compile(r"<!--.*?-->|<(script|style)\b.*?</\1\s*>|<[^>]*>", re.S | re.I)
_OPEN_NO = re.compile(r"<(\w+)\b[^>]*\btranslate=\"no\"", re.I)


def uses_arabic_indic(language: str | None = None) -> bool:
    language = language or translation.get_language() or ""
    return settings.ARABIC_DIGITS == "arabic-indic" and language.split("-")[0] == "ar"


def number_locale(language: str | None = None) -> str:
    """The BCP 47 locale the charts format numbers in (Intl.NumberFormat)."""
    language = language or translation.get_language() or "en"
    if language.split("-")[0] == "ar":
        return "ar-u-nu-arab" if uses_arabic_indic(language) else "ar-u-nu-latn"
    return language


def arabic_indic_text(value: str) -> str:
    """`value` with ٠-٩ for 0-9 (plain text, no markup)."""
    return value.translate(ARABIC_INDIC)


def arabic_indic_html(html: str) -> str:
    """The digits of an HTML page's text in ٠-٩; tags, attributes, scripts, styles and the
    content of `translate="no"` elements unchanged."""
    out, position, skipping = [], 0, []
    for match in _TOKEN.finditer(html):
        text = html[position : match.start()]
        out.append(text if skipping else arabic_indic_text(text))
        tag = match.group(0)
        out.append(tag)
        position = match.end()
        opened = _OPEN_NO.match(tag)
        if opened and not tag.endswith("/>"):
            skipping.append(opened.group(1).lower())
        elif skipping and tag.lower().startswith(f"</{skipping[-1]}"):
            skipping.pop()
    rest = html[position:]
    out.append(rest if skipping else arabic_indic_text(rest))
    return "".join(out)


class ArabicDigitsMiddleware:
    """Applies ARABIC_DIGITS to every HTML page answered in Arabic."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            uses_arabic_indic()
            and not response.streaming
            and response.get("Content-Type", "").startswith("text/html")
        ):
            response.content = arabic_indic_html(response.content.decode(response.charset))
        return response
