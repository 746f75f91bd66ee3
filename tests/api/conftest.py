"""Shared fixtures of the API tests: a small world whose every figure can be checked by hand."""

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.cache import cache

from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    VictimFactory,
    assess,
    reopen,
)

D = dt.date


@pytest.fixture(autouse=True)
def _unthrottled(settings):
    """Tests are never throttled by accident: test_throttling sets low rates on purpose."""
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "100000/min", "user": "100000/min"},
    }
    cache.clear()


@pytest.fixture
def api(client):
    """GET as an anonymous user; JSON decoded; the status checked."""

    def get(path, expect=200, **params):
        response = client.get(path, params)
        assert response.status_code == expect, (response.status_code, response.content[:500])
        return response.json()

    return get


@pytest.fixture
def world():
    """Two belligerents, three strikes, five claims and their findings:

    claim   received    incident    place              strikes  finding (approved)
    CIV-A   2017-03-09  2017-03-04  Mosul, Ninawa IQ   S-1      credible 2017-03-20: 3 killed
    CIV-B   2017-04-10  2017-04-02  Raqqa, Raqqa SY    S-2      non_credible 2017-05-01
    CIV-C   2016-06-01  2016-05-27  Idlib, Idlib SY    S-3      open (Russia)
    CIV-D   2017-03-15  2017-03-10  Mosul, Ninawa IQ   -        duplicate of CIV-A 2017-03-25
    CIV-E   2017-02-01  2017-01-27  Ramadi, Anbar IQ   -        credible 02-10 (1 killed),
                                                                reopened 03-01, credible
                                                                06-01 (4 killed)
    """
    coalition = BelligerentFactory(name="Coalition")
    russia = BelligerentFactory(name="Russia")
    s1 = StrikeFactory(
        strike_ref="S-1", date=D(2017, 3, 4), engagements=2, latitude=36.34, longitude=43.13
    )
    s2 = StrikeFactory(
        strike_ref="S-2", date=D(2017, 4, 2), country="SY", province="Raqqa", locality="Raqqa"
    )
    s3 = StrikeFactory(
        strike_ref="S-3",
        date=D(2016, 5, 27),
        country="SY",
        province="Idlib",
        locality="Idlib",
        belligerent=russia,
        target="Depot",
    )
    a = ClaimFactory(
        claim_ref="CIV-A",
        received_on=D(2017, 3, 9),
        belligerent=coalition,
        latitude=36.335,
        longitude=43.119,
        killed_children=1,
    )
    b = ClaimFactory(
        claim_ref="CIV-B",
        received_on=D(2017, 4, 10),
        incident_date=D(2017, 4, 2),
        country="SY",
        province="Raqqa",
        locality="Raqqa",
        source_type="media",
        civilians_killed_min=10,
        civilians_killed_max=12,
        belligerent=coalition,
        summary="A hospital was hit.",
    )
    c = ClaimFactory(
        claim_ref="CIV-C",
        received_on=D(2016, 6, 1),
        country="SY",
        province="Idlib",
        locality="Idlib",
        source_type="social_media",
        civilians_killed_min=1,
        civilians_killed_max=1,
        belligerent=russia,
    )
    d = ClaimFactory(claim_ref="CIV-D", received_on=D(2017, 3, 15), belligerent=coalition)
    e = ClaimFactory(
        claim_ref="CIV-E",
        received_on=D(2017, 2, 1),
        province="Anbar",
        locality="Ramadi",
        belligerent=coalition,
    )
    a.strikes.add(s1)
    b.strikes.add(s2)
    c.strikes.add(s3)
    assess(
        a,
        "credible",
        D(2017, 3, 20),
        civilians_killed=3,
        civilians_injured=1,
        diligence=["strike_video", "map_search"],
        rationale="Strike S-1 hit the house.",
    )
    assess(b, "non_credible", D(2017, 5, 1), reason="no_civilian_harm")
    assess(d, "duplicate", D(2017, 3, 25), duplicate_of=a)
    assess(e, "credible", D(2017, 2, 10), civilians_killed=1, civilians_injured=0)
    reopen(e, D(2017, 3, 1), reason="A hospital list names four dead.")
    assess(e, "credible", D(2017, 6, 1), civilians_killed=4, civilians_injured=2)
    VictimFactory(claim=a, name="Published Person", age=40, sex="male", public=True)
    ExternalAssessmentFactory(claim=a, organisation="Airwars", grade="fair")
    ExternalAssessmentFactory(
        claim=b,
        organisation="Airwars",
        grade="confirmed",
        civilians_killed_min=8,
        civilians_killed_max=10,
    )
    ExternalAssessmentFactory(
        claim=c,
        organisation="Airwars",
        grade="weak",
        civilians_killed_min=None,
        civilians_killed_max=None,
    )
    ExternalAssessmentFactory(
        claim=a,
        organisation="The New York Times",
        grade="confirmed",
        civilians_killed_min=3,
        civilians_killed_max=3,
    )
    return SimpleNamespace(
        coalition=coalition, russia=russia, s1=s1, s2=s2, s3=s3, a=a, b=b, c=c, d=d, e=e
    )


def refs(page: dict, key: str = "claim_ref") -> list:
    return [row[key] for row in page["results"]]
