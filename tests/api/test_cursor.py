"""Lists by cursor (keyset pagination) beside page numbers, and list rows read as tuples that are
exactly what the output serializers make of model instances."""

import base64
import json

import pytest
from rest_framework.renderers import JSONRenderer
from rest_framework.test import APIRequestFactory

from claims.api import querysets, serializers
from claims.api.pagination import Cursor
from tests.api.test_query_counts import grow

pytestmark = pytest.mark.django_db


def token(data: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(data).encode()).decode()


def walk(client, first_link: str, key: str) -> list:
    refs, link = [], first_link
    while link:
        page = client.get(link).json()
        refs += [row[key] for row in page["results"]]
        link = page["next"]
    return refs


def by_pages(client, path: str, key: str, **params) -> list:
    refs, page = [], 1
    while True:
        data = client.get(path, {**params, "page": page}).json()
        refs += [row[key] for row in data["results"]]
        if not data["next"]:
            return refs
        page += 1


@pytest.mark.parametrize(
    ("path", "key", "ordering"),
    [
        ("/api/v1/claims/", "claim_ref", ""),
        # latest assessment date and killed: empty for open claims, sorted last either way
        ("/api/v1/claims/", "claim_ref", "assessed_on"),
        ("/api/v1/claims/", "claim_ref", "-assessed_civilians_killed,incident_date"),
        ("/api/v1/strikes/", "strike_ref", "-engagements"),
        ("/api/v1/assessments/", "id", "-incident_date"),
        ("/api/v1/external-assessments/", "id", ""),
    ],
)
def test_a_walk_by_cursor_reads_the_same_rows_as_the_page_numbers(
    client, world, path, key, ordering
):
    grow(12)
    params = {"page_size": 7, **({"ordering": ordering} if ordering else {})}
    first = client.get(path, params).json()
    assert first["next"] is None or "page=2" in first["next"]  # page numbers as before
    expected = by_pages(client, path, key, **params)
    walked = [row[key] for row in first["results"]] + walk(client, first["next_cursor"], key)
    assert walked == expected
    assert len(set(walked)) == first["count"]


@pytest.mark.parametrize(
    ("path", "key", "params"),
    [
        ("/api/v1/claims/", "claim_ref", {}),
        ("/api/v1/claims/", "claim_ref", {"ordering": "-assessed_civilians_killed"}),
        ("/api/v1/claims/", "claim_ref", {"status": "closed", "ordering": "incident_date"}),
        ("/api/v1/strikes/", "strike_ref", {}),
        ("/api/v1/assessments/", "id", {"ordering": "-incident_date"}),
    ],
)
def test_every_page_by_number_holds_the_rows_at_its_offset_in_the_whole_list(
    client, world, path, key, params
):
    # Pages after the first read their rows' keys first (claims.api.pagination): the same rows,
    # in the same order, as the one page that holds them all.
    grow(12)
    whole = [row[key] for row in client.get(path, {**params, "page_size": 1000}).json()["results"]]
    assert len(whole) > 14
    assert by_pages(client, path, key, page_size=7, **params) == whole


def test_previous_goes_back_a_page_and_every_page_has_the_exact_count(client, world):
    grow(12)
    first = client.get("/api/v1/claims/", {"page_size": 5}).json()
    second = client.get(first["next_cursor"]).json()
    third = client.get(second["next"]).json()
    back = client.get(third["previous"]).json()
    assert [r["claim_ref"] for r in back["results"]] == [r["claim_ref"] for r in second["results"]]
    assert first["count"] == second["count"] == third["count"] == back["count"] == 17
    assert client.get(second["previous"]).json()["results"] == first["results"]
    assert client.get(first["next_cursor"]).json()["next_cursor"] == second["next"]


def test_the_last_cursor_page_has_no_next(client, world):
    first = client.get("/api/v1/strikes/", {"page_size": 2}).json()
    last = client.get(first["next_cursor"]).json()
    assert [row["strike_ref"] for row in last["results"]] == ["S-3"]
    assert last["next"] is None and last["next_cursor"] is None
    assert last["previous"] is not None


@pytest.mark.parametrize(
    "params",
    [
        {"cursor": "not-a-cursor"},
        {"cursor": "e30"},  # {}
        {"cursor": token({"o": "-date,strike_ref", "p": ["x", "S-1"], "r": 0})},  # bad date
        {"cursor": token({"o": "-date,strike_ref", "p": ["2017-01-01"], "r": 0})},  # too short
    ],
)
def test_a_bad_cursor_is_a_404_that_says_so(client, world, params):
    # As DRF's CursorPagination and as a page past the end: no such page (every schema-valid
    # read is accepted or is a 404: tests/api/schemathesis.toml).
    response = client.get("/api/v1/strikes/", params)
    assert response.status_code == 404
    assert response.json() == {"detail": Cursor.INVALID}


def test_a_cursor_belongs_to_its_ordering_and_excludes_a_page(client, world):
    cursor = client.get("/api/v1/strikes/", {"page_size": 1}).json()["next_cursor"]
    token = cursor.split("cursor=")[1].split("&")[0]
    other = client.get("/api/v1/strikes/", {"cursor": token, "ordering": "engagements"})
    assert other.status_code == 404
    assert other.json() == {"detail": Cursor.INVALID}
    both = client.get("/api/v1/strikes/", {"cursor": token, "page": 2})
    assert both.status_code == 404
    assert both.json() == {"detail": "Give a cursor or a page, not both."}


LISTS = {
    "strikes": (querysets.public_strikes, serializers.StrikeSerializer, "strike_ref"),
    "claims": (querysets.public_claims, serializers.ClaimSerializer, "claim_ref"),
    "assessments": (querysets.public_assessments, serializers.AssessmentSerializer, "id"),
    "external-assessments": (
        querysets.public_external_assessments,
        serializers.ExternalAssessmentSerializer,
        "id",
    ),
    "belligerents": (querysets.public_belligerents, serializers.BelligerentSerializer, "id"),
}


@pytest.mark.parametrize("name", list(LISTS))
def test_list_rows_are_what_the_serializer_makes_of_each_record(client, world, name):
    grow(6)
    queryset, serializer, key = LISTS[name]
    # The same request's host: links (url, api_url) are absolute.
    context = {"request": APIRequestFactory().get("/")}
    instances = serializer(queryset(), many=True, context=context).data
    expected = sorted(json.loads(JSONRenderer().render(instances)), key=lambda row: row[key])
    page = client.get(f"/api/v1/{name}/", {"page_size": 1000}).json()
    assert sorted(page["results"], key=lambda row: row[key]) == expected
    assert len(expected) == page["count"] > 6


class KeyFirst(serializers.StrikeSerializer):
    """Links on the key before the dates and numbers: one column feeds three fields, so each
    later field's value is not at its own index in a row (Rows.at)."""

    class Meta(serializers.StrikeSerializer.Meta):
        fields = ["url", "strike_ref", "api_url", "date", "latitude", "claims", "engagements"]


def test_rows_read_each_field_from_its_column_when_columns_are_shared(world):
    from claims.api.rows import Rows

    grow(3)
    reader = Rows(KeyFirst)
    assert reader.columns.count("strike_ref") == 1
    queryset = querysets.public_strikes().order_by("strike_ref")
    rows, _ = reader.select(queryset)
    context = {"request": APIRequestFactory().get("/")}
    instances = KeyFirst(queryset, many=True, context=context).data
    expected = json.loads(JSONRenderer().render(instances))
    assert reader.dicts(rows, "http://testserver") == expected
    assert [row["date"] for row in expected] != [None] * len(expected)
