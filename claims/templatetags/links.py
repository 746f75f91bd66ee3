"""Links to outside sources (a claim's, a strike's, an external assessment's URL).

Validation refuses anything but a web address, yet a value written by a path that skips it (a
queryset update, SQL, an old row) must not become a live link: `javascript:alert(1)` in an href
runs when clicked. Every template that links a stored URL does it here.
"""

from urllib.parse import urlsplit

from django import template
from django.utils.html import format_html

register = template.Library()


def is_web_address(url) -> bool:
    """http:// or https:// with a host: the only stored URLs rendered as links."""
    try:
        parts = urlsplit(str(url or ""))
    except ValueError:
        return False
    return parts.scheme.lower() in {"http", "https"} and bool(parts.netloc)


@register.simple_tag
def source_link(url, text=None, rel="noopener nofollow"):
    """`<a href="url" rel="...">text</a>` for a web address; otherwise the text alone (the
    address itself, as text, if no text is given)."""
    text = text or url
    if not is_web_address(url):
        return format_html("{}", text)
    return format_html('<a href="{}" rel="{}">{}</a>', url, rel, text)
