"""The reader's language: one home for which language answers a request.

The public pages are under `i18n_patterns(prefix_default_language=False)` (urls.py): `/ar/...`
is Arabic, every other public address English, whatever the browser asks for, so that a
link always shows the same page. The API's addresses carry no language: its keys and values never
change, and its human-readable labels (`reason_label`...) follow `Accept-Language`. The admin is
English.
"""

from django.middleware.locale import LocaleMiddleware
from django.utils import translation
from django.utils.cache import patch_vary_headers

API_PREFIX = "/api/"


class LanguageMiddleware(LocaleMiddleware):
    def process_request(self, request):
        if request.path_info.startswith(API_PREFIX):
            translation.activate(translation.get_language_from_request(request))
            request.LANGUAGE_CODE = translation.get_language()
            return
        super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        if request.path_info.startswith(API_PREFIX):
            patch_vary_headers(response, ("Accept-Language",))
        return response


# A number of each CLDR plural category (Intl.PluralRules), for the scripts' phrases: gettext's
# Arabic plural forms (0, 1, 2, 3-10, 11-99, 100+) are the same categories.
PLURAL_SAMPLES = {"zero": 0, "one": 1, "two": 2, "few": 3, "many": 11, "other": 100}


def plural_forms(phrase) -> dict[str, str]:
    """`phrase(n)` (an ngettext call) for each plural category: a script picks the form with
    `new Intl.PluralRules(lang).select(n)`, as gettext would (static/js/map.js)."""
    return {category: phrase(n) for category, n in PLURAL_SAMPLES.items()}
