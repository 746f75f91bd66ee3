"""Importing a CSV file from the admin: the same importer as `manage.py import_csv`, run as a
background job (claims.services.jobs, claims.tasks) so that the request returns at once.

Two steps, each a job with a progress bar. Upload: the file is kept in the database and checked
with a dry run that writes nothing; the job's page shows every error, or how many rows would be
imported. Confirm: the kept file is imported for real (validated again, all or nothing) and
dropped. Only the uploader confirms, once; the job's id finds nothing for anyone else.

A file of assessments is not imported on confirm: it becomes a pending batch that counts for
nothing until a different reviewer approves it (claims.services.batches; four eyes).
"""

from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, SuspiciousFileOperation
from django.db.models import BooleanField, ExpressionWrapper, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.text import get_valid_filename
from django_tasks_db.admin import DBTaskResult  # registered there; imported first to unregister

from .. import roles
from ..importers import IMPORTERS, KINDS
from ..models import ImportJob
from ..models.jobs import ImportStep, JobState
from ..services.jobs import (
    import_job_cancel,
    import_job_confirm,
    import_job_start,
    import_job_visible,
)

MAX_UPLOAD_BYTES = 20 * 1024 * 1024

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
EXPIRED = "This upload has expired or was already used: upload it again."

# The task queue's rows are the worker's bookkeeping, not a page of the admin: an import is
# followed on its job's page, and a task's failure is in the worker's log.
admin.site.unregister(DBTaskResult)


def importable_kinds(user) -> list[str]:
    return [kind for kind in KINDS if roles.can(user, roles.IMPORT_ACTIONS[kind])]


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


def _file_name(upload) -> str:
    """The name errors use: the file as the user knows it, made safe."""
    try:
        return get_valid_filename(Path(upload.name).name)[-100:]
    except SuspiciousFileOperation:
        return "upload.csv"


def _columns_help(kinds: list[str]) -> list[dict]:
    return [
        {
            "label": KIND_LABELS[kind],
            "columns": [(c, c in IMPORTERS[kind].required) for c in IMPORTERS[kind].columns],
        }
        for kind in kinds
    ]


def _render(request, kinds: list[str], form: UploadForm | None = None):
    return TemplateResponse(
        request,
        "admin/claims/upload.html",
        {
            **admin.site.each_context(request),
            "title": "Import a CSV file",
            "form": form or UploadForm(kinds=kinds),
            "max_upload_mb": MAX_UPLOAD_BYTES // 2**20,
            "kinds_help": _columns_help(kinds),
        },
    )


def _start(request, kinds: list[str]):
    form = UploadForm(request.POST, request.FILES, kinds=kinds)
    if not form.is_valid():
        return _render(request, kinds, form)
    upload = form.cleaned_data["file"]
    job = import_job_start(
        by=request.user,
        kind=form.cleaned_data["kind"],
        file_name=_file_name(upload),
        data=b"".join(upload.chunks()),
    )
    return redirect("claims_import_job", job.pk)


def _confirm(request):
    kind, job_id = request.POST.get("kind", ""), request.POST.get("token", "")
    if "cancel" in request.POST:
        if not import_job_cancel(by=request.user, kind=kind, job_id=job_id):
            messages.error(request, EXPIRED)
        else:
            messages.info(request, "Import cancelled; nothing was written.")
        return redirect("claims_import")
    job = import_job_confirm(by=request.user, kind=kind, job_id=job_id)
    if job is None:
        messages.error(request, EXPIRED)
        return redirect("claims_import")
    return redirect("claims_import_job", job.pk)


def upload_view(request):
    kinds = importable_kinds(request.user)
    kind = request.POST.get("kind")
    if not kinds or (kind in KINDS and kind not in kinds):
        raise PermissionDenied
    if request.method != "POST":
        return _render(request, kinds)
    if "token" in request.POST:
        return _confirm(request)
    return _start(request, kinds)


# A job's page and its status.


def _job(request, job_id: int) -> ImportJob:
    # Not the file itself (up to MAX_UPLOAD_BYTES, read on every poll): whether it is kept.
    has_file = ExpressionWrapper(~Q(content=b""), output_field=BooleanField())
    job = (
        ImportJob.objects.defer("content")
        .select_related("batch", "uploaded_by")
        .annotate(has_file=has_file)
        .filter(pk=job_id)
        .first()
    )
    if job is None or not import_job_visible(job, request.user):
        raise Http404("No such import.")
    return job


def job_view(request, job_id: int):
    """The job's progress while it runs (refreshed by static/js/import-progress.js, or the page's
    own refresh without JavaScript), then its outcome as the upload page always showed it."""
    job = _job(request, job_id)
    is_owner = job.uploaded_by_id == request.user.pk
    if job.step == ImportStep.SUBMIT and job.state == JobState.SUCCEEDED and job.batch:
        if is_owner:
            messages.success(
                request,
                f"Batch {job.batch.pk} ({job.batch.summary} from {job.batch.file_name}) awaits a "
                "second reviewer: it counts for nothing until a reviewer other than you approves "
                "it.",
            )
        return redirect("admin:claims_assessmentbatch_change", job.batch.pk)
    if job.step == ImportStep.APPROVE and job.is_finished:
        if is_owner and job.state == JobState.SUCCEEDED:
            messages.success(request, f"Batch {job.batch.pk} approved. {job.summary}")
        elif is_owner:
            messages.error(request, job.problem or f"{job.errors_count} errors.")
        return redirect("admin:claims_assessmentbatch_change", job.batch.pk)
    awaiting = job.step == ImportStep.CHECK and job.state == JobState.SUCCEEDED and job.has_file
    view_name, records = KIND_RECORDS[job.kind]
    return TemplateResponse(
        request,
        "admin/claims/upload_job.html",
        {
            **admin.site.each_context(request),
            "title": f"Import of {job.file_name}",
            "job": job,
            "status": job.status(),
            "kind": job.kind,
            "token": str(job.pk) if awaiting and is_owner else "",
            "errors": job.errors_shown(),
            "errors_hidden": job.errors_hidden,
            "records_url": reverse(view_name),
            "records": records,
        },
    )


def job_status_view(request, job_id: int):
    """The job's counts and state, for the page's progress bar."""
    return JsonResponse(_job(request, job_id).status())
