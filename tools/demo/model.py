"""The demo's records while they are built: strikes, claims and the events of each claim."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from ledger import Reopening
from places import Place

from claims.definitions import Outcome, Reason
from claims.importers.assessments import REOPENED
from reports.periods import Month

CAMPAIGN_START, CAMPAIGN_END = date(2014, 8, 8), date(2019, 12, 31)
# No strike may fall where and when a claim was rejected for this reason.
NO_STRIKE = Reason.NO_STRIKE_AT_TIME_OR_PLACE


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
    """An assessment (kind = its outcome) or a reopening (kind = REOPENED) of one claim."""

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
    location_disclosure: str = ""  # empty: the setting's default
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
        return any(e.kind == Outcome.CREDIBLE for e in self.events)

    @property
    def reasons(self) -> list[str]:
        return [e.reason for e in self.events if e.kind == Outcome.NON_CREDIBLE]


def month_of(day: date) -> str:
    """The month of a day, "YYYY-MM", as the ledger and the reports name it."""
    return str(Month.of(day))


def month_bounds(month: str) -> tuple[date, date]:
    period = Month.parse(month)
    return period.first_day, period.last_day
