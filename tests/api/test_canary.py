"""Nothing internal leaks: a unique string planted in every internal place must appear in no
response of any endpoint, in any format, including the schema, the docs and error pages."""

import io
import zipfile

import pytest

from claims.models import Assessment, Claim, ClaimComment, Victim
from reports.downloads import downloads_state
from reports.publishing import month_publish
from tests.factories import user_with_role
from tests.worlds import CANARY, plant_canaries

pytestmark = pytest.mark.django_db

LISTS = ["strikes", "claims", "assessments", "external-assessments", "belligerents"]
FEEDS = ["/claims/feed.atom", "/reports/feed.atom"]


@pytest.fixture
def secrets(world):
    """The canary in every internal place of the API's world: tests.worlds.plant_canaries."""
    return plant_canaries(world)


def body(response) -> str:
    if response.streaming:
        return b"".join(response.streaming_content).decode()
    return response.content.decode()


def every_response(client) -> dict[str, str]:
    """Every endpoint: lists in every format, every record's detail, every report month, the
    schema in both formats, the docs page, and the error answers."""
    seen = {}

    def fetch(path, **params):
        response = client.get(path, params)
        assert response.status_code in (200, 400, 404), (path, params, response.status_code)
        seen[f"{path} {params}"] = body(response)
        return response

    for name in LISTS:
        page = fetch(f"/api/v1/{name}/", page_size=1000).json()
        fetch(f"/api/v1/{name}/", format="csv")
        if name in ("strikes", "claims"):
            fetch(f"/api/v1/{name}/", format="geojson")
        key = {"strikes": "strike_ref", "claims": "claim_ref"}.get(name, "id")
        for row in page["results"]:
            fetch(f"/api/v1/{name}/{row[key]}/")
        # A search for the canary must not reach internal fields.
        assert fetch(f"/api/v1/{name}/", search=CANARY).json()["count"] == 0
    fetch("/api/v1/reports/monthly/")
    fetch("/api/v1/reports/monthly/", format="csv")
    for month in ("2016-06", "2017-02", "2017-03", "2017-04", "2017-05", "2017-06"):
        fetch(f"/api/v1/reports/monthly/{month}/")
    fetch("/api/v1/reports/summary/")
    fetch("/api/v1/reports/comparison/")
    fetch("/api/schema/")
    fetch("/api/schema/", format="json")
    fetch("/api/docs/")
    fetch("/api/v1/claims/", received_on_after="not-a-date")
    fetch("/api/v1/claims/", format="xml")
    fetch("/api/v1/claims/CIV-NOPE/")
    fetch("/api/v1/nowhere/")
    fetch("/api/v1/reports/monthly/2017-13/")
    return seen


def test_no_internal_string_in_any_anonymous_response(client, secrets):
    # The canary is really there, in every internal place.
    assert Claim.objects.filter(confidential_notes__contains=CANARY).count() == 1
    assert Assessment.objects.filter(rationale__contains=CANARY).count() == 2
    assert Assessment.objects.filter(return_comment__contains=CANARY).count() == 1
    assert ClaimComment.objects.filter(body__contains=CANARY).count() == 2
    assert Victim.objects.filter(name_ar__contains=CANARY).count() == 2
    responses = every_response(client)
    assert len(responses) == 59
    # ...and the crawl reached the approved assessment that the canary users decided.
    assert any("Public rationale." in text for text in responses.values())
    leaks = [where for where, text in responses.items() if CANARY in text]
    assert leaks == []


def test_signed_in_staff_read_the_same_public_record(client, secrets):
    client.force_login(user_with_role("reviewer", username="someone-else"))
    leaks = [where for where, text in every_response(client).items() if CANARY in text]
    assert leaks == []


def test_drafts_are_not_published_and_do_not_count(api, client, secrets):
    assert len(secrets.draft_ids) == 2
    for pk in secrets.draft_ids:
        api(f"/api/v1/assessments/{pk}/", expect=404)
    for ref in ("CIV-P", "CIV-R"):
        claim = api(f"/api/v1/claims/{ref}/")
        assert (claim["status"], claim["outcome"], claim["assessments"]) == ("open", None, [])
    march = api("/api/v1/reports/monthly/2017-03/")
    assert "CIV-P" not in [row["claim_ref"] for row in march["credible_claims"]]
    assert api("/api/v1/assessments/", claim="CIV-V")["count"] == 2


def test_only_published_victims_and_only_four_facts(api, secrets):
    assert api("/api/v1/claims/CIV-A/")["victims"] == [
        {"name": "Published Person", "age": 40, "sex": "male", "harm": "killed"},
        {"name": "Public Name", "age": None, "sex": "unknown", "harm": "killed"},
    ]


def test_no_internal_string_in_the_downloads_zip_or_the_feeds(client, secrets, publisher):
    month_publish(period="2017-03", by=publisher, note=f"{CANARY} publication note")
    page = client.get("/downloads/")  # builds the zip (tests run tasks at once)
    state = downloads_state()
    data = b"".join(client.get(f"/downloads/{state['file']}").streaming_content)
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        files = {name: archive.read(name).decode() for name in archive.namelist()}
    assert len(files) == 10
    # ...the zip reached the approved assessment that the canary users decided.
    assert "Public rationale." in files["assessments.csv"]
    feeds = {path: client.get(path).content.decode() for path in FEEDS}
    assert "Public rationale." in feeds["/claims/feed.atom"]
    assert "revision 1" in feeds["/reports/feed.atom"].lower()
    seen = {"/downloads/": page.content.decode(), **files, **feeds}
    leaks = [where for where, text in seen.items() if CANARY in text]
    assert leaks == []
