"""The data version: one token that changes whenever the records change.

Everything computed from the records (the figures of a month, the monthly series, the summary,
whole public pages, API counts) is cached in the shared cache under a key that contains the
current data version, and public answers carry it in their ETag. On a finished campaign the
records change only when someone writes; each write makes a new version, so the next request
computes afresh and nothing stale is ever served, without deleting any key (old entries expire).

`changed()` is the one place a version is made. It is called:
- by a signal for every save, delete and many-to-many change of a model of the `claims` and
  `reports` apps (the services, the admin, the workflow, publication: `connect()`, from the
  apps' `ready()`);
- by the writers that bypass signals (bulk inserts and updates of the importer);
- after `migrate`, which every release runs: new code may compute or show the figures otherwise.
A version is made at once and again when the transaction commits: a request that read the old
rows in between cannot leave its answer under the new version.

The version lives in the shared cache (settings.CACHES), so every worker sees the same one. If
the cache is emptied, a new version is made on the next read: everything is computed again once.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.utils import translation

KEY = "data-version"
# Derived entries are never stale (their key names the version), so they only need to expire
# to make room: a day keeps a quiet site's pages warm and bounds a file cache's growth.
TIMEOUT = 24 * 60 * 60
# The apps whose records the public figures and pages are made of.
APPS = ("claims", "reports")

T = TypeVar("T")


def current() -> str:
    """The current data version (made on first use)."""
    version = cache.get(KEY)
    if version is None:
        cache.add(KEY, uuid.uuid4().hex, timeout=None)  # add: the first worker's version wins
        version = cache.get(KEY)
    return version


def _bump() -> None:
    cache.set(KEY, uuid.uuid4().hex, timeout=None)


def changed() -> None:
    """The records changed: make a new version now and again when the transaction commits."""
    _bump()
    transaction.on_commit(_bump)


def cached(name: str, compute: Callable[[], T], *parts) -> T:
    """`compute()`, computed once per data version, language and these parts (e.g. a month)
    and shared by every worker through the cache. The language, because a value may hold words
    or addresses in it (a row's link is /ar/... on the Arabic pages)."""
    key = ":".join([name, current(), translation.get_language() or "", *map(str, parts)])
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, TIMEOUT)
    return value


def _on_write(sender, **kwargs) -> None:
    if sender._meta.app_label in APPS:
        changed()


def _on_m2m(sender, action, **kwargs) -> None:
    if action in {"post_add", "post_remove", "post_clear"} and sender._meta.app_label in APPS:
        changed()


def _on_migrate(sender, **kwargs) -> None:
    changed()


def connect() -> None:
    """Every save, delete and many-to-many change of a record, and every `migrate`, makes a new
    version."""
    post_save.connect(_on_write, dispatch_uid="data_version.save")
    post_delete.connect(_on_write, dispatch_uid="data_version.delete")
    m2m_changed.connect(_on_m2m, dispatch_uid="data_version.m2m")
    post_migrate.connect(_on_migrate, dispatch_uid="data_version.migrate")
