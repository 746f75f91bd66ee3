"""The running totals to date: the headline figures of the home page and of
/api/v1/reports/summary/, from one function so that the two can never disagree."""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.utils import timezone

from casualty_tracker import data_version

from .figures import Cumulative, MonthFigures, month_figures, percentage
from .periods import Month

# Nothing dated on or before the end of the month: what month_figures gives (pinned by a test).
NOTHING_YET = Cumulative(
    received=0,
    credible=0,
    non_credible=0,
    duplicate=0,
    open=0,
    civilians_killed=0,
    civilians_injured=0,
    strikes=0,
    engagements=0,
    engagements_report_pct=percentage(0, 0),
    engagements_credible_pct=percentage(0, 0),
)


def summary(*, today: date | None = None, series: list[MonthFigures] | None = None) -> dict:
    """{"as_of": today, "period": "YYYY-MM", **the current month's cumulative figures}.

    `series`, the result of `month_series()` (which always reaches the current month), saves
    recomputing the figures when the caller (the home page) has it already; without it, the
    current month's figures (`month_figures`: six queries, several times faster on the demo than
    the whole series, which the API's summary does not need), once per data version."""
    today = today or timezone.localdate()
    month = Month.of(today)
    if series is None:
        cumulative = data_version.cached(
            "month-cumulative", lambda: month_figures(period=month).cumulative, month
        )
        return {"as_of": today, "period": str(month), **asdict(cumulative)}
    # The series holds every month from the first record on: the last one up to this month
    # carries the running totals to date.
    to_date = [figures for figures in series if figures.period <= month]
    cumulative = to_date[-1].cumulative if to_date else NOTHING_YET
    return {"as_of": today, "period": str(month), **asdict(cumulative)}
