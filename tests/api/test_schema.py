"""The OpenAPI schema generates without warnings, documents every endpoint, filter and format,
and every response the API gives (success and error) validates against it."""

import json
import re
from io import StringIO

import pytest
from django.contrib.staticfiles import finders
from django.core.management import call_command
from jsonschema import Draft7Validator, FormatChecker

pytestmark = pytest.mark.django_db

CLAIM_FILTERS = {
    "assessed_on_after",
    "assessed_on_before",
    "belligerent",
    "country",
    "incident_date_after",
    "incident_date_before",
    "killed_max",
    "killed_min",
    "outcome",
    "province",
    "reason",
    "received_on_after",
    "received_on_before",
    "source_type",
    "status",
    "strike",
}
PAGING = {"cursor", "format", "ordering", "page", "page_size", "search"}
# The claims of a monthly report's lists: closed as an outcome, or reopened, in a date range.
EVENT_FILTERS = {
    "closed_as",
    "closed_on_after",
    "closed_on_before",
    "reopened_on_after",
    "reopened_on_before",
}


def test_schema_generates_and_validates_without_warnings(tmp_path):
    out = tmp_path / "schema.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text().startswith("openapi: 3.0.3")


@pytest.fixture
def schema(client):
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def parameters(schema, path: str) -> set[str]:
    return {parameter["name"] for parameter in schema["paths"][path]["get"]["parameters"]}


def test_every_endpoint_filter_and_format_is_documented(schema):
    assert sorted(schema["paths"]) == [
        "/api/v1/",
        "/api/v1/assessments/",
        "/api/v1/assessments/{id}/",
        "/api/v1/assessments/{id}/approve/",
        "/api/v1/assessments/{id}/return/",
        "/api/v1/belligerents/",
        "/api/v1/belligerents/{id}/",
        "/api/v1/claims/",
        "/api/v1/claims/{claim_ref}/",
        "/api/v1/claims/{claim_ref}/assessments/",
        "/api/v1/claims/{claim_ref}/reopen/",
        "/api/v1/external-assessments/",
        "/api/v1/external-assessments/{id}/",
        "/api/v1/proposals/",
        "/api/v1/proposals/{id}/",
        "/api/v1/reports/comparison/",
        "/api/v1/reports/monthly/",
        "/api/v1/reports/monthly/{period}/",
        "/api/v1/reports/monthly/{period}/revisions/",
        "/api/v1/reports/monthly/{period}/revisions/{revision}/",
        "/api/v1/reports/releases/",
        "/api/v1/reports/summary/",
        "/api/v1/strikes/",
        "/api/v1/strikes/{strike_ref}/",
    ]
    assert parameters(schema, "/api/v1/claims/") == (
        CLAIM_FILTERS | EVENT_FILTERS | PAGING | {"bbox"}
    )
    assert parameters(schema, "/api/v1/assessments/") == CLAIM_FILTERS | PAGING | {"claim"}
    assert parameters(schema, "/api/v1/external-assessments/") == (
        CLAIM_FILTERS - {"reason"} | PAGING | {"claim", "grade", "organisation"}
    )
    assert parameters(schema, "/api/v1/strikes/") == PAGING | {
        "belligerent",
        "claim",
        "country",
        "date_after",
        "date_before",
        "province",
    }
    claims = schema["paths"]["/api/v1/claims/"]["get"]
    assert list(claims["responses"]["200"]["content"]) == [
        "application/json",
        "text/csv",
        "application/geo+json",
        "application/vnd.hxl+csv",
    ]
    assert sorted(claims["responses"]) == ["200", "400", "404", "429"]
    [page_size] = [p for p in claims["parameters"] if p["name"] == "page_size"]
    assert page_size["schema"] == {"type": "integer", "minimum": 1, "maximum": 1000}


def json_schema(node):
    """OpenAPI 3.0 schema objects as JSON Schema: `nullable` becomes a null alternative."""
    if isinstance(node, list):
        return [json_schema(item) for item in node]
    if not isinstance(node, dict):
        return node
    node = {key: json_schema(value) for key, value in node.items()}
    if node.pop("nullable", False):
        if "type" in node and "enum" not in node:
            node["type"] = [node["type"], "null"]
        else:
            node = {"anyOf": [node, {"type": "null"}]}
    return node


def check(client, schema, template: str, url: str, status: int = 200, params=None) -> None:
    response = client.get(url, params or {})
    assert response.status_code == status, (url, response.content[:300])
    content_type = response["Content-Type"].split(";")[0]
    documented = schema["paths"][template]["get"]["responses"][str(status)]["content"]
    body = b"".join(response.streaming_content) if response.streaming else response.content
    document = body.decode() if content_type in TEXT_TYPES else json.loads(body)
    root = {
        **json_schema(documented[content_type]["schema"]),
        "components": json_schema(schema["components"]),
    }
    Draft7Validator(root, format_checker=FormatChecker()).validate(document)


TEXT_TYPES = ("text/csv", "application/vnd.hxl+csv")

CASES = [
    ("/api/v1/claims/", "/api/v1/claims/", {}),
    ("/api/v1/claims/", "/api/v1/claims/", {"format": "hxl"}),
    ("/api/v1/strikes/", "/api/v1/strikes/", {"format": "hxl"}),
    ("/api/v1/claims/", "/api/v1/claims/", {"format": "csv"}),
    ("/api/v1/claims/", "/api/v1/claims/", {"format": "geojson"}),
    ("/api/v1/claims/{claim_ref}/", "/api/v1/claims/CIV-A/", {}),
    ("/api/v1/claims/{claim_ref}/", "/api/v1/claims/CIV-E/", {}),
    ("/api/v1/claims/{claim_ref}/", "/api/v1/claims/CIV-C/", {}),
    ("/api/v1/strikes/", "/api/v1/strikes/", {}),
    ("/api/v1/strikes/", "/api/v1/strikes/", {"format": "geojson"}),
    ("/api/v1/strikes/{strike_ref}/", "/api/v1/strikes/S-1/", {}),
    ("/api/v1/assessments/", "/api/v1/assessments/", {}),
    ("/api/v1/external-assessments/", "/api/v1/external-assessments/", {}),
    ("/api/v1/belligerents/", "/api/v1/belligerents/", {}),
    ("/api/v1/reports/monthly/", "/api/v1/reports/monthly/", {}),
    ("/api/v1/reports/monthly/", "/api/v1/reports/monthly/", {"format": "csv"}),
    ("/api/v1/reports/monthly/{period}/", "/api/v1/reports/monthly/2017-03/", {}),
    ("/api/v1/reports/monthly/{period}/", "/api/v1/reports/monthly/2017-06/", {}),
    ("/api/v1/reports/summary/", "/api/v1/reports/summary/", {}),
    ("/api/v1/reports/comparison/", "/api/v1/reports/comparison/", {}),
]


@pytest.mark.parametrize(("template", "url", "params"), CASES)
def test_responses_match_the_schema(client, schema, world, template, url, params):
    check(client, schema, template, url, params=params)


# What each `format` answers: the media type a generated client finds under the 200 response.
MEDIA_TYPES = {
    "json": "application/json",
    "csv": "text/csv",
    "geojson": "application/geo+json",
    "hxl": "application/vnd.hxl+csv",
}


def test_each_format_of_a_list_is_a_documented_media_type_of_its_answer(client, schema, world):
    """For every list that takes `format`: each value is one media type of the 200 response,
    and the server answers it with that Content-Type (what a client generated from the schema,
    openapi-python-client style, picks its parser by)."""
    checked = {}
    for path, item in schema["paths"].items():
        if "{" in path or "get" not in item:
            continue
        operation = item["get"]
        [format_] = [p for p in operation.get("parameters", []) if p["name"] == "format"] or [None]
        if format_ is None:
            continue
        formats = format_["schema"]["enum"]
        content = operation["responses"]["200"]["content"]
        assert sorted(content) == sorted(MEDIA_TYPES[name] for name in formats), path
        for name in formats:
            response = client.get(path, {"format": name})
            assert response.status_code == 200, (path, name)
            assert response["Content-Type"].split(";")[0] == MEDIA_TYPES[name], (path, name)
            description = content[MEDIA_TYPES[name]]["schema"].get("description", "")
            if name in ("csv", "hxl") and "columns" in description.lower():
                header = b"".join(response.streaming_content).decode().splitlines()[0]
                assert header.replace(",", ", ") + "." in description, (path, name)
        checked[path] = formats
    assert checked["/api/v1/claims/"] == ["csv", "geojson", "hxl", "json"]
    assert checked["/api/v1/strikes/"] == ["csv", "geojson", "hxl", "json"]
    assert checked["/api/v1/assessments/"] == ["csv", "json"]
    assert checked["/api/v1/external-assessments/"] == ["csv", "json"]


def test_record_ids_match_the_schema(client, schema, world, api):
    for name in ("assessments", "external-assessments", "belligerents"):
        for row in api(f"/api/v1/{name}/")["results"]:
            check(client, schema, f"/api/v1/{name}/{{id}}/", f"/api/v1/{name}/{row['id']}/")


@pytest.mark.parametrize(
    ("template", "url", "status", "params"),
    [
        ("/api/v1/claims/", "/api/v1/claims/", 400, {"status": "ajar"}),
        ("/api/v1/claims/", "/api/v1/claims/", 400, {"page_size": "5000"}),
        ("/api/v1/claims/", "/api/v1/claims/", 404, {"page": "9"}),
        ("/api/v1/claims/{claim_ref}/", "/api/v1/claims/NOPE/", 404, {}),
        ("/api/v1/strikes/", "/api/v1/strikes/", 400, {"format": "pdf"}),
        ("/api/v1/reports/monthly/{period}/", "/api/v1/reports/monthly/2017-13/", 404, {}),
        ("/api/v1/reports/summary/", "/api/v1/reports/summary/", 400, {"format": "csv"}),
    ],
)
def test_errors_match_the_schema(client, schema, world, template, url, status, params):
    check(client, schema, template, url, status, params)


def test_docs_page_loads_only_our_own_files(client):
    response = client.get("/api/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert len(addresses) == 4
    for address in addresses:
        assert address.startswith("/static/drf_spectacular_sidecar/swagger-ui-dist/"), address
        assert finders.find(address.removeprefix("/static/")), address
    assert re.findall(r"https?://", html) == []
    assert '"validatorUrl": null' in html  # swagger-ui would otherwise call validator.swagger.io
    assert 'url: "/api/schema/"' in html


def test_schema_command_output_is_stable(tmp_path):
    """Two runs give the same schema (no ordering noise in diffs of the published file)."""
    first, second = StringIO(), StringIO()
    call_command("spectacular", "--format", "openapi-json", stdout=first)
    call_command("spectacular", "--format", "openapi-json", stdout=second)
    assert first.getvalue() == second.getvalue()


# Rules the server applies that the schema states (issue 10, finding 8: schemathesis reported a
# 428 for an empty If-Match and a 400 for an empty belligerent name as schema-valid requests).


@pytest.mark.parametrize(
    ("header", "accepted"),
    [
        ('"3"', True),
        ("3", True),
        ('W/"12"', True),
        ('"123456789"', True),
        ("", False),
        ('""', False),
        ('"abc"', False),
        ('"1234567890"', False),
        ("*", False),
    ],
)
def test_if_match_schema_states_what_the_server_reads(schema, rf, header, accepted):
    from claims.api.writes import PreconditionRequired, expected_version

    operation = schema["paths"]["/api/v1/claims/{claim_ref}/"]["patch"]
    [if_match] = [p for p in operation["parameters"] if p["name"] == "If-Match"]
    assert if_match["required"] is True
    assert "428" in operation["responses"]
    by_schema = re.search(if_match["schema"]["pattern"], header) is not None
    try:
        expected_version(rf.patch("/", HTTP_IF_MATCH=header))
    except PreconditionRequired:
        by_server = False
    else:
        by_server = True

    assert (by_schema, by_server) == (accepted, accepted)


@pytest.mark.parametrize(
    "component", ["StrikeInputRequest", "PatchedStrikeUpdateRequest", "ClaimInputRequest"]
)
def test_belligerent_name_cannot_be_blank_by_the_schema(schema, component):
    field = schema["components"]["schemas"][component]["properties"]["belligerent"]
    validator = Draft7Validator({k: v for k, v in field.items() if k != "nullable"})

    assert [validator.is_valid(name) for name in ["", "   ", "\t", "Coalition", " x "]] == [
        False,
        False,
        False,
        True,
        True,
    ]
