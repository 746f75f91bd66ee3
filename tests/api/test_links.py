"""Every record's `url` (its public page) and `api_url` (its API record), absolute, in JSON, CSV
and GeoJSON (claims/links.py), and the API's root, /api/v1/, that lists the endpoints."""

import csv
import io
import json

import pytest
from django.test import override_settings
from django.urls import reverse

from claims import links
from claims.api import querysets, serializers
from tests.factories import ClaimFactory

from .conftest import refs

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
LICENCE_LINK = '<https://creativecommons.org/licenses/by/4.0/>; rel="license"'


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200
    return response, b"".join(response.streaming_content).decode("utf-8")


def read_csv(text: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text, newline="")))


def test_a_csv_rows_url_is_the_page_of_that_claim(client, world):
    _, text = download(client, "/api/v1/claims/", format="csv")
    row = next(row for row in read_csv(text) if row["claim_ref"] == "CIV-B")
    assert row["url"] == f"{BASE}/claims/CIV-B/"
    assert row["api_url"] == f"{BASE}/api/v1/claims/CIV-B/"
    page = client.get(row["url"].removeprefix(BASE))
    assert page.status_code == 200
    assert "<h1" in page.content.decode() and "CIV-B</h1>" in page.content.decode()
    record = client.get(row["api_url"].removeprefix(BASE)).json()
    assert (record["claim_ref"], record["url"]) == ("CIV-B", row["url"])


def test_every_lists_rows_link_to_their_page_and_record(client, world):
    for name, key, page_field in [
        ("strikes", "strike_ref", "url"),
        ("claims", "claim_ref", "url"),
        ("assessments", "id", "url"),
        ("external-assessments", "id", "page_url"),
        ("belligerents", "id", "url"),
    ]:
        rows = client.get(f"/api/v1/{name}/").json()["results"]
        assert rows, name
        for row in rows:
            assert row["api_url"] == f"{BASE}/api/v1/{name}/{row[key]}/"
            # The record says the same about itself (a claim's adds its history).
            record = client.get(row["api_url"].removeprefix(BASE)).json()
            assert {field: record[field] for field in row} == row
            # The page answers, and shows the record.
            path, _, fragment = row[page_field].removeprefix(BASE).partition("#")
            page = client.get(path)
            assert page.status_code == 200, (name, path)
            if fragment:
                assert f'id="{fragment}"' in page.content.decode(), (name, fragment)


def test_an_assessment_links_to_its_event_on_its_claims_page(client, world):
    rows = client.get("/api/v1/assessments/", {"claim": "CIV-E"}).json()["results"]
    assert [row["url"] for row in rows] == [
        f"{BASE}/claims/CIV-E/#event-3",
        f"{BASE}/claims/CIV-E/#event-1",
    ]
    page = client.get("/claims/CIV-E/").content.decode()
    assert 'id="event-3"' in page and "4 civilians killed" in page


def test_a_belligerents_url_lists_the_claims_that_name_it(client, world):
    russia = client.get("/api/v1/belligerents/", {"name": "russia"}).json()["results"][0]
    assert russia["url"] == f"{BASE}/claims/?belligerent={world.russia.pk}"
    assert refs(client.get("/api/v1/claims/", {"belligerent": world.russia.pk}).json()) == ["CIV-C"]
    page = client.get(russia["url"].removeprefix(BASE)).content.decode()
    assert "CIV-C</a>" in page and "CIV-A</a>" not in page


def test_geojson_features_carry_both_links_and_the_licence(client, world):
    response, text = download(client, "/api/v1/strikes/", format="geojson")
    collection = json.loads(text)
    assert collection["license"] == {
        "name": "CC BY 4.0",
        "url": "https://creativecommons.org/licenses/by/4.0/",
    }
    feature = next(f for f in collection["features"] if f["id"] == "S-1")
    assert feature["properties"]["url"] == f"{BASE}/strikes/S-1/"
    assert feature["properties"]["api_url"] == f"{BASE}/api/v1/strikes/S-1/"
    assert response["Link"] == LICENCE_LINK


def test_a_ref_that_needs_quoting_links_as_reverse_does(client, db):
    ClaimFactory(claim_ref="IQ 2017 #5?x=1&y")
    row = client.get("/api/v1/claims/").json()["results"][0]
    assert row["url"] == f"{BASE}/claims/IQ%202017%20%235%3Fx=1&y/"
    assert client.get(row["url"].removeprefix(BASE)).status_code == 200
    assert client.get(row["api_url"].removeprefix(BASE)).json()["claim_ref"] == "IQ 2017 #5?x=1&y"


@override_settings(ALLOWED_HOSTS=["testserver", "data.example.org"])
def test_the_links_follow_the_host_and_scheme_asked(client, world):
    row = client.get("/api/v1/strikes/S-1/", HTTP_HOST="data.example.org", secure=True).json()
    assert row["url"] == "https://data.example.org/strikes/S-1/"
    # A cached or 304 answer for one host is never given to another.
    other = client.get("/api/v1/strikes/S-1/").json()
    assert other["url"] == f"{BASE}/strikes/S-1/"


@override_settings(SITE_URL="https://claims.example.org")
def test_without_a_request_links_use_site_url(world):
    """Commands and background builds (no request) serialise with SITE_URL."""
    claim = querysets.public_claims().get(claim_ref="CIV-A")
    data = serializers.ClaimSerializer(claim).data
    assert (data["url"], data["api_url"]) == (
        "https://claims.example.org/claims/CIV-A/",
        "https://claims.example.org/api/v1/claims/CIV-A/",
    )


def test_a_claims_record_links_its_assessments_and_independent_findings(client, world):
    claim = client.get("/api/v1/claims/CIV-A/").json()
    assert [a["url"] for a in claim["assessments"]] == [f"{BASE}/claims/CIV-A/#event-1"]
    for external in claim["external_assessments"]:
        assert external["page_url"] == f"{BASE}/claims/CIV-A/#external-{external['id']}"
        assert external["api_url"] == f"{BASE}/api/v1/external-assessments/{external['id']}/"


# --- /api/v1/ ----------------------------------------------------------------------------------


def test_the_api_root_lists_every_endpoint_and_each_answers(client, world):
    response = client.get("/api/v1/")
    assert response.status_code == 200
    assert response["Link"] == LICENCE_LINK
    root = response.json()
    assert root == {
        "claims": f"{BASE}/api/v1/claims/",
        "strikes": f"{BASE}/api/v1/strikes/",
        "assessments": f"{BASE}/api/v1/assessments/",
        "external-assessments": f"{BASE}/api/v1/external-assessments/",
        "belligerents": f"{BASE}/api/v1/belligerents/",
        "proposals": f"{BASE}/api/v1/proposals/",
        "reports-monthly": f"{BASE}/api/v1/reports/monthly/",
        "reports-summary": f"{BASE}/api/v1/reports/summary/",
        "reports-comparison": f"{BASE}/api/v1/reports/comparison/",
        "schema": f"{BASE}/api/schema/",
        "docs": f"{BASE}/api/docs/",
    }
    statuses = {name: client.get(url.removeprefix(BASE)).status_code for name, url in root.items()}
    # Proposals are reviewers' work: anonymous readers are told to sign in.
    assert statuses == {name: 401 if name == "proposals" else 200 for name in root}


def test_the_api_root_is_in_the_schema(client):
    schema = client.get("/api/schema/", {"format": "json"}).json()
    response = schema["paths"]["/api/v1/"]["get"]["responses"]["200"]
    reference = response["content"]["application/json"]["schema"]["$ref"]
    component = schema["components"]["schemas"][reference.rsplit("/", 1)[1]]
    assert component["properties"]["claims"]["format"] == "uri"
    assert len(component["properties"]) == 11


# --- the licence on every answer ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/claims/",
        "/api/v1/claims/?format=csv",
        "/api/v1/claims/CIV-A/",
        "/api/v1/reports/monthly/",
        "/api/v1/nowhere/",
        "/",
        "/claims/CIV-A/",
        "/strikes/S-1/",
        "/reports/2017/03/",
    ],
)
def test_every_answer_names_the_licence_in_a_link_header(client, world, path):
    response = client.get(path)
    assert response["Link"] == LICENCE_LINK


def test_the_admin_names_no_licence(client, world):
    assert "Link" not in client.get("/admin/login/")


@override_settings(
    DATA_LICENCE={"name": "ODbL 1.0", "url": "https://opendatacommons.org/licenses/odbl/1-0/"}
)
def test_the_licence_is_a_setting(client, world):
    response = client.get("/api/v1/strikes/", {"format": "geojson"})
    assert response["Link"] == '<https://opendatacommons.org/licenses/odbl/1-0/>; rel="license"'
    collection = json.loads(b"".join(response.streaming_content))
    assert collection["license"]["name"] == "ODbL 1.0"
    page = client.get("/claims/").content.decode()
    assert (
        '<a rel="license" href="https://opendatacommons.org/licenses/odbl/1-0/">ODbL 1.0</a>'
        in page
    )


@pytest.mark.parametrize("ref", ["CIV-2017-0001", "IQ 2017 #5?x=1&y", "é x", "a%b", "a+b:c@d~e"])
def test_a_link_is_the_path_reverse_makes(ref):
    assert links.claim_page(ref) == reverse("claims:detail", args=[ref])
    assert links.strike_page(ref) == reverse("claims:strike", args=[ref])
    assert links.api_record("claim")(ref) == reverse("api:claim-detail", args=[ref])


def test_a_link_is_in_the_language_of_the_page_that_shows_it(client, db):
    # The paths are made once per language: a first reader in Arabic does not give every later
    # English reader Arabic links (claims.links caches the reversed pattern per language).
    from django.utils import translation

    from claims import links

    with translation.override("ar"):
        assert links.claim_page("CIV-1") == "/ar/claims/CIV-1/"
    assert links.claim_page("CIV-1") == "/claims/CIV-1/"
