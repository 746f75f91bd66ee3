"""The admin: the reviewers' workplace. Every action calls claims.services."""

from . import claim, records  # noqa: F401  (registers the ModelAdmins)
