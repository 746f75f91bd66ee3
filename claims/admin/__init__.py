"""The admin: the reviewers' workplace. Every action calls claims.services."""

from . import records  # noqa: F401  (registers the ModelAdmins)
