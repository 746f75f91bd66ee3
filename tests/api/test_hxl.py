"""?format=hxl: the CSV export with a row of HXL hashtags under the header, read back here with
libhxl (the Humanitarian Exchange Language's own library, as HDX and OCHA's tools read it)."""

import csv
import io

import hxl
import pytest

from claims.definitions import LocationDisclosure
from claims.models import Claim
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def download(client, path, **params):
    response = client.get(path, {"format": "hxl", **params})
    assert response.status_code == 200, response.content
    return response, b"".join(response.streaming_content)


def read_hxl(body: bytes) -> hxl.model.Dataset:
    return hxl.data(io.BytesIO(body))


def test_claims_hxl_carries_the_tags_of_the_issue(client, world):
    response, body = download(client, "/api/v1/claims/")
    assert response["Content-Type"] == "application/vnd.hxl+csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="claims-')
    assert response["Content-Disposition"].endswith('.hxl.csv"')
    tags = {column.display_tag for column in read_hxl(body).columns}
    assert {
        "#event+id",
        "#date+occurred",
        "#date+reported",
        "#country+code",
        "#adm1+name",
        "#loc+name",
        "#geo+lat",
        "#geo+lon",
        "#affected+killed+min",
        "#affected+killed+max",
        "#status",
    } <= tags


def test_claims_hxl_rows_are_the_csv_rows_found_by_their_tags(client, world):
    # Published exactly, so that its coordinates are the recorded ones (the default rounds them).
    Claim.objects.filter(claim_ref="CIV-A").update(location_disclosure=LocationDisclosure.EXACT)
    _, body = download(client, "/api/v1/claims/")
    rows = {row.get("#event+id"): row for row in read_hxl(body)}
    assert sorted(rows) == ["CIV-A", "CIV-B", "CIV-C", "CIV-D", "CIV-E"]
    a = rows["CIV-A"]
    assert a.get("#date+occurred") == "2017-03-04"
    assert a.get("#date+reported") == "2017-03-09"
    assert (a.get("#country+code"), a.get("#adm1+name"), a.get("#loc+name")) == (
        "IQ",
        "Ninawa",
        "Mosul",
    )
    assert (a.get("#geo+lat"), a.get("#geo+lon")) == ("36.335000", "43.119000")
    assert a.get("#status") == "closed"
    assert rows["CIV-C"].get("#status") == "open"
    assert rows["CIV-B"].get("#affected+killed+max") == "12"
    # The same cells as the CSV export, the hashtag row aside.
    csv_text = b"".join(client.get("/api/v1/claims/", {"format": "csv"}).streaming_content)
    csv_lines = csv_text.decode().splitlines()
    hxl_lines = body.decode().splitlines()
    assert hxl_lines[0] == csv_lines[0]
    assert hxl_lines[2:] == csv_lines[1:]


def test_strikes_hxl_is_tagged_and_filtered_as_the_json(client, world):
    response, body = download(client, "/api/v1/strikes/", country="SY")
    dataset = read_hxl(body)
    rows = {row.get("#event+id"): row for row in dataset}  # a dataset is read once
    assert response["X-Total-Count"] == "2"
    assert sorted(rows) == ["S-2", "S-3"]
    assert rows["S-3"].get("#date+occurred") == "2016-05-27"
    assert rows["S-3"].get("#group+perpetrator+name") == "Russia"


def test_every_column_of_the_hashtag_row_is_a_valid_hxl_tag_or_empty(client, world):
    for name in ("claims", "strikes"):
        _, body = download(client, f"/api/v1/{name}/")
        header, tags = list(csv.reader(io.StringIO(body.decode())))[:2]
        assert len(tags) == len(header)
        named = [tag for tag in tags if tag]
        assert len(named) == len(read_hxl(body).tags)
        assert all(hxl.model.Column.parse(tag) is not None for tag in named)


def test_hxl_cells_are_inert_like_the_csv(client, db):
    ClaimFactory(claim_ref="CIV-F", summary="=HYPERLINK(1)")
    _, body = download(client, "/api/v1/claims/")
    [row] = list(read_hxl(body))
    assert row.get("#description") == "'=HYPERLINK(1)"


@pytest.mark.parametrize("path", ["/api/v1/assessments/", "/api/v1/belligerents/"])
def test_hxl_only_where_the_records_are_tagged(client, world, path):
    response = client.get(path, {"format": "hxl"})
    assert response.status_code == 400
    assert response.json()["errors"]["format"][0].startswith("Unknown format 'hxl'")
