"""What is public is decided in one place (claims/public.py): every field of every model is
classified public or private, the serializers read public fields only, and no public channel
(the API in every format, the claims pages, the map) loads a column that is not allow-listed.
So a new field stays private until someone adds it to the allow-list."""

import re

import pytest
from django.apps import apps
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework import serializers

from claims.api import serializers as output
from claims.public import NEVER_PUBLIC, PRIVATE, PUBLIC, public_fields
from tests.worlds import pages_world, plant_canaries

pytestmark = pytest.mark.django_db


def model(name: str):
    return apps.get_model("claims", name)


def fields_of(name: str) -> set[str]:
    opts = model(name)._meta
    return {field.name for field in (*opts.concrete_fields, *opts.many_to_many)}


def test_every_model_is_classified():
    names = {
        m._meta.model_name
        for m in apps.get_app_config("claims").get_models()
        if not m._meta.model_name.startswith("historical")
    }
    assert names == set(PUBLIC) | NEVER_PUBLIC
    assert set(PRIVATE) == set(PUBLIC)


@pytest.mark.parametrize("name", sorted(PUBLIC))
def test_every_field_is_either_public_or_private(name):
    # A field added to a model fails here until it is listed in PUBLIC or PRIVATE.
    public, private = set(PUBLIC[name]), set(PRIVATE[name])
    assert public & private == set()
    assert public | private == fields_of(name)


def test_public_fields_are_the_allow_listed_columns():
    assert public_fields(model("victim")) == [
        "id",
        "claim",
        "name",
        "name_ar",
        "age",
        "sex",
        "harm",
    ]
    assert "strikes" not in public_fields(model("claim"))  # a link, not a column
    assert public_fields(model("belligerent"), "claim__belligerent__") == [
        "claim__belligerent__id",
        "claim__belligerent__name",
    ]


def output_serializers():
    found = {output.Output}
    while True:
        more = {sub for cls in found for sub in cls.__subclasses__()} - found
        if not more:
            return sorted(found - {output.Output}, key=lambda cls: cls.__name__)
        found |= more


@pytest.mark.parametrize("serializer", output_serializers(), ids=lambda cls: cls.__name__)
def test_serializers_read_public_fields_only(serializer):
    checked = 0
    for field in serializer().fields.values():
        if isinstance(field, serializers.ListSerializer):
            continue  # a nested serializer: checked on its own
        current = serializer.Meta.model
        for attr in field.source_attrs:
            names = fields_of(current._meta.model_name)
            if attr not in names:
                break  # an annotation, a prefetched list or a property of public fields
            assert attr in PUBLIC[current._meta.model_name], (serializer.__name__, field)
            checked += 1
            current = current._meta.get_field(attr).related_model
            if current is None:
                break
    assert checked >= 2


# Tables -> model names; a link table's columns are the two links.
TABLES = {model(name)._meta.db_table: name for name in PUBLIC}
LINKS = {model("claim").strikes.through._meta.db_table: {"claim_id", "strike_id"}}
COLUMN = re.compile(r'"(\w+)"\."(\w+)"')


def selected(sql: str) -> str:
    """What a query returns: its text from SELECT to the FROM at the same depth (the rest only
    filters; subqueries in the select list read through aliases such as U0)."""
    start = sql.index("SELECT") + len("SELECT")
    depth = 0
    for at in range(start, len(sql)):
        depth += {"(": 1, ")": -1}.get(sql[at], 0)
        if depth == 0 and sql.startswith(" FROM ", at):
            return sql[start:at]
    return sql[start:]


def loaded_columns(sqls: list[str]) -> set[tuple[str, str]]:
    # Statements that read nothing (the exports' SET LOCAL jit = off on PostgreSQL) are skipped.
    reads = [sql for sql in sqls if "SELECT" in sql]
    return {column for sql in reads for column in COLUMN.findall(selected(sql))}


def allowed(table: str, column: str) -> bool:
    if table.startswith("reports_"):
        return True  # the published snapshots (reports.models): what was published, by design
    if table in LINKS:
        return column in LINKS[table]
    if table not in TABLES:
        return False  # users, comments, history: never read by a public channel
    opts = model(TABLES[table])._meta
    return column in {opts.get_field(name).column for name in public_fields(model(TABLES[table]))}


def public_paths(client) -> list[tuple[str, dict]]:
    paths = [("/claims/", {}), ("/claims/", {"search": "Mosul"}), ("/map/", {})]
    # The month's lists of claims (reports.figures reads them through the same allow-list).
    paths += [("/reports/2017/03/", {}), ("/api/v1/reports/monthly/2017-03/", {})]
    for name, key in (
        ("strikes", "strike_ref"),
        ("claims", "claim_ref"),
        ("assessments", "id"),
        ("external-assessments", "id"),
        ("belligerents", "id"),
    ):
        paths += [(f"/api/v1/{name}/", {}), (f"/api/v1/{name}/", {"format": "csv"})]
        if name in ("strikes", "claims"):
            paths.append((f"/api/v1/{name}/", {"format": "geojson"}))
            paths.append((f"/api/v1/{name}/", {"format": "hxl"}))
        for row in client.get(f"/api/v1/{name}/").json()["results"]:
            paths.append((f"/api/v1/{name}/{row[key]}/", {}))
            if name == "claims":
                paths.append((f"/claims/{row[key]}/", {}))
    return paths


def test_public_channels_load_allow_listed_columns_only(client, settings):
    world = pages_world()
    plant_canaries(world)
    paths = public_paths(client)
    assert len(paths) > 40
    loaded = set()
    for path, params in paths:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path, params)
            if response.streaming:
                b"".join(response.streaming_content)
        assert response.status_code == 200, (path, params)
        loaded |= loaded_columns([query["sql"] for query in captured.captured_queries])
    assert ("claims_claim", "summary") in loaded  # the check sees what the pages read
    assert ("claims_victim", "name") in loaded
    assert sorted(column for column in loaded if not allowed(*column)) == []


def test_the_check_sees_a_private_column():
    sql = (
        'SELECT "claims_claim"."id", (SELECT U0."outcome" FROM "claims_assessment" U0 WHERE '
        'U0."state" = 1) AS "o", "claims_claim"."confidential_notes" FROM "claims_claim" '
        'WHERE "claims_claim"."stage" = 1'
    )
    assert loaded_columns([sql]) == {
        ("claims_claim", "id"),
        ("claims_claim", "confidential_notes"),
    }
    assert not allowed("claims_claim", "confidential_notes")
    assert not allowed("claims_victim", "public")
    assert allowed("claims_victim", "name_ar")  # published victims only: Victim.published()
    assert allowed("claims_claim", "belligerent_id")
