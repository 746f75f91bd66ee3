"""State changes on claims: every assessment and reopening goes through here.

The admin, the API and interactive tools call these functions; the importer applies the same
rules (`claims.lifecycle`) in bulk. Each function locks the claim row, checks the rules, writes the
event and the claim's derived status in one transaction.
"""

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from .definitions import ClaimStatus, Diligence, diligence_field
from .lifecycle import (
    ClaimHistory,
    assessment_field_problems,
    assessment_transition_problems,
    raise_problems,
    reopening_field_problems,
    reopening_transition_problems,
)
from .models import Assessment, Claim, Reopening


def claim_history(*, claim: Claim) -> ClaimHistory:
    """The claim's past events as the lifecycle rules see them (two queries)."""
    assessment = Assessment.objects.counted().filter(claim=claim).order_by("-sequence").first()
    reopening = Reopening.objects.filter(claim=claim).order_by("-sequence").first()
    return ClaimHistory.from_latest(
        claim_ref=claim.claim_ref,
        received_on=claim.received_on,
        assessment=assessment,
        assessment_sequence=assessment.sequence if assessment else 0,
        assessed_on=assessment.assessed_on if assessment else None,
        reopening_sequence=reopening.sequence if reopening else 0,
        reopened_on=reopening.reopened_on if reopening else None,
    )


def _locked(claim: Claim) -> Claim:
    return Claim.objects.select_for_update().get(pk=claim.pk)


@transaction.atomic
def assessment_record(
    *,
    claim: Claim,
    outcome: str,
    assessed_on: date,
    reason: str = "",
    duplicate_of: Claim | None = None,
    civilians_killed: int | None = None,
    civilians_injured: int | None = None,
    rationale: str = "",
    diligence: Iterable[str] = (),
    assessed_by=None,
) -> Assessment:
    """Record an assessment of an open claim; it closes the claim."""
    claim = _locked(claim)
    history = claim_history(claim=claim)
    raise_problems(assessment_transition_problems(history, assessed_on=assessed_on), illegal=True)
    diligence = set(diligence)
    unknown = sorted(diligence - set(Diligence.values))
    problems = assessment_field_problems(
        claim_ref=claim.claim_ref,
        outcome=outcome,
        reason=reason,
        duplicate_of_ref=duplicate_of.claim_ref if duplicate_of else None,
        civilians_killed=civilians_killed,
        civilians_injured=civilians_injured,
    )
    if unknown:
        problems.append(("diligence", f"Unknown diligence steps: {', '.join(unknown)}."))
    raise_problems(problems)
    assessment = Assessment.objects.create(
        claim=claim,
        sequence=history.last_sequence + 1,
        outcome=outcome,
        reason=reason,
        duplicate_of=duplicate_of,
        civilians_killed=civilians_killed,
        civilians_injured=civilians_injured,
        rationale=rationale,
        assessed_on=assessed_on,
        assessed_by=assessed_by,
        **{diligence_field(token): True for token in diligence},
    )
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.CLOSED)
    return assessment


@transaction.atomic
def claim_reopen(*, claim: Claim, reopened_on: date, reason: str, reopened_by=None) -> Reopening:
    """Reopen a closed claim on new information; it is open again until re-assessed."""
    claim = _locked(claim)
    history = claim_history(claim=claim)
    raise_problems(reopening_transition_problems(history, reopened_on=reopened_on), illegal=True)
    raise_problems(reopening_field_problems(reason=reason))
    reopening = Reopening.objects.create(
        claim=claim,
        assessment=history.last_assessment,
        sequence=history.last_sequence + 1,
        reopened_on=reopened_on,
        reason=reason.strip(),
        reopened_by=reopened_by,
    )
    Claim.objects.filter(pk=claim.pk).update(status=ClaimStatus.OPEN)
    return reopening
