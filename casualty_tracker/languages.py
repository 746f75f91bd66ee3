"""The reader's language: one home for which language answers a request.

The public pages are under `i18n_patterns(prefix_default_language=False)` (casualty_tracker/urls.py):
`/ar/...` is Arabic, every other public address English, whatever the browser asks for, so that a
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
