"""What the claim's page shows beside its form: the timeline of its events, the strikes linked to
it and those near it, possible duplicates, the comment thread, and which actions the user's role
and the claim's stage offer (claims.workflow.allowed_actions). A fixed number of queries, however
long the claim's history."""

from dataclasses import dataclass, field
from datetime import date

from django.utils import timezone

from .. import roles
from ..definitions import AssessmentState, Diligence
from ..matching import duplicate_candidates, haversine_km, strike_candidates
from ..models import Claim
from ..workflow import allowed_actions
from .forms import AssignForm, MatchingForm


@dataclass(frozen=True)
class Event:
    kind: str  # "received", "assessment" or "reopening"
    on: date
    obj: object
    diligence: list[str] = field(default_factory=list)


def claim_timeline(claim: Claim) -> list[Event]:
    """The claim's history as it happened (two queries): received, then its approved
    assessments and reopenings in their order in the claim's history (`sequence`), with the
    drafts (proposed or returned) placed where they were proposed between them."""
    assessments = claim.assessments.select_related("assessed_by", "decided_by", "duplicate_of")
    reopenings = claim.reopenings.select_related("reopened_by")
    events = [Event("reopening", reopening.reopened_on, reopening) for reopening in reopenings] + [
        Event(
            "assessment",
            assessment.assessed_on or timezone.localdate(assessment.proposed_at),
            assessment,
            [Diligence(token).label for token in assessment.diligence],
        )
        for assessment in assessments
    ]
    recorded = sorted(
        (event for event in events if event.obj.sequence is not None),
        key=lambda event: event.obj.sequence,
    )
    drafts = sorted(
        (event for event in events if event.obj.sequence is None),
        key=lambda event: (event.obj.proposed_at or event.obj.created_at, event.obj.pk),
    )
    timeline = [Event("received", claim.received_on, claim)]
    for event in recorded:
        # When an event was recorded: approved (decided) or, if imported, created.
        at = getattr(event.obj, "decided_at", None) or event.obj.created_at
        while drafts and (drafts[0].obj.proposed_at or drafts[0].obj.created_at) < at:
            timeline.append(drafts.pop(0))
        timeline.append(event)
    return timeline + drafts


def _distance(claim: Claim, strike) -> float | None:
    if not (claim.has_coordinates and strike.has_coordinates):
        return None
    points = (claim.latitude, claim.longitude, strike.latitude, strike.longitude)
    return round(haversine_km(*map(float, points)), 1)


def claim_page_context(request, claim: Claim) -> dict:
    """The panels and actions of the claim's page for this user."""
    user = request.user
    timeline = claim_timeline(claim)
    proposal = next(
        (
            event.obj
            for event in timeline
            if event.kind == "assessment" and event.obj.state == AssessmentState.PROPOSED
        ),
        None,
    )
    linked = list(claim.strikes.select_related("belligerent").order_by("date", "strike_ref"))
    linked_ids = {strike.pk for strike in linked}
    matching = MatchingForm(request.GET)
    radius_km, days = matching.values()
    allowed = allowed_actions(
        claim, user, author_id=proposal.assessed_by_id if proposal is not None else None
    )
    can_assign = roles.ASSIGN in allowed
    return {
        "title": f"Claim {claim.claim_ref}",
        "subtitle": None,
        # The case file needs the width more than the list of models.
        "is_nav_sidebar_enabled": False,
        "timeline": timeline,
        "proposal": proposal,
        "is_proposal_author": proposal is not None and proposal.assessed_by_id == user.pk,
        "linked_strikes": [(strike, _distance(claim, strike)) for strike in linked],
        "strike_candidates": [
            (candidate, candidate.obj.pk in linked_ids)
            for candidate in strike_candidates(claim=claim, radius_km=radius_km, days=days)
        ],
        "duplicate_candidates": duplicate_candidates(claim=claim, radius_km=radius_km, days=days),
        "matching_form": matching,
        "radius_km": radius_km,
        "days": days,
        "comments": list(claim.comments.select_related("author")),
        "days_open": (timezone.localdate() - claim.received_on).days if claim.is_open else None,
        "can_edit_claim": roles.EDIT_CLAIM in allowed,
        "can_assign": can_assign,
        "can_assign_me": can_assign and claim.assignee_id != user.pk,
        "can_propose": roles.PROPOSE in allowed,
        "can_decide": proposal is not None and roles.DECIDE in allowed,
        "can_reopen": roles.REOPEN in allowed,
        "can_comment": roles.COMMENT in allowed,
        "assign_form": AssignForm() if can_assign else None,
    }
