"""The list of monthly reports, /reports/: every month, newest first, with its status."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.periods import Month
from tests.factories import ClaimFactory, assess
from tests.reports.factories import MonthPublicationFactory, grow_2017
from tests.reports.page_factories import freeze_today, json_data
from tests.reports.pages import main_text, page, rows
from tests.worlds import late_assessment_of_civ_0202

pytestmark = pytest.mark.django_db

PUBLISHED_5_APRIL = dt.datetime(2017, 4, 5, 9, 30, tzinfo=dt.UTC)


def this_month() -> Month:
    return Month.of(timezone.localdate())


def test_report_list_shows_every_month_newest_first_with_its_status(client, march_2017):
    MonthPublicationFactory(
        period="2017-02", published_at=dt.datetime(2017, 3, 3, 12, tzinfo=dt.UTC)
    )
    MonthPublicationFactory(period="2017-03", published_at=PUBLISHED_5_APRIL)
    late_assessment_of_civ_0202()

    response = client.get("/reports/")

    table = page(response).find("table", class_="report-index")
    months = [row for row in rows(table) if len(row) > 1]
    current = this_month()
    # Published: the figures as published; revised since: flagged, still as published. From
    # April on nothing was recorded: one line to this month, with the one claim still open.
    assert months == [
        [
            f"April 2017 – {current.label}",
            f"No reports received or closed from April 2017 to {current.label}; 1 still open.",
        ],
        [
            "March 2017",
            "3",
            "4",
            "2",
            "1",
            "1",
            "1",
            "2",
            "5",
            "Revised since publication published 5 Apr 2017",
        ],
        ["February 2017", "3", "1", "1", "0", "0", "0", "2", "7", "Published 3 Mar 2017"],
        ["January 2017", "0", "0", "0", "0", "0", "0", "0", "0", "Provisional"],
    ]
    years = [row[0] for row in rows(table) if len(row) == 1]
    assert years == [str(current.year), "2017"]
    link = table.find("a", href="/reports/2017/03/")
    assert link.text == "March 2017"


def test_report_list_figures_match_the_api_series(client, march_2017):
    series = {
        month["period"]: month for month in client.get("/api/v1/reports/monthly/").json()["months"]
    }
    table = page(client.get("/reports/")).find("table", class_="report-index")
    for row in rows(table):
        if len(row) == 1:
            continue
        if " – " in row[0]:  # a run of months in which nothing was recorded
            first, last = (dt.datetime.strptime(m, "%B %Y").date() for m in row[0].split(" – "))
            run = [api for period, api in series.items() if str(Month.of(first)) <= period]
            run = [api for api in run if api["period"] <= str(Month.of(last))]
            assert len(run) > 1
            assert {(api["received"], api["closed"], api["reopened"]) for api in run} == {(0, 0, 0)}
            assert row[1].endswith(f"; {run[-1]['open_at_end']:,} still open.")
            continue
        period = Month.of(dt.datetime.strptime(row[0], "%B %Y").date())
        api = series[str(period)]
        assert row[1:9] == [
            f"{api[key]:,}"
            for key in (
                "received",
                "closed",
                "credible",
                "non_credible",
                "duplicate",
                "reopened",
                "open_at_end",
                "civilians_killed",
            )
        ], period


def test_report_list_without_records(client):
    response = client.get("/reports/")
    assert response.status_code == 200
    assert "No report yet: no claim or strike is on record." in main_text(response)


def test_report_list_queries_are_constant(client, march_2017, django_assert_num_queries):
    # 1-4 month_series (claims, assessments, reopenings, strikes by month), 5 the latest
    # publication of every month, its figures read from the JSON.
    with django_assert_num_queries(5):
        assert client.get("/reports/").status_code == 200
    grow_2017()
    with django_assert_num_queries(5):
        response = client.get("/reports/")
    assert main_text(response).count("Revised since publication") == 10 + 1  # + the legend


def test_a_run_of_months_without_records_is_one_line(client, monkeypatch):
    """A campaign recorded from 2014 to 2019, then one claim in November 2026: the years between
    are one line, and the 2026 month is listed; the home page's charts collapse the same run."""
    freeze_today(monkeypatch, dt.date(2026, 12, 2))
    for year in range(2014, 2020):
        claim = ClaimFactory(received_on=dt.date(year, 6, 1))
        assess(claim, "credible", dt.date(year, 7, 1))
    ClaimFactory(received_on=dt.date(2026, 11, 10))

    table = page(client.get("/reports/")).find("table", class_="report-index")
    lines = [row[:2] for row in rows(table) if len(row) > 1]

    assert lines[:3] == [
        ["December 2026", "0"],  # the current month alone: a run of one is a row
        ["November 2026", "1"],
        [
            "August 2019 – October 2026",
            "No reports received or closed from August 2019 to October 2026; 0 still open.",
        ],
    ]
    assert ["July 2019", "0"] in lines and lines[-1] == ["June 2014", "1"]
    assert len(lines) == 3 + 5 * 3 + 2  # each year: July, June, and the run between
    backlog = json_data(client.get("/"), "chart-backlog-data")
    assert backlog["labels"][:3] == ["Jun 2014", "Jul 2014", "Aug 2014 – May 2015: no reports"]
    assert backlog["labels"][-3:] == ["Aug 2019 – Oct 2026: no reports", "Nov 2026", "Dec 2026"]
    assert len(backlog["labels"]) == 3 + 5 * 3 + 2  # the list's lines, oldest first
