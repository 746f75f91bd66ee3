"""The monthly figures of every month at once, in four queries whatever the number of months:
reports.figures' one aggregation (every month) and its fold, as `month_figures` computes one
month. The month's lists of claims are left out (one month at a time: `month_figures`).
"""

from __future__ import annotations

from itertools import groupby

from django.utils import timezone

from casualty_tracker import data_version

from .figures import MonthFigures, month_counts, month_fold
from .periods import Month, month_range

LIST_KEYS = ("credible_claims", "non_credible_claims", "duplicate_claims", "reopened_claims")


def month_series(*, until: Month | None = None) -> list[MonthFigures]:
    """Every month from the first with a record (claim received, assessment, reopening or
    strike) to `until` (default: the current month). Only approved assessments count, as in
    month_figures.

    Bounded by the records and today, never by a stray date: a record dated after today (which
    claims.dates refuses, but an old database or a raw update may hold) has no month yet.
    Computed once per data version (casualty_tracker.data_version)."""
    last = until or Month.of(timezone.localdate())
    return data_version.cached("month-series", lambda: _month_series(last), last)


def _month_series(last: Month) -> list[MonthFigures]:
    counts = month_counts()
    months = [month for month in counts.months if month <= last]
    if not months:
        return []
    return month_fold(counts, month_range(min(months), last))


def recorded_months(series: list[MonthFigures]) -> list[bool]:
    """For each month of the series, whether anything was recorded in it: a claim received,
    closed or reopened, or a strike. The home page's charts and the list of reports read it, and
    show a run of months without records as one (month_spans)."""
    strikes = [0] + [figures.cumulative.strikes for figures in series]
    return [
        bool(figures.received or figures.closed or figures.reopened or now != before)
        for figures, before, now in zip(series, strikes, strikes[1:], strict=False)
    ]


# A run of at least this many consecutive quiet months (nothing recorded in them: see
# recorded_months) is shown as one line of the list of reports and one point of the home page's
# charts and one row of their tables, not month by month.
QUIET_RUN_MONTHS = 2


def month_spans(quiet: list[bool]) -> list[range]:
    """The months as a page shows them, as ranges of indices, in order: each month alone, except
    a run of QUIET_RUN_MONTHS or more consecutive quiet months, which is one range. A page
    decides which months are quiet (recorded_months, and what else it must show month by month:
    a published report, an independent count)."""
    spans: list[range] = []
    start = 0
    for is_quiet, run in groupby(quiet):
        end = start + len(list(run))
        if is_quiet and end - start >= QUIET_RUN_MONTHS:
            spans.append(range(start, end))
        else:
            spans.extend(range(index, index + 1) for index in range(start, end))
        start = end
    return spans


def month_totals(figures: MonthFigures) -> dict:
    """A month's figures without its lists of claims: one row of the series."""
    data = figures.as_dict()
    for key in LIST_KEYS:
        data.pop(key)
    return data
