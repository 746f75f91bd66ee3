"""{{ value|json_block }}: a value as JSON inside a <script> data block (JSON-LD, CSL-JSON),
escaped as Django's json_script escapes it, so that no text in it can end the script."""

import json

from django import template
from django.core.serializers.json import DjangoJSONEncoder
from django.utils.html import _json_script_escapes
from django.utils.safestring import mark_safe

register = template.Library()


@register.filter
def json_block(value) -> str:
    text = json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=1)
    return mark_safe(text.translate(_json_script_escapes))
