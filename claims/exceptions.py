"""Errors of the workflow that callers (admin, API, commands) turn into messages and statuses."""

from django.core.exceptions import ValidationError


class IllegalTransition(ValidationError):
    """An action that the claim's or assessment's current state does not allow (API: 409)."""


class StaleEdit(Exception):
    """Someone else changed the record since it was read for editing (API: 409)."""

    def __init__(self, message: str, *, changed_fields: list[str]):
        super().__init__(message)
        self.message = message
        self.changed_fields = changed_fields
