"""Content negotiation: `?format=` picks the format; an unknown one is a 400 naming the choices
(DRF's default is a bare 404)."""

from rest_framework.exceptions import ValidationError
from rest_framework.negotiation import DefaultContentNegotiation
from rest_framework.settings import api_settings


class ContentNegotiation(DefaultContentNegotiation):
    def filter_renderers(self, renderers, format):
        chosen = [renderer for renderer in renderers if renderer.format == format]
        if not chosen:
            known = ", ".join(renderer.format for renderer in renderers)
            name = api_settings.URL_FORMAT_OVERRIDE
            raise ValidationError({name: [f"Unknown format {format!r}: use {known}."]})
        return chosen
