"""The page's language in templates: `<html lang dir>`, the language switcher, isolated refs."""

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html

from casualty_tracker import digits

register = template.Library()


@register.simple_tag
def html_lang() -> str:
    """The page's BCP 47 tag: en-GB for English (LANGUAGE_CODE), ar for Arabic."""
    return translation.to_locale(translation.get_language() or settings.LANGUAGE_CODE).replace(
        "_", "-"
    )


@register.simple_tag
def number_locale() -> str:
    return digits.number_locale()


@register.simple_tag(takes_context=True)
def other_languages(context) -> list[dict]:
    """The same page (path and query string) in every other language of settings.LANGUAGES."""
    request = context.get("request")
    path = request.get_full_path() if request else "/"
    current = translation.get_language() or settings.LANGUAGE_CODE
    return [
        {"code": code, "name": name, "url": language_path(path, code)}
        for code, name in settings.LANGUAGES
        if code != current
    ]


def language_path(path: str, language: str) -> str:
    """`path` (with its query string) in `language`: the public pages are at the same address
    with the language's prefix, none for the default language (i18n_patterns, urls.py)."""
    prefix = translation.get_language_from_path(path)
    if prefix:
        path = path[len(prefix) + 1 :] or "/"
    return path if language == settings.LANGUAGE_CODE else f"/{language}{path}"


@register.filter
def ref(value) -> str:
    """An identifier (claim ref, URL, code) isolated from the right-to-left text around it and
    left as written (left to right, its digits Latin): `<bdi dir="ltr" translate="no">` on a
    right-to-left page; as it is on a left-to-right one, where it already reads in order."""
    if not translation.get_language_bidi():
        return value
    return format_html('<bdi dir="ltr" translate="no">{}</bdi>', value)


@register.filter
def is_under(path: str, prefix: str) -> bool:
    """`path` is `prefix` or an address below it (the header's current section)."""
    return str(path).startswith(str(prefix))
