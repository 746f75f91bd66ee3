"""Where and when each claimed incident happened, and why the non-credible ones were rejected.

Claims follow the fighting: an incident date up to 120 days before receipt (mostly days or
weeks; long delays come with the monitors' batches), in a month with many strikes, at a place
where the fighting was then, cities first. Duplicates copy the incident of an earlier claim.
Claims rejected because no strike was found at the time or place are put where the coalition
was not striking that week.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from claim_events import BATCH_MONTHS, MAX_LAG_DAYS
from ledger import MonthPlan
from model import CAMPAIGN_START, NO_STRIKE, Claim, month_of
from places import PLACES, Place, first_day_struck, place_weights, point_near

from claims.definitions import Outcome, Reason

NOT_COALITION = Reason.NOT_COALITION
INSUFFICIENT, NO_HARM = Reason.INSUFFICIENT_INFORMATION, Reason.NO_CIVILIAN_HARM

RUSSIA_IN_SYRIA = date(2015, 9, 30)
# Reasons for rejecting a claim, by weight: insufficient information is by far the most given.
REASON_WEIGHTS = {INSUFFICIENT: 44, NO_STRIKE: 22, NO_HARM: 13, NOT_COALITION: 13, Reason.OTHER: 8}
QUIET_WEIGHT = 6  # a place this active or less can go a week without strikes


def _reason_assign(claim: Claim, rng: random.Random) -> None:
    """Each non-credible assessment's reason, consistent with the claim's whole history."""
    for i, event in enumerate(claim.events):
        if event.kind != Outcome.NON_CREDIBLE:
            continue
        story = event.reopening
        reopened_later = i + 1 < len(claim.events)
        if story is not None and "another party" in story.new_information:
            event.reason = NOT_COALITION
        elif claim.ever_credible or reopened_later or (story and story.prior == Outcome.DUPLICATE):
            event.reason = rng.choice([INSUFFICIENT] * 3 + [NO_HARM])
        elif story is not None:
            event.reason = rng.choice([INSUFFICIENT, NO_HARM, Reason.OTHER])
        else:
            reasons = list(REASON_WEIGHTS)
            event.reason = rng.choices(reasons, weights=list(REASON_WEIGHTS.values()))[0]


def _lag(rng: random.Random, received_on: date, batch: bool) -> int:
    r = rng.random()
    if batch:
        span = (0, 14) if r < 0.3 else (15, 45) if r < 0.6 else (46, MAX_LAG_DAYS)
    else:
        span = (
            (0, 10)
            if r < 0.55
            else (11, 35)
            if r < 0.8
            else (36, 75)
            if r < 0.93
            else (76, MAX_LAG_DAYS)
        )
    return min(rng.randint(*span), (received_on - CAMPAIGN_START).days)


def _incident_date(rng: random.Random, claim: Claim, budget: dict[str, int]) -> date:
    """A date before receipt, in a month with strikes: claims follow the strikes."""
    batch = month_of(claim.received_on) in BATCH_MONTHS
    for _ in range(8):
        day = claim.received_on - timedelta(days=_lag(rng, claim.received_on, batch))
        if rng.random() < budget[month_of(day)] / 250:
            return day
    return day


def _place_pick(rng: random.Random, day: date, claim: Claim) -> Place:
    weights = [(p, w) for p, w in place_weights(month_of(day)) if first_day_struck(p) <= day]
    if NO_STRIKE in claim.reasons:
        weights = [(p, w) for p, w in weights if w <= QUIET_WEIGHT] or weights
        return rng.choices([p for p, _ in weights], weights=[1.0] * len(weights))[0]
    syria_boost = 3 if NOT_COALITION in claim.reasons and day >= RUSSIA_IN_SYRIA else 1
    return rng.choices(
        [p for p, _ in weights],
        weights=[w * p.urban * (syria_boost if p.country == "SY" else 1) for p, w in weights],
    )[0]


def _original_pick(rng: random.Random, claim: Claim, earlier: list[Claim]) -> Claim:
    """An earlier-received claim about an incident this claim can also be about."""

    def fits(c: Claim, days: int) -> bool:
        return (
            c.received_on < claim.received_on
            and (claim.received_on - c.received_on).days <= days
            and (claim.received_on - c.incident_date).days <= MAX_LAG_DAYS
            and NO_STRIKE not in c.reasons
        )

    for days in (30, 90, 400):
        candidates = [c for c in earlier[-400:] if fits(c, days)]
        originals = [c for c in candidates if c.original is None]
        if originals or candidates:
            return rng.choice(originals or candidates)
    raise ValueError(f"No earlier claim for duplicate {claim.ref}.")


def _belligerent(rng: random.Random, claim: Claim) -> str:
    """The suspected belligerent: another party for the claims later found not the coalition's."""
    if NOT_COALITION in claim.reasons and not claim.ever_credible:
        if claim.place.country == "IQ":
            return "Unknown"
        if claim.incident_date >= RUSSIA_IN_SYRIA:
            return rng.choices(["Russia", "Syrian government", "Unknown"], [45, 35, 20])[0]
        return rng.choice(["Syrian government", "Unknown"])
    return "Unknown" if rng.random() < 0.02 else "Coalition"


def claims_place(claims: list[Claim], ledger: list[MonthPlan], rng: random.Random) -> None:
    """Incident date, place, point and suspected belligerent of every claim."""
    budget = {m.month: m.strikes for m in ledger}
    placed: list[Claim] = []
    for claim in sorted(claims, key=lambda c: (c.received_on, c.serial)):
        _reason_assign(claim, rng)
        if claim.landmark is not None:
            claim.incident_date = claim.landmark.incident
            claim.place = PLACES[claim.landmark.place]
            claim.point = point_near(rng, *claim.landmark.point, 0.3)
        elif any(e.kind == Outcome.DUPLICATE for e in claim.events):
            original = _original_pick(rng, claim, placed)
            claim.original = original
            claim.incident_date, claim.place = original.incident_date, original.place
            claim.point = point_near(rng, *original.point, 0.4)
        else:
            claim.incident_date = _incident_date(rng, claim, budget)
            if claim.place_wanted:
                claim.place = PLACES[claim.place_wanted]
            else:
                claim.place = _place_pick(rng, claim.incident_date, claim)
            place = claim.place
            claim.point = point_near(rng, place.latitude, place.longitude, place.radius_km)
        claim.belligerent = _belligerent(rng, claim)
        placed.append(claim)
    _quiet_places_keep(claims, rng)


def _quiet_places_keep(claims: list[Claim], rng: random.Random) -> None:
    """Move a no-strike claim away from any credible incident at its place that week.

    No duplicate copies a no-strike claim (see _original_pick), so none has to move with it.
    """
    credible_days: dict[str, set[date]] = {}
    for claim in claims:
        if claim.ever_credible:
            credible_days.setdefault(claim.place.name, set()).add(claim.incident_date)

    def clashes(place: Place, day: date) -> bool:
        days = credible_days.get(place.name, set())
        return any(day + timedelta(days=d) in days for d in range(-4, 5))

    for claim in claims:
        if NO_STRIKE not in claim.reasons or not clashes(claim.place, claim.incident_date):
            continue
        day = claim.incident_date
        options = [
            p
            for p, w in place_weights(month_of(day))
            if w <= QUIET_WEIGHT and first_day_struck(p) <= day and not clashes(p, day)
        ]
        if not options:
            raise ValueError(f"{claim.ref}: no quiet place for a claim of no strike.")
        claim.place = rng.choice(options)
        claim.point = point_near(
            rng, claim.place.latitude, claim.place.longitude, claim.place.radius_km
        )
