"""The home page: the running totals to date, the month-by-month charts and their tables."""

import re

import pytest

from reports.catalogue import FIGURES
from reports.figures import month_figures
from reports.periods import Month
from reports.series import month_series
from reports.summary import NOTHING_YET, summary
from tests.factories import ClaimFactory, StrikeFactory, assess
from tests.worlds import CANARY, D, campaign

from .page_factories import (
    definitions,
    freeze_today,
    json_data,
    page_before_and_after_secrets,
    page_text,
    table,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def today(monkeypatch):
    return freeze_today(monkeypatch)


def test_headline_figures_are_the_running_totals_to_date(client, today):
    campaign()
    response = client.get("/")
    assert definitions(response) == {
        "Reports received to date": "5",
        "Credible to date": "2",
        "Non-credible to date": "1",
        "Duplicates to date": "1",
        "Still open": "1",
        "Civilians killed to date (credible reports)": "7",
        "Civilians injured to date (credible reports)": "3",
        "Strikes to date": "3",
        "Engagements to date": "1,203",
    }
    text = page_text(response)
    assert "As of 15 Jul 2017: every record up to today." in text
    # 100 x 5 / 1,203 and 100 x 2 / 1,203, half up.
    assert "That is 0.42 reports of civilian harm and 0.17 credible reports per 100" in text


def test_headline_figures_equal_the_api_summary(client, today):
    campaign()
    api = client.get("/api/v1/reports/summary/").json()
    page = definitions(client.get("/"))
    assert [page[FIGURES[f"cumulative.{key}"].label] for key in ("received", "open")] == [
        str(api["received"]),
        str(api["open"]),
    ]
    assert summary() == {**api, "as_of": today}


def test_summary_is_the_current_months_cumulative_figures(today):
    campaign()
    expected = month_figures(period=Month.of(today)).cumulative.__dict__
    assert summary() == {"as_of": today, "period": "2017-07", **expected}
    assert summary(series=month_series()) == summary()


def test_summary_with_nothing_to_date_is_what_month_figures_gives(today):
    assert month_figures(period="2017-07").cumulative == NOTHING_YET
    assert summary()["received"] == 0
    StrikeFactory(date=D(2017, 8, 1))  # after today: not counted to date
    ClaimFactory(received_on=D(2017, 8, 2))
    nothing = {"as_of": today, "period": "2017-07", **NOTHING_YET.__dict__}
    assert summary(series=month_series()) == nothing


def test_every_headline_label_links_to_its_definition(client, today):
    campaign()
    home = client.get("/").content.decode()
    methodology = client.get("/methodology/").content.decode()
    anchors = [
        "figure-cumulative-received",
        "figure-cumulative-credible",
        "figure-cumulative-non-credible",
        "figure-cumulative-duplicate",
        "figure-cumulative-open",
        "figure-cumulative-civilians-killed",
        "figure-cumulative-civilians-injured",
        "figure-cumulative-strikes",
        "figure-cumulative-engagements",
    ]
    for anchor in anchors:
        assert f'href="/methodology/#{anchor}"' in home
        assert f'id="{anchor}"' in methodology


def test_backlog_table_month_by_month(client, today):
    campaign()
    rows = table(client.get("/"), "Reports received, closed and open, by month")
    assert rows == [
        ["Month", "Reports received", "Assessments completed", "Open at the end of the month"],
        ["Jan 2017", "1", "0", "1"],
        ["Feb 2017", "1", "1", "1"],
        ["Mar 2017", "2", "2", "2"],
        ["Apr 2017", "1", "0", "3"],
        ["May 2017", "0", "1", "2"],
        ["Jun 2017", "0", "1", "1"],
        ["Jul 2017", "0", "0", "1"],
    ]


def test_killed_table_sets_official_and_independent_counts_side_by_side(client, today):
    campaign()
    rows = table(client.get("/"), "Civilians killed: the official count")
    assert rows == [
        [
            "Month",
            "Official count (month of assessment)",
            "Airwars low estimate (month of incident)",
            "Airwars high estimate (month of incident)",
            "The New York Times low estimate (month of incident)",
            "The New York Times high estimate (month of incident)",
        ],
        ["Jan 2017", "0", "0", "0", "0", "0"],
        ["Feb 2017", "1", "0", "0", "0", "0"],
        ["Mar 2017", "3", "2", "5", "3", "3"],
        ["Apr 2017", "0", "8", "10", "0", "0"],
        ["May 2017", "0", "0", "0", "0", "0"],
        ["Jun 2017", "4", "0", "0", "0", "0"],
        ["Jul 2017", "0", "0", "0", "0", "0"],
    ]
    text = page_text(client.get("/"))
    assert "The two series count different things." in text


def test_an_incident_before_the_first_record_gets_its_month(client, today):
    # Received (and the series' first record) in February; the incident was in December.
    claim = ClaimFactory(received_on=D(2017, 2, 3), incident_date=D(2016, 12, 30))
    claim.external_assessments.create(
        organisation="Airwars", grade="fair", civilians_killed_min=1, civilians_killed_max=2
    )
    rows = table(client.get("/"), "Civilians killed: the official count")
    assert rows[1:] == [
        ["Dec 2016", "0", "1", "2"],
        ["Jan 2017", "0", "0", "0"],  # before the first record, and a run of one: a row
        ["Feb 2017", "0", "0", "0"],
        ["Mar 2017 – Jul 2017: no reports", "0", "0", "0"],
    ]


def test_chart_data_are_the_table_numbers(client, today):
    campaign()
    response = client.get("/")
    backlog = json_data(response, "chart-backlog-data")
    months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul"]
    assert backlog["labels"] == [f"{month} 2017" for month in months]
    assert [(d["label"], d["values"]) for d in backlog["datasets"]] == [
        ("Reports received", [1, 1, 2, 1, 0, 0, 0]),
        ("Assessments completed", [0, 1, 2, 0, 1, 1, 0]),
        ("Open at the end of the month", [1, 1, 2, 3, 2, 1, 1]),
    ]
    killed = json_data(response, "chart-killed-data")
    assert [d["values"] for d in killed["datasets"]] == [
        [0, 1, 3, 0, 0, 4, 0],
        [0, 0, 2, 8, 0, 0, 0],
        [0, 0, 5, 10, 0, 0, 0],
        [0, 0, 3, 0, 0, 0, 0],
        [0, 0, 3, 0, 0, 0, 0],
    ]
    assert [d["colour"] for d in killed["datasets"]] == ["--credible"] + ["--independent"] * 4


def test_the_monthly_charts_equal_the_api_series(client, today):
    campaign()
    months = client.get("/api/v1/reports/monthly/").json()["months"]
    assert [month["period"] for month in months] == [f"2017-{n:02d}" for n in range(1, 8)]
    response = client.get("/")
    backlog = json_data(response, "chart-backlog-data")
    killed = json_data(response, "chart-killed-data")
    assert len(backlog["labels"]) == len(killed["labels"]) == len(months)
    keys = ["received", "closed", "open_at_end"]
    for dataset, key in zip(backlog["datasets"], keys, strict=True):
        assert dataset["values"] == [month[key] for month in months]
    assert killed["datasets"][0]["values"] == [month["civilians_killed"] for month in months]


def test_links_to_the_latest_complete_month(client, today):
    campaign()
    response = client.get("/")
    assert 'Latest monthly report: <a href="/reports/2017/06/">June 2017</a>' in (
        response.content.decode()
    )


def test_the_charts_are_an_enhancement_of_the_tables(client, today):
    campaign()
    html = client.get("/").content.decode()
    # Without JavaScript the chart boxes stay hidden and the tables open.
    assert html.count('<div class="chart home-chart" hidden>') == 2
    assert html.count('<details class="data-table" id="chart-backlog-table" open>') == 1
    assert html.count('<details class="data-table" id="chart-killed-table" open>') == 1
    assert '<script src="/static/vendor/chart.js/chart.umd.min.js" defer></script>' in html
    assert '<script src="/static/js/charts.js" defer></script>' in html
    # No inline JavaScript: scripts are files, data are JSON (the Dataset's JSON-LD too), no on*
    # handler attributes.
    scripts = re.findall(r"<script[^>]*>", html)
    assert scripts == [
        '<script type="application/ld+json">',
        '<script id="chart-backlog-data" type="application/json">',
        '<script id="chart-killed-data" type="application/json">',
        '<script src="/static/vendor/chart.js/chart.umd.min.js" defer>',
        '<script src="/static/js/charts.js" defer>',
    ]
    assert not re.search(r"\son[a-z]+=", html)


def test_empty_database(client, today):
    response = client.get("/")
    assert set(definitions(response).values()) == {"0"}
    text = page_text(response)
    assert "No engagement is on record yet, so no rate per engagement is given." in text
    assert "Latest monthly report" not in text
    assert table(response, "Reports received, closed and open")[1] == ["Nothing on record yet."]


def test_nothing_confidential_appears_and_a_proposal_changes_nothing(client, today):
    before, after = page_before_and_after_secrets(client, "/")
    assert CANARY not in after
    assert after == before


def test_query_count_is_constant(client, today, django_assert_num_queries):
    campaign()
    for month in range(1, 7):
        claim = ClaimFactory(received_on=D(2017, month, 2))
        assess(claim, "credible", D(2017, month, 3))
        claim.external_assessments.create(organisation=f"Monitor {month}", grade="fair")
    # 1-4 the monthly series (claims received, approved assessments, reopenings, strikes, each
    # counted per month; the headline is its current month), 5 the independent counts per
    # organisation and month of incident.
    with django_assert_num_queries(5):
        response = client.get("/")
    assert definitions(response)["Reports received to date"] == "11"


def test_an_archive_ends_its_charts_at_its_last_record(client, monkeypatch):
    """Records that stopped years ago (a finished campaign): the charts and the latest report
    end at the last month with records, while the headline figures are still those to date."""
    freeze_today(monkeypatch, D(2026, 12, 2))
    campaign()
    response = client.get("/")
    backlog = json_data(response, "chart-backlog-data")
    assert backlog["labels"][0] == "Jan 2017"
    assert backlog["labels"][-1] == "Jun 2017"  # the last assessment; nothing after
    assert "Latest monthly report: June 2017" in page_text(response)
    assert "As of 2 Dec 2026" in page_text(response)


def test_a_run_of_months_without_records_is_one_point_of_the_charts(
    client, monkeypatch, django_assert_num_queries
):
    """A campaign recorded in 2014 and 2019, then one claim in November 2026 about an incident of
    March 2020: each run of two or more months without records (as on the list of reports) is
    one point of the charts and one row of their tables, carrying the running totals; the killed
    chart also shows alone the month of an independent count."""
    freeze_today(monkeypatch, D(2026, 12, 2))
    assess(ClaimFactory(received_on=D(2014, 6, 1)), "credible", D(2014, 7, 1))
    ClaimFactory(received_on=D(2019, 6, 1))  # still open: the backlog across the gap
    assess(ClaimFactory(received_on=D(2019, 7, 1)), "credible", D(2019, 7, 15), civilians_killed=2)
    late = ClaimFactory(received_on=D(2026, 11, 10), incident_date=D(2020, 3, 5))
    late.external_assessments.create(
        organisation="Airwars", grade="fair", civilians_killed_min=3, civilians_killed_max=4
    )
    with django_assert_num_queries(5):  # as test_query_count_is_constant
        response = client.get("/")

    backlog = json_data(response, "chart-backlog-data")
    labels = [
        "Jun 2014",
        "Jul 2014",
        "Aug 2014 – May 2019: no reports",
        "Jun 2019",
        "Jul 2019",
        "Aug 2019 – Oct 2026: no reports",
        "Nov 2026",
        "Dec 2026",  # the current month, a run of one
    ]
    assert backlog["labels"] == labels
    assert backlog["gaps"] == [2, 5]
    assert [d["values"] for d in backlog["datasets"]] == [
        [1, 0, 0, 1, 1, 0, 1, 0],
        [0, 1, 0, 0, 1, 0, 0, 0],
        [1, 0, 0, 1, 1, 1, 2, 2],
    ]
    rows = table(response, "Reports received, closed and open")[1:]
    assert rows == [
        [label, *map(str, values)]
        for label, *values in zip(labels, *[d["values"] for d in backlog["datasets"]], strict=True)
    ]
    html = response.content.decode()
    assert (
        '<th scope="row"><time datetime="2019-08">Aug 2019</time> – '
        '<time datetime="2026-10">Oct 2026</time>: no reports</th>'
    ) in html
    note = "A run of months in which nothing was recorded is one point of the chart (shaded)"
    assert page_text(response).count(note) == 2

    # Every point has the API's figures of its last month: nothing changes within a run.
    api = {m["period"]: m for m in client.get("/api/v1/reports/monthly/").json()["months"]}
    last_months = ["2014-06", "2014-07", "2019-05", "2019-06", "2019-07", "2026-10", "2026-11"]
    keys = ["received", "closed", "open_at_end"]
    for dataset, key in zip(backlog["datasets"], keys, strict=True):
        assert dataset["values"] == [api[m][key] for m in [*last_months, "2026-12"]]

    killed = json_data(response, "chart-killed-data")
    assert (
        killed["labels"]
        == [
            *labels[:5],
            "Aug 2019 – Feb 2020: no reports",
            "Mar 2020",  # the incident the independent count is about
            "Apr 2020 – Oct 2026: no reports",
            *labels[6:],
        ]
    )
    assert killed["gaps"] == [2, 5, 7]
    assert [d["values"] for d in killed["datasets"]] == [
        [0, 1, 0, 0, 2, 0, 0, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 3, 0, 0, 0],
        [0, 0, 0, 0, 0, 0, 4, 0, 0, 0],
    ]
    assert table(response, "Civilians killed")[7] == ["Mar 2020", "0", "3", "4"]
