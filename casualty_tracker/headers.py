"""Headers on every response: the Content-Security-Policy, a Permissions-Policy, and the
data's licence as `Link: <url>; rel="license"` (RFC 8288; casualty_tracker/opendata.py) on
every page, API answer and download (not on the admin's pages, which publish nothing).

The policy (settings: "Security headers") allows scripts and styles from our own static files
only, and inline ones only with the request's nonce (`{{ request.csp_nonce }}`, used by the API
docs page alone). The admin's pages and ours (templates/admin/) put styles inline, so on /admin/
styles may be inline; scripts never are.
"""

from csp.constants import UNSAFE_INLINE
from csp.middleware import CSPMiddleware
from django.conf import settings

from .opendata import licence_link

INLINE_STYLE_PREFIXES = ("/admin/",)


class SecurityHeadersMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path_info.startswith(INLINE_STYLE_PREFIXES) and parts.update is None:
            parts.update = {"style-src": [UNSAFE_INLINE]}
        return parts

    def process_response(self, request, response):
        response = super().process_response(request, response)
        response.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        link = licence_link()
        existing = response.get("Link", "")
        if not request.path_info.startswith(INLINE_STYLE_PREFIXES) and link not in existing:
            response["Link"] = f"{existing}, {link}" if existing else link
        return response
