"""What independent monitors found: Airwars for most claims, The New York Times for ~100 in Iraq.

Airwars grades every incident it tracks on its public scale: confirmed (a belligerent accepted
responsibility, so every claim the coalition found credible is confirmed once it is), fair (two
or more credible sources and likely nearby action by a belligerent), weak (single source),
contested (competing claims of responsibility) and discounted (combatants killed, or another
party most likely responsible). Its death counts are usually higher than the official ones. The
Times' "Uncounted" investigation (published 16 November 2017) visited strike sites in Ninawa
struck between April 2016 and June 2017; it is graded on the same scale here.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from model import Claim
from wording import airwars_url

from claims.definitions import Grade, Outcome, Reason, SourceType

NYT = "The New York Times"
NYT_URL = ("https://www.nytimes.com/interactive/2017/11/16/magazine/"
           "uncounted-civilian-casualties-iraq-airstrikes.html")  # fmt: skip
NYT_PUBLISHED = date(2017, 11, 16)
NYT_CLAIMS = 100
AIRWARS_COVERAGE = {
    SourceType.MEDIA: 0.85,
    SourceType.SOCIAL_MEDIA: 0.85,
    SourceType.NGO: 0.7,
    SourceType.GOVERNMENT: 0.5,
    SourceType.OTHER: 0.4,
    SourceType.SELF_REPORT: 0.35,
    SourceType.WITNESS: 0.1,
}
CONFIRMED, FAIR, WEAK = Grade.CONFIRMED, Grade.FAIR, Grade.WEAK
CONTESTED, DISCOUNTED = Grade.CONTESTED, Grade.DISCOUNTED
GRADES_BY_FINDING = {  # the official finding (reason of a non-credible one) -> Airwars' grades
    Reason.INSUFFICIENT_INFORMATION: {FAIR: 60, WEAK: 32, CONTESTED: 8},
    Reason.NO_STRIKE_AT_TIME_OR_PLACE: {FAIR: 38, WEAK: 37, CONTESTED: 15, DISCOUNTED: 10},
    Reason.NO_CIVILIAN_HARM: {FAIR: 45, DISCOUNTED: 30, WEAK: 25},
    Reason.NOT_COALITION: {CONTESTED: 55, DISCOUNTED: 30, WEAK: 15},
    Reason.OTHER: {FAIR: 40, WEAK: 40, DISCOUNTED: 20},
    "open": {FAIR: 60, WEAK: 30, CONTESTED: 10},
}


def _finding(claim: Claim, on: date | None = None) -> tuple[str, object]:
    """The official state of the claim (at `on`, or at the end): outcome or reason, and event."""
    events = [e for e in claim.events if on is None or e.on <= on]
    if not events or not events[-1].is_assessment:
        return "open", None
    last = events[-1]
    return (last.reason if last.kind == Outcome.NON_CREDIBLE else last.kind), last


def _killed(rng: random.Random, claim: Claim, grade: str, official: int | None) -> tuple:
    low, high = claim.killed_range
    if grade == CONFIRMED:
        low = max(official, low or 0)
        return low, max(high or 0, low + rng.choice((0, 0, 1, 2, 4, 7)))
    if grade == FAIR and low is None:
        low = rng.randint(1, 4)
        return low, low + rng.randint(0, 3)
    if grade == DISCOUNTED and high is not None:
        return 0, high
    return low, high


def _row(claim, organisation, grade, killed, on, url) -> dict:
    return {"claim_ref": claim.ref, "organisation": organisation, "grade": grade,
            "civilians_killed_min": killed[0], "civilians_killed_max": killed[1],
            "assessed_on": on, "url": url}  # fmt: skip


def _airwars(rng: random.Random, claim: Claim, graded: dict[str, str]) -> dict | None:
    if claim.source_name == "Airwars":
        chance = 1.0
    elif claim.original is not None:
        chance = 0.15
    else:
        chance = AIRWARS_COVERAGE[claim.source_type]
    if rng.random() >= chance:
        return None
    finding, event = _finding(claim)
    if finding == Outcome.CREDIBLE:
        grade, on = CONFIRMED, event.on + timedelta(days=rng.randint(5, 40))
    else:
        if finding == Outcome.DUPLICATE:
            grade = graded.get(claim.original.ref) or FAIR
        else:
            choices = GRADES_BY_FINDING[finding]
            grade = rng.choices(list(choices), weights=list(choices.values()))[0]
        if claim.source_type in (SourceType.SELF_REPORT, SourceType.WITNESS):
            # Not public until the coalition published its finding.
            after = claim.assessments[-1].on if claim.assessments else claim.received_on
            on = after + timedelta(days=rng.randint(5, 40))
        else:
            lag = (claim.received_on - claim.incident_date).days
            latest = max(1, lag if claim.source_name == "Airwars" else 45)
            on = claim.incident_date + timedelta(days=rng.randint(min(1, latest), latest))
    graded[claim.ref] = grade
    official = None
    if grade == CONFIRMED:  # accepted by the coalition, through this claim or its original
        official = (event if finding == Outcome.CREDIBLE else _finding(claim.original)[1]).killed
    return _row(
        claim, "Airwars", grade, _killed(rng, claim, grade, official), on, airwars_url(claim)
    )


def _nyt_candidates(claims: list[Claim]) -> list[Claim]:
    return [
        c for c in claims
        if c.place.province == "Ninawa" and c.original is None
        and date(2016, 4, 1) <= c.incident_date <= date(2017, 6, 30)
        and c.received_on <= NYT_PUBLISHED
    ]  # fmt: skip


def _nyt(rng: random.Random, claim: Claim) -> dict:
    finding, event = _finding(claim, NYT_PUBLISHED)
    if finding == Outcome.CREDIBLE:
        grade = CONFIRMED
    else:
        grade = rng.choices([FAIR, WEAK, DISCOUNTED, CONTESTED], [55, 20, 15, 10])[0]
    official = event.killed if finding == Outcome.CREDIBLE else None
    return _row(claim, NYT, grade, _killed(rng, claim, grade, official), NYT_PUBLISHED, NYT_URL)


def external_assess(claims: list[Claim], rng: random.Random) -> list[dict]:
    """One row per (claim, organisation), ordered by claim ref then organisation."""
    rows, graded = [], {}
    for claim in sorted(claims, key=lambda c: c.ref):
        row = _airwars(rng, claim, graded)
        if row is not None:
            rows.append(row)
    candidates = _nyt_candidates(claims)
    # The claim the Times' reporting got reopened (December 2017) is among those it visited.
    wanted = [c for c in candidates if c.place_wanted]
    others = [c for c in candidates if not c.place_wanted]
    visited = wanted + rng.sample(others, NYT_CLAIMS - len(wanted))
    rows += [_nyt(rng, c) for c in sorted(visited, key=lambda c: c.ref)]
    rows.sort(key=lambda r: (r["claim_ref"], r["organisation"]))
    return rows
