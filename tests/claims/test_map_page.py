"""The map (/map/, its clusters and its lists of claims), the claim page's small map, and the
canary: nothing confidential reaches any public claims page or the map's data."""

import json
import re

import pytest
from django.contrib.staticfiles import finders

from claims.api.filters import RANGE
from claims.models import Assessment, Claim, ClaimComment, Victim
from tests.factories import ClaimFactory, user_with_role
from tests.worlds import CANARY, MOSUL, plant_canaries

from .page_factories import at_one_place, visible

pytestmark = pytest.mark.django_db
TOWNS = [MOSUL, (35.95, 39.01), (33.42, 43.30)]  # Mosul, Raqqa, Ramadi

URL = "/map/"
CLUSTERS = "/map/clusters/"
CLAIMS = "/map/claims/"
REGION = "35,29,49,38"  # Iraq and Syria: west,south,east,north
LABELS = re.compile(r'<script id="map-labels" type="application/json">(.*?)</script>', re.S)


class AnyString(str):
    def __eq__(self, other):
        return isinstance(other, str)

    __hash__ = str.__hash__


ANY_STRING = AnyString()


def clusters(client, zoom=6, view=REGION, **params) -> list[dict]:
    response = client.get(CLUSTERS, {**params, "zoom": zoom, "view": view})
    assert response.status_code == 200, response.content
    return response.json()["clusters"]


def listed_on_map(client, params: dict) -> list[str]:
    """Every claim the map's lists give for these filters, page after page."""
    refs, page = [], 1
    while True:
        response = client.get(CLAIMS, {**params, "page": page})
        if response.status_code == 400:  # no claim: page 1 of 1 is empty, page 2 is refused
            break
        assert response.status_code == 200, response.content
        data = response.json()
        refs += [claim["ref"] for claim in data["claims"]]
        if page == data["pages"]:
            break
        page += 1
    return refs


def geojson_ids(client, params: dict) -> list[str]:
    response = client.get("/api/v1/claims/", {**params, "format": "geojson"})
    assert response.status_code == 200
    collection = json.loads(b"".join(response.streaming_content))
    return [feature["id"] for feature in collection["features"]]


def test_map_page_embeds_no_claim_and_points_its_script_to_the_filtered_data(client, pages_world):
    response = client.get(URL, {"outcome": "credible"})
    markup = response.content.decode()
    assert response.status_code == 200
    assert "CIV-" not in markup
    assert 'data-clusters-url="/map/clusters/?outcome=credible"' in markup
    assert 'data-claims-url="/map/claims/?outcome=credible"' in markup
    # The script links each claim to its page through this pattern.
    assert 'data-claim-url="/claims/__REF__/"' in markup
    assert 'data-cell-pixels="80"' in markup
    labels = json.loads(LABELS.search(markup).group(1))
    assert labels["open"] == "Open: not yet assessed, or reopened"


def test_clusters_count_the_claims_of_each_area_by_finding(client, pages_world):
    # At zoom 6 (cells of 1.76°) Mosul's two claims (0.01° apart) are one cluster, Raqqa's two
    # another; claims without coordinates are on no cluster.
    assert clusters(client) == [
        {
            "lat": 35.955,
            "lon": 39.01,
            "count": 2,
            "counts": {"non_credible": 1, "open": 1},
            "bbox": ["39.01", "35.95", "39.01", "35.96"],
            "place": "Raqqa, Raqqa",
        },
        {
            "lat": 36.345,
            "lon": 43.13,
            "count": 2,
            "counts": {"credible": 1, "duplicate": 1},
            "bbox": ["43.13", "36.34", "43.13", "36.35"],
            "place": "Mosul, Ninawa",
        },
    ]
    # Zoomed in (cells of 0.0007°), each claim is its own cluster.
    mosul = clusters(client, zoom=14, view="43.1,36.3,43.2,36.4")
    assert [(c["count"], c["counts"], c["bbox"]) for c in mosul] == [
        (1, {"credible": 1}, ["43.13", "36.34", "43.13", "36.34"]),
        (1, {"duplicate": 1}, ["43.13", "36.35", "43.13", "36.35"]),
    ]
    # Only the cells the view touches.
    assert [c["place"] for c in clusters(client, view="38,35,40,37")] == ["Raqqa, Raqqa"]


def test_clusters_of_claims_in_several_places_name_what_they_share(client, pages_world):
    ClaimFactory(claim_ref="CIV-Q", latitude=36.5, longitude=43.0, locality="Tel Keppe")
    (mosul,) = clusters(client, zoom=6, view="42,35,44,37")
    assert (mosul["count"], mosul["place"]) == (3, "Ninawa")
    assert mosul["counts"] == {"credible": 1, "duplicate": 1, "open": 1}


@pytest.mark.parametrize(
    ("params", "counts"),
    [
        ({"outcome": "credible"}, [{"credible": 1}]),
        ({"status": "open"}, [{"open": 1}]),
        ({"incident_date_after": "2017-03-05"}, [{"non_credible": 1, "open": 1}, {"duplicate": 1}]),
        ({"country": "SY", "search": "hospital"}, [{"non_credible": 1}]),
        ({"outcome": "duplicate", "incident_date_before": "2017-03-01"}, []),
    ],
)
def test_clusters_count_only_the_filtered_claims(client, pages_world, params, counts):
    assert [cluster["counts"] for cluster in clusters(client, **params)] == counts


@pytest.mark.parametrize(
    ("params", "errors"),
    [
        ({"zoom": "6"}, {"view": ["This field is required."]}),
        (
            {"zoom": "99", "view": REGION},
            {"zoom": ["Select a valid choice. 99 is not one of the available choices."]},
        ),
        (
            {"zoom": "6", "view": "49,29,35,38"},
            {"view": ["Give west ≤ east within ±180 and south ≤ north within ±90."]},
        ),
        (
            {"zoom": "14", "view": REGION},
            {"view": ["This view covers 2,676,480 cells at this zoom; at most 4,096."]},
        ),
        (
            {"zoom": "6", "view": REGION, "outcome": "maybe", "colour": "red"},
            {
                "colour": [ANY_STRING],
                "outcome": ["Select a valid choice. maybe is not one of the available choices."],
            },
        ),
    ],
)
def test_clusters_refuse_bad_requests_with_the_reasons(client, pages_world, params, errors):
    response = client.get(CLUSTERS, params)
    assert response.status_code == 400
    assert response.json() == {"errors": errors}


def test_a_clusters_claims_come_a_page_at_a_time_in_the_lists_order(client, pages_world):
    at_one_place(25, MOSUL, outcome=None)
    (cluster,) = clusters(client, zoom=14, view="43.12,36.33,43.14,36.345")
    assert (cluster["count"], cluster["bbox"]) == (26, ["43.13", "36.34", "43.13", "36.34"])
    bbox = ",".join(cluster["bbox"])
    first = client.get(CLAIMS, {"bbox": bbox}).json()
    assert {k: v for k, v in first.items() if k != "claims"} == {
        "count": 26,
        "page": 1,
        "pages": 3,
        "page_size": 10,
        "list_url": "/claims/?bbox=43.13%2C36.34%2C43.13%2C36.34",
    }
    # The claims list's order: the latest received first (the bulk claims: 2018, by ref).
    assert [c["ref"] for c in first["claims"]][:3] == ["BULK-0000", "BULK-0001", "BULK-0002"]
    assert first["claims"][0] == {
        "ref": "BULK-0000",
        "date": "4 Jan 2018",
        "category": "open",
        "place": "Mosul, Ninawa",
    }
    last = client.get(CLAIMS, {"bbox": bbox, "page": 3}).json()
    assert [c["ref"] for c in last["claims"]] == [*(f"BULK-00{n}" for n in range(20, 25)), "CIV-A"]
    assert last["claims"][-1]["category"] == "credible"
    response = client.get(CLAIMS, {"bbox": bbox, "page": 4})
    assert response.status_code == 400
    assert response.json() == {
        "errors": {"page": ["The page must be a whole number from 1 to 3, not “4”."]}
    }
    # The link goes to the same claims in the list.
    listed_page = client.get(first["list_url"])
    assert listed_page.status_code == 200
    assert listed_page.context["page"].paginator.count == 26


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
        ({"bbox": "43,36,44,37"}, ["CIV-A", "CIV-D"]),
        ({"bbox": "39.01,35.95,39.01,35.95"}, ["CIV-B"]),
    ],
)
def test_map_shows_the_claims_of_the_api_geojson_with_the_same_filters(
    client, pages_world, params, expected
):
    assert client.get(URL, params).status_code == 200
    assert sorted(listed_on_map(client, params)) == expected
    assert sorted(geojson_ids(client, params)) == expected
    in_clusters = sum(c["count"] for c in clusters(client, **params))
    assert in_clusters == len(expected)


@pytest.mark.parametrize(
    ("bbox", "message"),
    [
        ("43,36,44", "Give four numbers: west,south,east,north (longitude, latitude)."),
        ("43,36,44,x", "Give four numbers: west,south,east,north (longitude, latitude)."),
        ("43,36,44,NaN", RANGE),
        ("43,36,181,37", RANGE),  # west > east crosses the antimeridian: answered (below)
        ("43,-91,44,37", RANGE),
    ],
)
def test_a_bad_bbox_is_refused_alike_by_the_api_the_list_and_the_map(
    client, pages_world, bbox, message
):
    api = client.get("/api/v1/claims/", {"bbox": bbox})
    assert api.status_code == 400
    assert api.json()["errors"]["bbox"] == [message]
    for path in ("/claims/", URL):
        page = client.get(path, {"bbox": bbox})
        assert page.status_code == 400
        assert f"bbox: {message}" in visible(page.content.decode())
    assert client.get(CLAIMS, {"bbox": bbox}).json() == {"errors": {"bbox": [message]}}


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
    assert "data-clusters-url" not in response.content.decode()


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
    # Rounded (the default disclosure), and the caption says so.
    assert "Shown at 36.34° N, 43.13° E: the coordinates are rounded to about 1 km" in markup
    assert '<script src="/static/js/incident-map.js" defer></script>' in markup


def test_claim_page_without_coordinates_says_so_and_has_no_map(client, pages_world):
    response = client.get("/claims/CIV-E/")
    assert "No coordinates were recorded for this claim, so it is not on the map." in (
        visible(response.content.decode())
    )
    assert 'id="incident-map"' not in response.content.decode()
    assert "leaflet" not in response.content.decode()


def first_load(client, django_assert_num_queries) -> list[int]:
    """The bytes of what a reader's first look costs: the page, and the clusters of the region
    at the zoom it opens at; then the first page of the largest cluster's claims (a page of at
    most ten claims: its size depends on them, not on how many there are)."""
    costs = []

    def cost(path, params, queries):
        with django_assert_num_queries(queries):
            response = client.get(path, params)
        assert response.status_code == 200
        costs.append(len(response.content))
        return response

    cost(URL, {}, 1)  # 1 the claims counted by finding and position known
    found = cost(CLUSTERS, {"zoom": 6, "view": REGION}, 1).json()["clusters"]  # 1 grouped
    largest = max(found, key=lambda cluster: cluster["count"])
    claims = cost(CLAIMS, {"bbox": ",".join(largest["bbox"])}, 2).json()  # 1 COUNT, 2 the page
    assert len(claims["claims"]) == min(largest["count"], 10)
    return costs[:2]


def test_map_size_and_query_count_do_not_grow_with_the_claims(client, django_assert_num_queries):
    # Ten claims in three towns, in every finding; then 1,990 more: at the same positions and
    # spread around them, within the same cells.
    for n, outcome in enumerate(["credible", "non_credible", "duplicate", None] * 2 + [None] * 2):
        at_one_place(1, TOWNS[n % 3], outcome=outcome, prefix=f"SMALL-{n}-")
    small = first_load(client, django_assert_num_queries)
    for n, outcome in enumerate(["credible", "non_credible", "duplicate", None]):
        at_one_place(400, TOWNS[n % 3], outcome=outcome, prefix=f"SAME-{n}-")
        spread = {"outcome": outcome, "prefix": f"NEAR-{n}-", "spread": 0.03}
        at_one_place(97 + (n < 2), TOWNS[n % 3], **spread)
    assert Claim.objects.filter(latitude__isnull=False).count() == 2_000
    large = first_load(client, django_assert_num_queries)
    # The same clusters; only the numbers' digits and the mean positions' decimals differ.
    for before, after in zip(small, large, strict=True):
        assert abs(after - before) <= 64, (small, large)
    assert sum(large) < 10_000


def test_map_counts_and_clusters_are_computed_once_per_data_version(
    client, pages_world, django_assert_num_queries
):
    with django_assert_num_queries(2):  # 1 the page's counts, 2 the clusters
        client.get(URL)
        clusters(client)
    with django_assert_num_queries(0):  # the same again, from the cache
        page = client.get(URL)
        found = clusters(client)
    assert "4 of the 6 claims have coordinates" in visible(page.content.decode())
    assert sum(cluster["count"] for cluster in found) == 4
    # A write makes a new data version: both are computed again, with the new claim.
    ClaimFactory(claim_ref="CIV-NEW", latitude=36.34, longitude=43.13)
    with django_assert_num_queries(2):
        page = client.get(URL)
        found = clusters(client)
    assert "5 of the 7 claims have coordinates" in visible(page.content.decode())
    assert sum(cluster["count"] for cluster in found) == 5


def test_claims_at_many_positions_make_at_most_one_cluster_per_cell(client):
    # 104 positions a degree apart over the region: at the opening zoom (cells of 1.76°) the
    # region's 9 x 6 cells hold them all, so the answer has at most 54 clusters however many
    # claims and positions there are.
    for lat in range(30, 38):
        for lon in range(36, 49):
            at_one_place(2, (lat + 0.5, lon + 0.5), outcome=None, prefix=f"G{lat}{lon}-")
    response = client.get(CLUSTERS, {"zoom": 6, "view": REGION})
    found = response.json()["clusters"]
    assert len(found) <= 9 * 6
    assert sum(c["count"] for c in found) == 2 * 8 * 13
    assert len(response.content) < 9 * 6 * 200


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
    # The map's data: every cluster at a zoom that separates every position, and every page of
    # claims the map lists.
    fetch(CLUSTERS, zoom=6, view=REGION)
    fetch(CLUSTERS, zoom=12, view="42.9,36.2,43.4,36.5")
    fetch(CLUSTERS, zoom=6, view=REGION, search=CANARY)
    fetch(CLAIMS)
    fetch(CLAIMS, page=2)
    fetch(CLAIMS, bbox="43,36,44,37")
    return seen


def test_nothing_confidential_reaches_any_claims_page(client, pages_world):
    plant_canaries(pages_world)
    # The canary is really there, in every internal place.
    assert Claim.objects.filter(confidential_notes__contains=CANARY).count() == 1
    assert Assessment.objects.filter(rationale__contains=CANARY).count() == 2
    assert Assessment.objects.filter(return_comment__contains=CANARY).count() == 1
    assert ClaimComment.objects.filter(body__contains=CANARY).count() == 2
    # The unpublished victim's (a published victim's Arabic name is public since issue 12).
    assert Victim.objects.filter(name_ar__contains=CANARY).count() == 1
    assert Assessment.objects.filter(rationale_ar__contains=CANARY).count() == 2
    pages = every_page(client)
    assert len(pages) == 9 + 8 + 6  # nine claim pages, six answers of the map's data
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


def test_a_bbox_across_the_antimeridian_and_an_empty_one_are_answered(client, db):
    # RFC 7946 5.2: west > east crosses the antimeridian; a box whose south is north of its
    # north holds nothing. Only a box that is not four numbers in range is refused (the schema's
    # pattern says which), so every request the schema allows is answered.
    ClaimFactory(latitude=36.34, longitude=43.13)
    assert client.get("/api/v1/claims/", {"bbox": "179,-90,-179,90"}).json()["count"] == 0
    assert client.get("/api/v1/claims/", {"bbox": "40,-90,-179,90"}).json()["count"] == 1
    assert client.get("/api/v1/claims/", {"bbox": "40,40,44,30"}).json()["count"] == 0
    refused = client.get("/api/v1/claims/", {"bbox": "40,30,181,40"})
    assert refused.status_code == 400


def test_the_arabic_map_names_its_places_in_arabic(client, pages_world):
    # The clusters and lists of /ar/map/ name places through the gazetteer, as the Arabic pages.
    view = {"zoom": 6, "view": "38,35,44,37"}
    english = client.get("/map/clusters/", view).json()["clusters"]
    arabic = client.get("/ar/map/clusters/", view).json()["clusters"]
    assert {c["place"] for c in english} == {"Mosul, Ninawa", "Raqqa, Raqqa"}
    assert {c["place"] for c in arabic} == {"الموصل، نينوى", "الرقة، الرقة"}
    assert [c["count"] for c in arabic] == [c["count"] for c in english]
