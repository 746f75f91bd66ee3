"""The rules of a claim's life, in one place.

A claim is received open. An assessment closes it; a reopening (new information, reason stated)
opens it again; and so on: its events strictly alternate, assessed, reopened, assessed... The
latest event decides the claim's status. Events are recorded in date order: none may be dated
before the claim was received or before the claim's latest recorded event.

These functions are pure (no queries) so that the service layer, which records one event at a
time, and the importer, which validates thousands of rows before writing any, apply exactly the
same rules. Each returns a list of `(field, message)` problems; empty means allowed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from django.core.exceptions import ValidationError

from .definitions import Outcome, Reason
from .exceptions import IllegalTransition

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
    if outcome not in Outcome.values:
        return [
            (
                "outcome",
                f"Unknown outcome {outcome!r}; expected one of {', '.join(Outcome.values)}.",
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
        elif reason not in Reason.values:
            problems.append(
                (
                    "reason",
                    f"Unknown reason {reason!r}; expected one of {', '.join(Reason.values)}.",
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
