"""An import started in the admin, run in the background (claims/tasks.py) with a progress bar.

A job is one step of an upload: checking the file (a dry run), then, once its uploader confirms,
importing it or submitting it as a batch of assessments for a second reviewer; or a second
reviewer's approval of a batch, which imports it. The file's bytes
are kept in the row while it waits for a confirmation (every app server and worker sees them),
and dropped once the step that needs them has run. While a step runs, its counts live in the
shared cache (written by the worker, outside the import's transaction, which may be open for
minutes); the row holds the final counts and the outcome.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core.cache import cache
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

# A queued job that no worker took after this long: the page says so.
WAITING_NOTICE = timedelta(seconds=15)
# A running job with no progress for this long: its worker may have stopped.
STALLED_NOTICE = timedelta(minutes=10)
PROGRESS_TIMEOUT = 24 * 60 * 60  # seconds the cache keeps a job's counts


class ImportStep(models.TextChoices):
    CHECK = "check", "Check the file (nothing is written)"
    IMPORT = "import", "Import the file, all or nothing"
    SUBMIT = "submit", "Submit the file as a batch for a second reviewer"
    APPROVE = "approve", "Approve the batch and import it, all or nothing"


class JobState(models.TextChoices):
    QUEUED = "queued", "Waiting for a worker"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Done"
    FAILED = "failed", "Failed: nothing was written"


FINISHED = (JobState.SUCCEEDED, JobState.FAILED)


@dataclass(frozen=True)
class ShownError:
    """One line of the errors table: a claims.importers ProblemGroup as stored with its job."""

    row: int | None
    rows_shown: str
    count: int
    column: str | None
    value: str | None
    message: str
    line: str


class ImportJob(models.Model):
    kind = models.CharField(max_length=30)  # a key of claims.importers.IMPORTERS
    step = models.CharField(max_length=10, choices=ImportStep.choices, default=ImportStep.CHECK)
    state = models.CharField(max_length=10, choices=JobState.choices, default=JobState.QUEUED)
    file_name = models.CharField(max_length=200)
    # The file as uploaded, until the step that needs it has run (then b"").
    content = models.BinaryField(editable=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="import_jobs"
    )
    created_at = models.DateTimeField(auto_now_add=True)  # the upload
    queued_at = models.DateTimeField(default=timezone.now)  # the current step
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    rows_total = models.PositiveIntegerField(default=0)
    rows_checked = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)
    # The outcome: the importer's summary, or why the file could not be read at all (`problem`),
    # or its errors (`errors`: the first groups as the upload page shows them, ShownError's
    # fields; `errors_count` every error, `errors_hidden` those of the groups left out).
    summary = models.CharField(max_length=300, blank=True)
    problem = models.TextField(blank=True)
    errors = models.JSONField(default=list, blank=True)
    errors_count = models.PositiveIntegerField(default=0)
    errors_hidden = models.PositiveIntegerField(default=0)
    batch = models.ForeignKey(
        "claims.AssessmentBatch",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state__in=JobState.values), name="import_job_state_valid"
            ),
            models.CheckConstraint(
                condition=Q(step__in=ImportStep.values), name="import_job_step_valid"
            ),
            models.CheckConstraint(
                condition=Q(state__in=FINISHED, finished_at__isnull=False)
                | (~Q(state__in=FINISHED) & Q(finished_at__isnull=True)),
                name="import_job_finished_iff_done",
                violation_error_message="A finished job says when; a queued or running one not.",
            ),
            models.CheckConstraint(
                condition=Q(rows_written__lte=F("rows_checked")),
                name="import_job_written_after_checked",
            ),
            models.CheckConstraint(
                condition=~Q(state=JobState.SUCCEEDED) | Q(errors_count=0, problem=""),
                name="import_job_succeeded_without_errors",
            ),
            models.CheckConstraint(
                condition=Q(batch__isnull=True, step__in=[ImportStep.CHECK, ImportStep.IMPORT])
                | Q(step=ImportStep.SUBMIT)
                | Q(batch__isnull=False, step=ImportStep.APPROVE),
                name="import_job_batch_of_its_step",
                violation_error_message="An approval names its batch; a check or import none.",
            ),
        ]

    def __str__(self):
        return f"Import job {self.pk}: {self.file_name}"

    @property
    def is_finished(self) -> bool:
        return self.state in FINISHED

    @property
    def progress_key(self) -> str:
        return f"claims:import-job:{self.pk}:counts"

    def counts_store(self, checked: int, written: int, total: int) -> None:
        cache.set(
            self.progress_key,
            {"checked": checked, "written": written, "total": total, "at": timezone.now()},
            PROGRESS_TIMEOUT,
        )

    def status(self, *, now=None) -> dict:
        """The counts and state as the page and its JSON show them: the cache's counts while the
        job runs, the row's once it is done; and a notice when no worker seems to take it."""
        now = now or timezone.now()
        checked, written, total = self.rows_checked, self.rows_written, self.rows_total
        last = self.started_at
        if self.state == JobState.RUNNING and (seen := cache.get(self.progress_key)):
            checked, written, total, last = (
                seen["checked"],
                seen["written"],
                seen["total"],
                seen["at"],
            )
        notice = ""
        if self.state == JobState.QUEUED and now - self.queued_at > WAITING_NOTICE:
            notice = (
                f"Waiting for a worker: none has started this job in "
                f"{_duration(now - self.queued_at)}. Background imports need `manage.py "
                "db_worker` running beside the web server (`make run` starts one; "
                "docs/deploy.md)."
            )
        elif self.state == JobState.RUNNING and last and now - last > STALLED_NOTICE:
            notice = (
                f"No progress for {_duration(now - last)}: the worker may have stopped. An "
                "import that stops is rolled back, so nothing was written; upload the file again "
                "if this does not change."
            )
        return {
            "id": self.pk,
            "state": self.state,
            "state_label": self.get_state_display(),
            "step": self.step,
            "is_finished": self.is_finished,
            "rows_total": total,
            "rows_checked": checked,
            "rows_written": written,
            "notice": notice,
        }

    def errors_shown(self) -> list[ShownError]:
        return [ShownError(**error) for error in self.errors]


def _duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 120:
        return f"{seconds} seconds"
    return f"{seconds // 60} minutes"
