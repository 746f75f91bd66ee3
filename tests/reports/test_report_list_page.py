"""The list of monthly reports, /reports/: every month, newest first, with its status."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.periods import Month
from tests.reports.factories import (
    MonthPublicationFactory,
    grow_2017,
    late_assessment_of_civ_0202,
)
from tests.reports.pages import main_text, page, rows

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
    first, current = Month(2017, 1), this_month()
    expected_count = (current.year - first.year) * 12 + current.month - first.month + 1
    assert len(months) == expected_count
    assert months[0][0] == current.label
    # Published: the figures as published; revised since: flagged, still as published.
    assert months[-4:] == [
        # April is not published: as it stands, after CIV-0202's late assessment.
        ["April 2017", "0", "0", "0", "0", "0", "0", "1", "0", "Provisional"],
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
    assert years == [str(year) for year in range(current.year, 2016, -1)]
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
