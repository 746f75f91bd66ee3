"""What CJTF-OIR published (cjtf-oir-monthly.csv), and where the demo departs from it.

`published_read` returns the figures by report month. tests/test_demo.py compares every
published figure with the demo's figures in the app (reports.figures.month_figures) and insists
that each difference is one of DEPARTURES, each named after the reconciliation choice that
explains it (see README.md). Standard library only: the test loads this file by path.
"""

from __future__ import annotations

import csv
from pathlib import Path

PUBLISHED_CSV = Path(__file__).with_name("cjtf-oir-monthly.csv")

# The two copies of July 2018 disagree on the deaths (2 vs 3): the cumulative series of both
# (1,059 -> 1,061) says 2.
ROW_CONFLICTS = {("2018-07", "killed_in_month"): 2}

# Every published figure the ledger departs from: (month, column, published, demo, choice).
DEPARTURES: tuple[tuple[str, str, int, int, str], ...] = (
    ("2016-11", "carried_over", 7, 3, "carried-over-includes-reopened"),
    ("2017-03", "killed_in_month", 45, 123, "cumulative-over-monthly-deaths"),
    ("2017-08", "open_end", 350, 344, "later-carried-over-wins"),
    ("2017-09", "reports_to_date", 1266, 1550, "september-2017-reports-to-date"),
    ("2017-11", "killed_in_month", 11, 16, "cumulative-over-monthly-deaths"),
    ("2017-12", "killed_in_month", 13, 14, "cumulative-over-monthly-deaths"),
    ("2018-03", "received", 122, 1, "received-includes-reopened"),
    ("2018-07", "received", 2, 0, "later-open-wins-july-2018"),
    ("2018-07", "carried_over", 232, 234, "later-open-wins-july-2018"),
    ("2018-08", "carried_over", 219, 216, "carried-over-includes-reopened"),
    ("2019-01", "received", 22, 17, "received-includes-reopened"),
    ("2019-03", "cumulative_killed", 1291, 1297, "april-2019-report-wins"),
    ("2019-04", "received", 7, 4, "received-includes-reopened"),
    ("2019-08", "received", 2, 0, "received-includes-reopened"),
)

INT_COLUMNS = (
    "carried_over", "received", "completed", "credible", "non_credible", "duplicate", "open_end",
    "reopened", "killed_in_month", "cumulative_killed", "strikes_to_date", "engagements_to_date",
    "reports_to_date", "credible_to_date",
)  # fmt: skip


def published_read(path: Path = PUBLISHED_CSV) -> dict[str, dict[str, int | None]]:
    """The published figures by report month; two copies of one month are merged."""
    by_month: dict[str, dict[str, int | None]] = {}
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            month = row["report_month"]
            values = {c: int(row[c]) if row[c] else None for c in INT_COLUMNS}
            merged = by_month.setdefault(month, values)
            for column, value in values.items():
                if value is None or merged[column] == value:
                    continue
                if merged[column] is None:
                    merged[column] = value
                else:
                    merged[column] = ROW_CONFLICTS[(month, column)]
    return by_month
