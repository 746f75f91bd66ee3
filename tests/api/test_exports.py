"""?format=csv and ?format=geojson: the whole filtered set, streamed, parsed back here."""

import csv
import io
import json
from datetime import date
from decimal import Decimal

import pytest
from django.db import OperationalError
from django.db.models import QuerySet

from claims.api import views
from claims.api.renderers import csv_lines
from tests.factories import ClaimFactory, StrikeFactory

pytestmark = pytest.mark.django_db

LISTS = ["strikes", "claims", "assessments", "external-assessments", "belligerents"]


def download(client, path, **params):
    response = client.get(path, params)
    assert response.status_code == 200, response.content
    assert response.streaming
    return response, b"".join(response.streaming_content).decode("utf-8")


def read_csv(text: str) -> tuple[list[str], list[dict]]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    return reader.fieldnames, list(reader)


# The CSV columns of each list: the import contract's (claims/importers/), then read-only ones.
CSV_HEADERS = {
    "strikes": "strike_ref,date,country,province,locality,latitude,longitude,belligerent,target,"
    "munition,engagements,source_url,precision,belligerent_id,claim_refs,url,api_url",
    "claims": "claim_ref,received_on,incident_date,country,province,locality,latitude,longitude,"
    "source_type,source_name,source_url,civilians_killed_min,civilians_killed_max,"
    "civilians_injured_min,civilians_injured_max,strike_refs,belligerent,summary,precision,"
    "killed_children,killed_women,killed_men,locality_ar,summary_ar,location_disclosure,"
    "belligerent_id,status,outcome,reason,assessed_on,assessed_civilians_killed,"
    "assessed_civilians_injured,url,api_url",
    "assessments": "claim_ref,assessed_on,outcome,reason,duplicate_of,civilians_killed,"
    "civilians_injured,rationale,diligence,rationale_ar,id,sequence,reopened_on,incident_date,"
    "received_on,country,province,locality,locality_ar,url,api_url",
    "external-assessments": "claim_ref,organisation,grade,civilians_killed_min,"
    "civilians_killed_max,assessed_on,url,id,official_outcome,page_url,api_url",
    # No import contract: the JSON names.
    "belligerents": "id,name,strikes_count,claims_count,url,api_url",
}
# The JSON key a CSV column carries, where the names differ.
JSON_KEYS = {
    "strikes": {"claim_refs": "claims"},
    "claims": {"strike_refs": "strikes"},
    "assessments": {"claim_ref": "claim"},
    "external-assessments": {"claim_ref": "claim"},
    "belligerents": {},
}
KEY_OF = {"strikes": "strike_ref", "claims": "claim_ref", "belligerents": "id"}


@pytest.mark.parametrize("name", LISTS)
def test_csv_header_is_the_import_contract_and_rows_match_the_json(client, api, world, name):
    """Every JSON field is in the CSV (under the importer's name for it), nothing else is."""
    page = api(f"/api/v1/{name}/", page_size=1000)
    response, text = download(client, f"/api/v1/{name}/", format="csv")
    header, rows = read_csv(text)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{name}-')
    assert ",".join(header) == CSV_HEADERS[name]
    json_key = JSON_KEYS[name]
    assert sorted(json_key.get(column, column) for column in header) == sorted(page["results"][0])
    rows = [row for row in rows if row.get("outcome") != "reopened"]  # the assessments' history
    assert len(rows) == page["count"]
    key = KEY_OF.get(name, "id")
    records = {str(record[key]): record for record in page["results"]}
    for row in rows:
        record = records[row[key]]
        for column in header:
            value = record[json_key.get(column, column)]
            if value is None:
                assert row[column] == "", column
            elif isinstance(value, list):
                assert row[column] == ";".join(value), column
            elif isinstance(value, float):
                assert float(row[column]) == value, column
            else:
                assert row[column] == str(value), column


def test_assessments_csv_is_each_claims_history_with_its_reopenings(client, world):
    """CIV-E was assessed, reopened and assessed again: three rows, in order, as the importer
    reads them (a reopening's date in assessed_on, its reason in rationale)."""
    _, text = download(client, "/api/v1/assessments/", format="csv")
    rows = read_csv(text)[1]
    events = [
        (row["claim_ref"], row["sequence"], row["assessed_on"], row["outcome"]) for row in rows
    ]
    assert events == [
        ("CIV-A", "1", "2017-03-20", "credible"),
        ("CIV-B", "1", "2017-05-01", "non_credible"),
        ("CIV-D", "1", "2017-03-25", "duplicate"),
        ("CIV-E", "1", "2017-02-10", "credible"),
        ("CIV-E", "2", "2017-03-01", "reopened"),
        ("CIV-E", "3", "2017-06-01", "credible"),
    ]
    reopening = rows[4]
    assert reopening["rationale"] == "A hospital list names four dead."
    assert reopening["id"] == reopening["civilians_killed"] == reopening["diligence"] == ""
    assert rows[3]["reopened_on"] == "2017-03-01"
    assert reopening["incident_date"] == rows[3]["incident_date"]


def test_assessments_csv_total_counts_the_reopenings(client, world):
    response, text = download(client, "/api/v1/assessments/", format="csv", claim="CIV-E")
    assert response["X-Total-Count"] == "3"
    assert len(read_csv(text)[1]) == 3


def test_external_assessments_csv_names_the_claim_by_its_ref(client, world):
    _, text = download(client, "/api/v1/external-assessments/", format="csv")
    assert {row["claim_ref"] for row in read_csv(text)[1]} <= {"CIV-A", "CIV-B", "CIV-C"}


def test_csv_cells_round_trip_commas_quotes_newlines_and_arabic(client, db):
    summary = 'Witness: "two houses, then a third"\nبيت العائلة'
    claim = ClaimFactory(claim_ref="CIV-Q", summary=summary, civilians_killed_min=None)
    claim.strikes.add(StrikeFactory(strike_ref="S-9"), StrikeFactory(strike_ref="S-10"))
    _, text = download(client, "/api/v1/claims/", format="csv")
    [row] = read_csv(text)[1]
    assert row["summary"] == summary
    assert row["strike_refs"] == "S-10;S-9"
    assert row["civilians_killed_min"] == ""
    assert row["status"] == "open"


def test_csv_dates_and_coordinates_are_written_alike_on_every_database(client, db):
    """PostgreSQL writes a CSV's dates and decimals itself (claims.api.rows, `as_text`): the
    same text as str() of the date and the Decimal that the JSON and SQLite read."""
    for ref, latitude, longitude in [
        ("S-1", "-0.000001", "0"),
        ("S-2", "90", "-180"),
        ("S-3", "36.3", "-43.123456"),
        ("S-4", None, None),
    ]:
        StrikeFactory(strike_ref=ref, date="2017-03-01", latitude=latitude, longitude=longitude)
    ClaimFactory(
        claim_ref="CIV-R", latitude="36.345", longitude="-0.004999", location_disclosure="rounded"
    )
    ClaimFactory(claim_ref="CIV-X", latitude="-36.3", longitude="0", location_disclosure="exact")
    _, text = download(client, "/api/v1/strikes/", format="csv", ordering="strike_ref")
    cells = [(row["date"], row["latitude"], row["longitude"]) for row in read_csv(text)[1]]
    assert cells == [
        ("2017-03-01", "-0.000001", "0.000000"),
        ("2017-03-01", "90.000000", "-180.000000"),
        ("2017-03-01", "36.300000", "-43.123456"),
        ("2017-03-01", "", ""),
    ]
    _, text = download(client, "/api/v1/claims/", format="csv", ordering="claim_ref")
    cells = [
        (row["received_on"], row["incident_date"], row["latitude"], row["longitude"])
        for row in read_csv(text)[1]
    ]
    assert cells == [
        ("2017-03-09", "2017-03-04", "36.350000", "0.000000"),
        ("2017-03-09", "2017-03-04", "-36.300000", "0.000000"),
    ]


def test_csv_lines_are_csv_writers_byte_for_byte():
    """csv_lines joins the cells of a line that needs no quoting itself (faster): every line is
    still the one csv.writer writes."""
    rows = [
        ("S-1", "2017-03-01", None, 3, -3.5, Decimal("36.300000"), date(2017, 3, 1), True),
        ("a,b", "plain"),
        ('say "no"', "x"),
        ("two\nlines", "x"),
        ("carriage\rreturn", "x"),
        ("", ""),
        ("",),
        (None,),
        ("alone",),
        (" spaced ", "\ttab", "'=1+2", "بيت العائلة", ";", "\u2028"),
        ["list", None, ""],
    ]
    written = io.StringIO()
    csv.writer(written).writerows(rows)
    assert "".join(csv_lines(rows)) == written.getvalue()


def test_csv_is_the_whole_filtered_set_not_a_page(client, db):
    ClaimFactory.create_batch(60, country="SY")
    ClaimFactory.create_batch(3, country="IQ")
    _, text = download(client, "/api/v1/claims/", format="csv", country="SY", page_size="10")
    assert len(read_csv(text)[1]) == 60


def test_csv_uses_the_same_filters_as_json(client, world):
    _, text = download(client, "/api/v1/claims/", format="csv", outcome="credible")
    assert [row["claim_ref"] for row in read_csv(text)[1]] == ["CIV-A", "CIV-E"]


def test_csv_by_accept_header(client, world):
    response = client.get("/api/v1/strikes/", HTTP_ACCEPT="text/csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"


@pytest.mark.parametrize(
    ("name", "feature_id", "coordinates"),
    # The claim's position as published: rounded by default (36.335, 43.119 recorded).
    [("claims", "CIV-A", [43.12, 36.34]), ("strikes", "S-1", [43.13, 36.34])],
)
def test_geojson_is_a_feature_collection_of_the_rows_with_coordinates(
    client, api, world, name, feature_id, coordinates
):
    response, text = download(client, f"/api/v1/{name}/", format="geojson")
    assert response["Content-Type"] == "application/geo+json; charset=utf-8"
    data = json.loads(text)
    assert data["type"] == "FeatureCollection"
    [feature] = data["features"]
    key = "claim_ref" if name == "claims" else "strike_ref"
    [row] = [row for row in api(f"/api/v1/{name}/")["results"] if row[key] == feature_id]
    assert feature == {
        "type": "Feature",
        "id": feature_id,
        "geometry": {"type": "Point", "coordinates": coordinates},
        "properties": row,
    }


def test_geojson_uses_the_filters_and_may_be_empty(client, world):
    _, text = download(client, "/api/v1/claims/", format="geojson", country="SY")
    assert json.loads(text) == {
        "type": "FeatureCollection",
        "license": {"name": "CC BY 4.0", "url": "https://creativecommons.org/licenses/by/4.0/"},
        "features": [],
        "numberMatched": 0,
        "numberReturned": 0,
    }


def test_geojson_of_many_rows_is_valid_json(client, db):
    for n in range(450):
        StrikeFactory(strike_ref=f"G-{n:03d}", latitude=33 + n / 1000, longitude=44)
    _, text = download(client, "/api/v1/strikes/", format="geojson")
    features = json.loads(text)["features"]
    assert len(features) == 450
    assert features[0]["geometry"]["coordinates"] == [44.0, 33.0]
    assert features[-1]["geometry"]["coordinates"] == [44.0, 33.449]


@pytest.mark.parametrize(
    ("path", "params", "known"),
    [
        ("/api/v1/assessments/", {"format": "geojson"}, "json, csv"),
        ("/api/v1/claims/CIV-A/", {"format": "csv"}, "json"),
        ("/api/v1/reports/summary/", {"format": "csv"}, "json"),
    ],
)
def test_unknown_format_is_a_json_400_naming_the_formats(client, world, path, params, known):
    response = client.get(path, params)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {
        "format": [f"Unknown format {params['format']!r}: use {known}."]
    }


def test_export_with_a_bad_filter_answers_a_json_error(client, db):
    response = client.get("/api/v1/claims/", {"format": "csv", "received_on_after": "yesterday"})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["errors"] == {"received_on_after": ["Enter a valid date."]}


# Completeness: a failed export must never look like a complete one (issue 10, finding 5) --------


def many_strikes(count: int = 450) -> None:
    for n in range(count):
        StrikeFactory(strike_ref=f"G-{n:03d}", latitude=33 + n / 1000, longitude=44)


@pytest.mark.parametrize("format_", ["csv", "geojson"])
def test_export_says_how_many_rows_it_has_before_the_first(client, world, format_):
    response, text = download(client, "/api/v1/claims/", format=format_, country="IQ")
    if format_ == "csv":
        rows = read_csv(text)[1]
    else:
        data = json.loads(text)
        rows = data["features"]
        assert data["numberMatched"] == data["numberReturned"] == len(rows)
    assert len(rows) > 0
    assert response["X-Total-Count"] == str(len(rows))


def test_a_database_failure_mid_export_is_raised_out_of_the_stream(client, db, monkeypatch, caplog):
    """The WSGI server then drops the connection without the chunked response's last chunk:
    the client reads an incomplete response, not a clean file with fewer rows. (Rows are read
    100 at a time here, so that the failure comes in the fourth chunk read: on PostgreSQL a
    chunk is read while the one before is written, and one with a failure is not written.)"""
    many_strikes()
    monkeypatch.setattr(views, "CHUNK_SIZE", 100)
    iterator = QuerySet.iterator

    def dropped_after_300_rows(queryset, *args, **kwargs):
        for n, row in enumerate(iterator(queryset, *args, **kwargs)):
            if n == 300:
                raise OperationalError("server closed the connection unexpectedly")
            yield row

    monkeypatch.setattr(QuerySet, "iterator", dropped_after_300_rows)
    response = client.get("/api/v1/strikes/", {"format": "csv"})
    assert response.status_code == 200
    assert response["X-Total-Count"] == "450"
    received = []
    with pytest.raises(OperationalError):
        for chunk in response.streaming_content:
            received.append(chunk)
    # What was flushed before: the first chunk, the header line and 199 rows.
    assert len(read_csv(b"".join(received).decode())[1]) == 199
    [record] = [r for r in caplog.records if r.name == "claims.api.renderers"]
    assert record.getMessage().startswith("Export strikes-")
    assert "failed mid-stream: the connection is aborted." in record.getMessage()
    assert record.exc_info[0] is OperationalError


def test_a_geojson_export_cut_anywhere_before_its_end_is_not_valid_json(client, db):
    many_strikes()
    response = client.get("/api/v1/strikes/", {"format": "geojson"})
    chunks = list(response.streaming_content)
    assert len(chunks) > 2
    whole = b"".join(chunks)
    assert json.loads(whole)["numberReturned"] == 450
    for end in range(1, len(chunks)):
        with pytest.raises(json.JSONDecodeError):
            json.loads(b"".join(chunks[:end]))
    for cut in range(len(whole) - 200, len(whole)):  # the last bytes, one at a time
        with pytest.raises(json.JSONDecodeError):
            json.loads(whole[:cut])
