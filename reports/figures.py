"""The report arithmetic: what a month's figures are, for one month (`month_figures`, with its
lists of claims) and for every month at once (reports.series). Pages, API and exports call it;
every figure is defined in reports/catalogue.py.

One aggregation and one fold. `month_counts` counts what was recorded in each month (claims
received; approved assessments and reopenings by outcome, with their killed and injured; strikes
and engagements): four GROUP BY queries, whatever the data size. `month_fold` turns those counts
into each month's figures with running totals, in Python, without a query.

Why running totals suffice, without replaying each claim: a claim's events alternate (assessed,
reopened, assessed...) and every reopening points at the assessment it reopens. So at any date D,
a claim is closed with outcome X exactly when it has one more X-assessment dated <= D than
reopenings (dated <= D) of X-assessments, and the claims closed as X number

    assessments(X, <= D) - reopenings of X-assessments (<= D).

The same holds for the killed and injured sums.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import BooleanField, Case, Count, F, Q, Sum, When, Window
from django.db.models.functions import RowNumber, TruncMonth

from claims.definitions import Outcome
from claims.models import Assessment, Claim, Reopening, Strike
from claims.public import location_of

from .periods import Month

OUTCOMES = tuple(Outcome.values)


def percentage(part: int, whole: int) -> float | None:
    """100 x part / whole, rounded half-up to two decimals; None when whole is 0."""
    if not whole:
        return None
    value = (Decimal(100) * part / whole).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    return float(value)


@dataclass(frozen=True)
class Cumulative:
    received: int
    credible: int
    non_credible: int
    duplicate: int
    open: int
    civilians_killed: int
    civilians_injured: int
    strikes: int
    engagements: int
    engagements_report_pct: float | None
    engagements_credible_pct: float | None


@dataclass(frozen=True)
class MonthFigures:
    period: Month
    received: int
    closed: int
    credible: int
    non_credible: int
    duplicate: int
    reopened: int
    open_at_start: int
    open_at_end: int
    civilians_killed: int
    civilians_injured: int
    cumulative: Cumulative
    credible_claims: list[dict] = field(default_factory=list)
    non_credible_claims: list[dict] = field(default_factory=list)
    duplicate_claims: list[dict] = field(default_factory=list)
    reopened_claims: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        """Plain JSON-ready data: the contract of `monthly_report --json` and the API."""
        data = asdict(self)
        data["period"] = str(self.period)
        return data


def _assessment_row(assessment: Assessment) -> dict:
    claim = assessment.claim
    location = location_of(claim)  # as published, never as recorded
    return {
        "claim_ref": claim.claim_ref,
        "incident_date": claim.incident_date.isoformat(),
        "received_on": claim.received_on.isoformat(),
        "assessed_on": assessment.assessed_on.isoformat(),
        "place": location.place,
        "locality": location.locality,
        "province": location.province,
        "country": claim.country,
        "source_type": claim.source_type,
        "alleged_civilians_killed_min": claim.civilians_killed_min,
        "alleged_civilians_killed_max": claim.civilians_killed_max,
        "civilians_killed": assessment.civilians_killed,
        "civilians_injured": assessment.civilians_injured,
        "reason": assessment.reason or None,
        "reason_label": assessment.get_reason_display() or None,
        "duplicate_of": assessment.duplicate_of.claim_ref if assessment.duplicate_of else None,
        "rationale": assessment.rationale,
        "diligence": assessment.diligence,
    }


def _reopening_row(reopening: Reopening) -> dict:
    claim = reopening.claim
    return {
        "claim_ref": claim.claim_ref,
        "incident_date": claim.incident_date.isoformat(),
        "reopened_on": reopening.reopened_on.isoformat(),
        "place": location_of(claim).place,
        "country": claim.country,
        "previous_outcome": reopening.assessment.outcome,
        "previous_assessed_on": reopening.assessment.assessed_on.isoformat(),
        "reason": reopening.reason,
    }


@dataclass(frozen=True)
class MonthCounts:
    """What was recorded, per month: {(month, outcome or None): Counter(n=count, <sum>=...)}.
    The month None holds everything recorded before the months counted one by one."""

    received: dict
    assessed: dict
    reopened: dict
    strikes: dict

    @property
    def months(self) -> set[Month]:
        tables = (self.received, self.assessed, self.reopened, self.strikes)
        return {month for table in tables for month, _ in table if month is not None}

    def at(self, table: str, month: Month | None, outcome: str | None = None) -> Counter:
        return getattr(self, table).get((month, outcome), Counter())


def month_counts(*, month: Month | None = None) -> MonthCounts:
    """What was recorded in every month; or, given a month, in it and (as month None) before it,
    leaving out what came after. Four queries. Only approved assessments count."""

    def tally(queryset, date_field: str, group: str | None = None, **sums) -> dict:
        if month is None:  # SQLite truncates dates in Python: only when every month is needed
            bucket = TruncMonth(date_field)
        else:
            queryset = queryset.filter(**{f"{date_field}__lte": month.last_day})
            in_month = Q(**{f"{date_field}__gte": month.first_day})
            bucket = Case(When(in_month, then=True), default=False, output_field=BooleanField())
        keys = ["bucket", group] if group else ["bucket"]
        rows = (
            queryset.annotate(bucket=bucket)
            .values(*keys)
            .annotate(n=Count("pk"), **{name: Sum(column) for name, column in sums.items()})
            .order_by()
        )
        result = {}
        for row in rows:
            value = row.pop("bucket")  # a month's first day, or whether in the month
            at = Month.of(value) if month is None else month if value else None
            key = (at, row.pop(group) if group else None)
            result[key] = Counter({name: total or 0 for name, total in row.items()})
        return result

    return MonthCounts(
        received=tally(Claim.objects.all(), "received_on"),
        assessed=tally(
            Assessment.objects.counted(),
            "assessed_on",
            "outcome",
            killed="civilians_killed",
            injured="civilians_injured",
        ),
        reopened=tally(
            Reopening.objects.all(),
            "reopened_on",
            "assessment__outcome",
            killed="assessment__civilians_killed",
            injured="assessment__civilians_injured",
        ),
        strikes=tally(Strike.objects.all(), "date", engagements="engagements"),
    )


def month_fold(counts: MonthCounts, months: list[Month]) -> list[MonthFigures]:
    """The figures of each of `months` (consecutive), without their lists of claims: running
    totals from what was recorded before the first of them (the counts' month None) on."""
    received = counts.at("received", None)["n"]
    struck = counts.at("strikes", None)
    strikes, engagements = struck["n"], struck["engagements"]
    assessed = {outcome: Counter(counts.at("assessed", None, outcome)) for outcome in OUTCOMES}
    reopened = {outcome: Counter(counts.at("reopened", None, outcome)) for outcome in OUTCOMES}

    def closed_as(outcome: str, key: str = "n") -> int:
        """Claims closed as `outcome` so far (or their killed/injured): the running totals."""
        return assessed[outcome][key] - reopened[outcome][key]

    series = []
    for month in months:
        open_at_start = received - sum(closed_as(outcome) for outcome in OUTCOMES)
        in_month = {outcome: counts.at("assessed", month, outcome) for outcome in OUTCOMES}
        reopened_in_month = {outcome: counts.at("reopened", month, outcome) for outcome in OUTCOMES}
        new = counts.at("received", month)["n"]
        struck = counts.at("strikes", month)
        received += new
        strikes += struck["n"]
        engagements += struck["engagements"]
        for outcome in OUTCOMES:
            assessed[outcome] += in_month[outcome]
            reopened[outcome] += reopened_in_month[outcome]
        closed = sum(counter["n"] for counter in in_month.values())
        reopened_count = sum(counter["n"] for counter in reopened_in_month.values())
        open_at_end = open_at_start + new + reopened_count - closed
        credible = in_month[Outcome.CREDIBLE]
        series.append(
            MonthFigures(
                period=month,
                received=new,
                closed=closed,
                credible=credible["n"],
                non_credible=in_month[Outcome.NON_CREDIBLE]["n"],
                duplicate=in_month[Outcome.DUPLICATE]["n"],
                reopened=reopened_count,
                open_at_start=open_at_start,
                open_at_end=open_at_end,
                civilians_killed=credible["killed"],
                civilians_injured=credible["injured"],
                cumulative=Cumulative(
                    received=received,
                    credible=closed_as(Outcome.CREDIBLE),
                    non_credible=closed_as(Outcome.NON_CREDIBLE),
                    duplicate=closed_as(Outcome.DUPLICATE),
                    open=open_at_end,
                    civilians_killed=closed_as(Outcome.CREDIBLE, "killed"),
                    civilians_injured=closed_as(Outcome.CREDIBLE, "injured"),
                    strikes=strikes,
                    engagements=engagements,
                    engagements_report_pct=percentage(received, engagements),
                    engagements_credible_pct=percentage(closed_as(Outcome.CREDIBLE), engagements),
                ),
            )
        )
    return series


def month_figures(*, period: Month | str, with_lists: bool = True) -> MonthFigures:
    """The figures and lists of one month. Six queries, whatever the data size: month_counts'
    four (in the month and before it), and month_lists' two. Without its lists (`with_lists`
    False: they are left empty), four: what a page that shows only the first rows of each
    list (month_lists with `first`) needs."""
    month = Month.parse(period) if isinstance(period, str) else period
    [figures] = month_fold(month_counts(month=month), [month])
    return replace(figures, **month_lists(month)) if with_lists else figures


def _month_assessments(month: Month):
    """The month's approved assessments, public columns only, in the order of its lists."""
    return (
        Assessment.objects.counted()
        .filter(assessed_on__gte=month.first_day, assessed_on__lte=month.last_day)
        .public("claim", "duplicate_of")  # claims.public: a confidential field cannot leak here
        .order_by(*_ASSESSMENT_ORDER)
    )


def _month_reopenings(month: Month):
    return (
        Reopening.objects.filter(reopened_on__gte=month.first_day, reopened_on__lte=month.last_day)
        .public("claim", "assessment")
        .order_by("reopened_on", "claim__claim_ref", "sequence")
    )


_ASSESSMENT_ORDER = ("assessed_on", "claim__claim_ref", "sequence")
# The month's lists of claims, by outcome (MonthFigures' fields), then its reopenings.
_LISTS = {
    Outcome.CREDIBLE: "credible_claims",
    Outcome.NON_CREDIBLE: "non_credible_claims",
    Outcome.DUPLICATE: "duplicate_claims",
}


def month_lists(month: Month, *, first: int | None = None) -> dict[str, list[dict]]:
    """The month's lists of claims, as MonthFigures holds them: its approved assessments by
    outcome (credible_claims, ...) and its reopenings (reopened_claims), each in date order.
    With `first`, only the first `first` rows of each list: a page's share, whatever the
    month's size (each list's length is its figure: credible, non_credible, duplicate,
    reopened). Two queries."""
    assessments = _month_assessments(month)
    reopenings = _month_reopenings(month)
    if first is not None:
        order = [F(column).asc() for column in _ASSESSMENT_ORDER]
        # Ranked by their ids alone, then read: twice as fast as ranking whole rows.
        firsts = assessments.annotate(
            place_in_list=Window(RowNumber(), partition_by=F("outcome"), order_by=order)
        ).filter(place_in_list__lte=first)
        assessments = assessments.filter(pk__in=firsts.values("pk"))
        reopenings = reopenings[:first]
    lists = {key: [] for key in _LISTS.values()}
    for assessment in assessments:
        lists[_LISTS[assessment.outcome]].append(_assessment_row(assessment))
    lists["reopened_claims"] = [_reopening_row(reopening) for reopening in reopenings]
    return lists


def month_list_refs(month: Month) -> dict[str, list[dict]]:
    """The month's lists (month_lists) with only each row's claim_ref: enough to compare them
    with a publication's (reports.publishing.list_revisions) without reading every row. Two
    queries."""
    lists = {key: [] for key in _LISTS.values()}
    assessments = _month_assessments(month).values_list("outcome", "claim__claim_ref")
    for outcome, ref in assessments:
        lists[_LISTS[outcome]].append({"claim_ref": ref})
    refs = _month_reopenings(month).values_list("claim__claim_ref", flat=True)
    lists["reopened_claims"] = [{"claim_ref": ref} for ref in refs]
    return lists
