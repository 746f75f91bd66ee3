"""Importing a CSV file from the admin: the same importer as `manage.py import_csv`.

Two steps. Upload: the file is kept in a private folder named by the user, the kind and a random
token, and validated with a dry run that writes nothing; the page shows every error, or how many
rows would be imported. Confirm: the kept file is imported for real (validated again, all or
nothing) and deleted. A token only finds a file uploaded by the same user for the same kind.

A file of assessments is not imported on confirm: it becomes a pending batch that counts for
nothing until a different reviewer approves it (claims.services.batches; four eyes).
"""

import re
import secrets
import shutil
import tempfile
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import get_valid_filename

from .. import roles, services
from ..importers import IMPORTERS, KINDS, ImportFileError, ImportResult, import_csv
from ..services.batches import KIND as BATCH_KIND  # becomes a batch for a second reviewer
from .batches import batch_preview_store

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
ERRORS_SHOWN = 500
# Uploads never confirmed are deleted after a day.
UPLOAD_MAX_AGE_SECONDS = 24 * 60 * 60
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")

KIND_LABELS = {
    "strikes": "Strikes",
    "claims": "Claims",
    "assessments": "Assessments and reopenings (approved by a second reviewer, then imported)",
    "external_assessments": "External assessments",
}
KIND_RECORDS = {
    "strikes": ("admin:claims_strike_changelist", "strikes"),
    "claims": ("admin:claims_claim_changelist", "claims"),
    "assessments": ("admin:claims_assessment_changelist", "assessments"),
    "external_assessments": ("admin:claims_externalassessment_changelist", "external assessments"),
}


def importable_kinds(user) -> list[str]:
    return [kind for kind in KINDS if roles.can(user, roles.IMPORT_ACTIONS[kind])]


# The uploaded file between the two steps.


def uploads_folder() -> Path:
    return Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir()) / "claims-uploads"


def _folder(user, kind: str, token: str) -> Path:
    return uploads_folder() / f"{user.pk}-{kind}-{token}"


def _remove_stale_uploads() -> None:
    cutoff = time.time() - UPLOAD_MAX_AGE_SECONDS
    for folder in uploads_folder().iterdir():
        try:
            is_stale = folder.stat().st_mtime < cutoff
        except FileNotFoundError:  # another request removed it meanwhile
            continue
        if is_stale:
            shutil.rmtree(folder, ignore_errors=True)


def upload_keep(upload, *, user, kind: str) -> tuple[str, Path]:
    """Save the uploaded file under a new token; return the token and the file's path."""
    uploads_folder().mkdir(mode=0o700, parents=True, exist_ok=True)
    _remove_stale_uploads()
    token = secrets.token_urlsafe(24)
    folder = _folder(user, kind, token)
    folder.mkdir(mode=0o700)
    try:  # errors name the file as the user knows it
        name = get_valid_filename(Path(upload.name).name)[-100:]
    except SuspiciousFileOperation:
        name = "upload.csv"
    path = folder / name
    with path.open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return token, path


def upload_take(*, user, kind: str, token: str) -> Path | None:
    """The kept file of this user, kind and token, moved aside so that it is imported at most
    once (a second confirm finds nothing); None if there is none."""
    if kind not in KINDS or not _TOKEN.fullmatch(token):
        return None
    folder = _folder(user, kind, token)
    taken = folder.with_name(f"{folder.name}.confirmed")
    try:
        folder.rename(taken)
    except FileNotFoundError:
        return None
    return next(taken.iterdir(), None)


def upload_discard(path: Path) -> None:
    shutil.rmtree(path.parent, ignore_errors=True)


def _run(kind: str, path: Path, *, dry_run: bool, user) -> tuple[ImportResult | None, str]:
    """The import's result, or None and the message of a file that cannot be read."""
    try:
        return import_csv(kind, path, dry_run=dry_run, user=user), ""
    except ImportFileError as exc:
        return None, str(exc).replace(str(path), path.name)  # never show the server's paths


# The page.


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label="What the file holds")
    # An empty file is the importer's to report, like any other unreadable file.
    file = forms.FileField(label="CSV file", allow_empty_file=True)

    def __init__(self, *args, kinds: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(kind, KIND_LABELS[kind]) for kind in kinds]

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"The file is {upload.size / 2**20:.1f} MB; the limit is "
                f"{MAX_UPLOAD_BYTES // 2**20} MB. Split it into smaller files."
            )
        return upload


def _columns_help(kinds: list[str]) -> list[dict]:
    return [
        {
            "label": KIND_LABELS[kind],
            "columns": [(c, c in IMPORTERS[kind].required) for c in IMPORTERS[kind].columns],
        }
        for kind in kinds
    ]


def _render(request, kinds: list[str], **context):
    context.setdefault("form", UploadForm(kinds=kinds))
    result = context.get("result")
    if result is not None and result.errors:
        groups = result.grouped()  # the same error on many rows is one line of the table
        context["errors"] = groups[:ERRORS_SHOWN]
        context["errors_hidden"] = sum(group.count for group in groups[ERRORS_SHOWN:])
    return TemplateResponse(
        request,
        "admin/claims/upload.html",
        {
            **admin.site.each_context(request),
            "title": "Import a CSV file",
            "max_upload_mb": MAX_UPLOAD_BYTES // 2**20,
            "kinds_help": _columns_help(kinds),
            **context,
        },
    )


def _preview(request, kinds: list[str]):
    form = UploadForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _render(request, kinds, form=form)
    kind = form.cleaned_data["kind"]
    token, path = upload_keep(form.cleaned_data["file"], user=request.user, kind=kind)
    result, problem = _run(kind, path, dry_run=True, user=request.user)
    if result is None or not result.ok:
        upload_discard(path)
        token = ""
    return _render(
        request, kinds, form=form, kind=kind, result=result, problem=problem, token=token
    )


def _confirm(request, kinds: list[str]):
    kind = request.POST.get("kind", "")
    path = upload_take(user=request.user, kind=kind, token=request.POST.get("token", ""))
    if path is None:
        messages.error(request, "This upload has expired or was already used: upload it again.")
        return redirect("claims_import")
    if "cancel" in request.POST:
        upload_discard(path)
        messages.info(request, "Import cancelled; nothing was written.")
        return redirect("claims_import")
    if kind == BATCH_KIND:
        return _submit_batch(request, kinds, path)
    try:
        result, problem = _run(kind, path, dry_run=False, user=request.user)
    finally:
        upload_discard(path)
    if result is None or not result.ok:
        return _render(request, kinds, kind=kind, result=result, problem=problem)
    view_name, records = KIND_RECORDS[kind]
    messages.success(
        request,
        format_html('{} <a href="{}">See the {}.</a>', result.summary, reverse(view_name), records),
    )
    return redirect("claims_import")


def _submit_batch(request, kinds: list[str], path: Path):
    """A file of assessments becomes a pending batch for a second reviewer."""
    try:
        batch, result = services.assessment_batch_upload(
            by=request.user, file_name=path.name, data=path.read_bytes()
        )
    except ImportFileError as exc:
        batch, result, problem = None, None, str(exc)
    else:
        problem = ""
    finally:
        upload_discard(path)
    if batch is None:
        return _render(request, kinds, kind=BATCH_KIND, result=result, problem=problem)
    batch_preview_store(batch)
    messages.success(
        request,
        f"Batch {batch.pk} ({batch.summary} from {batch.file_name}) awaits a second reviewer: it "
        "counts for nothing until a reviewer other than you approves it.",
    )
    return redirect("admin:claims_assessmentbatch_change", batch.pk)


def upload_view(request):
    kinds = importable_kinds(request.user)
    kind = request.POST.get("kind")
    if not kinds or (kind in KINDS and kind not in kinds):
        raise PermissionDenied
    if request.method != "POST":
        return _render(request, kinds)
    if "token" in request.POST:
        return _confirm(request, kinds)
    return _preview(request, kinds)
