"""Imports started in the admin, run as background jobs (claims.tasks; claims.models.ImportJob).

An upload becomes a job that checks the file (a dry run); its uploader then confirms it, and the
same job imports the file, or, for assessments, submits it as a batch for a second reviewer; a
second reviewer's approval of a batch is a job too (claims.services.batches keeps the four-eyes
rules). Each step runs in a worker, all or nothing
as the importer always is; the request that starts it returns at once.
"""

import time
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..importers import ImportFileError, ImportResult, Provenance, import_data
from ..models import AssessmentBatch, ImportJob
from ..models.jobs import ImportStep, JobState
from .batches import KIND as BATCH_KIND
from .batches import (
    assessment_batch_approve,
    assessment_batch_may_approve,
    assessment_batch_upload,
)

ERRORS_KEPT = 500  # groups of errors kept with a job (the page shows them all)
# A checked file never confirmed is dropped after a day.
UNCONFIRMED_MAX_AGE = timedelta(days=1)
# The progress callback writes to the cache at most this often (seconds).
PROGRESS_EVERY = 0.5


def import_job_start(*, by, kind: str, file_name: str, data: bytes) -> ImportJob:
    """Keep the uploaded file and queue the check of it (a dry run)."""
    roles.require(by, roles.IMPORT_ACTIONS[kind])
    _drop_unconfirmed()
    job = ImportJob.objects.create(kind=kind, file_name=file_name, content=data, uploaded_by=by)
    _enqueue(job)
    return job


def _awaiting_confirmation(*, by, kind: str, job_id: str):
    """The checked job of this user and kind still waiting for its confirmation, as a queryset
    (empty if there is none: an unknown id, someone else's, another kind, expired, used)."""
    if not job_id.isdigit():
        return ImportJob.objects.none()
    return ImportJob.objects.filter(
        pk=int(job_id),
        uploaded_by=by,
        kind=kind,
        step=ImportStep.CHECK,
        state=JobState.SUCCEEDED,
        created_at__gte=timezone.now() - UNCONFIRMED_MAX_AGE,
    ).exclude(content=b"")


def import_job_confirm(*, by, kind: str, job_id: str) -> ImportJob | None:
    """Queue the import (or, for assessments, the batch's submission) of a checked file; at most
    once (a second confirmation finds nothing). None if there is no such job to confirm."""
    roles.require(by, roles.IMPORT_ACTIONS[kind])
    step = ImportStep.SUBMIT if kind == BATCH_KIND else ImportStep.IMPORT
    with transaction.atomic():
        taken = _awaiting_confirmation(by=by, kind=kind, job_id=job_id).update(
            step=step,
            state=JobState.QUEUED,
            queued_at=timezone.now(),
            started_at=None,
            finished_at=None,
            rows_checked=0,
            rows_written=0,
            summary="",
        )
    if not taken:
        return None
    job = ImportJob.objects.defer("content").get(pk=int(job_id))
    _enqueue(job)
    return job


def import_job_cancel(*, by, kind: str, job_id: str) -> bool:
    """Drop a checked file instead of importing it; False if there was none to drop."""
    deleted, _ = _awaiting_confirmation(by=by, kind=kind, job_id=job_id).delete()
    return bool(deleted)


def import_job_approve(*, batch: AssessmentBatch, by) -> ImportJob:
    """Queue a second reviewer's approval of a batch, which imports it (four eyes: refused at
    once to whoever may not approve it, and checked again when it runs)."""
    assessment_batch_may_approve(batch, by=by)
    job = ImportJob.objects.create(
        kind=BATCH_KIND,
        step=ImportStep.APPROVE,
        file_name=batch.file_name,
        content=b"",  # the batch keeps the file
        uploaded_by=by,
        batch=batch,
    )
    _enqueue(job)
    return job


def import_job_visible(job: ImportJob, user) -> bool:
    """Who sees a job: its uploader, and reviewers (who decide on what others import)."""
    return job.uploaded_by_id == user.pk or roles.can(user, roles.DECIDE)


def _drop_unconfirmed() -> None:
    ImportJob.objects.filter(created_at__lt=timezone.now() - UNCONFIRMED_MAX_AGE).exclude(
        content=b""
    ).update(content=b"")


def _enqueue(job: ImportJob) -> None:
    from ..tasks import import_job_task  # the task module imports this one

    # Called outside any transaction (the admin's requests autocommit): the job's row is there
    # for the worker that picks the task up.
    import_job_task.enqueue(job.pk)


class _Progress:
    """The importer's counts callback: the latest counts, and the cache written at most every
    PROGRESS_EVERY seconds. The cache, not the job's row: the import writes in one transaction,
    and a row updated inside it would stay invisible to the page (PostgreSQL) or locked
    (SQLite) until it ends, and be rolled back with it."""

    def __init__(self, job: ImportJob):
        self.job = job
        self.checked = self.written = self.total = 0
        self.stored_at = 0.0

    def __call__(self, checked: int, written: int, total: int) -> None:
        self.checked, self.written, self.total = checked, written, total
        now = time.monotonic()
        if now - self.stored_at >= PROGRESS_EVERY:
            self.stored_at = now
            self.job.counts_store(checked, written, total)


def import_job_run(*, job_id: int) -> None:
    """Run a queued job's step (the worker calls this, through claims.tasks) and keep its
    outcome on the job. A job already taken by another worker is left alone."""
    now = timezone.now()
    if not ImportJob.objects.filter(pk=job_id, state=JobState.QUEUED).update(
        state=JobState.RUNNING, started_at=now
    ):
        return
    job = ImportJob.objects.select_related("uploaded_by", "batch").get(pk=job_id)
    progress = _Progress(job)
    job.counts_store(0, 0, job.rows_total)  # known from the check, for an import
    result, problem = None, ""
    try:
        result = _run_step(job, progress)
    except ImportFileError as exc:
        problem = f"{exc}"
    except PermissionDenied as exc:  # the uploader lost the role meanwhile
        problem = str(exc)
    except ValidationError as exc:  # an approval refused: the batch no longer applies, or decided
        problem = " ".join(exc.messages)
    except BaseException:
        _finish(job, progress, None, "The import stopped on an unexpected error.")
        raise
    _finish(job, progress, result, problem)


def _run_step(job: ImportJob, progress: _Progress) -> ImportResult:
    data, by = bytes(job.content), job.uploaded_by
    if job.step == ImportStep.APPROVE:
        return assessment_batch_approve(batch=job.batch, by=by, counts=progress)
    if job.step == ImportStep.SUBMIT:
        from ..admin.batches import batch_preview_store  # the rehearsal the batch page shows

        batch, result = assessment_batch_upload(
            by=by, file_name=job.file_name, data=data, counts=progress
        )
        if batch is not None:
            batch_preview_store(batch)
            job.batch = batch
        return result
    return import_data(
        job.kind,
        job.file_name,
        data,
        dry_run=job.step == ImportStep.CHECK,
        provenance=Provenance(user=by),
        counts=progress,
    )


def _finish(job: ImportJob, progress: _Progress, result: ImportResult | None, problem: str):
    ok = result is not None and result.ok and not problem
    job.state = JobState.SUCCEEDED if ok else JobState.FAILED
    job.finished_at = timezone.now()
    job.problem = problem
    job.rows_total = result.rows if result is not None else progress.total
    job.rows_checked = progress.checked
    job.rows_written = progress.written if ok else 0  # all or nothing
    if result is not None:
        job.summary = result.summary
        groups = result.grouped()
        job.errors = [
            {
                "row": group.row,
                "rows_shown": group.rows_shown,
                "count": group.count,
                "column": group.column,
                "value": group.value,
                "message": group.message,
                "line": group.line,
            }
            for group in groups[:ERRORS_KEPT]
        ]
        job.errors_count = len(result.errors)
        job.errors_hidden = sum(group.count for group in groups[ERRORS_KEPT:])
    if not (ok and job.step == ImportStep.CHECK):  # kept only to be confirmed
        job.content = b""
    job.save()
