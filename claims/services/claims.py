"""Actions on claims: create, edit (with optimistic concurrency), assign, link strikes, comment,
reopen. Each checks the actor's permission and the claim's state, and is recorded in history."""

from datetime import date

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .. import roles
from ..dates import date_problems
from ..exceptions import IllegalTransition
from ..models import Assessment, Claim, ClaimComment, Reopening, Strike
from ..workflow import (
    ASSIGN,
    REOPEN,
    ClaimHistory,
    raise_problems,
    reopening_field_problems,
    reopening_transition_problems,
    transition,
)
from ._common import check_version, locked_claim, save_with_history, today


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


@transaction.atomic
def claim_create(*, by, strikes=(), **fields) -> Claim:
    roles.require(by, roles.CREATE_CLAIM)
    claim = Claim(**fields)
    claim.full_clean()
    save_with_history(claim, by=by, reason="Recorded")
    if strikes:
        claim.strikes.set(strikes)
    return claim


@transaction.atomic
def claim_update(*, claim: Claim, by, expected_version: int | None, **changes) -> Claim:
    """Edit a claim's recorded fields. Status, stage and assignee move only through actions."""
    roles.require(by, roles.EDIT_CLAIM)
    forbidden = sorted(set(changes) & {"status", "stage", "assignee", "version", "claim_ref"})
    if forbidden:
        raise IllegalTransition(dict.fromkeys(forbidden, "Changed only by the workflow."))
    current = locked_claim(claim)
    check_version(current, expected_version, label=f"Claim {current.claim_ref}")
    strikes = changes.pop("strikes", None)
    for name, value in changes.items():
        setattr(current, name, value)
    current.full_clean()
    save_with_history(current, by=by, reason="Edited")
    if strikes is not None:
        current._history_user, current._change_reason = by, "Edited linked strikes"
        current.strikes.set(strikes)
    return current


@transaction.atomic
def claim_assign(*, claim: Claim, assignee, by) -> Claim:
    """Assign an open claim to an analyst or reviewer; a new claim moves into review."""
    roles.require(by, roles.ASSIGN)
    if not roles.can(assignee, roles.PROPOSE):
        raise IllegalTransition(
            {
                "assignee": (
                    f"{assignee} is not an analyst or reviewer: claims go to those who review."
                )
            }
        )
    claim = locked_claim(claim)
    changed = transition(claim, ASSIGN, assignee=assignee)
    return save_with_history(
        claim, by=by, reason=f"Assigned to {assignee.get_username()}", fields=changed
    )


def _change_strikes(claim: Claim, *, by, reason: str, change) -> Claim:
    """Change the claim's linked strikes as one versioned change with one history record (the
    record is written by the m2m signal, so it holds the new set of strikes)."""
    claim = locked_claim(claim)
    Claim.objects.filter(pk=claim.pk).update(version=F("version") + 1, updated_at=timezone.now())
    claim.version += 1
    claim._history_user, claim._change_reason = by, reason
    change(claim.strikes)
    return claim


@transaction.atomic
def claim_link_strike(*, claim: Claim, strike: Strike, by) -> Claim:
    roles.require(by, roles.LINK_STRIKE)
    reason = f"Linked strike {strike.strike_ref}"
    return _change_strikes(claim, by=by, reason=reason, change=lambda s: s.add(strike))


@transaction.atomic
def claim_unlink_strike(*, claim: Claim, strike: Strike, by) -> Claim:
    roles.require(by, roles.UNLINK_STRIKE)
    reason = f"Unlinked strike {strike.strike_ref}"
    return _change_strikes(claim, by=by, reason=reason, change=lambda s: s.remove(strike))


@transaction.atomic
def claim_comment(*, claim: Claim, author, body: str) -> ClaimComment:
    """Add to the claim's internal discussion (never public)."""
    roles.require(author, roles.COMMENT)
    body = body.strip()
    if not body:
        raise IllegalTransition({"body": "A comment cannot be empty."})
    comment = ClaimComment(claim=claim, author=author, body=body)
    return save_with_history(comment, by=author, reason="Commented")


@transaction.atomic
def claim_reopen(
    *, claim: Claim, reason: str, by=None, reopened_on: date | None = None
) -> Reopening:
    """Reopen a closed claim on new information: it is open (stage new) until re-assessed.

    `by` is None only for imported history and tests; people go through the permission check.
    """
    if by is not None:
        roles.require(by, roles.REOPEN)
    claim = locked_claim(claim)
    history = claim_history(claim=claim)
    reopened_on = reopened_on or today()
    raise_problems(date_problems(reopened_on=reopened_on))
    raise_problems(reopening_transition_problems(history, reopened_on=reopened_on), illegal=True)
    raise_problems(reopening_field_problems(reason=reason))
    reopening = Reopening(
        claim=claim,
        assessment=history.last_assessment,
        sequence=history.last_sequence + 1,
        reopened_on=reopened_on,
        reason=reason.strip(),
        reopened_by=by,
    )
    save_with_history(reopening, by=by, reason="Reopened")
    changed = transition(claim, REOPEN)
    save_with_history(claim, by=by, reason="Reopened", fields=changed)
    return reopening
