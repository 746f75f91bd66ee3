"""Every endpoint answers in a constant number of queries, whatever the number of rows: the
budget is pinned on a small world and checked again with ten times as many rows."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    VictimFactory,
    assess,
    reopen,
)

pytestmark = pytest.mark.django_db

D = dt.date

LISTS = {"strikes", "claims", "assessments", "external-assessments", "belligerents"}
# path -> queries, on the first read after a write. Lists: 1 count (once per data version for
# each filtered set: read again, a list makes only the query of its page), 2 the page (rows as
# tuples, linked refs joined in the same query).
BUDGETS = {
    "/api/v1/strikes/": 2,  # the claims of each strike: a subquery in the page
    "/api/v1/claims/": 2,  # its strikes and latest finding: subqueries in the page
    "/api/v1/assessments/": 2,  # claim, duplicate_of and reopening joined
    "/api/v1/external-assessments/": 2,
    "/api/v1/belligerents/": 2,  # strike and claim counts as subqueries
    "/api/v1/claims/CIV-A/": 6,  # claim + strikes, victims, assessments, reopenings, outside
    "/api/v1/strikes/S-1/": 2,
    "/api/v1/reports/monthly/": 4,  # reports.series: claims, assessments, reopenings, strikes
    "/api/v1/reports/monthly/2017-03/": 6,  # reports.figures.month_figures
    "/api/v1/reports/summary/": 6,  # reports.figures.month_figures of the current month
    "/api/v1/reports/comparison/": 1,
}


def grow(count: int = 40) -> None:
    """Add `count` claims, each with its belligerent, two strikes, a public victim, an outside
    finding and an approved history (some reopened and re-assessed)."""
    for n in range(count):
        claim = ClaimFactory(claim_ref=f"BULK-{n:03d}", received_on=D(2017, 1 + n % 6, 1))
        belligerent = BelligerentFactory(name=f"Party {n}")
        claim.belligerent = belligerent
        claim.save()
        claim.strikes.add(
            StrikeFactory(belligerent=belligerent), StrikeFactory(latitude=36, longitude=43)
        )
        VictimFactory(claim=claim, public=True)
        ExternalAssessmentFactory(claim=claim, organisation=f"Org {n % 3}")
        assess(claim, "credible", claim.received_on + dt.timedelta(days=3))
        if n % 4 == 0:
            reopen(claim, claim.received_on + dt.timedelta(days=5))
            assess(claim, "non_credible", claim.received_on + dt.timedelta(days=9))


def get(client, path: str):
    """The path; a list at its largest page, so that every row is serialized."""
    is_list = path.split("/")[3] in LISTS and path.count("/") == 4
    response = client.get(path, {"page_size": 1000} if is_list else {})
    assert response.status_code == 200, response.content
    return response


def queries(client, path: str) -> int:
    """What computing the answer costs: the report endpoints' answers are otherwise read back
    from the cache (0 queries: tests/test_conditional.py)."""
    cache.clear()
    with CaptureQueriesContext(connection) as captured:
        get(client, path)
    return len(captured)


@pytest.mark.parametrize("path", list(BUDGETS))
def test_query_count_does_not_grow_with_the_data(client, world, path, django_assert_num_queries):
    small = queries(client, path)
    grow()  # a write: the next read counts again
    with django_assert_num_queries(BUDGETS[path]):
        response = get(client, path)
    if "results" in response.json():
        assert len(response.json()["results"]) > 40  # the page really grew
    assert small == BUDGETS[path]


@pytest.mark.parametrize("name", sorted(LISTS))
def test_a_list_counts_once_per_data_version(client, world, name):
    def read(params: dict) -> int:  # the cache kept, unlike queries()
        with CaptureQueriesContext(connection) as captured:
            assert client.get(f"/api/v1/{name}/", params).status_code == 200
        return len(captured)

    first = read({})
    assert first == 2
    assert read({}) == 1  # the count comes from the cache
    assert read({"page_size": 1000}) == 1  # the same filtered set
    StrikeFactory()  # any write
    assert read({}) == 2


def test_a_deep_cursor_page_costs_what_the_first_page_costs(
    client, world, django_assert_num_queries
):
    grow()
    first = client.get("/api/v1/claims/", {"page_size": 5}).json()
    link = first["next_cursor"]
    for _ in range(6):  # page 7
        with django_assert_num_queries(1):  # the count is cached: only the page
            page = client.get(link).json()
        link = page["next"]
    assert page["count"] == first["count"]
    assert len(page["results"]) == 5


# An export, first read after a write: 1 the count (the X-Total-Count header, before the first
# row), 2 the rows, with their linked refs (a subquery, so no query per chunk of rows).
# Assessments count their reopenings too (a row each in the CSV): 2 counts, then the rows (the
# reopening's columns joined). PostgreSQL: +1 the rows' transaction turns JIT off
# (claims.api.views.streamed).
EXPORT_BUDGETS = {"strikes": 2, "claims": 2, "assessments": 3, "external-assessments": 2}
EXPORT_COUNTS = {"assessments": 2}  # the counts, cached until the next write (else 1)


@pytest.mark.parametrize("name", list(EXPORT_BUDGETS))
def test_csv_export_query_count_does_not_grow_with_the_data(client, world, name):
    def exported() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"/api/v1/{name}/", {"format": "csv"})
            b"".join(response.streaming_content)
        return len(captured)

    budget = EXPORT_BUDGETS[name] + (connection.vendor == "postgresql")
    small = exported()
    assert exported() == small - EXPORT_COUNTS.get(name, 1)  # read again: counts cached
    grow()
    assert exported() == small == budget
