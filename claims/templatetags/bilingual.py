"""A record's text in the reader's language (claims.bilingual): `{{ claim|place_in }}`,
`{{ claim|text_in:"summary" }}`, `{{ victim|text_in:"name" }}`. The text is marked with its
language and direction; the English text on an Arabic page is followed by "(English)"."""

from django import template
from django.template.defaultfilters import linebreaks_filter
from django.utils.html import format_html
from django.utils.translation import gettext

from ..bilingual import ARABIC, Shown, page_language
from ..bilingual import place_in as shown_place
from ..bilingual import place_text_in as shown_place_text
from ..bilingual import text_in as shown_text

register = template.Library()


def rendered(shown: Shown):
    if not shown.text:
        return ""
    direction = "rtl" if shown.language == ARABIC else "ltr"
    if shown.fallback:
        return format_html(
            '<span lang="en" dir="ltr">{}</span> <span class="fallback">{}</span>',
            shown.text,
            gettext("(English)"),
        )
    if shown.language == ARABIC or page_language() == ARABIC:
        return format_html('<span lang="{}" dir="{}">{}</span>', shown.language, direction, shown)
    return shown.text


@register.filter
def place_in(location):
    """A claim's place as published (claims.public.Location) in the page's language."""
    return rendered(shown_place(location, page_language()))


@register.filter
def place_text_in(place: str):
    """A place written out ("Mosul, Ninawa"; a month's list rows) in the page's language."""
    return rendered(shown_place_text(place, page_language()))


@register.filter
def text_in(record, field: str):
    """`record.<field>` in the page's language, or its English text marked as such."""
    return rendered(shown_text(record, field, page_language()))


@register.filter
def paragraphs_in(record, field: str):
    """`record.<field>` (a text of several paragraphs) in the page's language, as paragraphs."""
    shown = shown_text(record, field, page_language())
    if not shown.text:
        return ""
    paragraphs = linebreaks_filter(shown.text, autoescape=True)
    if shown.fallback:
        return format_html(
            '<div lang="en" dir="ltr">{}</div><p class="fallback">{}</p>',
            paragraphs,
            gettext("(English)"),
        )
    if shown.language == ARABIC or page_language() == ARABIC:
        direction = "rtl" if shown.language == ARABIC else "ltr"
        return format_html(
            '<div lang="{}" dir="{}">{}</div>', shown.language, direction, paragraphs
        )
    return paragraphs
