from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.importers import import_csv
from claims.models import Belligerent, Claim, Strike
from tests.claims.csv_files import write_csv
from tests.factories import BelligerentFactory, ClaimFactory, StrikeFactory
from tests.querycount import statements, without_statistics

pytestmark = pytest.mark.django_db

CLAIMS_HEADER = (
    "claim_ref,received_on,incident_date,country,province,locality,latitude,longitude,"
    "source_type,source_name,source_url,civilians_killed_min,civilians_killed_max,"
    "civilians_injured_min,civilians_injured_max,strike_refs,belligerent,summary,"
    "confidential_notes,killed_children,killed_women,killed_men\n"
)


def test_import_claims_writes_every_field_and_links_strikes(tmp_path):
    coalition = BelligerentFactory(name="Coalition")
    s1, s2 = StrikeFactory(strike_ref="S-1"), StrikeFactory(strike_ref="S-2")
    path = write_csv(
        tmp_path,
        "claims.csv",
        CLAIMS_HEADER + "CIV-1,2017-03-09,2017-03-04,iq,Ninawa,Mosul,36.34,43.13,ngo,Airwars,"
        "https://airwars.org/civilian-casualties/civ-1,2,5,0,3,S-1; S-2;S-1,coalition,"
        '"Family killed, house destroyed.",Source asked not to be named.,2,1,1\n'
        "CIV-2,2017-03-10,2017-03-10,SY,Raqqa,,,,media,,,,,,,,Russian Air Force,,,,,\n",
    )

    result = import_csv("claims", path)

    assert result.errors == []
    assert result.summary == (
        "Imported 2 claims from claims.csv (1 new belligerent, 2 strike links)."
    )
    civ1, civ2 = Claim.objects.order_by("claim_ref")
    assert (civ1.claim_ref, civ1.received_on, civ1.incident_date, civ1.country) == (
        "CIV-1",
        date(2017, 3, 9),
        date(2017, 3, 4),
        "IQ",
    )
    assert (civ1.province, civ1.locality, civ1.precision) == ("Ninawa", "Mosul", "locality")
    assert (civ1.source_type, civ1.source_name, civ1.source_url) == (
        "ngo",
        "Airwars",
        "https://airwars.org/civilian-casualties/civ-1",
    )
    assert (
        civ1.civilians_killed_min,
        civ1.civilians_killed_max,
        civ1.civilians_injured_min,
        civ1.civilians_injured_max,
    ) == (2, 5, 0, 3)
    assert (civ1.killed_children, civ1.killed_women, civ1.killed_men) == (2, 1, 1)
    assert civ1.belligerent == coalition
    assert civ1.summary == "Family killed, house destroyed."
    assert civ1.confidential_notes == "Source asked not to be named."
    assert civ1.status == "open"
    assert set(civ1.strikes.all()) == {s1, s2}
    assert (civ2.country, civ2.precision, civ2.belligerent.name, civ2.status) == (
        "SY",
        "province",
        "Russian Air Force",
        "open",
    )
    assert (civ2.civilians_killed_min, civ2.civilians_killed_max, civ2.killed_men) == (
        None,
        None,
        None,
    )
    assert list(civ2.strikes.all()) == []


def test_import_claims_takes_optional_precision(tmp_path):
    path = write_csv(
        tmp_path,
        "claims.csv",
        """
        claim_ref,received_on,incident_date,country,source_type,precision,latitude,longitude
        CIV-1,2017-03-09,2017-03-04,IQ,witness,district,,
        CIV-2,2017-03-09,2017-03-04,IQ,witness,,36.1,43.2
        """,
    )

    assert import_csv("claims", path).errors == []

    assert list(Claim.objects.order_by("claim_ref").values_list("precision", flat=True)) == [
        "district",
        "exact",
    ]


def test_import_claims_reports_every_error_with_row_column_and_value(tmp_path):
    StrikeFactory(strike_ref="S-1")
    ClaimFactory(claim_ref="CIV-DB")
    long_name = "A" * 201
    path = write_csv(
        tmp_path,
        "claims.csv",
        f"""
        claim_ref,received_on,incident_date,country,source_type,source_name,source_url,civilians_killed_min,civilians_killed_max,civilians_injured_min,civilians_injured_max,strike_refs,killed_children,killed_women,killed_men
        CIV-1,2017-03-09,2017-03-10,IQ,ngo,,,,,,,,,,
        CIV-2,2017-03-09,2017-03-04,IQ,ngo,,,7,5,-2,,,,,
        CIV-3,2017-03-09,2017-03-04,IQ,ngo,,,1,5,,,,2,3,1
        CIV-4,2017-03-09,2017-03-04,IQ,ngo,,,,,,,S-1;S-404;S-405,,,
        CIV-5,2017-03-09,2017-03-04,IQ,blog,,www.example.org/x,,,,,S-404,,,
        CIV-6,,2017-03-04,IQ,ngo,,,many,,,1.5,,,,
        CIV-1,2017-03-09,2017-03-04,IQ,ngo,,,,,,,,,,
        CIV-DB,2017-03-09,2017-03-04,IQ,ngo,{long_name},,,,,,,,,
        """,
    )

    result = import_csv("claims", path)

    assert result.errors == [
        'claims.csv, row 2, column "incident_date", value "2017-03-10": '
        "the incident date is after the date received (2017-03-09).",
        'claims.csv, row 3, column "civilians_killed_min", value "7": '
        "civilians_killed_min (7) is greater than civilians_killed_max (5).",
        'claims.csv, row 3, column "civilians_injured_min", value "-2": cannot be negative.',
        'claims.csv, row 4, column "civilians_killed_max", value "5": '
        "the children, women and men killed (2 + 3 + 1 = 6) are more than the maximum killed.",
        'claims.csv, row 5, column "strike_refs", value "S-1;S-404;S-405": '
        'no strikes with refs "S-404", "S-405" in the database.',
        'claims.csv, row 6, column "source_type", value "blog": unknown source type; '
        "expected one of media, ngo, social_media, witness, government, self_report, other.",
        'claims.csv, row 6, column "source_url", value "www.example.org/x": not a valid URL.',
        'claims.csv, row 6, column "strike_refs", value "S-404": '
        'no strike with ref "S-404" in the database.',
        'claims.csv, row 7, column "received_on", value "": a value is required.',
        'claims.csv, row 7, column "civilians_killed_min", value "many": not a whole number.',
        'claims.csv, row 7, column "civilians_injured_max", value "1.5": not a whole number.',
        'claims.csv, row 8, column "claim_ref", value "CIV-1": '
        "duplicate claim ref (first on row 2).",
        'claims.csv, row 9, column "claim_ref", value "CIV-DB": '
        "a claim with this ref is already in the database.",
        f'claims.csv, row 9, column "source_name", value "{long_name[:79]}…": '
        "too long (201 characters; at most 200).",
    ]
    assert list(Claim.objects.values_list("claim_ref", flat=True)) == ["CIV-DB"]


def test_import_claims_requires_its_required_columns(tmp_path):
    path = write_csv(
        tmp_path,
        "claims.csv",
        """
        claim_ref,incident_date,country
        CIV-1,2017-03-04,IQ
        """,
    )

    result = import_csv("claims", path)

    assert result.errors == [
        'claims.csv, row 1, column "received_on": this required column is missing.',
        'claims.csv, row 1, column "source_type": this required column is missing.',
    ]


def _claims_file(tmp_path, count: int, *, name="claims.csv"):
    """`count` claims, each naming two of the strikes S-1 to S-10."""
    rows = "".join(
        f"CIV-{n:05d},2017-03-09,2017-03-04,IQ,Ninawa,Mosul,,,ngo,Airwars,,1,2,,,"
        f"S-{n % 10 + 1};S-{(n + 1) % 10 + 1},Coalition,A house was hit.,,,,\n"
        for n in range(1, count + 1)
    )
    return write_csv(tmp_path, name, CLAIMS_HEADER + rows)


def _ten_strikes():
    for n in range(1, 11):
        StrikeFactory(strike_ref=f"S-{n}")


def test_reimporting_the_same_claims_file_is_an_error_and_writes_nothing(tmp_path):
    _ten_strikes()
    path = _claims_file(tmp_path, 2)
    assert import_csv("claims", path).errors == []

    result = import_csv("claims", path)

    assert result.errors == [
        'claims.csv, row 2, column "claim_ref", value "CIV-00001": '
        "a claim with this ref is already in the database.",
        'claims.csv, row 3, column "claim_ref", value "CIV-00002": '
        "a claim with this ref is already in the database.",
    ]
    assert Claim.objects.count() == 2
    assert Claim.strikes.through.objects.count() == 4


def test_import_claims_rolls_back_on_bad_row(tmp_path):
    _ten_strikes()
    path = _claims_file(tmp_path, 10)
    with path.open("a") as file:
        file.write("CIV-BAD,2017-03-09,2017-03-04,ZZ,,,,,ngo,,,,,,,S-1,Navy,,,,,\n")
    belligerents_before = Belligerent.objects.count()

    result = import_csv("claims", path)

    assert result.errors == [
        'claims.csv, row 12, column "country", value "ZZ": '
        "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY)."
    ]
    assert Claim.objects.count() == 0
    assert Claim.strikes.through.objects.count() == 0
    assert Belligerent.objects.count() == belligerents_before


def test_import_claims_dry_run_writes_nothing(tmp_path):
    _ten_strikes()
    path = _claims_file(tmp_path, 3)

    result = import_csv("claims", path, dry_run=True)

    assert result.summary == "Dry run: 3 claims would be imported; nothing was written."
    assert result.counts == {"claims": 3, "belligerents": 0, "strike_links": 6}
    assert Claim.objects.count() == 0
    assert Claim.strikes.through.objects.count() == 0


def test_import_claims_runs_the_same_statements_whatever_the_rows(tmp_path):
    _ten_strikes()
    for rows in (20, 200):
        path = _claims_file(tmp_path, rows, name=f"claims-{rows}.csv")
        Claim.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            result = import_csv("claims", path)
        assert result.summary == (
            f"Imported {rows} claims from claims-{rows}.csv (no new belligerents, "
            f"{2 * rows} strike links)."
        )
        expected = [
            "SELECT claims_belligerent",
            "SELECT claims_claim",  # refs already in the database
            "SELECT claims_strike",  # the strikes named
            "SAVEPOINT",
            "INSERT claims_claim",  # batched: 39 rows a statement on SQLite
            "INSERT claims_historicalclaim",
            "INSERT claims_claim_strikes",
            "RELEASE SAVEPOINT",
        ]
        assert statements(without_statistics(queries.captured_queries)) == expected
        if connection.vendor == "postgresql":
            assert len(without_statistics(queries.captured_queries)) == len(expected)
        assert Claim.strikes.through.objects.count() == 2 * rows
    assert Strike.objects.count() == 10
