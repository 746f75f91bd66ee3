"""Assessment batches in the admin: a second reviewer sees the uploaded rows and the figures the
batch would change, then approves (imports it) or rejects it. Each button calls one service of
claims.services.batches, which holds the four-eyes rule."""

from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.views.decorators.http import require_POST

from reports.catalogue import label
from reports.figures import month_figures
from reports.periods import Month
from reports.publishing import figure_revisions

from .. import roles, services
from ..definitions import BatchState
from ..importers import import_data
from ..importers.base import read_csv
from ..models import AssessmentBatch
from ..services.batches import KIND
from ..services.jobs import import_job_approve
from .forms import refusal_message
from .records import AuditedAdmin

ROWS_SHOWN = 200
MONTHS_SHOWN = 24
ERRORS_SHOWN = 20


def batch_rows(batch: AssessmentBatch) -> tuple[list[str], list[tuple[int, list[str]]]]:
    """The uploaded file's header and rows (numbered as in a spreadsheet)."""
    return read_csv(batch.file_name, bytes(batch.content))


def batch_preview(batch: AssessmentBatch) -> dict:
    """What approving the batch would change, rehearsed: the file is imported (naming nobody)
    inside a transaction that is rolled back, and the figures of the months of its rows compared
    before and after. Run once, when the batch is uploaded: a rehearsal writes (and locks) as
    much as the import itself."""
    header, rows = batch_rows(batch)
    column = header.index("assessed_on")  # a required column: the dry run checked it
    months = sorted({Month.parse(cells[column][:7]) for _, cells in rows})[:MONTHS_SHOWN]
    before = {month: month_figures(period=month).as_dict() for month in months}
    with transaction.atomic():
        result = import_data(KIND, batch.file_name, bytes(batch.content))
        after = {month: month_figures(period=month).as_dict() for month in months}
        transaction.set_rollback(True)
    if not result.ok:
        return {"errors": [group.line for group in result.grouped()][:ERRORS_SHOWN]}
    return {
        "months": [
            {"month": str(month), "changes": [[c.key, c.published, c.current] for c in changes]}
            for month in months
            if (changes := figure_revisions(before[month], after[month]))
        ]
    }


def batch_preview_store(batch: AssessmentBatch) -> None:
    """Keep the rehearsal's result on the batch (derived information, not part of its record)."""
    AssessmentBatch.objects.filter(pk=batch.pk).update(preview=batch_preview(batch))


def preview_rows(preview: dict) -> list[dict]:
    """The stored changes with the catalogue's labels."""
    return [
        {"month": month["month"], "label": label(key), "before": old, "after": new}
        for month in preview.get("months", [])
        for key, old, new in month["changes"]
    ]


@admin.register(AssessmentBatch)
class AssessmentBatchAdmin(AuditedAdmin):
    list_display = ["__str__", "summary", "state", "uploaded_by", "uploaded_at", "decided_by"]
    list_filter = ["state"]
    list_select_related = ["uploaded_by", "decided_by"]
    search_fields = ["file_name", "sha256"]
    change_form_template = "admin/claims/assessmentbatch/review.html"

    def has_add_permission(self, request):
        return False  # batches come from the import page

    def has_change_permission(self, request, obj=None):
        return False  # read-only; decisions are the two buttons

    def get_urls(self):
        views = {"approve": self.approve_view, "reject": self.reject_view}
        return [
            path(
                f"<path:object_id>/{name}/",
                self.admin_site.admin_view(require_POST(view)),
                name=f"claims_assessmentbatch_{name}",
            )
            for name, view in views.items()
        ] + super().get_urls()

    def change_view(self, request, object_id, form_url="", extra_context=None):
        batch = self._batch(request, object_id)
        header, rows = batch_rows(batch)
        is_pending = batch.state == BatchState.PENDING
        is_uploader = batch.uploaded_by_id == request.user.pk
        may_decide = roles.can(request.user, roles.DECIDE)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Review batch {batch.pk}: {batch.file_name}",
            "original": batch,
            "header": header,
            "rows": rows[:ROWS_SHOWN],
            "rows_hidden": max(len(rows) - ROWS_SHOWN, 0),
            "is_pending": is_pending,
            "is_uploader": is_uploader,
            "can_approve": (
                is_pending and may_decide and roles.may_decide(batch.uploaded_by_id, request.user)
            ),
            "can_reject": is_pending and (may_decide or is_uploader),
            "figure_changes": preview_rows(batch.preview),
            "preview_errors": batch.preview.get("errors", []),
            "months_shown": MONTHS_SHOWN,
            "assessments": batch.assessments.select_related("claim").order_by("pk")[:ROWS_SHOWN],
        }
        return TemplateResponse(request, self.change_form_template, context)

    def _batch(self, request, object_id) -> AssessmentBatch:
        batch = self.get_object(request, unquote(object_id))
        if batch is None:
            raise Http404("No such batch.")
        if not self.has_view_permission(request, batch):
            raise PermissionDenied
        return batch

    def _back(self, batch) -> HttpResponseRedirect:
        return HttpResponseRedirect(reverse("admin:claims_assessmentbatch_change", args=[batch.pk]))

    def approve_view(self, request, object_id):
        """The approval imports the file: a background job, whose page follows it and then
        comes back here (claims.admin.upload.job_view)."""
        batch = self._batch(request, object_id)
        try:
            job = import_job_approve(batch=batch, by=request.user)
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
            return self._back(batch)
        return HttpResponseRedirect(reverse("claims_import_job", args=[job.pk]))

    def reject_view(self, request, object_id):
        batch = self._batch(request, object_id)
        try:
            services.assessment_batch_reject(
                batch=batch, by=request.user, comment=request.POST.get("comment", "")
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, refusal_message(error))
        else:
            messages.success(request, f"Batch {batch.pk} rejected; nothing was imported.")
        return self._back(batch)
