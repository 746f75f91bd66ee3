"""The map (/map/), the claim page's small map, and the canary: nothing confidential reaches any
public claims page."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from claims.models import Assessment, Claim, ClaimComment, Victim
from tests.factories import user_with_role
from tests.worlds import CANARY, plant_canaries

from .page_factories import grow, visible

pytestmark = pytest.mark.django_db

URL = "/map/"
POINTS = re.compile(r'<script id="map-points" type="application/json">(.*?)</script>', re.S)


def embedded(response) -> dict:
    return json.loads(POINTS.search(response.content.decode()).group(1))


def geojson_ids(client, params: dict) -> list[str]:
    response = client.get("/api/v1/claims/", {**params, "format": "geojson"})
    assert response.status_code == 200
    collection = json.loads(b"".join(response.streaming_content))
    return [feature["id"] for feature in collection["features"]]


def test_map_embeds_each_claim_with_coordinates_coloured_by_its_finding(client, pages_world):
    response = client.get(URL)
    assert response.status_code == 200
    data = embedded(response)
    # In the order of the incident dates: the script draws the latest on top.
    assert data["points"] == [
        {
            "ref": "CIV-A",
            "lat": 36.34,
            "lon": 43.13,
            "category": "credible",
            "place": "Mosul, Ninawa",
            "date": "4 Mar 2017",
        },
        {
            "ref": "CIV-D",
            "lat": 36.35,
            "lon": 43.13,
            "category": "duplicate",
            "place": "Mosul, Ninawa",
            "date": "10 Mar 2017",
        },
        {
            "ref": "CIV-B",
            "lat": 35.95,
            "lon": 39.01,
            "category": "non_credible",
            "place": "Raqqa, Raqqa",
            "date": "2 Apr 2017",
        },
        {
            "ref": "CIV-F",
            "lat": 35.96,
            "lon": 39.01,
            "category": "open",
            "place": "Raqqa, Raqqa",
            "date": "27 Apr 2017",
        },
    ]
    assert data["labels"]["open"] == "Open: not yet assessed, or reopened"
    # The script links each point to its claim page through this pattern.
    assert 'data-claim-url="/claims/__REF__/"' in response.content.decode()


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["CIV-A", "CIV-B", "CIV-D", "CIV-F"]),
        ({"outcome": "credible"}, ["CIV-A"]),
        ({"outcome": "non_credible", "status": "closed"}, ["CIV-B"]),
        ({"status": "open"}, ["CIV-F"]),
        (
            {"incident_date_after": "2017-03-05", "incident_date_before": "2017-04-02"},
            ["CIV-B", "CIV-D"],
        ),
        ({"country": "SY", "search": "hospital"}, ["CIV-B"]),
        ({"outcome": "duplicate", "incident_date_before": "2017-03-01"}, []),
    ],
)
def test_map_shows_the_claims_of_the_api_geojson_with_the_same_filters(
    client, pages_world, params, expected
):
    response = client.get(URL, params)
    assert response.status_code == 200
    assert sorted(point["ref"] for point in embedded(response)["points"]) == expected
    assert sorted(geojson_ids(client, params)) == expected


def test_map_says_how_many_claims_it_shows_and_the_legend_counts_them(client, pages_world):
    page = visible(client.get(URL).content.decode())
    assert (
        "4 of the 6 claims have coordinates and are shown. The other 2 are in the claims list."
    ) in page
    assert (
        "Official finding Credible 1 Non-credible 1 Duplicate 1 "
        "Open: not yet assessed, or reopened 1"
    ) in page


def test_map_filter_form_keeps_its_values_and_the_other_filters(client, pages_world):
    response = client.get(URL, {"outcome": "credible", "country": "IQ", "ordering": ""})
    markup = response.content.decode()
    assert '<option value="credible" selected>Credible</option>' in markup
    assert '<input type="hidden" name="country" value="IQ">' in markup
    assert 'name="ordering"' not in markup  # empty: not given
    assert (
        "Also filtered by country=IQ (from the claims list). The map 1 of the 2 claims matching "
        "these filters has coordinates and is shown. The other 1 is in the claims list."
    ) in visible(response.content.decode())


def test_map_without_javascript_links_to_the_same_claims(client, pages_world):
    response = client.get(URL, {"outcome": "credible", "incident_date_after": "2017-01-01"})
    markup = response.content.decode()
    query = "outcome=credible&amp;incident_date_after=2017-01-01"
    assert f'<a href="/claims/?{query}">As a list</a>' in markup
    assert f'<a href="/api/v1/claims/?{query}&amp;format=csv" download>' in markup
    assert f'<a href="/api/v1/claims/?{query}&amp;format=geojson" download>' in markup
    assert "The interactive map needs JavaScript." in visible(response.content.decode())


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"incident_date_before": "yesterday"}, "Incident to", "Enter a valid date."),
        ({"outcome": "open"}, "Outcome", "Select a valid choice. open is not one of the"),
        ({"page": "2"}, "page", "Unknown filter “page”."),
    ],
)
def test_map_bad_filter_value_is_a_400_with_the_message(
    client, pages_world, params, field, message
):
    response = client.get(URL, params)
    assert response.status_code == 400
    assert f"Nothing is listed until they are corrected: {field}: {message}" in visible(
        response.content.decode()
    )
    assert POINTS.search(response.content.decode()) is None


def test_unknown_parameter_is_not_kept_so_submitting_the_form_again_clears_it(client, pages_world):
    response = client.get(URL, {"colour": "red", "outcome": "credible", "province": "Ninawa"})
    markup = response.content.decode()
    assert response.status_code == 400
    assert '<option value="credible" selected>Credible</option>' in markup
    assert '<input type="hidden" name="province" value="Ninawa">' in markup
    assert 'name="colour"' not in markup


def test_maps_use_our_own_leaflet_and_boundaries_only(client, pages_world):
    for path in (URL, "/claims/CIV-A/"):
        markup = client.get(path).content.decode()
        assets = re.findall(r'(?:src|href)="([^"]+\.(?:js|css|geojson))"', markup)
        assets += re.findall(r'data-(?:countries|governorates)="([^"]+)"', markup)
        assert "/static/vendor/leaflet/leaflet.js" in assets
        assert "/static/vendor/leaflet/leaflet.css" in assets
        assert "/static/geo/iraq-syria.geojson" in assets
        assert "/static/geo/governorates.geojson" in assets
        for asset in assets:
            assert asset.startswith("/static/"), asset
            assert finders.find(asset.removeprefix("/static/")), asset


def test_claim_page_small_map_is_centred_on_the_claim(client, pages_world):
    markup = client.get("/claims/CIV-A/").content.decode()
    assert 'data-lat="36.340000" data-lon="43.130000" data-category="credible"' in markup
    assert "Reported at 36.3400° N, 43.1300° E" in markup
    assert '<script src="/static/js/incident-map.js" defer></script>' in markup


def test_claim_page_without_coordinates_says_so_and_has_no_map(client, pages_world):
    response = client.get("/claims/CIV-E/")
    assert "No coordinates were recorded for this claim, so it is not on the map." in (
        visible(response.content.decode())
    )
    assert 'id="incident-map"' not in response.content.decode()
    assert "leaflet" not in response.content.decode()


def test_map_query_count_is_constant(client, pages_world, django_assert_num_queries):
    # 1 the filtered claims with coordinates (values only: no model rows, no prefetch), 2 COUNT
    # of all the filtered claims (those without coordinates are counted, not drawn).
    with django_assert_num_queries(2):
        small = client.get(URL)
    grow(30)
    with django_assert_num_queries(2):
        large = client.get(URL)
    assert (len(embedded(small)["points"]), len(embedded(large)["points"])) == (4, 34)


# --- the canary ------------------------------------------------------------------------------


def every_page(client) -> dict[str, str]:
    """Every public claims page: the list (plain, searched for the canary, erroring), each claim's
    page, the map (plain, erroring)."""
    seen = {}

    def fetch(path, **params):
        response = client.get(path, params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        seen[f"{path} {params}"] = response.content.decode()
        return response

    listed = fetch("/claims/")
    for row in listed.context["rows"]:
        fetch(row.url)
    assert fetch("/claims/", search=CANARY).context["rows"] == []
    fetch("/claims/", country="XX")
    fetch("/claims/", page="9")
    fetch("/claims/CIV-NOPE/")
    fetch("/map/")
    fetch("/map/", search=CANARY)
    fetch("/map/", outcome="nope")
    return seen


def test_nothing_confidential_reaches_any_claims_page(client, pages_world):
    plant_canaries(pages_world)
    # The canary is really there, in every internal place.
    assert Claim.objects.filter(confidential_notes__contains=CANARY).count() == 1
    assert Assessment.objects.filter(rationale__contains=CANARY).count() == 2
    assert Assessment.objects.filter(return_comment__contains=CANARY).count() == 1
    assert ClaimComment.objects.filter(body__contains=CANARY).count() == 2
    assert Victim.objects.filter(name_ar__contains=CANARY).count() == 2
    pages = every_page(client)
    assert len(pages) == 9 + 8  # nine claim pages
    # ...and the crawl reached the claims the canary users worked on.
    assert any("Public rationale." in page for page in pages.values())
    assert any("Public Name" in page for page in pages.values())
    assert leaks(pages) == []


def leaks(pages: dict[str, str]) -> list[str]:
    """Pages containing the canary, other than where a search for it echoes it back (in the
    search field and the links that keep the filters)."""
    echoed = (f'value="{CANARY}"', f"search={CANARY}", f"<code>search={CANARY}</code>")
    found = []
    for where, page in pages.items():
        for echo in echoed:
            page = page.replace(echo, "")
        if CANARY in page:
            found.append(where)
    return found


def test_signed_in_staff_see_the_same_public_pages(client, pages_world):
    plant_canaries(pages_world)
    client.force_login(user_with_role("reviewer", username="someone-else"))
    assert leaks(every_page(client)) == []
