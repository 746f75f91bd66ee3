"""The report arithmetic: one function computes a month's figures; pages, API and exports call it.

Definitions (also in the README and the methodology page), for month M:

- received: claims whose received date falls in M.
- closed: assessments dated in M (a claim closed, reopened and closed again in M counts twice);
  credible, non_credible, duplicate: those closures by outcome. reopened: reopenings dated in M.
- open_at_start: claims open at the end of the previous month;
  open_at_end = open_at_start + received + reopened - closed.
- civilians_killed / civilians_injured: sums over the credible assessments dated in M.
- cumulative (the state at the end of M): received; credible / non_credible / duplicate, the
  claims closed at the end of M by the outcome of their latest assessment; open; civilians killed
  and injured over the cumulative credible claims, from their latest assessment; strikes and
  engagements to date, and reports and credible reports per 100 engagements.

How it is computed in a constant number of queries. A claim's events alternate (assessed,
reopened, assessed...) and every reopening points at the assessment it reopens. So at any date D,
a claim is closed with outcome X exactly when it has one more X-assessment dated <= D than
reopenings (dated <= D) of X-assessments, and the claims closed as X number

    assessments(X, <= D) - reopenings of X-assessments (<= D).

The same holds for the killed and injured sums. Every figure is then a filtered COUNT or SUM:
no per-claim replay, whatever the data size.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from django.db.models import Count, Q, Sum

from claims.definitions import Diligence, Outcome, diligence_field
from claims.models import Assessment, Claim, Reopening, Strike

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
    return {
        "claim_ref": claim.claim_ref,
        "incident_date": claim.incident_date.isoformat(),
        "received_on": claim.received_on.isoformat(),
        "assessed_on": assessment.assessed_on.isoformat(),
        "place": claim.place,
        "locality": claim.locality,
        "province": claim.province,
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
        "place": claim.place,
        "country": claim.country,
        "previous_outcome": reopening.assessment.outcome,
        "previous_assessed_on": reopening.assessment.assessed_on.isoformat(),
        "reason": reopening.reason,
    }


# Only what the public lists show is loaded: a confidential field cannot leak from here.
_CLAIM_FIELDS = (
    "claim_ref",
    "incident_date",
    "received_on",
    "locality",
    "province",
    "country",
    "source_type",
    "civilians_killed_min",
    "civilians_killed_max",
)
_ASSESSMENT_FIELDS = (
    "outcome",
    "reason",
    "assessed_on",
    "sequence",
    "civilians_killed",
    "civilians_injured",
    "rationale",
    *(diligence_field(token) for token in Diligence.values),
)


def _windowed(date_field: str, start: date, **aggregate) -> dict:
    """Filtered aggregates over three windows: in the month, before it, and up to its end."""
    in_month = Q(**{f"{date_field}__gte": start})
    before = Q(**{f"{date_field}__lt": start})
    result = {
        "in_month": Count("pk", filter=in_month),
        "before": Count("pk", filter=before),
        "to_end": Count("pk"),
    }
    for name, (function, column) in aggregate.items():
        result[f"{name}_in_month"] = function(column, filter=in_month)
        result[f"{name}_to_end"] = function(column)
    return result


def month_figures(*, period: Month | str) -> MonthFigures:
    """The figures and lists of one month. Six queries, whatever the data size."""
    month = Month.parse(period) if isinstance(period, str) else period
    start, end = month.first_day, month.last_day

    claims = Claim.objects.aggregate(
        received=Count("pk", filter=Q(received_on__gte=start, received_on__lte=end)),
        received_before=Count("pk", filter=Q(received_on__lt=start)),
        received_to_end=Count("pk", filter=Q(received_on__lte=end)),
    )
    assessed = {
        row["outcome"]: row
        for row in Assessment.objects.counted()
        .filter(assessed_on__lte=end)
        .values("outcome")
        .annotate(
            **_windowed(
                "assessed_on",
                start,
                killed=(Sum, "civilians_killed"),
                injured=(Sum, "civilians_injured"),
            )
        )
        .order_by()
    }
    reopened = {
        row["assessment__outcome"]: row
        for row in Reopening.objects.filter(reopened_on__lte=end)
        .values("assessment__outcome")
        .annotate(
            **_windowed(
                "reopened_on",
                start,
                killed=(Sum, "assessment__civilians_killed"),
                injured=(Sum, "assessment__civilians_injured"),
            )
        )
        .order_by()
    }
    strikes = Strike.objects.filter(date__lte=end).aggregate(
        strikes=Count("pk"), engagements=Sum("engagements")
    )

    def assessed_value(outcome: str, key: str) -> int:
        return (assessed.get(outcome) or {}).get(key) or 0

    def reopened_value(outcome: str, key: str) -> int:
        return (reopened.get(outcome) or {}).get(key) or 0

    def total(value, key: str) -> int:
        return sum(value(outcome, key) for outcome in OUTCOMES)

    closed_before = total(assessed_value, "before") - total(reopened_value, "before")
    open_at_start = claims["received_before"] - closed_before
    closed = total(assessed_value, "in_month")
    reopened_count = total(reopened_value, "in_month")
    open_at_end = open_at_start + claims["received"] + reopened_count - closed

    def closed_as(outcome: str, key: str = "to_end") -> int:
        return assessed_value(outcome, key) - reopened_value(outcome, key)

    engagements = strikes["engagements"] or 0
    cumulative = Cumulative(
        received=claims["received_to_end"],
        credible=closed_as(Outcome.CREDIBLE),
        non_credible=closed_as(Outcome.NON_CREDIBLE),
        duplicate=closed_as(Outcome.DUPLICATE),
        open=open_at_end,
        civilians_killed=closed_as(Outcome.CREDIBLE, "killed_to_end"),
        civilians_injured=closed_as(Outcome.CREDIBLE, "injured_to_end"),
        strikes=strikes["strikes"],
        engagements=engagements,
        engagements_report_pct=percentage(claims["received_to_end"], engagements),
        engagements_credible_pct=percentage(closed_as(Outcome.CREDIBLE), engagements),
    )

    events = (
        Assessment.objects.counted()
        .filter(assessed_on__gte=start, assessed_on__lte=end)
        .select_related("claim", "duplicate_of")
        .only(
            *_ASSESSMENT_FIELDS,
            *(f"claim__{name}" for name in _CLAIM_FIELDS),
            "duplicate_of__claim_ref",
        )
        .order_by("assessed_on", "claim__claim_ref", "sequence")
    )
    lists = {outcome: [] for outcome in OUTCOMES}
    for assessment in events:
        lists[assessment.outcome].append(_assessment_row(assessment))
    reopenings = (
        Reopening.objects.filter(reopened_on__gte=start, reopened_on__lte=end)
        .select_related("claim", "assessment")
        .only(
            "reopened_on",
            "reason",
            "sequence",
            "assessment__outcome",
            "assessment__assessed_on",
            *(f"claim__{name}" for name in _CLAIM_FIELDS),
        )
        .order_by("reopened_on", "claim__claim_ref", "sequence")
    )

    return MonthFigures(
        period=month,
        received=claims["received"],
        closed=closed,
        credible=assessed_value(Outcome.CREDIBLE, "in_month"),
        non_credible=assessed_value(Outcome.NON_CREDIBLE, "in_month"),
        duplicate=assessed_value(Outcome.DUPLICATE, "in_month"),
        reopened=reopened_count,
        open_at_start=open_at_start,
        open_at_end=open_at_end,
        civilians_killed=assessed_value(Outcome.CREDIBLE, "killed_in_month"),
        civilians_injured=assessed_value(Outcome.CREDIBLE, "injured_in_month"),
        cumulative=cumulative,
        credible_claims=lists[Outcome.CREDIBLE],
        non_credible_claims=lists[Outcome.NON_CREDIBLE],
        duplicate_claims=lists[Outcome.DUPLICATE],
        reopened_claims=[_reopening_row(reopening) for reopening in reopenings],
    )
