"""The admin: the reviewers' workplace. Every action calls claims.services."""

from . import batches, claim, records  # noqa: F401  (registers the ModelAdmins)
