"""Assessment batches: four eyes on files of assessments uploaded in the admin.

A reviewer uploads a file; it is validated (a dry run) and kept as a pending batch that counts
for nothing. A *different* reviewer approves it: the file is imported then, all or nothing, each
assessment naming the uploader (assessed_by) and the approver (decided_by), and every history
record naming both, the batch and the file's SHA-256. `manage.py import_csv` remains the
operators' tool for migrating historical findings (it names its operator with --by).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..definitions import BatchState
from ..exceptions import IllegalTransition
from ..importers import ImportResult, Provenance, import_data
from ..importers.base import Counts
from ..models import AssessmentBatch
from ._common import save_with_history

KIND = "assessments"
ERRORS_QUOTED = 20


@transaction.atomic
def assessment_batch_upload(
    *, by, file_name: str, data: bytes, counts: Counts | None = None
) -> tuple[AssessmentBatch | None, ImportResult]:
    """Validate the file (nothing is written) and, if it has no error, keep it as a pending
    batch. Returns the batch (None if the file has errors) and the dry run's result. `counts`:
    the importer's progress callback (a background job's progress bar)."""
    roles.require(by, roles.IMPORT_ASSESSMENTS)
    result = import_data(
        KIND, file_name, data, dry_run=True, provenance=Provenance(user=by), counts=counts
    )
    if not result.ok:
        return None, result
    batch = AssessmentBatch(
        file_name=file_name,
        content=data,
        sha256=result.sha256,
        rows=result.rows,
        summary=result.planned,
        uploaded_by=by,
    )
    save_with_history(batch, by=by, reason="Uploaded; awaiting a second reviewer")
    return batch, result


def _locked_pending(batch: AssessmentBatch) -> AssessmentBatch:
    current = AssessmentBatch.objects.select_for_update().get(pk=batch.pk)
    if current.state != BatchState.PENDING:
        raise IllegalTransition(
            {"batch": f"Batch {current.pk} is already decided ({current.get_state_display()})."}
        )
    return current


def batch_provenance(batch: AssessmentBatch, *, by) -> Provenance:
    """How an approved batch's records name their people: history user the approver, the
    uploader as author, and a change reason naming both, the batch and the file."""
    how = (
        f", batch {batch.pk}: uploaded by {batch.uploaded_by.get_username()}, approved by "
        f"{by.get_username()}"
    )
    return Provenance(user=by, how=how, assessed_by=batch.uploaded_by, decided_by=by, batch=batch)


def assessment_batch_may_approve(batch: AssessmentBatch, *, by) -> None:
    """Refuse (PermissionDenied) whoever may not approve this batch: four eyes. Checked again
    when the approval runs (a background job may queue it first)."""
    roles.require(by, roles.DECIDE)
    if not roles.may_decide(batch.uploaded_by_id, by):
        raise PermissionDenied(
            "A batch of assessments must be approved by a reviewer other than the one who "
            "uploaded it."
        )


@transaction.atomic
def assessment_batch_approve(
    *, batch: AssessmentBatch, by, counts: Counts | None = None
) -> ImportResult:
    """Approve a pending batch (never one's own) and import it, all or nothing. If the records
    changed since the upload so that the file no longer applies, nothing is written and the
    batch stays pending: the errors say why. `counts`: the importer's progress callback."""
    roles.require(by, roles.DECIDE)
    current = _locked_pending(batch)
    assessment_batch_may_approve(current, by=by)
    result = import_data(
        KIND,
        current.file_name,
        bytes(current.content),
        provenance=batch_provenance(current, by=by),
        counts=counts,
    )
    if not result.ok:
        lines = [group.line for group in result.grouped()]  # one line for many rows alike
        shown = lines[:ERRORS_QUOTED]
        more = len(lines) - len(shown)
        raise ValidationError(
            ["The file no longer applies; nothing was imported and the batch is still pending."]
            + shown
            + ([f"… and {more:,} more."] if more > 0 else [])
        )
    current.state = BatchState.APPROVED
    current.decided_by, current.decided_at = by, timezone.now()
    save_with_history(current, by=by, reason=f"Approved and imported: {result.summary}")
    return result


@transaction.atomic
def assessment_batch_reject(*, batch: AssessmentBatch, by, comment: str) -> AssessmentBatch:
    """Reject a pending batch with a comment (its uploader may withdraw it); nothing counts."""
    current = _locked_pending(batch)
    if current.uploaded_by_id != by.pk:
        roles.require(by, roles.DECIDE)
    comment = comment.strip()
    if not comment:
        raise IllegalTransition({"comment": "Say why the batch is rejected."})
    current.state = BatchState.REJECTED
    current.decided_by, current.decided_at = by, timezone.now()
    current.decision_comment = comment
    return save_with_history(current, by=by, reason="Rejected")
