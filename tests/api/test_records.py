"""/api/v1/strikes/, assessments/, external-assessments/ and belligerents/: rows and filters."""

import pytest

from .conftest import refs

pytestmark = pytest.mark.django_db


def events(page: dict) -> list[str]:
    return [f"{row['claim']}{row['sequence']}" for row in page["results"]]


def test_strike_row(api, world):
    page = api("/api/v1/strikes/")
    assert refs(page, "strike_ref") == ["S-2", "S-1", "S-3"]
    assert page["results"][1] == {
        "strike_ref": "S-1",
        "date": "2017-03-04",
        "belligerent": "Coalition",
        "belligerent_id": world.coalition.pk,
        "country": "IQ",
        "province": "Ninawa",
        "locality": "Mosul",
        "latitude": 36.34,
        "longitude": 43.13,
        "precision": "locality",
        "target": "ISIS fighting position",
        "munition": "F-15E / GBU-38",
        "engagements": 2,
        "source_url": "",
        "claims": ["CIV-A"],
        "url": "http://testserver/strikes/S-1/",
        "api_url": "http://testserver/api/v1/strikes/S-1/",
    }
    assert api("/api/v1/strikes/S-3/")["belligerent"] == "Russia"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"date_after": "2017-01-01"}, ["S-2", "S-1"]),
        ({"date_before": "2017-03-04"}, ["S-1", "S-3"]),
        ({"country": "IQ"}, ["S-1"]),
        ({"province": "raqqa"}, ["S-2"]),
        ({"belligerent": "RUSSIA"}, ["S-3"]),
        ({"claim": "CIV-A"}, ["S-1"]),
        ({"search": "depot"}, ["S-3"]),
        ({"ordering": "-engagements"}, ["S-1", "S-2", "S-3"]),
        ({"ordering": "date"}, ["S-3", "S-1", "S-2"]),
    ],
)
def test_strike_filters(api, world, params, expected):
    assert refs(api("/api/v1/strikes/", **params), "strike_ref") == expected


def test_assessment_row_is_the_approved_finding_with_its_claim(api, world):
    page = api("/api/v1/assessments/")
    assert events(page) == ["CIV-E3", "CIV-B1", "CIV-D1", "CIV-A1", "CIV-E1"]
    first_e = page["results"][4]
    assert first_e == {
        "id": first_e["id"],
        "claim": "CIV-E",
        "sequence": 1,
        "assessed_on": "2017-02-10",
        "outcome": "credible",
        "reason": None,
        "duplicate_of": None,
        "civilians_killed": 1,
        "civilians_injured": 0,
        "rationale": "Assessed from the strike records.",
        "rationale_ar": "",
        "diligence": [],
        "reopened_on": "2017-03-01",
        "incident_date": "2017-01-27",
        "received_on": "2017-02-01",
        "country": "IQ",
        "province": "Anbar",
        "locality": "Ramadi",
        "locality_ar": "",
        "url": "http://testserver/claims/CIV-E/#event-1",
        "api_url": f"http://testserver/api/v1/assessments/{first_e['id']}/",
    }
    assert api(f"/api/v1/assessments/{first_e['id']}/") == first_e


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"outcome": "credible"}, ["CIV-E3", "CIV-A1", "CIV-E1"]),
        ({"killed_min": "3"}, ["CIV-E3", "CIV-A1"]),
        ({"killed_max": "1"}, ["CIV-E1"]),
        (
            {"assessed_on_after": "2017-03-21", "assessed_on_before": "2017-05-31"},
            ["CIV-B1", "CIV-D1"],
        ),
        ({"claim": "CIV-E"}, ["CIV-E3", "CIV-E1"]),
        ({"strike": "S-1"}, ["CIV-A1"]),
        ({"country": "SY"}, ["CIV-B1"]),
        ({"province": "anbar"}, ["CIV-E3", "CIV-E1"]),
        ({"reason": "no_civilian_harm"}, ["CIV-B1"]),
        ({"status": "open"}, []),
        ({"belligerent": "coalition", "source_type": "media"}, ["CIV-B1"]),
        ({"incident_date_before": "2017-03-04"}, ["CIV-E3", "CIV-A1", "CIV-E1"]),
        ({"received_on_after": "2017-03-10"}, ["CIV-B1", "CIV-D1"]),
        ({"search": "S-1 house"}, ["CIV-A1"]),
        ({"ordering": "-civilians_killed"}, ["CIV-E3", "CIV-A1", "CIV-E1", "CIV-B1", "CIV-D1"]),
        ({"ordering": "incident_date"}, ["CIV-E3", "CIV-E1", "CIV-A1", "CIV-D1", "CIV-B1"]),
    ],
)
def test_assessment_filters(api, world, params, expected):
    assert events(api("/api/v1/assessments/", **params)) == expected


def outside(page: dict) -> list[str]:
    return [f"{row['claim']} {row['organisation']}" for row in page["results"]]


def test_external_assessment_row_has_the_official_outcome_beside_it(api, world):
    page = api("/api/v1/external-assessments/")
    assert outside(page) == [
        "CIV-A Airwars",
        "CIV-A The New York Times",
        "CIV-B Airwars",
        "CIV-C Airwars",
    ]
    row = page["results"][2]
    assert row == {
        "id": row["id"],
        "claim": "CIV-B",
        "organisation": "Airwars",
        "grade": "confirmed",
        "civilians_killed_min": 8,
        "civilians_killed_max": 10,
        "assessed_on": None,
        "url": "",
        "official_outcome": "non_credible",
        "page_url": f"http://testserver/claims/CIV-B/#external-{row['id']}",
        "api_url": f"http://testserver/api/v1/external-assessments/{row['id']}/",
    }
    assert page["results"][3]["official_outcome"] is None
    assert api(f"/api/v1/external-assessments/{row['id']}/") == row


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"organisation": "airwars"}, ["CIV-A Airwars", "CIV-B Airwars", "CIV-C Airwars"]),
        ({"grade": "confirmed"}, ["CIV-A The New York Times", "CIV-B Airwars"]),
        ({"outcome": "credible"}, ["CIV-A Airwars", "CIV-A The New York Times"]),
        ({"claim": "CIV-C"}, ["CIV-C Airwars"]),
        ({"killed_min": "8"}, ["CIV-B Airwars"]),
        ({"killed_max": "5"}, ["CIV-A Airwars", "CIV-A The New York Times"]),
        ({"country": "SY", "status": "open"}, ["CIV-C Airwars"]),
        ({"search": "york"}, ["CIV-A The New York Times"]),
        ({"ordering": "-civilians_killed_max"}, [
            "CIV-B Airwars", "CIV-A Airwars", "CIV-A The New York Times", "CIV-C Airwars",
        ]),
    ],
)  # fmt: skip
def test_external_assessment_filters(api, world, params, expected):
    assert outside(api("/api/v1/external-assessments/", **params)) == expected


def test_belligerents_with_their_counts(api, world):
    page = api("/api/v1/belligerents/")
    coalition, russia = world.coalition.pk, world.russia.pk
    assert page["results"] == [
        {
            "id": coalition,
            "name": "Coalition",
            "strikes_count": 2,
            "claims_count": 4,
            "url": f"http://testserver/claims/?belligerent={coalition}",
            "api_url": f"http://testserver/api/v1/belligerents/{coalition}/",
        },
        {
            "id": russia,
            "name": "Russia",
            "strikes_count": 1,
            "claims_count": 1,
            "url": f"http://testserver/claims/?belligerent={russia}",
            "api_url": f"http://testserver/api/v1/belligerents/{russia}/",
        },
    ]
    assert refs(api("/api/v1/belligerents/", name="russia"), "name") == ["Russia"]
    assert refs(api("/api/v1/belligerents/", search="rus"), "name") == ["Russia"]
    ordered = api("/api/v1/belligerents/", ordering="strikes_count")
    assert refs(ordered, "name") == ["Russia", "Coalition"]
    assert api(f"/api/v1/belligerents/{world.russia.pk}/")["name"] == "Russia"
    assert api("/api/v1/belligerents/x/", expect=404) == {"detail": "No belligerent with id 'x'."}
