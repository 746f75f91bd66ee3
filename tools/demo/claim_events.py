"""Claims and their events: who reported what, when, and what the reviewers found.

`claims_simulate` replays the ledger month by month: new claims arrive, closed claims are
reopened as REOPENINGS says, and the month's assessments are drawn from the open claims, the
older ones more likely, until every monthly count of the ledger is met exactly.
`claims_count_deaths` then shares each month's deaths among its credible assessments. Where and
when the incidents happened is incidents.py's work.
"""

from __future__ import annotations

import bisect
import random
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from ledger import MonthPlan
from model import CAMPAIGN_START, REOPENED, Claim, Event, month_bounds, month_of

from claims.definitions import Outcome

CREDIBLE, NON_CREDIBLE, DUPLICATE = Outcome.CREDIBLE, Outcome.NON_CREDIBLE, Outcome.DUPLICATE

# Months in which monitors sent their backlog in batches: most claims arrive on a few days and
# concern incidents weeks or months old.
BATCH_MONTHS = ("2017-05", "2017-06", "2017-09", "2017-10", "2018-01", "2018-05", "2018-08")
# Reopenings at the very start of the month: the next report carried them over as open.
EARLY_REOPENING_MONTHS = ("2016-11", "2018-08")
MAX_LAG_DAYS = 120


@dataclass(frozen=True)
class Landmark:
    """An incident from the public record that the demo follows loosely."""

    place: str
    incident: date
    assessed: str  # month of the credible assessment
    killed: int
    alleged: tuple[int, int]
    point: tuple[float, float]
    diligence: str
    summary: str


LANDMARKS = (
    Landmark("Harim", date(2014, 11, 5), "2015-05", 2, (2, 6), (36.2075, 36.5189),
             "strike_video;personnel_interviewed;map_search",
             "Local sources reported that two children were killed when a strike hit a compound "
             "near Harim said to be used by the Khorasan group."),
    Landmark("Mosul", date(2017, 3, 17), "2017-05", 105, (105, 200), (36.3440, 43.1080),
             "strike_video;personnel_interviewed;map_search;witness_interviewed;site_visit",
             "Residents reported that scores of civilians sheltering in the basement of a house "
             "in the al-Jadida neighbourhood of west Mosul were killed when the building "
             "collapsed after an air strike."),
)  # fmt: skip


def _weighted_sample(rng: random.Random, items: list, weights: list[float], k: int) -> list:
    """k distinct items, each drawn with probability in proportion to its weight."""
    keyed = sorted(((rng.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keyed[:k]]


def _day_between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _receipt_days(rng: random.Random, month: str, count: int) -> list[date]:
    first, last = month_bounds(month)
    first = max(first, CAMPAIGN_START)
    if month in BATCH_MONTHS:
        batch_days = sorted(_day_between(rng, first, last) for _ in range(2))
        days = [rng.choice(batch_days) if rng.random() < 0.65 else _day_between(rng, first, last)
                for _ in range(count)]  # fmt: skip
    else:
        days = [_day_between(rng, first, last) for _ in range(count)]
    return sorted(days)


class _Simulation:
    """State while replaying the ledger: the claims, the open ones, the reserved reassessments."""

    def __init__(self, ledger: list[MonthPlan], rng: random.Random):
        self.rng = rng
        self.killed_in = {m.month: m.killed for m in ledger}
        self.killed_fixed: dict[str, int] = defaultdict(int)  # pinned deaths, by month
        self.claims: list[Claim] = []
        self.pool: list[Claim] = []  # open, not reserved
        self.reserved: dict[str, list[tuple[Claim, str, int | None, object]]] = defaultdict(list)
        self.received_days: list[date] = []

    def receive(self, m: MonthPlan) -> None:
        for day in _receipt_days(self.rng, m.month, m.received):
            claim = Claim(serial=len(self.claims), received_on=day)
            self.claims.append(claim)
            self.received_days.append(day)
            self.pool.append(claim)
        for landmark in LANDMARKS:
            if month_of(landmark.incident) == m.month:
                claim = next(c for c in self.pool if c.received_on > landmark.incident)
                claim.landmark = landmark
                self.pool.remove(claim)
                self.reserved[landmark.assessed].append((claim, CREDIBLE, landmark.killed, None))
                self.killed_fixed[landmark.assessed] += landmark.killed

    def reopen(self, m: MonthPlan) -> None:
        first, _ = month_bounds(m.month)
        for story in m.reopenings:
            claim = self._reopen_candidate(story, first)
            credible = claim.last
            if story.killed_before is not None:
                credible.killed = story.killed_before
                self.killed_fixed[month_of(credible.on)] += story.killed_before
            latest_day = 3 if m.month in EARLY_REOPENING_MONTHS else 20
            on = _day_between(self.rng, first, first + timedelta(days=latest_day - 1))
            claim.events.append(Event(REOPENED, on, reopening=story))
            if story.reassessed:
                self.reserved[story.reassessed].append(
                    (claim, story.outcome, story.killed_after, story)
                )
                if story.killed_after is not None:
                    self.killed_fixed[story.reassessed] += story.killed_after

    def _reopen_candidate(self, story, first: date) -> Claim:
        def fits(c: Claim) -> bool:
            last = c.last
            if c.is_open or last.kind != story.prior or last.on >= first or c.landmark:
                return False
            if any(e.kind == REOPENED for e in c.events):
                return False  # one reopening per claim
            if story.killed_before is not None:
                month = month_of(last.on)
                spare = self.killed_in[month] - self.killed_fixed[month]
                return spare >= story.killed_before
            return (first - c.received_on).days >= 45

        candidates = [c for c in self.claims if fits(c)]
        if story.place is not None:
            # A claim The New York Times investigated: received while its reporters looked at
            # strikes of April 2016 to June 2017.
            candidates = [c for c in candidates
                          if date(2016, 8, 1) <= c.received_on <= date(2017, 6, 30)]  # fmt: skip
            claim = self.rng.choice(candidates)
            claim.place_wanted = story.place
            return claim
        recent = [c for c in candidates if (first - c.received_on).days <= 730]
        return self.rng.choice(recent or candidates)

    def assess(self, m: MonthPlan) -> None:
        first, last = month_bounds(m.month)
        slots = {CREDIBLE: m.credible, NON_CREDIBLE: m.non_credible, DUPLICATE: m.duplicate}
        for claim, outcome, killed, story in self.reserved.pop(m.month, []):
            slots[outcome] -= 1
            start = max(first, claim.received_on, claim.last.on if claim.events else first)
            event = Event(outcome, _day_between(self.rng, start, last), reopening=story)
            event.killed = killed
            claim.events.append(event)
        if min(slots.values()) < 0:
            raise ValueError(f"{m.month}: more reassessments than assessments of that outcome.")
        open_now = [c for c in self.pool if c.received_on <= last]
        count = sum(slots.values())
        if count > len(open_now):
            raise ValueError(f"{m.month}: {count} assessments but {len(open_now)} open claims.")
        ages = [(last - c.received_on).days + 10 for c in open_now]
        chosen = _weighted_sample(self.rng, open_now, ages, count)
        duplicates = self._duplicate_pick(chosen, slots[DUPLICATE], last)
        rest = [c for c in chosen if c not in duplicates]
        credible = _weighted_sample(
            self.rng, rest, [(last - c.received_on).days + 20 for c in rest], slots[CREDIBLE]
        )
        for claim in chosen:
            outcome = (DUPLICATE if claim in duplicates
                       else CREDIBLE if claim in credible else NON_CREDIBLE)  # fmt: skip
            on = _day_between(self.rng, max(first, claim.received_on), last)
            claim.events.append(Event(outcome, on))
            self.pool.remove(claim)

    def _duplicate_pick(self, chosen: list[Claim], count: int, last: date) -> list[Claim]:
        """Claims with another claim received up to 30 days before them: youngest first."""

        def has_earlier(c: Claim) -> bool:
            lo = bisect.bisect_left(self.received_days, c.received_on - timedelta(days=30))
            return self.received_days[lo] < c.received_on

        eligible = [c for c in chosen if has_earlier(c)]
        if len(eligible) < count:
            raise ValueError("Not enough claims that can be duplicates.")
        weights = [1.0 / (1 + (last - c.received_on).days) for c in eligible]
        return _weighted_sample(self.rng, eligible, weights, count)


def claims_simulate(ledger: list[MonthPlan], rng: random.Random) -> list[Claim]:
    """Every claim with its receipt and its events, matching every monthly count of the ledger."""
    sim = _Simulation(ledger, rng)
    for m in ledger:
        sim.receive(m)
        sim.reopen(m)
        sim.assess(m)
    if sim.reserved:
        raise ValueError(f"Reassessments left unscheduled: {sorted(sim.reserved)}.")
    by_year: dict[int, int] = defaultdict(int)
    for claim in sorted(sim.claims, key=lambda c: (c.received_on, c.serial)):
        by_year[claim.received_on.year] += 1
        claim.ref = f"CIV-{claim.received_on.year}-{by_year[claim.received_on.year]:04d}"
    return sim.claims


def _split(rng: random.Random, total: int, count: int) -> list[int]:
    """`total` deaths over `count` assessments: most see a few, a few see many."""
    if count == 0:
        if total:
            raise ValueError("Deaths to share but no credible assessment to carry them.")
        return []
    if total < count:
        shares = [1] * total + [0] * (count - total)
        rng.shuffle(shares)
        return shares
    weights = [rng.paretovariate(1.3) for _ in range(count)]
    shares = [1] * count
    for i in rng.choices(range(count), weights=weights, k=total - count):
        shares[i] += 1
    return shares


def claims_count_deaths(claims: list[Claim], ledger: list[MonthPlan], rng: random.Random) -> None:
    """Civilians killed and injured in each credible assessment, to the month's exact total."""
    by_month: dict[str, list[Event]] = defaultdict(list)
    for claim in claims:
        for event in claim.events:
            if event.kind == CREDIBLE:
                by_month[month_of(event.on)].append(event)
    for m in ledger:
        events = by_month.get(m.month, [])
        free = [e for e in events if e.killed is None]
        fixed = sum(e.killed for e in events if e.killed is not None)
        for event, killed in zip(free, _split(rng, m.killed - fixed, len(free)), strict=True):
            event.killed = killed
        for event in events:
            if event.killed == 0:
                event.injured = rng.randint(1, 4)
            elif rng.random() < 0.55:
                event.injured = 0
            else:
                event.injured = rng.randint(1, max(2, event.killed))
