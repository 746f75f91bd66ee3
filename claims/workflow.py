"""The claim's life, in one place: its stages, the events that move it between them, who may do
what to it now, and the rules of its recorded history.

**Stages.** An open claim is `new`, `in_review` (assigned to someone) or `proposed` (an assessment
awaits a reviewer); a closed claim is `closed`. The claim's status (open/closed) is derived from
its stage here (`STAGE_STATUS`), and the database computes the `status` column from the same
table, so the two can never disagree. `TRANSITIONS` is the only place a stage changes:
`transition(claim, event)` is what the services (and, replaying a file, the importer) call.

**History.** A claim's events strictly alternate: assessed, reopened, assessed... The latest event
decides its status. Events are dated in order: none before the claim was received or before its
latest recorded event. These rules are pure (no queries), so that the services, which record one
event at a time, and the importer, which validates thousands of rows before writing any, apply
exactly the same rules. Each returns a list of `(field, message)` problems; empty means allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError
from django.db.models import Case, Value, When

from . import roles
from .definitions import ClaimStatus, Outcome, Reason, Stage
from .exceptions import IllegalTransition

# Stages ------------------------------------------------------------------------------------

STAGE_STATUS = {
    Stage.NEW: ClaimStatus.OPEN,
    Stage.IN_REVIEW: ClaimStatus.OPEN,
    Stage.PROPOSED: ClaimStatus.OPEN,
    Stage.CLOSED: ClaimStatus.CLOSED,
}
OPEN_STAGES = tuple(stage for stage, status in STAGE_STATUS.items() if status == ClaimStatus.OPEN)


def status_of(stage: str) -> str:
    return STAGE_STATUS[Stage(stage)]


def status_expression() -> Case:
    """The claim's status computed from its stage in SQL (the `Claim.status` generated column)."""
    return Case(
        *(
            When(stage=stage.value, then=Value(status.value))
            for stage, status in STAGE_STATUS.items()
        )
    )


# Events ------------------------------------------------------------------------------------

ASSIGN, PROPOSE, APPROVE, RETURN, RECORD, REOPEN = (
    "assign",
    "propose",
    "approve",
    "return",
    "record",
    "reopen",
)
# What an event does to the assignee.
KEEP, SET, KEEP_OR_SET, CLEAR = "keep", "set", "keep or set", "clear"


@dataclass(frozen=True)
class Transition:
    stages: dict[Stage, Stage]  # the stages the event may happen at -> the stage it leads to
    assignee: str  # KEEP, SET (to the person given), KEEP_OR_SET (if none yet) or CLEAR
    action: roles.Action | None  # what a person needs to cause it (None: imported history only)
    refusals: dict[Stage, str]  # why it cannot happen at another stage ({ref}: the claim's)


TRANSITIONS = {
    # Assigned to an analyst or reviewer: a new claim moves into review.
    ASSIGN: Transition(
        {
            Stage.NEW: Stage.IN_REVIEW,
            Stage.IN_REVIEW: Stage.IN_REVIEW,
            Stage.PROPOSED: Stage.PROPOSED,
        },
        SET,
        roles.ASSIGN,
        {Stage.CLOSED: "Claim {ref} is closed: reopen it first."},
    ),
    # An assessment drafted; it waits for a reviewer (the author is assigned if nobody is).
    PROPOSE: Transition(
        {Stage.NEW: Stage.PROPOSED, Stage.IN_REVIEW: Stage.PROPOSED},
        KEEP_OR_SET,
        roles.PROPOSE,
        {
            Stage.CLOSED: "Claim {ref} is closed; reopen it before assessing it again.",
            Stage.PROPOSED: "Claim {ref} already has a proposed assessment awaiting review.",
        },
    ),
    # A reviewer (not the author) approves the proposal: it counts, and closes the claim.
    APPROVE: Transition({Stage.PROPOSED: Stage.CLOSED}, KEEP, roles.DECIDE, {}),
    # A reviewer returns the proposal with a comment: back in review (with its author).
    RETURN: Transition({Stage.PROPOSED: Stage.IN_REVIEW}, KEEP_OR_SET, roles.DECIDE, {}),
    # A final assessment of imported history (approved as it arrives) closes an open claim.
    RECORD: Transition(
        {Stage.NEW: Stage.CLOSED, Stage.IN_REVIEW: Stage.CLOSED},
        KEEP,
        None,
        {Stage.PROPOSED: "Claim {ref} has a proposed assessment awaiting review."},
    ),
    # Reopened on new information: new again, nobody's.
    REOPEN: Transition({Stage.CLOSED: Stage.NEW}, CLEAR, roles.REOPEN, {}),
}


def can_happen(claim, event: str) -> bool:
    return Stage(claim.stage) in TRANSITIONS[event].stages


def transition(claim, event: str, *, assignee=None) -> list[str]:
    """Move the claim (in memory) through the event; return the fields to save. `assignee`: the
    person an event that sets the assignee names (the assigned user, the proposal's author).
    Raises IllegalTransition if the event cannot happen at the claim's stage."""
    rule = TRANSITIONS[event]
    stage = Stage(claim.stage)
    if stage not in rule.stages:
        message = rule.refusals.get(stage) or (
            f"Claim {{ref}} is at the stage {stage.label.lower()!r}, where {event!r} is not "
            "possible."
        )
        raise IllegalTransition({"claim": message.format(ref=claim.claim_ref)})
    claim.stage = rule.stages[stage]
    claim.status = status_of(claim.stage)  # the database computes it; keep the instance true
    if rule.assignee == SET or (rule.assignee == KEEP_OR_SET and claim.assignee_id is None):
        claim.assignee = assignee
    elif rule.assignee == CLEAR:
        claim.assignee = None
    return ["stage", "assignee"]


def allowed_actions(claim, user, *, author_id: int | None = None) -> frozenset[roles.Action]:
    """What the user may do to the claim now: their role's actions that its stage allows, and
    not a decision on a proposal they drafted themselves (`author_id`: the proposal's author; four
    eyes, roles.may_decide). The admin's buttons come from here; the services enforce the same
    table and the same rule."""
    allowed = {
        action
        for action in (roles.EDIT_CLAIM, roles.COMMENT, roles.LINK_STRIKE, roles.UNLINK_STRIKE)
        if roles.can(user, action)
    }
    allowed |= {
        rule.action
        for event, rule in TRANSITIONS.items()
        if rule.action is not None and can_happen(claim, event) and roles.can(user, rule.action)
    }
    if not roles.may_decide(author_id, user):
        allowed.discard(roles.DECIDE)
    return frozenset(allowed)


# History -----------------------------------------------------------------------------------

Problems = list[tuple[str, str]]


@dataclass(frozen=True)
class ClaimHistory:
    """What the rules need to know of a claim's past events."""

    claim_ref: str
    received_on: date
    is_open: bool = True
    last_event_on: date | None = None
    last_sequence: int = 0
    # The latest assessment (a model instance, or a stand-in while importing): what a reopening
    # reopens.
    last_assessment: object | None = None

    @classmethod
    def from_latest(
        cls,
        *,
        claim_ref: str,
        received_on: date,
        assessment: object | None = None,
        assessment_sequence: int = 0,
        assessed_on: date | None = None,
        reopening_sequence: int = 0,
        reopened_on: date | None = None,
    ) -> ClaimHistory:
        """A claim's history from its latest assessment and latest reopening (if any): the one
        with the higher sequence is the latest event and decides whether the claim is open."""
        if assessment_sequence == 0 and reopening_sequence == 0:
            return cls(claim_ref=claim_ref, received_on=received_on)
        is_open = reopening_sequence > assessment_sequence
        return cls(
            claim_ref=claim_ref,
            received_on=received_on,
            is_open=is_open,
            last_event_on=reopened_on if is_open else assessed_on,
            last_sequence=max(assessment_sequence, reopening_sequence),
            last_assessment=assessment,
        )

    def after_assessment(self, *, assessed_on: date, assessment: object) -> ClaimHistory:
        return replace(
            self,
            is_open=False,
            last_event_on=assessed_on,
            last_sequence=self.last_sequence + 1,
            last_assessment=assessment,
        )

    def after_reopening(self, *, reopened_on: date) -> ClaimHistory:
        return replace(
            self, is_open=True, last_event_on=reopened_on, last_sequence=self.last_sequence + 1
        )


def _date_problems(history: ClaimHistory, field: str, on: date, event: str) -> Problems:
    if on < history.received_on:
        return [
            (
                field,
                f"{event} is dated {on.isoformat()}, before claim {history.claim_ref} was "
                f"received ({history.received_on.isoformat()}).",
            )
        ]
    if history.last_event_on is not None and on < history.last_event_on:
        return [
            (
                field,
                f"{event} is dated {on.isoformat()}, before the latest recorded event of claim "
                f"{history.claim_ref} ({history.last_event_on.isoformat()}).",
            )
        ]
    return []


def assessment_transition_problems(history: ClaimHistory, *, assessed_on: date) -> Problems:
    """May the claim be assessed on this date?"""
    if not history.is_open:
        return [
            (
                "claim",
                f"Claim {history.claim_ref} is closed (last assessed on "
                f"{history.last_event_on.isoformat()}); reopen it before assessing it again.",
            )
        ]
    return _date_problems(history, "assessed_on", assessed_on, "The assessment")


def reopening_transition_problems(history: ClaimHistory, *, reopened_on: date) -> Problems:
    """May the claim be reopened on this date?"""
    if history.is_open:
        return [
            ("claim", f"Claim {history.claim_ref} is open; only a closed claim can be reopened.")
        ]
    return _date_problems(history, "reopened_on", reopened_on, "The reopening")


def reopening_field_problems(*, reason: str) -> Problems:
    if not reason.strip():
        return [("reason", "A reopening must state its reason (the new information).")]
    return []


# The values, once: a Choices enum's `.values` builds a new list on every call, and the importer
# asks for every row.
_OUTCOMES = tuple(Outcome.values)
_REASONS = tuple(Reason.values)


def assessment_field_problems(
    *,
    claim_ref: str,
    outcome: str,
    reason: str = "",
    duplicate_of_ref: str | None = None,
    civilians_killed: int | None = None,
    civilians_injured: int | None = None,
    require_counts: bool = False,
) -> Problems:
    """Which fields an outcome requires and which it forbids. `require_counts`: a credible
    assessment must state civilians killed and injured (a new assessment does; imported
    history may leave them unknown)."""
    if outcome not in _OUTCOMES:
        return [
            (
                "outcome",
                f"Unknown outcome {outcome!r}; expected one of {', '.join(_OUTCOMES)}.",
            )
        ]
    problems: Problems = []
    if outcome == Outcome.NON_CREDIBLE:
        if not reason:
            problems.append(
                (
                    "reason",
                    "A non-credible assessment needs a reason "
                    "(use 'other' and explain it in the rationale).",
                )
            )
        elif reason not in _REASONS:
            problems.append(
                (
                    "reason",
                    f"Unknown reason {reason!r}; expected one of {', '.join(_REASONS)}.",
                )
            )
    elif reason:
        problems.append(("reason", "A reason is given only for non-credible assessments."))
    if outcome == Outcome.DUPLICATE:
        if not duplicate_of_ref:
            problems.append(("duplicate_of", "A duplicate must name the claim it duplicates."))
        elif duplicate_of_ref == claim_ref:
            problems.append(("duplicate_of", "A claim cannot duplicate itself."))
    elif duplicate_of_ref:
        problems.append(("duplicate_of", "Only a duplicate names a claim it duplicates."))
    if outcome == Outcome.CREDIBLE and require_counts:
        for field, value in (
            ("civilians_killed", civilians_killed),
            ("civilians_injured", civilians_injured),
        ):
            if value is None:
                problems.append((field, "A credible assessment states how many (0 if none)."))
    if outcome != Outcome.CREDIBLE:
        for field, value in (
            ("civilians_killed", civilians_killed),
            ("civilians_injured", civilians_injured),
        ):
            if value is not None:
                problems.append(
                    (
                        field,
                        "Civilians killed and injured are counted only on credible assessments.",
                    )
                )
    return problems


def raise_problems(problems: Problems, *, illegal: bool = False) -> None:
    """Raise the problems as one ValidationError keyed by field (IllegalTransition if `illegal`)."""
    if not problems:
        return
    by_field: dict[str, list[str]] = {}
    for field, message in problems:
        by_field.setdefault(field, []).append(message)
    raise (IllegalTransition if illegal else ValidationError)(by_field)
