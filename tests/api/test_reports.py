"""/api/v1/reports/: one month (exactly `monthly_report --json`), the series, the running totals
and the comparison."""

import csv
import io
import json
from dataclasses import asdict
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from reports.comparison import comparison_figures
from reports.figures import month_figures
from reports.periods import Month
from reports.series import month_totals

pytestmark = pytest.mark.django_db


def command_json(period: str) -> dict:
    out = StringIO()
    call_command("monthly_report", period, "--json", stdout=out)
    return json.loads(out.getvalue())


@pytest.mark.parametrize("period", ["2016-06", "2017-02", "2017-03", "2017-06", "2030-01"])
def test_month_is_exactly_the_monthly_report_json(api, world, period):
    assert api(f"/api/v1/reports/monthly/{period}/") == command_json(period)


def test_month_lists_are_the_months_findings(api, world):
    march = api("/api/v1/reports/monthly/2017-03/")
    assert [row["claim_ref"] for row in march["credible_claims"]] == ["CIV-A"]
    assert march["duplicate_claims"][0]["duplicate_of"] == "CIV-A"
    assert march["reopened_claims"][0]["claim_ref"] == "CIV-E"
    assert (march["received"], march["closed"], march["civilians_killed"]) == (2, 2, 3)


@pytest.mark.parametrize(
    ("period", "message"),
    [
        *((p, "Period must be a month written YYYY-MM") for p in ("2017-13", "2017-00", "2017-3")),
        *((p, "Period must be a month written YYYY-MM") for p in ("17-03", "march", "2017-03-01")),
        ("0000-01", "Period '0000-01' is out of range"),
        ("9999-12", "Period '9999-12' is out of range"),
    ],
)
def test_malformed_or_impossible_month_is_a_json_404(client, db, period, message):
    response = client.get(f"/api/v1/reports/monthly/{period}/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(message)


def test_series_runs_from_the_first_record_to_this_month(api, world):
    months = api("/api/v1/reports/monthly/")["months"]
    # The first record is strike S-3 of 27 May 2016.
    assert months[0]["period"] == "2016-05"
    assert months[-1]["period"] == str(Month.of(timezone.localdate()))
    periods = [Month.parse(row["period"]) for row in months]
    assert all(
        later == earlier.next() for earlier, later in zip(periods, periods[1:], strict=False)
    )
    for row in months:
        assert row == month_totals(month_figures(period=row["period"])), row["period"]


def test_series_is_empty_without_records(api, db):
    assert api("/api/v1/reports/monthly/") == {"months": []}


def test_series_as_csv_one_row_per_month(client, api, world):
    months = api("/api/v1/reports/monthly/")["months"]
    response = client.get("/api/v1/reports/monthly/", {"format": "csv"})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.content.decode(), newline="")))
    assert len(rows) == len(months)
    march = next(row for row in rows if row["period"] == "2017-03")
    assert (march["received"], march["cumulative.received"], march["cumulative.open"]) == (
        "2",
        "4",
        "2",
    )
    # End of March: 3 engagements (S-3, S-1), CIV-A credible (CIV-E reopened on 1 March).
    assert march["cumulative.engagements_credible_pct"] == "33.33"
    assert rows[0]["cumulative.engagements_report_pct"] == "0.0"  # May 2016: 0 of 1


def test_summary_is_this_months_cumulative_figures(api, world):
    today = timezone.localdate()
    expected = asdict(month_figures(period=Month.of(today)).cumulative)
    assert api("/api/v1/reports/summary/") == {
        "as_of": today.isoformat(),
        "period": str(Month.of(today)),
        **expected,
    }
    assert (expected["received"], expected["credible"], expected["civilians_killed"]) == (5, 2, 7)


def test_comparison_endpoint_is_comparison_figures(api, world):
    data = api("/api/v1/reports/comparison/")
    assert data == comparison_figures()
    assert [row["organisation"] for row in data["organisations"]] == [
        "Airwars",
        "The New York Times",
    ]
    assert "not proof" in data["caveat"]
