"""/api/v1/claims/: the public form of a claim, its detail and every filter."""

import datetime as dt

import pytest

from tests.factories import ClaimFactory, assess, reopen

from .conftest import refs

pytestmark = pytest.mark.django_db

URL = "/api/v1/claims/"


def test_list_row_is_the_claim_with_its_latest_approved_finding(api, world):
    page = api(URL)
    assert page["count"] == 5
    assert refs(page) == ["CIV-B", "CIV-D", "CIV-A", "CIV-E", "CIV-C"]
    row = page["results"][2]
    assert row == {
        "claim_ref": "CIV-A",
        "received_on": "2017-03-09",
        "incident_date": "2017-03-04",
        "country": "IQ",
        "province": "Ninawa",
        "locality": "Mosul",
        "locality_ar": "",
        # Published rounded to 0.01°, half up (LOCATION_DISCLOSURE_DEFAULT): 36.335, 43.119.
        "latitude": 36.34,
        "longitude": 43.12,
        "precision": "locality",
        "location_disclosure": "rounded",
        "source_type": "ngo",
        "source_name": "Airwars",
        "source_url": "",
        "civilians_killed_min": 2,
        "civilians_killed_max": 5,
        "civilians_injured_min": None,
        "civilians_injured_max": None,
        "killed_children": 1,
        "killed_women": None,
        "killed_men": None,
        "belligerent": "Coalition",
        "belligerent_id": world.coalition.pk,
        "summary": "Residents reported a family killed when an airstrike hit their house.",
        "summary_ar": "",
        "strikes": ["S-1"],
        "status": "closed",
        "outcome": "credible",
        "reason": None,
        "assessed_on": "2017-03-20",
        "assessed_civilians_killed": 3,
        "assessed_civilians_injured": 1,
        "url": "http://testserver/claims/CIV-A/",
        "api_url": "http://testserver/api/v1/claims/CIV-A/",
    }


def test_open_claim_has_no_finding(api, world):
    row = api(URL, status="open")["results"][0]
    assert (row["claim_ref"], row["status"], row["outcome"]) == ("CIV-C", "open", None)
    assert row["assessed_on"] is row["assessed_civilians_killed"] is None


def test_detail_has_the_public_history_victims_and_outside_findings(api, world):
    claim = api(f"{URL}CIV-E/")
    assert (claim["outcome"], claim["assessed_on"], claim["assessed_civilians_killed"]) == (
        "credible",
        "2017-06-01",
        4,
    )
    assert [
        (row["sequence"], row["assessed_on"], row["civilians_killed"], row["reopened_on"])
        for row in claim["assessments"]
    ] == [(1, "2017-02-10", 1, "2017-03-01"), (3, "2017-06-01", 4, None)]
    assert claim["reopenings"] == [
        {
            "sequence": 2,
            "reopened_on": "2017-03-01",
            "reason": "A hospital list names four dead.",
            "reopens": 1,
        }
    ]
    a = api(f"{URL}CIV-A/")
    assert a["victims"] == [
        {"name": "Published Person", "name_ar": "", "age": 40, "sex": "male", "harm": "killed"}
    ]
    assert [(row["organisation"], row["grade"]) for row in a["external_assessments"]] == [
        ("Airwars", "fair"),
        ("The New York Times", "confirmed"),
    ]
    assert a["assessments"][0]["diligence"] == ["strike_video", "map_search"]
    assert a["assessments"][0]["rationale"] == "Strike S-1 hit the house."


def test_duplicate_names_the_claim_it_duplicates(api, world):
    assert api(f"{URL}CIV-D/")["assessments"][0]["duplicate_of"] == "CIV-A"


def test_refs_with_dots_and_spaces_are_found(api, db):
    ClaimFactory(claim_ref="AW.2017 001")
    assert api(f"{URL}AW.2017%20001/")["claim_ref"] == "AW.2017 001"


def test_unknown_ref_is_a_json_404_naming_it(api, db):
    assert api(f"{URL}CIV-NOPE/", expect=404) == {"detail": "No claim with claim_ref 'CIV-NOPE'."}


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"incident_date_after": "2017-03-04"}, ["CIV-B", "CIV-D", "CIV-A"]),
        ({"incident_date_before": "2017-03-04"}, ["CIV-A", "CIV-E", "CIV-C"]),
        (
            {"received_on_after": "2017-03-09", "received_on_before": "2017-03-15"},
            ["CIV-D", "CIV-A"],
        ),
        ({"assessed_on_after": "2017-04-01"}, ["CIV-B", "CIV-E"]),
        ({"assessed_on_before": "2017-03-20"}, ["CIV-A"]),
        ({"country": "SY"}, ["CIV-B", "CIV-C"]),
        ({"province": "ninawa"}, ["CIV-D", "CIV-A"]),
        ({"belligerent": "russia"}, ["CIV-C"]),
        ({"source_type": "social_media"}, ["CIV-C"]),
        ({"status": "open"}, ["CIV-C"]),
        ({"status": "closed"}, ["CIV-B", "CIV-D", "CIV-A", "CIV-E"]),
        ({"outcome": "credible"}, ["CIV-A", "CIV-E"]),
        ({"outcome": "duplicate"}, ["CIV-D"]),
        ({"reason": "no_civilian_harm"}, ["CIV-B"]),
        ({"killed_min": "10"}, ["CIV-B"]),
        ({"killed_max": "5"}, ["CIV-D", "CIV-A", "CIV-E", "CIV-C"]),
        ({"killed_min": "2", "killed_max": "5"}, ["CIV-D", "CIV-A", "CIV-E"]),
        ({"strike": "S-1"}, ["CIV-A"]),
        ({"search": "raqqa"}, ["CIV-B"]),
        ({"search": "hospital"}, ["CIV-B"]),
        ({"search": "civ-e"}, ["CIV-E"]),
        ({"country": "IQ", "outcome": "credible", "incident_date_after": "2017-02-01"}, ["CIV-A"]),
        # Any approved assessment, not only the latest: CIV-E was credible in February too.
        ({"closed_as": "credible"}, ["CIV-A", "CIV-E"]),
        (
            {
                "closed_as": "credible",
                "closed_on_after": "2017-02-01",
                "closed_on_before": "2017-02-28",
            },
            ["CIV-E"],
        ),
        ({"closed_on_after": "2017-03-01", "closed_on_before": "2017-03-31"}, ["CIV-D", "CIV-A"]),
        ({"closed_as": "duplicate", "closed_on_after": "2017-03-26"}, []),
        ({"reopened_on_after": "2017-03-01", "reopened_on_before": "2017-03-31"}, ["CIV-E"]),
        ({"reopened_on_after": "2017-03-02"}, []),
    ],
)
def test_filters(api, world, params, expected):
    assert refs(api(URL, **params)) == expected


def test_closed_and_reopened_filters_hold_for_one_event_each(api, db):
    claim = ClaimFactory(claim_ref="CIV-X", received_on=dt.date(2017, 3, 1))
    assess(claim, "credible", dt.date(2017, 3, 2))
    reopen(claim, dt.date(2017, 3, 10))
    assess(claim, "non_credible", dt.date(2017, 5, 3))
    reopen(claim, dt.date(2017, 6, 1))
    may = {"closed_on_after": "2017-05-01", "closed_on_before": "2017-05-31"}
    assert refs(api(URL, closed_as="non_credible", **may)) == ["CIV-X"]
    # Credible in March and closed in May, but not closed as credible in May.
    assert refs(api(URL, closed_as="credible", **may)) == []
    # Reopened in March and in June, never in April or May.
    assert refs(api(URL, reopened_on_after="2017-04-01", reopened_on_before="2017-05-31")) == []


def test_belligerent_by_id(api, world):
    assert refs(api(URL, belligerent=str(world.russia.pk))) == ["CIV-C"]


@pytest.mark.parametrize(
    ("ordering", "expected"),
    [
        ("incident_date", ["CIV-C", "CIV-E", "CIV-A", "CIV-D", "CIV-B"]),
        ("-civilians_killed_max,claim_ref", ["CIV-B", "CIV-A", "CIV-D", "CIV-E", "CIV-C"]),
        # Empty values last in both directions; ties in the default order.
        ("-assessed_civilians_killed", ["CIV-E", "CIV-A", "CIV-B", "CIV-D", "CIV-C"]),
        ("assessed_on", ["CIV-A", "CIV-D", "CIV-B", "CIV-E", "CIV-C"]),
    ],
)
def test_ordering(api, world, ordering, expected):
    assert refs(api(URL, ordering=ordering)) == expected
