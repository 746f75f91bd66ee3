"""A claim's hidden location appears in no public output: one test per channel, each run for
every level of `location_disclosure`. The claim's recorded coordinates, locality and province
are unique strings; what its level hides must be nowhere in the answer, and what it shows must be
there (so each test can fail)."""

import datetime as dt
import re
from decimal import Decimal

import pytest

from claims.definitions import LocationDisclosure
from tests.factories import ClaimFactory, ExternalAssessmentFactory, assess

pytestmark = pytest.mark.django_db

REF = "CIV-CANARY"
LOCALITY = "Zqhiddenville"
PROVINCE = "Zqhiddenshire"
LATITUDE, LONGITUDE = Decimal("35.123457"), Decimal("44.987653")
# The recorded coordinates, to any number of decimals from 3; the rounded ones (35.12, 44.99).
EXACT = re.compile(r"(?<![\d.])(35\.123|44\.987|44\.988)")
ROUNDED = re.compile(r"(?<![\d.])(35\.12(?!3)|44\.99)")
# level -> (coordinates shown: "exact", "rounded" or None, locality shown, province shown)
SHOWN = {
    "exact": ("exact", True, True),
    "rounded": ("rounded", True, True),
    "locality": (None, True, True),
    "province": (None, False, True),
    "withheld": (None, False, False),
}
LEVELS = LocationDisclosure.values


@pytest.fixture
def canary(db, request):
    """The claim, received and assessed credible in March 2017, with an outside finding."""
    claim = ClaimFactory(
        claim_ref=REF,
        received_on=dt.date(2017, 3, 9),
        locality=LOCALITY,
        province=PROVINCE,
        latitude=LATITUDE,
        longitude=LONGITUDE,
        location_disclosure=request.param,
    )
    assess(claim, on=dt.date(2017, 3, 20))
    ExternalAssessmentFactory(claim=claim, organisation="Airwars", grade="fair")
    return request.param


def body(response) -> str:
    assert response.status_code == 200, (response.status_code, response.content[:300])
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def check(level: str, text: str, *, coordinates: bool = True, place: bool = True) -> None:
    """What `level` hides is not in `text`; what it shows is (where the channel shows it)."""
    shown, locality, province = SHOWN[level]
    assert bool(EXACT.search(text)) is (coordinates and shown == "exact")
    assert bool(ROUNDED.search(text)) is (coordinates and shown == "rounded")
    assert (LOCALITY in text) is (place and locality)
    assert (PROVINCE in text) is (place and province)


def read(client, *paths) -> str:
    return "\n".join(body(client.get(path, params)) for path, params in paths)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_claim_page(client, canary):
    text = read(client, (f"/claims/{REF}/", {}))
    assert REF in text
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_claims_list_page(client, canary):
    # The list shows the place, not the coordinates; its province suggestions are published ones.
    text = read(client, ("/claims/", {}))
    assert REF in text
    check(canary, text, coordinates=False)
    assert not EXACT.search(text) and not ROUNDED.search(text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_month_page(client, canary):
    text = read(client, ("/reports/2017/03/", {}))
    assert REF in text
    check(canary, text, coordinates=False)
    assert not EXACT.search(text) and not ROUNDED.search(text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_map_clusters_and_lists(client, canary):
    shown = SHOWN[canary][0] is not None
    page = read(client, ("/map/", {}))
    clusters = client.get("/map/clusters/", {"zoom": 14, "view": "44.9,35.0,45.1,35.2"}).json()
    listed = client.get("/map/claims/", {"bbox": "35,29,49,38"})
    assert len(clusters["clusters"]) == (1 if shown else 0)
    # A list of no claim is page 1 of 1, empty.
    refs = [claim["ref"] for claim in listed.json()["claims"]]
    assert refs == ([REF] if shown else [])
    text = "\n".join((page, str(clusters), listed.content.decode()))
    check(canary, text, place=shown)
    assert LOCALITY not in page and PROVINCE not in page


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_api_lists(client, canary):
    text = read(
        client,
        ("/api/v1/claims/", {}),
        ("/api/v1/assessments/", {}),
        ("/api/v1/external-assessments/", {}),
    )
    # A row in each list: the claim's ref, and in its links (claims.links): the claim's url and
    # api_url, the assessment's url and the independent finding's page_url.
    assert text.count(REF) == 7
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_api_details(client, canary):
    [assessment] = client.get("/api/v1/assessments/").json()["results"]
    [external] = client.get("/api/v1/external-assessments/").json()["results"]
    text = read(
        client,
        (f"/api/v1/claims/{REF}/", {}),
        (f"/api/v1/assessments/{assessment['id']}/", {}),
        (f"/api/v1/external-assessments/{external['id']}/", {}),
    )
    assert f'"location_disclosure":"{canary}"' in text.replace(" ", "")
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_csv_exports(client, canary):
    text = read(
        client,
        ("/api/v1/claims/", {"format": "csv"}),
        ("/api/v1/assessments/", {"format": "csv"}),
        ("/api/v1/external-assessments/", {"format": "csv"}),
        ("/api/v1/reports/monthly/", {"format": "csv"}),
    )
    # A row in each list: the claim's ref, and in its links (claims.links): the claim's url and
    # api_url, the assessment's url and the independent finding's page_url.
    assert text.count(REF) == 7
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_geojson_export(client, canary):
    response = client.get("/api/v1/claims/", {"format": "geojson"})
    text = body(response)
    shown = SHOWN[canary][0] is not None
    # A claim without a published position is not a feature (as one without coordinates).
    assert (REF in text) is shown
    assert response["X-Total-Count"] == ("1" if shown else "0")
    check(canary, text, place=shown)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_monthly_report_api(client, canary):
    text = read(client, ("/api/v1/reports/monthly/2017-03/", {}))
    assert REF in text
    check(canary, text, coordinates=False)
    assert not EXACT.search(text) and not ROUNDED.search(text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_every_other_public_page_and_answer(client, canary):
    text = read(
        client,
        ("/", {}),
        ("/reports/", {}),
        ("/comparison/", {}),
        ("/methodology/", {}),
        ("/api/v1/reports/summary/", {}),
        ("/api/v1/reports/comparison/", {}),
        ("/api/v1/strikes/", {"format": "csv"}),
    )
    assert not EXACT.search(text) and not ROUNDED.search(text)
    assert LOCALITY not in text and PROVINCE not in text


# --- filters and search find the claim by what is published only ----------------------------


def found(client, path, **params) -> bool:
    data = client.get(path, params)
    assert data.status_code == 200, data.content
    return REF in data.content.decode()


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_search_and_province_filter_read_the_published_place(client, canary):
    _, locality, province = SHOWN[canary]
    for path in ("/api/v1/claims/", "/api/v1/assessments/", "/api/v1/external-assessments/"):
        assert found(client, path, search=LOCALITY) is locality, path
        assert found(client, path, search=PROVINCE) is province, path
        assert found(client, path, province=PROVINCE.upper()) is province, path
    assert found(client, "/claims/", search=LOCALITY) is locality
    assert found(client, "/claims/", province=PROVINCE) is province


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_bbox_reads_the_published_position(client, canary):
    around_exact = "44.985,35.122,44.989,35.124"  # holds the recorded point, not the rounded one
    around_rounded = "44.989,35.119,44.991,35.121"  # the rounded point only
    shown = SHOWN[canary][0]
    assert found(client, "/api/v1/claims/", bbox=around_exact) is (shown == "exact")
    assert found(client, "/api/v1/claims/", bbox=around_rounded) is (shown == "rounded")
    assert found(client, "/map/claims/", bbox=around_exact) is (shown == "exact")


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_hxl_exports(client, canary):
    text = read(
        client,
        ("/api/v1/claims/", {"format": "hxl"}),
        ("/api/v1/strikes/", {"format": "hxl"}),
    )
    assert REF in text
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_feeds(client, canary):
    text = read(client, ("/claims/feed.atom", {}), ("/reports/feed.atom", {}))
    assert REF in text  # its closing is an entry, with its place as published
    check(canary, text, coordinates=False)
    assert not EXACT.search(text) and not ROUNDED.search(text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_downloads_zip(canary, tmp_path):
    import io
    import zipfile

    from reports.downloads import build_zip

    target = io.BytesIO()
    build_zip(target, as_of=dt.date(2026, 12, 6))
    with zipfile.ZipFile(target) as archive:
        text = "\n".join(archive.read(name).decode() for name in archive.namelist())
    assert REF in text
    check(canary, text)


@pytest.mark.parametrize("canary", LEVELS, indirect=True)
def test_strike_page_of_a_linked_strike(client, canary):
    # The strike's own place is the belligerent's published record; the claim's hidden place is
    # not added to it.
    from claims.models import Claim
    from tests.factories import StrikeFactory

    strike = StrikeFactory(strike_ref="S-CANARY", locality="Strikeville", province="Strikeshire")
    Claim.objects.get(claim_ref=REF).strikes.add(strike)
    text = read(client, ("/strikes/S-CANARY/", {}))
    assert REF in text
    check(canary, text, coordinates=False)  # its claims' places, never their coordinates
    assert not EXACT.search(text) and not ROUNDED.search(text)
