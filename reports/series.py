"""The monthly figures of every month at once, in four queries whatever the number of months.

`month_figures` (reports/figures.py) is the definition; this computes the same figures for a
whole run of months from per-month COUNTs and SUMs and running totals, and tests/api pin it to
`month_figures` month by month. It leaves out the month's lists of claims (one month at a time:
`month_figures`).
"""

from __future__ import annotations

from collections import Counter

from django.db.models import Count, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from claims.models import Assessment, Claim, Reopening, Strike

from .figures import OUTCOMES, Cumulative, MonthFigures, percentage
from .periods import Month

LIST_KEYS = ("credible_claims", "non_credible_claims", "duplicate_claims", "reopened_claims")


def _by_month(queryset, date_field: str, group: str | None = None, **sums) -> dict:
    """{(month, group value): Counter(n=count, <name>=sum...)} for the rows of the queryset."""
    keys = ["month", group] if group else ["month"]
    rows = (
        queryset.annotate(month=TruncMonth(date_field))
        .values(*keys)
        .annotate(n=Count("pk"), **{name: Sum(column) for name, column in sums.items()})
        .order_by()
    )
    return {
        (Month.of(row.pop("month")), row.pop(group) if group else None): Counter(
            {name: value or 0 for name, value in row.items()}
        )
        for row in rows
    }


def month_series(*, until: Month | None = None) -> list[MonthFigures]:
    """Every month from the first with a record (claim received, assessment, reopening or
    strike) to `until` (default: the later of the current month and the last with a record).
    Only approved assessments count, as in month_figures."""
    received = _by_month(Claim.objects.all(), "received_on")
    assessed = _by_month(
        Assessment.objects.counted(),
        "assessed_on",
        "outcome",
        killed="civilians_killed",
        injured="civilians_injured",
    )
    reopened = _by_month(
        Reopening.objects.all(),
        "reopened_on",
        "assessment__outcome",
        killed="assessment__civilians_killed",
        injured="assessment__civilians_injured",
    )
    strikes = _by_month(Strike.objects.all(), "date", engagements="engagements")
    months = {month for table in (received, assessed, reopened, strikes) for month, _ in table}
    if not months:
        return []
    last = until or max(*months, Month.of(timezone.localdate()))

    series = []
    month = min(months)
    total_received = total_strikes = total_engagements = 0
    total_assessed = {outcome: Counter() for outcome in OUTCOMES}
    total_reopened = {outcome: Counter() for outcome in OUTCOMES}

    def closed_as(outcome: str, key: str = "n") -> int:
        """Claims closed as `outcome` so far (or their killed/injured): the running totals."""
        return total_assessed[outcome][key] - total_reopened[outcome][key]

    while month <= last:
        closed_before = sum(total_assessed[o]["n"] - total_reopened[o]["n"] for o in OUTCOMES)
        open_at_start = total_received - closed_before
        in_month = {o: assessed.get((month, o), Counter()) for o in OUTCOMES}
        reopened_in_month = {o: reopened.get((month, o), Counter()) for o in OUTCOMES}
        new = received.get((month, None), Counter())["n"]
        struck = strikes.get((month, None), Counter())
        total_received += new
        total_strikes += struck["n"]
        total_engagements += struck["engagements"]
        for outcome in OUTCOMES:
            total_assessed[outcome] += in_month[outcome]
            total_reopened[outcome] += reopened_in_month[outcome]
        closed = sum(in_month[o]["n"] for o in OUTCOMES)
        reopened_count = sum(reopened_in_month[o]["n"] for o in OUTCOMES)
        open_at_end = open_at_start + new + reopened_count - closed

        credible = in_month["credible"]
        series.append(
            MonthFigures(
                period=month,
                received=new,
                closed=closed,
                credible=credible["n"],
                non_credible=in_month["non_credible"]["n"],
                duplicate=in_month["duplicate"]["n"],
                reopened=reopened_count,
                open_at_start=open_at_start,
                open_at_end=open_at_end,
                civilians_killed=credible["killed"],
                civilians_injured=credible["injured"],
                cumulative=Cumulative(
                    received=total_received,
                    credible=closed_as("credible"),
                    non_credible=closed_as("non_credible"),
                    duplicate=closed_as("duplicate"),
                    open=open_at_end,
                    civilians_killed=closed_as("credible", "killed"),
                    civilians_injured=closed_as("credible", "injured"),
                    strikes=total_strikes,
                    engagements=total_engagements,
                    engagements_report_pct=percentage(total_received, total_engagements),
                    engagements_credible_pct=percentage(closed_as("credible"), total_engagements),
                ),
            )
        )
        month = month.next()
    return series


def month_totals(figures: MonthFigures) -> dict:
    """A month's figures without its lists of claims: one row of the series."""
    data = figures.as_dict()
    for key in LIST_KEYS:
        data.pop(key)
    return data
