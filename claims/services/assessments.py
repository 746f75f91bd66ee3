"""Assessments: proposed by an analyst, approved or returned by a reviewer who is not the author.

Only approved assessments count. Approval applies the lifecycle rules (the claim is open, the date
is not before its latest event) and closes the claim. Approved assessments are never edited.
"""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from .. import roles
from ..dates import date_problems
from ..definitions import AssessmentState, Diligence, diligence_field
from ..exceptions import IllegalTransition
from ..models import Assessment, Claim, ClaimComment
from ..workflow import (
    APPROVE,
    PROPOSE,
    RECORD,
    RETURN,
    Problems,
    assessment_field_problems,
    assessment_transition_problems,
    raise_problems,
    transition,
)
from ._common import check_version, locked_claim, save_with_history, today
from .claims import claim_history

ASSESSMENT_FIELDS = (
    "outcome",
    "reason",
    "duplicate_of",
    "civilians_killed",
    "civilians_injured",
    "rationale",
    "rationale_ar",
)


def _field_problems(claim: Claim, fields: dict, diligence: set[str], *, new: bool) -> Problems:
    duplicate_of = fields.get("duplicate_of")
    problems = assessment_field_problems(
        claim_ref=claim.claim_ref,
        outcome=fields.get("outcome", ""),
        reason=fields.get("reason") or "",
        duplicate_of_ref=duplicate_of.claim_ref if duplicate_of else None,
        civilians_killed=fields.get("civilians_killed"),
        civilians_injured=fields.get("civilians_injured"),
        require_counts=new,
    )
    unknown = sorted(diligence - set(Diligence.values))
    if unknown:
        problems.append(("diligence", f"Unknown diligence steps: {', '.join(unknown)}."))
    if new and not (fields.get("rationale") or "").strip():
        problems.append(("rationale", "State the public rationale for the assessment."))
    return problems


def _apply(assessment: Assessment, fields: dict, diligence: set[str]) -> None:
    for name in ASSESSMENT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(
                assessment,
                name,
                "" if value is None and name in ("reason", "rationale", "rationale_ar") else value,
            )
    for token in Diligence.values:
        setattr(assessment, diligence_field(token), token in diligence)


def _approve(claim: Claim, assessment: Assessment, on: date, event: str) -> list[str]:
    """Make a (new or proposed) assessment the claim's latest event; close the claim."""
    raise_problems(date_problems(assessed_on=on))
    history = claim_history(claim=claim)
    raise_problems(assessment_transition_problems(history, assessed_on=on), illegal=True)
    changed = transition(claim, event)
    assessment.state = AssessmentState.APPROVED
    assessment.sequence = history.last_sequence + 1
    assessment.assessed_on = on
    return changed


@transaction.atomic
def assessment_record(
    *,
    claim: Claim,
    outcome: str,
    assessed_on: date,
    diligence: Iterable[str] = (),
    assessed_by=None,
    **fields,
) -> Assessment:
    """Record an assessment that is already final (imported history): approved as it arrives.

    People's assessments go through assessment_propose and assessment_approve instead.
    """
    claim = locked_claim(claim)
    fields["outcome"] = outcome
    diligence = set(diligence)
    assessment = Assessment(claim=claim, assessed_by=assessed_by)
    changed = _approve(claim, assessment, assessed_on, RECORD)
    raise_problems(_field_problems(claim, fields, diligence, new=False))
    _apply(assessment, fields, diligence)
    save_with_history(assessment, by=assessed_by, reason="Recorded (approved)")
    save_with_history(claim, by=assessed_by, reason="Assessed", fields=changed)
    return assessment


@transaction.atomic
def assessment_propose(*, claim: Claim, by, diligence: Iterable[str] = (), **fields) -> Assessment:
    """Draft an assessment of an open claim; it waits for a reviewer's decision."""
    roles.require(by, roles.PROPOSE)
    claim = locked_claim(claim)
    diligence = set(diligence)
    changed = transition(claim, PROPOSE, assignee=by)
    raise_problems(_field_problems(claim, fields, diligence, new=True))
    assessment = Assessment(claim=claim, assessed_by=by, proposed_at=timezone.now())
    _apply(assessment, fields, diligence)
    save_with_history(assessment, by=by, reason="Proposed")
    save_with_history(claim, by=by, reason="Assessment proposed", fields=changed)
    return assessment


def _locked_proposal(assessment: Assessment) -> Assessment:
    current = Assessment.objects.select_for_update().select_related("claim").get(pk=assessment.pk)
    if current.state != AssessmentState.PROPOSED:
        raise IllegalTransition(
            {
                "assessment": (
                    f"This assessment is {current.get_state_display().lower()}, not proposed."
                )
            }
        )
    return current


@transaction.atomic
def assessment_update(
    *, assessment: Assessment, by, expected_version: int | None, diligence=None, **fields
) -> Assessment:
    """Revise a proposal (its author only, before the decision)."""
    roles.require(by, roles.EDIT_PROPOSAL)
    current = _locked_proposal(assessment)
    if current.assessed_by_id != by.pk:
        raise PermissionDenied("Only the author of a proposed assessment can revise it.")
    check_version(current, expected_version, label="This assessment")
    merged = {name: getattr(current, name) for name in ASSESSMENT_FIELDS} | fields
    diligence = set(current.diligence if diligence is None else diligence)
    raise_problems(_field_problems(current.claim, merged, diligence, new=True))
    _apply(current, merged, diligence)
    return save_with_history(current, by=by, reason="Revised")


def _check_four_eyes(assessment: Assessment, by) -> None:
    roles.require(by, roles.DECIDE)
    if not roles.may_decide(assessment.assessed_by_id, by):
        raise PermissionDenied(
            "An assessment must be approved or returned by someone other than its author."
        )


@transaction.atomic
def assessment_approve(*, assessment: Assessment, by, on: date | None = None) -> Assessment:
    """Approve a proposal: it becomes the claim's latest event, closes it, and counts."""
    current = _locked_proposal(assessment)
    _check_four_eyes(current, by)
    claim = locked_claim(current.claim)
    changed = _approve(claim, current, on or today(), APPROVE)
    current.decided_by, current.decided_at = by, timezone.now()
    save_with_history(current, by=by, reason="Approved")
    save_with_history(claim, by=by, reason="Assessment approved", fields=changed)
    return current


@transaction.atomic
def assessment_return(*, assessment: Assessment, by, comment: str) -> Assessment:
    """Send a proposal back to review with a comment; the claim returns to `in_review`."""
    current = _locked_proposal(assessment)
    _check_four_eyes(current, by)
    comment = comment.strip()
    if not comment:
        raise IllegalTransition({"comment": "Say why the assessment is returned."})
    current.state = AssessmentState.RETURNED
    current.decided_by, current.decided_at = by, timezone.now()
    current.return_comment = comment
    save_with_history(current, by=by, reason="Returned")
    claim = locked_claim(current.claim)
    changed = transition(claim, RETURN, assignee=current.assessed_by)
    save_with_history(claim, by=by, reason="Assessment returned", fields=changed)
    note = ClaimComment(claim=claim, author=by, body=f"Returned the proposed assessment: {comment}")
    save_with_history(note, by=by, reason="Returned")
    return current
