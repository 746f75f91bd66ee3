"""/downloads/: the whole public dataset as one reproducible zip, with its data dictionary,
licence and manifest (reports/downloads.py, reports/dictionary.py)."""

import csv
import hashlib
import io
import json
import zipfile
from datetime import date

import pytest
from django.core.management import call_command
from django.test import override_settings
from django_tasks import default_task_backend

from claims.definitions import OUTCOME_DEFINITIONS
from claims.models import Claim
from reports import downloads
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db

CSVS = [
    "assessments.csv",
    "claims.csv",
    "external-assessments.csv",
    "monthly-figures.csv",
    "strikes.csv",
]
NAMES = sorted([*CSVS, "LICENCE.txt", "README.txt", "data-dictionary.csv", "data-dictionary.json"])
DUMMY_TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}


def build() -> bytes:
    target = io.BytesIO()
    downloads.build_zip(target, as_of=date(2017, 7, 1))
    return target.getvalue()


def members(data: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return {info.filename: archive.read(info) for info in archive.infolist()}


def csv_rows(text: bytes) -> list[dict]:
    return list(csv.DictReader(io.StringIO(text.decode())))


def test_zip_holds_every_public_csv_and_a_manifest_that_verifies(client, world, settings):
    # The build reads the exports at SITE_URL: the test client's host, for their links (url,
    # api_url) to be the same bytes.
    settings.SITE_URL = "http://testserver"
    files = members(build())
    assert sorted(files) == sorted([*NAMES, "manifest.json"])
    manifest = json.loads(files["manifest.json"])
    assert manifest["date"] == "2017-07-01"
    assert [entry["name"] for entry in manifest["files"]] == NAMES
    for entry in manifest["files"]:  # every hash and size recomputed
        content = files[entry["name"]]
        assert entry["sha256"] == hashlib.sha256(content).hexdigest(), entry["name"]
        assert entry["size"] == len(content)
    lines = "".join(f"{e['sha256']}  {e['name']}\n" for e in manifest["files"])
    assert manifest["data_version"] == hashlib.sha256(lines.encode()).hexdigest()[:16]
    rows = {entry["name"]: entry.get("rows") for entry in manifest["files"]}
    # The assessments' CSV is their history: 5 assessments and CIV-E's reopening as a row.
    assert (rows["claims.csv"], rows["strikes.csv"], rows["assessments.csv"]) == (5, 3, 6)
    for name in ("claims.csv", "strikes.csv", "assessments.csv", "external-assessments.csv"):
        assert rows[name] == len(csv_rows(files[name])), name  # the CSV's own rows
    months = csv_rows(files["monthly-figures.csv"])
    assert months[0]["period"] == "2016-05"  # the first record: strike S-3
    assert rows["monthly-figures.csv"] == len(months)
    assert rows["external-assessments.csv"] == 4
    # Each CSV is the API's own export, byte for byte.
    for name, path in [
        ("claims.csv", "/api/v1/claims/"),
        ("strikes.csv", "/api/v1/strikes/"),
        ("assessments.csv", "/api/v1/assessments/"),
        ("external-assessments.csv", "/api/v1/external-assessments/"),
        ("monthly-figures.csv", "/api/v1/reports/monthly/"),
    ]:
        response = client.get(path, {"format": "csv"})
        exported = b"".join(response.streaming_content) if response.streaming else response.content
        assert files[name] == exported, name
    assert [row["claim_ref"] for row in csv_rows(files["claims.csv"])] == [
        "CIV-B",
        "CIV-D",
        "CIV-A",
        "CIV-E",
        "CIV-C",
    ]


def test_the_same_records_make_a_byte_identical_zip(world):
    first = build()
    Claim.objects.filter(claim_ref="CIV-A").update(confidential_notes="Changed, not public.")
    assert build() == first
    with zipfile.ZipFile(io.BytesIO(first)) as archive:
        infos = archive.infolist()
    assert [info.filename for info in infos] == sorted([*NAMES, "manifest.json"])
    assert {info.date_time for info in infos} == {(2017, 7, 1, 0, 0, 0)}


def test_data_dictionary_describes_every_column_of_every_csv(world):
    files = members(build())
    dictionary = json.loads(files["data-dictionary.json"])
    assert [entry["name"] for entry in dictionary["files"]] == [f.name for f in downloads.FILES]
    for entry in dictionary["files"]:
        header = next(csv.reader(io.StringIO(files[entry["name"]].decode())))
        assert [column["name"] for column in entry["columns"]] == header
        undescribed = [c["name"] for c in entry["columns"] if not c["meaning"]]
        assert undescribed == [], entry["name"]
        assert "unknown" not in {c["type"] for c in entry["columns"]}, entry["name"]
    claims = {c["name"]: c for c in dictionary["files"][1]["columns"]}
    assert claims["outcome"]["type"] == "code"
    assert [v["value"] for v in claims["outcome"]["allowed_values"]] == [
        "credible",
        "non_credible",
        "duplicate",
    ]
    assert claims["outcome"]["meaning"].startswith("Outcome of the claim's latest approved")
    assert claims["outcome"]["allowed_values"][2] == {
        "value": "duplicate",
        "label": "Duplicate",
        "definition": OUTCOME_DEFINITIONS["duplicate"],
    }
    assert claims["status"]["allowed_values"][1] == {"value": "closed", "label": "Closed"}
    assert (claims["incident_date"]["type"], claims["strike_refs"]["type"]) == ("date", "list")
    figures = {c["name"]: c for c in dictionary["files"][4]["columns"]}
    assert figures["cumulative.open"]["type"] == "integer"
    rows = csv_rows(files["data-dictionary.csv"])
    assert {"file": "claims.csv", "column": "reason"}.items() <= rows[
        [r["column"] for r in rows].index("reason")
    ].items()
    readme = files["README.txt"].decode()
    assert "claims.csv: Claims of civilian harm" in readme
    assert "  outcome (code, may be empty): Outcome of the claim's latest" in readme


def test_licence_is_cc_by_unless_the_setting_names_another(world, settings):
    files = members(build())
    assert b"https://creativecommons.org/licenses/by/4.0/" in files["LICENCE.txt"]
    settings.DATA_LICENCE = {"name": "ODbL 1.0", "url": "https://opendatacommons.org/odbl/"}
    files = members(build())
    assert json.loads(files["manifest.json"])["licence"] == settings.DATA_LICENCE
    assert b"ODbL 1.0\nhttps://opendatacommons.org/odbl/" in files["LICENCE.txt"]


def test_page_builds_the_first_zip_then_offers_it(client, world):
    # Tests run tasks at once: the page's queued build is done before it renders.
    response = client.get("/downloads/")
    assert response.status_code == 200
    text = response.content.decode()
    state = downloads.downloads_state()
    assert state["file"] in text and state["sha256"] in text
    assert "being built" not in text
    assert response["Cache-Control"].startswith("max-age=0, no-cache")
    zipped = client.get(f"/downloads/{state['file']}")
    assert zipped["Content-Type"] == "application/zip"
    data = b"".join(zipped.streaming_content)
    assert hashlib.sha256(data).hexdigest() == state["sha256"]
    assert len(data) == state["size"]
    assert client.get("/downloads/other.zip").status_code == 404
    assert client.get("/downloads/current.json").status_code == 404


@override_settings(TASKS=DUMMY_TASKS)
def test_page_says_being_built_and_offers_the_last_zip_after_a_write(client, world):
    assert "The first zip of the records is being built" in client.get("/downloads/").text
    first = downloads.downloads_build()
    page = client.get("/downloads/").text
    assert "being built" not in page and first["file"] in page
    ClaimFactory(claim_ref="CIV-NEW")  # a write: a new data version
    page = client.get("/downloads/").text
    assert "A new zip of the records as they are now is being built" in page
    assert first["file"] in page  # the last one still offered
    queued = [r.task.name for r in default_task_backend.results]
    assert queued == ["downloads_build_task", "downloads_build_task"]  # once per version
    client.get("/downloads/")
    assert len(default_task_backend.results) == 2
    # The worker builds it: a new zip, with the new claim.
    second = downloads.downloads_build()
    assert second["file"] != first["file"]
    page = client.get("/downloads/").text
    assert "being built" not in page and second["file"] in page
    data = b"".join(client.get(f"/downloads/{second['file']}").streaming_content)
    assert b"CIV-NEW" in members(data)["claims.csv"]
    # ...and the first stays downloadable (whoever cited it can fetch it).
    assert client.get(f"/downloads/{first['file']}").status_code == 200


def test_build_downloads_command(world):
    out = io.StringIO()
    call_command("build_downloads", stdout=out)
    state = downloads.downloads_state()
    assert out.getvalue() == (
        f"{state['file']}: {state['size']} bytes, SHA-256 {state['sha256']}, "
        f"data version {state['data_version']}.\n"
    )
    out = io.StringIO()
    call_command("build_downloads", "--if-stale", stdout=out)
    assert out.getvalue() == f"{state['file']} is current: nothing to build.\n"


def test_page_query_count_is_constant(client, world, django_assert_num_queries):
    downloads.downloads_build()
    with django_assert_num_queries(0):  # the state is a file; the version is in the cache
        response = client.get("/downloads/")
    assert response.status_code == 200


def test_old_zips_are_pruned_but_never_the_current_one(world, monkeypatch):
    monkeypatch.setattr(downloads, "KEPT", 2)
    built = []
    for ref in ("CIV-X1", "CIV-X2", "CIV-X3"):
        ClaimFactory(claim_ref=ref)
        built.append(downloads.downloads_build()["file"])
    _folders, names = downloads.default_storage.listdir(downloads.FOLDER)
    assert sorted(name for name in names if name.endswith(".zip")) == sorted(built[1:])
    assert downloads.downloads_file(built[0]) is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # roles kept for the tests after
def test_a_build_outside_a_transaction_reads_one_snapshot(world):
    # As the worker and the command run it: in a transaction of its own (REPEATABLE READ, read
    # only, on PostgreSQL), which it leaves.
    from django.db import connection

    state = downloads.downloads_build()
    assert not connection.in_atomic_block
    data = downloads.downloads_file(state["file"]).read()
    assert hashlib.sha256(data).hexdigest() == state["sha256"]
    assert [row["claim_ref"] for row in csv_rows(members(data)["claims.csv"])][0] == "CIV-B"


def test_the_build_reads_the_exports_at_the_site_url(settings):
    # Absolute links in the CSVs (url, api_url) name the site, whatever ALLOWED_HOSTS says.
    settings.SITE_URL = "https://claims.example.org"
    request = downloads.export_request("/api/v1/claims/")
    assert (
        request.build_absolute_uri("/claims/CIV-A/") == "https://claims.example.org/claims/CIV-A/"
    )
    assert request.GET["format"] == "csv"
    assert not request.user.is_authenticated
