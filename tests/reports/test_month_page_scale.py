"""A month's page at scale (issue 11): the same number of queries, and the same size once its
lists are longer than it shows, with 10 claims in the month or with 2,000; every row of a list
is one link away (the claims list and the downloads), and nothing confidential is shown."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from reports.figures import month_figures
from reports.month_pages import LIST_FIRST
from reports.periods import Month
from tests.reports.factories import MonthPublicationFactory, bulk_month
from tests.reports.pages import definitions, page, rows, section
from tests.worlds import CANARY, plant_canaries

pytestmark = pytest.mark.django_db

MARCH = Month(2017, 3)
URL = "/reports/2017/03/"
# 1-2 the first record (MIN of claims' received dates, of strikes' dates), 3-6 the month's
# figures (month_counts: claims, assessments by outcome, reopenings by outcome, strikes),
# 7 the month's latest publication, 8-9 the first rows of its lists (assessments, at most
# LIST_FIRST per outcome; reopenings) or, when published, the claim refs of its lists today
# (what changed since); published, 10 its list of revisions (no figures read).
QUERIES = 9
PUBLISHED_QUERIES = 10
MAX_BYTES = 200_000
# Each list: the id of its section's title, of its "more" paragraph, and its figure.
LISTS = {
    "credible_claims": ("credible-title", "credible-more", "credible"),
    "non_credible_claims": ("non-credible-title", "non-credible-more", "non_credible"),
    "duplicate_claims": ("duplicate-title", "duplicate-more", "duplicate"),
    "reopened_claims": ("reopened-title", "reopened-more", "reopened"),
}


def measured(client) -> tuple[int, int, str]:
    """The month's page: its number of queries, its size in bytes, and its HTML."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(URL)
    assert response.status_code == 200
    return len(queries), len(response.content), response


def csv_lines(client, url: str) -> list[str]:
    response = client.get(url)
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode().splitlines()[1:]


def test_queries_and_size_do_not_grow_with_the_month(client, world):
    plant_canaries(world)  # drafts, notes, comments and usernames holding CANARY, in March
    bulk_month(MARCH, 10)
    queries_10, bytes_10, _ = measured(client)
    bulk_month(MARCH, 990, start=10)
    queries_1000, bytes_1000, _ = measured(client)
    bulk_month(MARCH, 1000, start=1000)
    queries_2000, bytes_2000, response = measured(client)

    assert queries_10 == queries_1000 == queries_2000 == QUERIES
    # Past LIST_FIRST rows a list's page shows the same rows: only its counts change (here
    # 1,000 and 2,000 claims have counts of as many digits).
    assert abs(bytes_2000 - bytes_1000) <= 16
    assert bytes_10 < bytes_2000 < MAX_BYTES
    assert CANARY not in response.content.decode()
    figures = month_figures(period=MARCH)
    for title, more, figure in LISTS.values():
        count = getattr(figures, figure)
        assert len(rows(section(response, title).find("table"))) == LIST_FIRST
        assert (
            page(response)
            .find("p", id=more)
            .text.startswith(
                f"The first {LIST_FIRST} of {count:,} are shown above, {count - LIST_FIRST:,} more "
                "are not."
            )
        )


def test_the_links_of_a_long_list_lead_to_every_row(client, world):
    bulk_month(MARCH, 200)
    response = client.get(URL)
    figures = month_figures(period=MARCH)

    for key, (title, more, figure) in LISTS.items():
        listed = getattr(figures, key)
        count = getattr(figures, figure)
        assert len(listed) == count > LIST_FIRST
        shown = [row[0] for row in rows(section(response, title).find("table"))]
        assert shown == [row["claim_ref"] for row in listed[:LIST_FIRST]]
        links = {a.text: a.attrs["href"] for a in page(response).find("p", id=more).find_all("a")}

        claims_list = client.get(links[f"See all {count} in the claims list"])
        assert f"{count} claims match these filters</h2>" in claims_list.content.decode()
        in_csv = [line.split(",")[0] for line in csv_lines(client, links["the claims (CSV)"])]
        assert sorted(in_csv) == sorted(row["claim_ref"] for row in listed)
        geojson = client.get(links["those with coordinates (GeoJSON)"])
        assert geojson.status_code == 200
        if figure != "reopened":
            assessments = csv_lines(client, links["the assessments (CSV)"])
            assert len(assessments) == count


def test_a_short_list_is_shown_whole_without_links(client, march_2017):
    response = client.get(URL)
    credible = section(response, "credible-title")
    assert len(rows(credible.find("table"))) == 2
    assert credible.find_all("p", id="credible-more") == []


def test_a_published_month_at_scale_keeps_its_budget(client, world):
    bulk_month(MARCH, 1000)
    MonthPublicationFactory(period="2017-03")
    bulk_month(MARCH, 1000, start=1000)  # revised: 1,000 more claims in its lists

    queries, size, response = measured(client)

    assert queries == PUBLISHED_QUERIES
    assert size < MAX_BYTES
    published = definitions(section(response, "key-figures-title"))
    assert published["Assessed credible"] == "501"  # 500 and CIV-A
    more = page(response).find("p", id="credible-more").text
    assert more.startswith(
        f"The first {LIST_FIRST} of 501 are shown above, {501 - LIST_FIRST} more are not. "
        "See the list as it stands today in the claims list"
    )
    assert more.endswith(
        "The claims list and the downloads give the records as they stand today, which differ "
        "from the published report."
    )
    changed = definitions(page(response).find("section", id="revisions").find("dl"))
    added = [f"M-{n:05d}" for n in range(1000, 2000) if n % 4 in (0, 3)]
    assert changed["Credible claims"] == (
        f"Added: {', '.join(added[:LIST_FIRST])} and {len(added) - LIST_FIRST} more"
    )
