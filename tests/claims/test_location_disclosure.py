"""How much of a claim's location is published (claims.public: `claim_location` in SQL,
`location_of` in Python): the rule itself, where it is set (setting, admin, API, importer), and
that strike matching keeps the recorded position. The channels: test_location_canary.py."""

import csv
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import IntegrityError, transaction
from django.test import override_settings

from claims.api import serializers as output
from claims.definitions import (
    LOCATION_DISCLOSURE_DEFINITIONS,
    LocationDisclosure,
    default_location_disclosure,
)
from claims.importers import import_csv
from claims.matching import strike_candidates
from claims.models import Claim
from claims.public import DISCLOSED, location_of, rounded, with_location
from tests.claims.csv_files import write_csv
from tests.factories import ClaimFactory, StrikeFactory, user_with_role

pytestmark = pytest.mark.django_db

LEVELS = LocationDisclosure.values
# Recorded -> published when rounded: half up, on SQLite's binary floats as on PostgreSQL's
# decimals (36.335 is 36.33499... as a float), negative values included.
ROUNDING = [
    ("36.335000", "36.34"),
    ("36.345000", "36.35"),
    ("36.344999", "36.34"),
    ("43.119000", "43.12"),
    ("-0.005000", "0.00"),
    ("-33.125000", "-33.12"),
    ("-33.125001", "-33.13"),
    ("179.995000", "180.00"),
    ("-90.000000", "-90.00"),
    ("12.000000", "12.00"),
]


@pytest.mark.parametrize(("recorded", "published"), ROUNDING)
def test_rounded_coordinates_are_the_same_in_sql_and_python(recorded, published):
    claim = ClaimFactory(
        latitude=Decimal(recorded).max(Decimal(-90)).min(Decimal(90)),
        longitude=Decimal(recorded),
        location_disclosure=LocationDisclosure.ROUNDED,
    )
    assert rounded(Decimal(recorded)) == Decimal(published)
    row = with_location(Claim.objects.filter(pk=claim.pk)).get()
    assert row.public_longitude == Decimal(published)
    assert location_of(claim).longitude == Decimal(published)


@pytest.mark.parametrize("level", LEVELS)
def test_sql_and_python_publish_the_same_location(level):
    located = ClaimFactory(
        latitude=Decimal("36.335123"),
        longitude=Decimal("43.119876"),
        locality="Mosul",
        province="Ninawa",
        location_disclosure=level,
    )
    unlocated = ClaimFactory(locality="Tal Afar", province="Ninawa", location_disclosure=level)
    for claim in (located, unlocated):
        row = with_location(Claim.objects.filter(pk=claim.pk)).get()
        python = location_of(claim)
        assert (
            row.public_latitude,
            row.public_longitude,
            row.public_locality,
            row.public_province,
        ) == (python.latitude, python.longitude, python.locality, python.province)
    expected = {
        "exact": (Decimal("36.335123"), Decimal("43.119876"), "Mosul", "Ninawa", "Mosul, Ninawa"),
        "rounded": (Decimal("36.34"), Decimal("43.12"), "Mosul", "Ninawa", "Mosul, Ninawa"),
        "locality": (None, None, "Mosul", "Ninawa", "Mosul, Ninawa"),
        "province": (None, None, "", "Ninawa", "Ninawa"),
        "withheld": (None, None, "", "", "Iraq"),
    }[level]
    location = location_of(located)
    assert (
        location.latitude,
        location.longitude,
        location.locality,
        location.province,
        location.place,
    ) == expected
    assert location_of(unlocated).latitude is None


def test_every_level_has_a_definition():
    assert set(LOCATION_DISCLOSURE_DEFINITIONS) == set(LocationDisclosure)


def test_the_default_comes_from_the_setting():
    assert ClaimFactory().location_disclosure == "rounded"
    with override_settings(LOCATION_DISCLOSURE_DEFAULT="exact"):
        assert ClaimFactory().location_disclosure == "exact"
    message = "LOCATION_DISCLOSURE_DEFAULT must be one of exact, rounded, locality"
    with (
        override_settings(LOCATION_DISCLOSURE_DEFAULT="hidden"),
        pytest.raises(ImproperlyConfigured, match=message),
    ):
        default_location_disclosure()


def test_the_database_refuses_an_unknown_level():
    claim = ClaimFactory()
    claim.location_disclosure = "blurred"
    with pytest.raises(ValidationError, match="location_disclosure"):
        claim.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Claim.objects.filter(pk=claim.pk).update(location_disclosure="blurred")


def test_strike_matching_uses_the_recorded_position_of_a_withheld_claim():
    claim = ClaimFactory(
        latitude=Decimal("36.335123"),
        longitude=Decimal("43.119876"),
        location_disclosure=LocationDisclosure.WITHHELD,
    )
    StrikeFactory(strike_ref="S-NEAR", date=claim.incident_date, latitude=36.3352, longitude=43.12)
    [candidate] = strike_candidates(claim=claim)
    assert candidate.obj.strike_ref == "S-NEAR"
    assert candidate.distance_km is not None and candidate.distance_km < 0.05


CLAIM_ROW = {
    "claim_ref": "CIV-IMP",
    "received_on": "2017-03-09",
    "incident_date": "2017-03-04",
    "country": "IQ",
    "source_type": "ngo",
}


def claims_file(tmp_path, disclosure: str):
    header = ",".join([*CLAIM_ROW, "location_disclosure"])
    row = ",".join([*CLAIM_ROW.values(), disclosure])
    return write_csv(tmp_path, "claims.csv", f"{header}\n{row}\n")


@pytest.mark.parametrize(("cell", "stored"), [("withheld", "withheld"), ("", "rounded")])
def test_the_importer_reads_the_optional_column(tmp_path, cell, stored):
    path = claims_file(tmp_path, cell)
    result = import_csv("claims", path)
    assert result.problems == []
    assert Claim.objects.get(claim_ref="CIV-IMP").location_disclosure == stored


def test_the_importer_names_an_unknown_level(tmp_path):
    path = claims_file(tmp_path, "hidden")
    result = import_csv("claims", path)
    assert [(p.row, p.column, p.value, p.message) for p in result.problems] == [
        (
            2,
            "location_disclosure",
            "hidden",
            "unknown location disclosure; expected one of exact, rounded, locality, province, "
            "withheld.",
        )
    ]
    assert not Claim.objects.exists()


def test_the_api_writes_it_and_publishes_it(client):
    client.force_login(user_with_role("reviewer"))
    body = {
        **CLAIM_ROW,
        "claim_ref": "CIV-API",
        "locality": "Mosul",
        "province": "Ninawa",
        "latitude": 36.335123,
        "longitude": 43.119876,
        "location_disclosure": "province",
    }
    response = client.post("/api/v1/claims/", body, content_type="application/json")
    assert response.status_code == 201, response.content
    data = response.json()
    assert (data["location_disclosure"], data["latitude"], data["locality"]) == (
        "province",
        None,
        "",
    )
    claim = Claim.objects.get(claim_ref="CIV-API")
    assert (claim.latitude, claim.locality) == (Decimal("36.335123"), "Mosul")  # kept
    response = client.patch(
        "/api/v1/claims/CIV-API/",
        {"location_disclosure": "exact"},
        content_type="application/json",
        HTTP_IF_MATCH=response["ETag"],
    )
    assert response.status_code == 200, response.content
    assert (response.json()["latitude"], response.json()["locality"]) == (36.335123, "Mosul")


def test_the_admin_form_offers_every_level(client):
    claim = ClaimFactory()
    client.force_login(user_with_role("reviewer"))
    markup = client.get(f"/admin/claims/claim/{claim.pk}/change/").content.decode()
    assert 'name="location_disclosure"' in markup
    for value, label in LocationDisclosure.choices:
        assert f'<option value="{value}"' in markup
        assert str(label) in markup


def test_the_demo_rounds_the_claims_whose_note_asks_for_it():
    with (settings.BASE_DIR / "demo" / "data" / "claims.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    asked = {
        row["claim_ref"]
        for row in rows
        if "Do not publish exact coordinates" in row["confidential_notes"]
    }
    marked = {
        row["claim_ref"]: row["location_disclosure"] for row in rows if row["location_disclosure"]
    }
    assert len(asked) == 51
    assert sum(1 for row in rows if row["claim_ref"] in asked and row["latitude"]) == 45
    assert marked == dict.fromkeys(asked, "rounded")


def output_serializers() -> list[type]:
    found, queue = set(), [output.Output]
    while queue:
        for sub in queue.pop().__subclasses__():
            if sub not in found:
                found.add(sub)
                queue.append(sub)
    return sorted(found, key=lambda cls: cls.__name__)


@pytest.mark.parametrize("serializer", output_serializers(), ids=lambda cls: cls.__name__)
def test_no_output_reads_a_claims_recorded_location(serializer):
    # Only through claims.public.with_location (public_latitude, ...): never the raw columns.
    for name, field in serializer().fields.items():
        current = serializer.Meta.model
        for attr in getattr(field, "source_attrs", []):
            if current is None or attr not in {f.name for f in current._meta.get_fields()}:
                break
            model_name = current._meta.model_name
            assert attr not in DISCLOSED.get(model_name, ()), (serializer.__name__, name)
            current = current._meta.get_field(attr).related_model
