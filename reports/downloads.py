"""The whole public dataset as one zip: /downloads/ and `manage.py build_downloads`.

The zip holds every public CSV, made by calling the API's own list views with `?format=csv`
(`FILES`: the same code, columns and rows as any reader's export, never a copy), the data
dictionary (`reports.dictionary`, generated from the serializers and the vocabulary), the
licence, and `manifest.json`: each file's name, size and SHA-256, the number of rows of each CSV,
the date and the data version (a digest of the files' hashes).

Reproducible: the same records on the same day make a byte-identical zip (entries in name order,
each dated the day at 00:00, the same compression), so anyone can rebuild it and compare; its
name carries the date and the data version, so a file once written never changes.

Built in the background (`reports.tasks.downloads_build_task`, run by `manage.py db_worker`),
never in a web request's own time: the page queues a build when the records changed since the
last one (`casualty_tracker.data_version.current()`, once per version) and meanwhile offers the
last zip. The state of the last build is `downloads/current.json` in the default storage, beside
the zips (MEDIA_ROOT: every web server and the worker must share it).
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.files import File
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection, transaction
from django.test import RequestFactory
from django.urls import resolve
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from casualty_tracker import data_version, opendata

FOLDER = "downloads"
STATE = f"{FOLDER}/current.json"
PREFIX = "civilian-harm-data"
QUEUED_KEY = "downloads-queued"
KEPT = 10  # zips kept in storage: the current one and those before it (whoever cited one)
QUEUED_TIMEOUT = 60 * 60  # a build queued and lost (a worker gone) is queued again after this
CHUNK = 1024 * 1024


@dataclass(frozen=True)
class DataFile:
    """A CSV of the zip: the API list `path` read with `?format=csv`."""

    name: str
    path: str
    description: str


# Every public CSV: the records' lists and the monthly figures.
FILES = (
    DataFile("strikes.csv", "/api/v1/strikes/", _("Strikes as the belligerent recorded them.")),
    DataFile(
        "claims.csv",
        "/api/v1/claims/",
        _("Claims of civilian harm, each with its current official finding."),
    ),
    DataFile(
        "assessments.csv",
        "/api/v1/assessments/",
        _("Approved assessments (the official findings); drafts are never published."),
    ),
    DataFile(
        "external-assessments.csv",
        "/api/v1/external-assessments/",
        _("Independent organisations' findings on the same claims."),
    ),
    DataFile(
        "monthly-figures.csv",
        "/api/v1/reports/monthly/",
        _("Every month's figures, as in the monthly reports, from the first record to date."),
    ),
)


class BuildError(RuntimeError):
    pass


# --- Reading the CSVs through the API's own views ---------------------------------------------


def _view(path: str):
    """The API view that answers `path`, unthrottled (the build is not a reader)."""
    func = resolve(path).func
    initkwargs = {**getattr(func, "initkwargs", {}), "throttle_classes": []}
    if getattr(func, "actions", None):
        return func.cls.as_view(func.actions, **initkwargs)
    return func.cls.as_view(**initkwargs)


class _SiteRequest(WSGIRequest):
    """The build's own request, addressed to the site (SITE_URL): absolute links in the CSVs
    name the site, not a test host. ALLOWED_HOSTS guards against a forged Host header from
    outside; this host comes from the settings, not from outside."""

    def get_host(self) -> str:
        return self.META["HTTP_HOST"]


def export_request(path: str) -> WSGIRequest:
    """An anonymous GET of `path?format=csv` at SITE_URL (scheme and host)."""
    site = urlsplit(settings.SITE_URL)
    request = RequestFactory().get(
        path, {"format": "csv"}, secure=site.scheme == "https", HTTP_HOST=site.netloc
    )
    request.__class__ = _SiteRequest
    request.user = AnonymousUser()
    return request


def export_csv(data_file: DataFile, out) -> int | None:
    """Write the CSV export of `data_file` to the binary file `out`, as an anonymous reader
    would get it from `path?format=csv`; the number of rows (X-Total-Count) if the view says."""
    response = _view(data_file.path)(export_request(data_file.path))
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    if response.status_code != 200 or not response["Content-Type"].startswith("text/csv"):
        raise BuildError(f"{data_file.path}?format=csv answered {response.status_code}.")
    chunks = response.streaming_content if response.streaming else [response.content]
    for chunk in chunks:
        out.write(chunk)
    total = response.get("X-Total-Count")
    return int(total) if total is not None else None


def _count_rows(path: str) -> int:
    with open(path, newline="", encoding="utf-8") as handle:
        return max(sum(1 for _row in csv.reader(handle)) - 1, 0)  # less the header


# --- The zip ----------------------------------------------------------------------------------


def _sha256(path: str) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
            size += len(chunk)
    return digest.hexdigest(), size


def _dumps(data) -> bytes:
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode()


def _licence_text(terms: dict, as_of: date) -> bytes:
    return (
        f"{_('The data in this archive is published under this licence:')}\n\n"
        f"{terms['name']}\n{terms['url']}\n\n"
        f"{_('Cite it as: Civilian-harm claims tracker, data as of')} {as_of.isoformat()}.\n"
    ).encode()


def _write_files(folder: str, as_of: date) -> list[dict]:
    """Every file of the zip but the manifest, written into `folder`: their manifest entries."""
    from .dictionary import data_dictionary, dictionary_csv, dictionary_text

    rows = {}
    with _consistent_snapshot():
        for data_file in FILES:
            with open(os.path.join(folder, data_file.name), "wb") as out:
                rows[data_file.name] = export_csv(data_file, out)
    for name, total in rows.items():
        if total is None:  # a list rendered whole (the monthly figures) sends no count
            rows[name] = _count_rows(os.path.join(folder, name))
    headers = {}
    for data_file in FILES:
        with open(os.path.join(folder, data_file.name), "rb") as handle:
            headers[data_file.name] = handle.readline().decode().strip("\r\n")
    dictionary = data_dictionary(headers)
    terms = opendata.licence()
    texts = {
        "data-dictionary.json": _dumps(dictionary),
        "data-dictionary.csv": dictionary_csv(dictionary),
        "README.txt": dictionary_text(dictionary, licence=terms, as_of=as_of),
        "LICENCE.txt": _licence_text(terms, as_of),
    }
    for name, content in texts.items():
        with open(os.path.join(folder, name), "wb") as out:
            out.write(content)
    entries = []
    for name in sorted([*rows, *texts]):
        sha256, size = _sha256(os.path.join(folder, name))
        entry = {"name": name, "size": size, "sha256": sha256}
        if name in rows:
            entry["rows"] = rows[name]
        entries.append(entry)
    return entries


class _consistent_snapshot:
    """Every CSV read from one snapshot of the database: on PostgreSQL a REPEATABLE READ
    transaction (a write during the build is in none of the files, or in all); SQLite reads one
    snapshot per transaction anyway. Inside a transaction already (a test's), as it is."""

    def __enter__(self):
        self.atomic = None
        if connection.in_atomic_block:
            return self
        self.atomic = transaction.atomic()
        self.atomic.__enter__()
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        return self

    def __exit__(self, *exc):
        if self.atomic is not None:
            return self.atomic.__exit__(*exc)
        return False


def data_version_of(entries: list[dict]) -> str:
    """The data version named in the manifest: a digest of every file's name and SHA-256, so
    the same data always has the same version."""
    lines = "".join(f"{entry['sha256']}  {entry['name']}\n" for entry in entries)
    return hashlib.sha256(lines.encode()).hexdigest()[:16]


def _zip(folder: str, names: list[str], target, as_of: date) -> None:
    stamp = (as_of.year, as_of.month, as_of.day, 0, 0, 0)
    with zipfile.ZipFile(target, "w") as archive:
        for name in names:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3  # Unix, whichever system builds it
            info.external_attr = 0o644 << 16
            with open(os.path.join(folder, name), "rb") as source, archive.open(info, "w") as entry:
                shutil.copyfileobj(source, entry, CHUNK)


def build_zip(target, *, as_of: date) -> dict:
    """Write the zip of the public dataset as of `as_of` to the binary file `target`; its
    manifest."""
    with tempfile.TemporaryDirectory(prefix="downloads-") as folder:
        entries = _write_files(folder, as_of)
        manifest = {
            "title": "Civilian-harm claims tracker: the public dataset",
            "date": as_of.isoformat(),
            "data_version": data_version_of(entries),
            "licence": opendata.licence(),
            "files": entries,
        }
        with open(os.path.join(folder, "manifest.json"), "wb") as out:
            out.write(_dumps(manifest))
        _zip(
            folder, sorted([entry["name"] for entry in entries] + ["manifest.json"]), target, as_of
        )
    return manifest


# --- Building, storing, and the state the page shows ------------------------------------------


def zip_name(manifest: dict) -> str:
    return f"{PREFIX}-{manifest['date']}-{manifest['data_version']}.zip"


def downloads_state() -> dict | None:
    """The last build: file, size, sha256, date, data_version, built_for (the records' data
    version it was built from), built_at; None before the first."""
    try:
        with default_storage.open(STATE, "rb") as handle:
            return json.loads(handle.read())
    except (FileNotFoundError, ValueError):
        return None


def _store_state(state: dict) -> None:
    content = _dumps(state)
    try:
        path = default_storage.path(STATE)
    except NotImplementedError:  # a remote storage: no rename
        default_storage.delete(STATE)
        default_storage.save(STATE, ContentFile(content))
        return
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with tempfile.NamedTemporaryFile("wb", dir=os.path.dirname(path), delete=False) as out:
        out.write(content)
    os.chmod(
        out.name, settings.FILE_UPLOAD_PERMISSIONS or 0o644
    )  # as the zips: web servers read it
    os.replace(out.name, path)  # readers see the old state or the new, never half of one


def downloads_build() -> dict:
    """Build the zip of the records as they are now, keep it in storage (unless the same zip is
    there already) and make it the current one: the new state."""
    version = data_version.current()  # before reading: a write during the build makes it stale
    as_of = timezone.localdate()
    # In the site's language whoever asked: the same records make the same zip.
    with translation.override(settings.LANGUAGE_CODE), tempfile.TemporaryFile() as target:
        manifest = build_zip(target, as_of=as_of)
        target.seek(0)
        sha256 = hashlib.sha256()
        while chunk := target.read(CHUNK):
            sha256.update(chunk)
        size = target.tell()
        name = f"{FOLDER}/{zip_name(manifest)}"
        if not default_storage.exists(name):
            target.seek(0)
            stored = default_storage.save(name, File(target, name=name))
            if stored != name:
                raise BuildError(f"The zip was stored as {stored}, not {name}.")
    state = {
        "file": zip_name(manifest),
        "size": size,
        "sha256": sha256.hexdigest(),
        "date": manifest["date"],
        "data_version": manifest["data_version"],
        "built_for": version,
        "built_at": timezone.now().isoformat(timespec="seconds"),
    }
    _store_state(state)
    _prune(keep=state["file"])
    return state


def _prune(*, keep: str) -> None:
    """Delete all but the KEPT most recently written zips (never `keep`, the current one)."""
    _folders, names = default_storage.listdir(FOLDER)
    zips = [name for name in names if name.startswith(PREFIX) and name.endswith(".zip")]
    zips.sort(key=lambda name: default_storage.get_modified_time(f"{FOLDER}/{name}"))
    for name in zips[:-KEPT]:
        if name != keep:
            default_storage.delete(f"{FOLDER}/{name}")


def downloads_status() -> tuple[dict | None, bool]:
    """(the last build's state, whether it is stale: the records changed since it was built,
    a month began, or there is none yet)."""
    state = downloads_state()
    return state, _is_stale(state)


def _is_stale(state: dict | None) -> bool:
    if state is None or state.get("built_for") != data_version.current():
        return True
    # The monthly figures run to the current month: a zip of an earlier month lacks this one.
    return state.get("date", "")[:7] != timezone.localdate().isoformat()[:7]


def downloads_current() -> tuple[dict | None, bool]:
    """`downloads_status()`, a stale zip queued for a build first (once per data version and
    month: the worker runs it)."""
    state, stale = downloads_status()
    key = f"{QUEUED_KEY}:{data_version.current()}:{timezone.localdate().isoformat()[:7]}"
    if stale and cache.add(key, True, QUEUED_TIMEOUT):
        from .tasks import downloads_build_task  # the task module imports this one

        downloads_build_task.enqueue()
        state, stale = downloads_status()  # an immediate backend (tests) has built it already
    return state, stale


def downloads_file(name: str):
    """The stored zip called `name` (opened), or None: only the zips this module writes."""
    if not (name.startswith(PREFIX) and name.endswith(".zip")) or "/" in name:
        return None
    path = f"{FOLDER}/{name}"
    if not default_storage.exists(path):
        return None
    return default_storage.open(path, "rb")
