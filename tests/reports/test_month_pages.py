"""One month's public report, /reports/YYYY/MM/, as a reader sees it."""

import datetime as dt

import pytest
from django.utils import timezone

from reports.figures import month_figures
from reports.narrative import month_paragraphs
from reports.periods import Month
from tests.factories import ClaimFactory, assess, reopen
from tests.reports.factories import MonthPublicationFactory, grow_2017
from tests.reports.pages import definitions, main_text, page, rows, section
from tests.worlds import late_assessment_of_civ_0202

pytestmark = pytest.mark.django_db

D = dt.date
MARCH_URL = "/reports/2017/03/"
PUBLISHED_5_APRIL = dt.datetime(2017, 4, 5, 9, 30, tzinfo=dt.UTC)


def this_month() -> Month:
    return Month.of(timezone.localdate())


# One month's report ----------------------------------------------------------------------------


def test_month_page_shows_the_paragraphs_and_key_figures_of_month_figures(client, march_2017):
    response = client.get(MARCH_URL)

    assert response.status_code == 200
    html = page(response)
    assert html.find("h1").text == "Civilian casualty report: March 2017"
    assert html.find("title").text.startswith("Civilian casualty report: March 2017")
    summary = [p.text for p in section(response, "summary-title").find_all("p")]
    assert summary == month_paragraphs(month_figures(period="2017-03"))
    assert summary[0].startswith(
        "During the month of March 2017, the Coalition carried over 2 open reports, received 3 "
        "new reports, and completed the assessment of 4 reports: 2 were assessed to be credible"
    )
    assert definitions(section(response, "key-figures-title")) == {
        "Reports received": "3",
        "Assessments completed": "4",
        "Assessed credible": "2",
        "Assessed non-credible": "1",
        "Assessed duplicates": "1",
        "Reopened on new information": "1",
        "Open at the start of the month": "2",
        "Open at the end of the month": "2",
        "Civilians killed (credible reports assessed in the month)": "5",
        "Civilians injured (credible reports assessed in the month)": "2",
    }
    assert definitions(section(response, "cumulative-title")) == {
        "Reports received to date": "6",
        "Credible to date": "2",
        "Non-credible to date": "1",
        "Duplicates to date": "1",
        "Still open": "2",
        "Civilians killed to date (credible reports)": "5",
        "Civilians injured to date (credible reports)": "2",
        "Strikes to date": "1",
        "Engagements to date": "3,000",
        "Reports as a share of engagements": "0.20%",
        "Credible reports as a share of engagements": "0.07%",
    }


def test_month_page_and_api_give_the_same_figures(client, march_2017):
    api = client.get("/api/v1/reports/monthly/2017-03/").json()
    response = client.get(MARCH_URL)
    shown = definitions(section(response, "key-figures-title"))
    assert shown["Reports received"] == str(api["received"])
    assert shown["Assessments completed"] == str(api["closed"])
    assert shown["Open at the end of the month"] == str(api["open_at_end"])
    assert shown["Civilians killed (credible reports assessed in the month)"] == str(
        api["civilians_killed"]
    )
    cumulative = definitions(section(response, "cumulative-title"))
    assert cumulative["Engagements to date"] == f"{api['cumulative']['engagements']:,}"
    credible = rows(section(response, "credible-title").find("table"))
    assert [row[0] for row in credible] == [row["claim_ref"] for row in api["credible_claims"]]


def test_month_page_lists_each_closure_and_reopening(client, march_2017):
    response = client.get(MARCH_URL)

    assert rows(section(response, "credible-title").find("table")) == [
        [
            "CIV-0201",
            "5 Feb 2017",
            "Mosul, Ninawa",
            "Iraq",
            "3",
            "2",
            "NGO or monitor",
            "10 Mar 2017",
            "Strike logs and three witness accounts agree. Steps taken: Strike video reviewed; "
            "Witnesses interviewed.",
        ],
        [
            "CIV-0301",
            "24 Feb 2017",
            "Mosul, Ninawa",
            "Iraq",
            "2",
            "0",
            "Media",
            "11 Mar 2017",
            "Assessed from the strike records.",
        ],
    ]
    assert rows(section(response, "non-credible-title").find("table")) == [
        [
            "CIV-0302",
            "25 Feb 2017",
            "Mosul, Ninawa",
            "Iraq",
            "Witness",
            "12 Mar 2017",
            "No civilian harm found",
            "Assessed from the strike records.",
        ]
    ]
    duplicates = section(response, "duplicate-title")
    assert rows(duplicates.find("table")) == [
        [
            "CIV-0303",
            "CIV-0201",
            "26 Feb 2017",
            "Mosul, Ninawa",
            "Iraq",
            "Social media",
            "13 Mar 2017",
            "Assessed from the strike records.",
        ]
    ]
    links = {a.text: a.attrs["href"] for a in duplicates.find("tbody").find_all("a")}
    assert links == {"CIV-0303": "/claims/CIV-0303/", "CIV-0201": "/claims/CIV-0201/"}
    assert rows(section(response, "reopened-title").find("table")) == [
        [
            "CIV-0203",
            "27 Jan 2017",
            "Raqqa, Raqqa",
            "Syria",
            "20 Mar 2017",
            "Credible, 15 Feb 2017",
            "New video of the site.",
        ]
    ]


def test_empty_lists_say_so(client, march_2017):
    response = client.get("/reports/2017/02/")
    assert section(response, "non-credible-title").find("p").text == (
        "No claim was assessed non-credible in February 2017."
    )
    assert section(response, "reopened-title").find("p").text == (
        "No claim was reopened in February 2017."
    )


def test_large_numbers_have_thousands_separators(client):
    claim = ClaimFactory(received_on=D(2017, 3, 1), civilians_killed_max=2000)
    assess(claim, "credible", D(2017, 3, 2), civilians_killed=1234, civilians_injured=1500)
    response = client.get(MARCH_URL)
    figures = definitions(section(response, "key-figures-title"))
    assert figures["Civilians killed (credible reports assessed in the month)"] == "1,234"
    assert rows(section(response, "credible-title").find("table"))[0][4:6] == ["1,234", "1,500"]
    assert "concern 1,234 civilians killed and 1,500 injured" in main_text(response)


def test_an_unpublished_month_is_provisional(client, march_2017):
    response = client.get(MARCH_URL)
    html = page(response)
    assert html.find("p", class_="report-header__status").text == "Provisional"
    assert html.find("div", class_="notice").text == (
        "Provisional. This report has not been published: its figures count the assessments "
        "approved so far and will change as more are approved."
    )
    assert "Revised since publication" not in main_text(response)


def test_the_current_month_is_provisional_and_in_progress(client, march_2017):
    month = this_month()
    response = client.get(f"/reports/{month.year}/{month.month:02d}/")
    assert (
        page(response)
        .find("div", class_="notice")
        .text.startswith(f"Provisional. {month.label} is not over yet.")
    )
    assert page(response).find("li", class_="month-nav__next").text == ""


def test_a_published_month_shows_its_publication_date(client, march_2017):
    MonthPublicationFactory(period="2017-03", published_at=PUBLISHED_5_APRIL)
    response = client.get(MARCH_URL)
    html = page(response)
    assert html.find("p", class_="report-header__status").text == "Published 5 Apr 2017"
    assert html.find_all("div", class_="notice") == []
    assert html.find_all("section", id="revisions") == []


def test_a_revised_month_shows_the_published_figures_and_what_changed(client, march_2017):
    MonthPublicationFactory(period="2017-03", revision=1, published_at=PUBLISHED_5_APRIL)
    late_assessment_of_civ_0202()

    response = client.get(MARCH_URL)

    html = page(response)
    assert html.find("p", class_="report-header__status").text == (
        "Published 5 Apr 2017 Revised since publication"
    )
    assert html.find("div", class_="notice").text == (
        "Revised since publication. This report shows the figures and lists as published on "
        "5 Apr 2017. Assessments or reopenings recorded since have changed them: see what "
        "changed, figure by figure."
    )
    # The report itself is the one published: CIV-0202's late assessment is not in it.
    figures = definitions(section(response, "key-figures-title"))
    assert (figures["Assessments completed"], figures["Assessed credible"]) == ("4", "2")
    credible = rows(section(response, "credible-title").find("table"))
    assert [row[0] for row in credible] == ["CIV-0201", "CIV-0301"]
    assert "completed the assessment of 4 reports" in main_text(response)
    revisions = html.find("section", id="revisions")
    assert rows(revisions.find("table")) == [
        ["Assessments completed", "4", "5"],
        ["Assessed credible", "2", "3"],
        ["Open at the end of the month", "2", "1"],
        ["Civilians killed (credible reports assessed in the month)", "5", "9"],
        ["Civilians injured (credible reports assessed in the month)", "2", "3"],
        ["Credible to date", "2", "3"],
        ["Still open", "2", "1"],
        ["Civilians killed to date (credible reports)", "5", "9"],
        ["Civilians injured to date (credible reports)", "2", "3"],
        ["Credible reports as a share of engagements", "0.07%", "0.10%"],
    ]
    assert definitions(revisions.find("dl")) == {"Credible claims": "Added: CIV-0202"}
    assert revisions.find("dd").find("a").attrs["href"] == "/claims/CIV-0202/"


def test_a_later_revision_is_shown_with_its_number(client, march_2017):
    MonthPublicationFactory(period="2017-03", revision=1)
    late_assessment_of_civ_0202()
    MonthPublicationFactory(
        period="2017-03", revision=2, published_at=dt.datetime(2017, 5, 2, tzinfo=dt.UTC)
    )
    response = client.get(MARCH_URL)
    assert page(response).find("p", class_="report-header__status").text == (
        "Published 2 May 2017 revision 2"
    )
    figures = definitions(section(response, "key-figures-title"))
    assert figures["Assessments completed"] == "5"


def test_months_around_are_linked(client, march_2017):
    html = page(client.get(MARCH_URL))
    nav = html.find("nav", class_="month-nav")
    assert [(a.text, a.attrs["href"]) for a in nav.find_all("a")] == [
        ("← February 2017", "/reports/2017/02/"),
        ("All monthly reports", "/reports/"),
        ("April 2017 →", "/reports/2017/04/"),
    ]
    first = page(client.get("/reports/2017/01/")).find("nav", class_="month-nav")
    assert [a.text for a in first.find_all("a")] == ["All monthly reports", "February 2017 →"]


def test_downloads_are_the_api_month_and_the_months_assessments_as_csv(client, march_2017):
    links = section(client.get(MARCH_URL), "downloads-title").find_all("a")
    json_url, csv_url, map_url = (a.attrs["href"] for a in links)
    assert json_url == "/api/v1/reports/monthly/2017-03/"
    assert csv_url == (
        "/api/v1/assessments/?format=csv&assessed_on_after=2017-03-01&assessed_on_before=2017-03-31"
    )
    assert map_url == "/map/?assessed_on_after=2017-03-01&assessed_on_before=2017-03-31"
    assert client.get(json_url).json() == month_figures(period="2017-03").as_dict()
    csv = b"".join(client.get(csv_url).streaming_content).decode().splitlines()
    assert len(csv) == 1 + 4  # the header and the four closures of March
    assert client.get(map_url).status_code == 200


@pytest.mark.parametrize(
    "path",
    [
        "/reports/2017/13/",
        "/reports/2017/0/",
        "/reports/2016/12/",  # before the first record (January 2017)
        "/reports/0/01/",
        "/reports/9999/01/",
        "/reports/2017/03/extra/",
    ],
)
def test_months_outside_the_record_are_not_found(client, march_2017, path):
    assert client.get(path).status_code == 404


def test_the_month_after_the_current_one_is_not_found(client, march_2017):
    following = this_month().next()
    assert client.get(f"/reports/{following.year}/{following.month:02d}/").status_code == 404


def test_with_no_record_no_month_has_a_report(client):
    assert client.get(MARCH_URL).status_code == 404


@pytest.mark.parametrize("path", ["/reports/2017/3/", "/reports/02017/03/", "/reports/2017/003/"])
def test_a_month_written_otherwise_redirects_permanently(client, march_2017, path):
    response = client.get(path)
    assert response.status_code == 301
    assert response["Location"] == "/reports/2017/03/"


# Nothing confidential --------------------------------------------------------------------------


def test_no_confidential_data_on_the_report_pages(client, march_2017, analyst):
    from tests.factories import propose

    secret = ClaimFactory(
        claim_ref="CIV-0310", received_on=D(2017, 3, 10), confidential_notes="CANARY-NOTES"
    )
    assess(secret, "credible", D(2017, 3, 15), rationale="Public rationale.")
    pending = ClaimFactory(claim_ref="CIV-0311", received_on=D(2017, 3, 11))
    propose(pending, analyst, rationale="CANARY-PROPOSED")
    MonthPublicationFactory(period="2017-02", note="CANARY-NOTE-OF-PUBLICATION")
    pages = ["/reports/", MARCH_URL, "/reports/2017/02/"]
    MonthPublicationFactory(period="2017-03", published_at=PUBLISHED_5_APRIL)
    reopen(secret, D(2017, 3, 20), reason="New video.")  # revised: the differences are shown
    for path in pages:
        text = client.get(path).content.decode()
        assert "CANARY" not in text, path
        assert "paula" not in text, path  # who published is never public
    assert "CIV-0310" in client.get(MARCH_URL).content.decode()


# Queries ---------------------------------------------------------------------------------------


def test_month_page_queries_are_constant(client, march_2017, django_assert_num_queries):
    # 1-2 the first record (MIN of claims' received dates, of strikes' dates), 3-8
    # month_figures (claims, assessments by outcome, reopenings by outcome, strikes, the
    # month's assessments, its reopenings), 9 the month's latest publication; published, 10 its
    # list of revisions (reports.revisions.month_revisions, no figures read).
    with django_assert_num_queries(9):
        assert client.get(MARCH_URL).status_code == 200
    grow_2017()
    late_assessment_of_civ_0202()
    with django_assert_num_queries(10):
        response = client.get(MARCH_URL)
    assert "Revised since publication" in main_text(response)
    # As published: the fixture's two credible closures and grow_2017()'s four in March.
    assert len(rows(section(response, "credible-title").find("table"))) == 2 + 4


def test_redirects_and_not_found_take_few_queries(client, march_2017, django_assert_num_queries):
    # A month out of the calendar or after the current one: no query. Otherwise the first
    # record's month (2 queries) decides.
    with django_assert_num_queries(0):
        assert client.get("/reports/2017/13/").status_code == 404
    with django_assert_num_queries(2):
        assert client.get("/reports/2017/3/").status_code == 301
    with django_assert_num_queries(2):
        assert client.get("/reports/2016/12/").status_code == 404
