"""The demo's records while they are built: strikes, claims and the events of each claim."""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import date

from ledger import Reopening
from places import Place

CAMPAIGN_START, CAMPAIGN_END = date(2014, 8, 8), date(2019, 12, 31)
CREDIBLE, NON_CREDIBLE, DUPLICATE, REOPENED = "credible", "non_credible", "duplicate", "reopened"
OUTCOMES = (CREDIBLE, NON_CREDIBLE, DUPLICATE)
REASONS = (
    "insufficient_information",
    "no_strike_at_time_or_place",
    "no_civilian_harm",
    "not_coalition",
    "other",
)
NO_STRIKE = "no_strike_at_time_or_place"
NOT_COALITION = "not_coalition"


@dataclass
class Strike:
    place: Place
    on: date
    latitude: float
    longitude: float
    ref: str = ""
    belligerent: str = "Coalition"
    target: str = ""
    munition: str = ""
    engagements: int = 1
    source_url: str = ""


@dataclass
class Event:
    """An assessment (kind = its outcome) or a reopening of one claim."""

    kind: str
    on: date
    reopening: Reopening | None = None  # the story behind a reopening and its reassessment
    killed: int | None = None
    injured: int | None = None
    reason: str = ""
    duplicate_of: Claim | None = None
    rationale: str = ""
    diligence: str = ""

    @property
    def is_assessment(self) -> bool:
        return self.kind != REOPENED


@dataclass
class Claim:
    serial: int
    received_on: date
    events: list[Event] = field(default_factory=list)
    ref: str = ""
    landmark: object | None = None
    place_wanted: str | None = None  # a place the claim must be at (a story needs it)
    incident_date: date | None = None
    place: Place | None = None
    point: tuple[float, float] | None = None  # where the claim says the harm happened
    has_coordinates: bool = True
    source_type: str = ""
    source_name: str = ""
    source_url: str = ""
    killed_range: tuple[int | None, int | None] = (None, None)
    injured_range: tuple[int | None, int | None] = (None, None)
    strikes: list[Strike] = field(default_factory=list)
    belligerent: str = "Coalition"
    summary: str = ""
    notes: str = ""
    airwars_code: str = ""
    original: Claim | None = None  # the claim it duplicates, when it does

    @property
    def assessments(self) -> list[Event]:
        return [e for e in self.events if e.is_assessment]

    @property
    def last(self) -> Event | None:
        return self.events[-1] if self.events else None

    @property
    def is_open(self) -> bool:
        return not self.events or self.events[-1].kind == REOPENED

    @property
    def ever_credible(self) -> bool:
        return any(e.kind == CREDIBLE for e in self.events)

    @property
    def reasons(self) -> list[str]:
        return [e.reason for e in self.events if e.kind == NON_CREDIBLE]


def month_of(day: date) -> str:
    return f"{day.year}-{day.month:02d}"


def month_bounds(month: str) -> tuple[date, date]:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, 1), date(year, number, calendar.monthrange(year, number)[1])
