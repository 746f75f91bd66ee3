"""Helpers for the admin tests: post a change form back as a browser would, read messages."""

import html

from django.contrib.messages import get_messages
from django.urls import reverse

from claims.models import Claim


def fresh(claim):
    """The claim as the database has it now."""
    return Claim.objects.get(pk=claim.pk)


def page_text(response) -> str:
    return html.unescape(response.content.decode())


def _values(form) -> dict:
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None or value is False:
            continue
        if isinstance(value, list | tuple):
            data[form.add_prefix(name)] = [str(item) for item in value]
        else:
            data[form.add_prefix(name)] = "on" if value is True else str(value)
    return data


def change_form_data(response, **changes) -> dict:
    """The change form of a GET response (fields, inlines, management forms) as the browser
    would post it back, with `changes` applied."""
    data = _values(response.context["adminform"].form)
    for inline in response.context["inline_admin_formsets"]:
        data |= _values(inline.formset.management_form)
        for form in inline.formset.forms:
            data |= _values(form)
    return data | {name: str(value) for name, value in changes.items()}


def messages_of(response) -> list[str]:
    return [str(message) for message in get_messages(response.wsgi_request)]


def claim_url(claim, action="change") -> str:
    return reverse(f"admin:claims_claim_{action}", args=[claim.pk])
