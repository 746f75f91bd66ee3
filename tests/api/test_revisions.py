"""/api/v1/reports/monthly/YYYY-MM/revisions/ and /revisions/N/ (every published revision of a
month, frozen, with its SHA-256 and what changed) and /api/v1/reports/releases/ (every
publication). The acceptance test of issue 13: publish a month twice with a change between."""

import datetime as dt
import hashlib
import json
import shutil
import subprocess

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from reports.publishing import month_publish
from tests.api.test_schema import check, schema  # noqa: F401 (a fixture)
from tests.factories import assess
from tests.reports.factories import MonthPublicationFactory

pytestmark = pytest.mark.django_db

D = dt.date
REVISIONS = "/api/v1/reports/monthly/2017-03/revisions/"
REVISION_1 = "/api/v1/reports/monthly/2017-03/revisions/1/"
REVISION_2 = "/api/v1/reports/monthly/2017-03/revisions/2/"
RELEASES = "/api/v1/reports/releases/"


@pytest.fixture
def today(monkeypatch):
    """The services' today: 2017-04-01, March 2017 has ended."""
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: D(2017, 4, 1))


def recomputed_sha256(record: dict) -> str:
    """The README's recipe, as a reader would run it on the record they downloaded."""
    canonical = json.dumps(
        record["figures"], sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def close_civ_0202() -> None:
    """A late assessment dated in March: March's closed and credible figures grow by one."""
    assess(Claim.objects.get(claim_ref="CIV-0202"), "credible", D(2017, 3, 25), civilians_killed=4)


@pytest.fixture
def published_twice(march_2017, publisher, today):
    month_publish(period="2017-03", by=publisher, note="CANARY-NOTE monthly release")
    close_civ_0202()
    month_publish(period="2017-03", by=publisher, note="CANARY-NOTE corrected")


def test_publishing_twice_keeps_revision_1_as_published(api, march_2017, publisher, today):
    as_published = api("/api/v1/reports/monthly/2017-03/")
    month_publish(period="2017-03", by=publisher)
    first = api(REVISION_1)
    close_civ_0202()
    month_publish(period="2017-03", by=publisher)

    assert api(REVISION_1) == first  # frozen: nothing in it changed with revision 2
    assert first["figures"] == as_published  # the month's figures and lists as published
    assert first["sha256"] == recomputed_sha256(first)
    assert (first["period"], first["revision"], first["previous_revision"]) == ("2017-03", 1, None)
    assert first["changes"] is None
    # The current figures moved on; revision 1 did not.
    assert api("/api/v1/reports/monthly/2017-03/")["credible"] == 3
    assert first["figures"]["credible"] == 2

    second = api(REVISION_2)
    assert second["sha256"] == recomputed_sha256(second)
    assert second["sha256"] != first["sha256"]
    assert second["previous_revision"] == 1
    figures = {
        change["key"]: (change["before"], change["after"])
        for change in second["changes"]["figures"]
    }
    assert figures["closed"] == (4, 5)
    assert figures["credible"] == (2, 3)
    assert figures["civilians_killed"] == (5, 9)
    assert figures["cumulative.credible"] == (2, 3)
    assert second["changes"]["lists"] == [
        {"key": "credible_claims", "label": "Credible claims", "added": ["CIV-0202"], "removed": []}
    ]


def test_a_revision_record_has_exactly_its_public_fields(api, published_twice):
    record = api(REVISION_2)
    assert sorted(record) == [
        "api_url",
        "changes",
        "figures",
        "period",
        "previous_revision",
        "published_at",
        "revision",
        "sha256",
        "url",
    ]
    assert record["url"] == "/reports/2017/03/revisions/2/"
    assert record["api_url"] == REVISION_2
    assert dt.datetime.fromisoformat(record["published_at"]).tzinfo is not None


def test_who_published_and_the_internal_note_are_in_no_response(client, published_twice):
    for path in (REVISIONS, REVISION_1, REVISION_2, RELEASES):
        text = client.get(path).content.decode()
        assert "paula" not in text, path
        assert "CANARY-NOTE" not in text, path


def test_a_months_revisions_are_listed_oldest_first(api, published_twice):
    listed = api(REVISIONS)
    assert listed["period"] == "2017-03"
    assert [row["revision"] for row in listed["revisions"]] == [1, 2]
    assert [row["sha256"] for row in listed["revisions"]] == [
        api(REVISION_1)["sha256"],
        api(REVISION_2)["sha256"],
    ]
    assert listed["revisions"][0]["api_url"] == REVISION_1
    assert "figures" not in listed["revisions"][0]


def test_a_month_never_published_has_no_revision(api, march_2017):
    assert api("/api/v1/reports/monthly/2017-02/revisions/") == {
        "period": "2017-02",
        "revisions": [],
    }


@pytest.mark.parametrize(
    ("path", "message"),
    [
        (REVISIONS + "3/", "Revision 3 of 2017-03 is not published."),
        (REVISIONS + "0/", "Revision 0 of 2017-03 is not published."),
        ("/api/v1/reports/monthly/2017-02/revisions/1/", "Revision 1 of 2017-02 is not published."),
        (REVISIONS + "99999999999999999999/", "Revision 99999999999999999999 of 2017-03"),
        ("/api/v1/reports/monthly/2017-13/revisions/1/", "Period must be a month written YYYY-MM"),
        ("/api/v1/reports/monthly/2017-3/revisions/", "Period must be a month written YYYY-MM"),
    ],
)
def test_an_unpublished_revision_or_bad_month_is_a_json_404(client, published_twice, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"].startswith(message)


def test_the_release_manifest_lists_every_publication_newest_first(api, published_twice):
    MonthPublicationFactory(period="2017-02", published_at=dt.datetime(2017, 3, 3, tzinfo=dt.UTC))
    releases = api(RELEASES)["releases"]
    assert [(row["period"], row["revision"]) for row in releases] == [
        ("2017-03", 2),
        ("2017-03", 1),
        ("2017-02", 1),
    ]
    for row in releases:
        record = api(row["api_url"])
        assert row["sha256"] == record["sha256"] == recomputed_sha256(record)
        assert row["url"] == record["url"]


def test_the_release_manifest_is_empty_before_any_publication(api, db):
    assert api(RELEASES) == {"releases": []}


def queries(client, path: str) -> int:
    cache.clear()  # the answer is otherwise read back from the cache
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code == 200
    return len(captured)


@pytest.mark.parametrize(("path", "budget"), [(REVISIONS, 1), (REVISION_2, 1), (RELEASES, 1)])
def test_query_counts_do_not_grow_with_the_publications(client, published_twice, path, budget):
    # The revisions: one query without their figures. A revision: one query (it and the one
    # before it). The manifest: one query without figures, whatever the number of months.
    assert queries(client, path) == budget
    for month in range(1, 13):
        MonthPublicationFactory(period=f"2016-{month:02d}", figures={"period": "x"})
        MonthPublicationFactory(period=f"2016-{month:02d}", revision=2, figures={"period": "y"})
    assert queries(client, path) == budget
    assert len(client.get(RELEASES).json()["releases"]) == 26


@pytest.mark.parametrize(
    ("template", "url"),
    [
        ("/api/v1/reports/monthly/{period}/revisions/", REVISIONS),
        ("/api/v1/reports/monthly/{period}/revisions/{revision}/", REVISION_1),
        ("/api/v1/reports/monthly/{period}/revisions/{revision}/", REVISION_2),
        ("/api/v1/reports/releases/", RELEASES),
    ],
)
def test_responses_match_the_schema(client, schema, published_twice, template, url):  # noqa: F811
    check(client, schema, template, url)


def test_a_missing_revision_matches_the_schema(client, schema, published_twice):  # noqa: F811
    check(
        client,
        schema,
        "/api/v1/reports/monthly/{period}/revisions/{revision}/",
        REVISIONS + "7/",
        404,
    )


@pytest.mark.skipif(shutil.which("jq") is None, reason="jq is not installed")
def test_the_readmes_jq_line_gives_the_same_hash(client, published_twice):
    body = client.get(REVISION_2).content
    canonical = subprocess.run(
        ["jq", "-cjS", ".figures"], input=body, capture_output=True, check=True
    ).stdout
    assert hashlib.sha256(canonical).hexdigest() == json.loads(body)["sha256"]
