"""Strike matching on a small hand-checked set: haversine distances, nearest first, then in time."""

import datetime as dt
import math

import pytest

from claims.matching import duplicate_candidates, haversine_km, strike_candidates
from tests.factories import ClaimFactory, StrikeFactory

pytestmark = pytest.mark.django_db

D = dt.date
# Mosul old city, approximately.
LAT, LON = 36.3400, 43.1300


def test_haversine_matches_hand_computed_distances():
    # One degree of latitude is 2 * pi * 6371.0088 / 360 = 111.195 km.
    assert haversine_km(LAT, LON, LAT + 1, LON) == pytest.approx(111.195, abs=0.001)
    # Mosul to Raqqa (35.9500, 39.0100): about 372 km.
    assert haversine_km(LAT, LON, 35.95, 39.01) == pytest.approx(372.5, abs=1)
    assert haversine_km(LAT, LON, LAT, LON) == 0


@pytest.fixture
def claim():
    return ClaimFactory(
        incident_date=D(2017, 3, 17), received_on=D(2017, 3, 20), latitude=LAT, longitude=LON
    )


def strike(ref, north_km=0.0, east_km=0.0, day=17):
    """A strike north_km north and east_km east of the claim (small offsets)."""
    lat = LAT + north_km / 111.195
    lon = LON + east_km / (111.195 * math.cos(math.radians(LAT)))
    return StrikeFactory(
        strike_ref=ref, date=D(2017, 3, day), latitude=round(lat, 6), longitude=round(lon, 6)
    )


def test_candidates_within_radius_and_days_ranked_by_distance_then_time(claim):
    strike("S-1KM-SAMEDAY", north_km=1)
    strike("S-1KM-2DAYS", east_km=1, day=19)  # same distance, further in time
    strike("S-300M", north_km=0.3, day=15)
    strike("S-4.9KM", east_km=-4.9)
    strike("S-5.1KM", north_km=5.1)  # outside the radius
    strike("S-3DAYS", north_km=0.1, day=20)  # outside the time window
    strike("S-CORNER", north_km=3.6, east_km=3.6)  # in the bounding box, 5.09 km away

    found = strike_candidates(claim=claim)

    assert [c.obj.strike_ref for c in found] == [
        "S-300M",
        "S-1KM-SAMEDAY",
        "S-1KM-2DAYS",
        "S-4.9KM",
    ]
    assert [c.distance_km for c in found] == pytest.approx([0.3, 1.0, 1.0, 4.9], abs=0.002)
    assert [c.days_apart for c in found] == [2, 0, 2, 0]


def test_radius_and_window_are_adjustable(claim):
    strike("S-5.1KM", north_km=5.1)
    strike("S-3DAYS", north_km=0.1, day=20)
    assert [c.obj.strike_ref for c in strike_candidates(claim=claim, radius_km=6)] == ["S-5.1KM"]
    assert [c.obj.strike_ref for c in strike_candidates(claim=claim, days=3)] == ["S-3DAYS"]


def test_claim_without_coordinates_matches_strikes_at_the_same_locality(claim):
    claim.latitude = claim.longitude = None
    StrikeFactory(strike_ref="S-MOSUL", locality="mosul", date=D(2017, 3, 18))
    StrikeFactory(strike_ref="S-RAQQA", locality="Raqqa", country="SY", date=D(2017, 3, 18))
    found = strike_candidates(claim=claim)
    assert [(c.obj.strike_ref, c.distance_km, c.days_apart) for c in found] == [
        ("S-MOSUL", None, 1)
    ]


def test_possible_duplicate_claims(claim):
    ClaimFactory(
        claim_ref="CIV-SAME",
        incident_date=D(2017, 3, 18),
        received_on=D(2017, 3, 25),
        latitude=LAT + 0.01,
        longitude=LON,
    )
    ClaimFactory(
        claim_ref="CIV-FAR",
        incident_date=D(2017, 3, 17),
        received_on=D(2017, 3, 25),
        latitude=LAT + 1,
        longitude=LON,
    )
    found = duplicate_candidates(claim=claim)
    assert [c.obj.claim_ref for c in found] == ["CIV-SAME"]
    assert found[0].distance_km == pytest.approx(1.112, abs=0.001)


def test_matching_runs_in_one_query_whatever_the_number_of_strikes(
    claim, django_assert_num_queries
):
    for n in range(40):
        strike(f"S-{n}", north_km=n * 0.3, day=15 + n % 5)
    with django_assert_num_queries(1):
        found = strike_candidates(claim=claim, limit=100)
        assert {c.obj.belligerent.name for c in found} == {"Coalition"}
    # 0, 0.3, ... 4.8 km: 17 strikes within 5 km, all within 2 days.
    assert len(found) == 17
