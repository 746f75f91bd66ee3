from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.importers import ImportFileError, base, import_csv
from claims.importers import strikes as strike_importer
from claims.models import Belligerent, Strike
from tests.claims.csv_files import STRIKES_HEADER, strike_rows, write_csv
from tests.factories import BelligerentFactory, StrikeFactory
from tests.querycount import statements, without_statistics

pytestmark = pytest.mark.django_db


def test_import_strikes_writes_every_field(tmp_path):
    coalition = BelligerentFactory(name="Coalition")
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,province,locality,latitude,longitude,belligerent,target,munition,engagements,source_url
        S-1,2017-03-01,iq,Ninawa,Mosul,36.34,43.13,Coalition,ISIS fighting position,F-15E / GBU-38,3,https://example.org/s1
        S-2,2017-03-02,SY,Raqqa,,35.9512345,-39.01,COALITION,Vehicle,,,
        S-3,2017-03-03,IQ,Anbar,,,,Iraqi Air Force,,,,
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == []
    assert result.summary == "Imported 3 strikes from strikes.csv (1 new belligerent)."
    assert result.counts == {"strikes": 3, "belligerents": 1}
    s1, s2, s3 = Strike.objects.order_by("strike_ref")
    assert (s1.strike_ref, s1.date.isoformat(), s1.country, s1.province, s1.locality) == (
        "S-1",
        "2017-03-01",
        "IQ",
        "Ninawa",
        "Mosul",
    )
    assert (s1.latitude, s1.longitude, s1.precision) == (
        Decimal("36.34"),
        Decimal("43.13"),
        "locality",
    )
    assert (s1.belligerent, s1.target, s1.munition, s1.engagements, s1.source_url) == (
        coalition,
        "ISIS fighting position",
        "F-15E / GBU-38",
        3,
        "https://example.org/s1",
    )
    # Coordinates without a locality are an exact point; more than six decimals are rounded.
    assert (s2.latitude, s2.longitude, s2.precision) == (
        Decimal("35.951234"),
        Decimal("-39.01"),
        "exact",
    )
    assert (s2.belligerent, s2.engagements, s2.target, s2.munition, s2.source_url) == (
        coalition,
        1,
        "Vehicle",
        "",
        "",
    )
    assert (s3.latitude, s3.longitude, s3.precision) == (None, None, "province")
    assert s3.belligerent.name == "Iraqi Air Force"
    assert Belligerent.objects.count() == 2


def test_import_strikes_derives_or_takes_precision(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,province,locality,belligerent,precision
        S-1,2017-03-01,IQ,Ninawa,Mosul,Coalition,
        S-2,2017-03-01,IQ,,,Coalition,
        S-3,2017-03-01,IQ,Ninawa,,Coalition,district
        """,
    )

    assert import_csv("strikes", path).errors == []

    assert list(Strike.objects.order_by("strike_ref").values_list("precision", flat=True)) == [
        "locality",
        "country",
        "district",
    ]


def test_import_strikes_matches_new_belligerent_case_insensitively_within_file(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        date,strike_ref,belligerent,country
        2017-03-01,S-1,Iraqi Air Force,IQ
        2017-03-02,S-2,IRAQI AIR FORCE,IQ
        """,
    )

    result = import_csv("strikes", path)

    assert result.summary == "Imported 2 strikes from strikes.csv (1 new belligerent)."
    assert list(Belligerent.objects.values_list("name", flat=True)) == ["Iraqi Air Force"]
    assert {s.belligerent.name for s in Strike.objects.all()} == {"Iraqi Air Force"}


def test_import_strikes_reports_every_error_with_row_column_and_value(tmp_path):
    long_ref = "S" * 65
    path = write_csv(
        tmp_path,
        "strikes.csv",
        f"""
        strike_ref,date,country,latitude,longitude,belligerent,engagements,source_url,precision
        S-1,2017-02-30,IQ,,,Coalition,,,
        S-2,2017-03-01,XX,91,-181,Coalition,0,,
        S-3,2017/03/01,IQ,36.3,,Coalition,-1,not a url,street
        S-1,2017-03-01,IQ,north,43.1,Coalition,two,,
        ,2017-03-01,,,,,,,
        {long_ref},2017-03-01,IQ,,,Coalition,1,,
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 2, column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD).",
        'strikes.csv, row 3, column "country", value "XX": '
        "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY).",
        'strikes.csv, row 3, column "latitude", value "91": latitude must be between -90 and 90.',
        'strikes.csv, row 3, column "longitude", value "-181": '
        "longitude must be between -180 and 180.",
        'strikes.csv, row 3, column "engagements", value "0": a strike has at least 1 engagement.',
        'strikes.csv, row 4, column "date", value "2017/03/01": '
        "not a valid date (expected YYYY-MM-DD).",
        'strikes.csv, row 4, column "longitude", value "": '
        "give both latitude and longitude, or neither.",
        'strikes.csv, row 4, column "engagements", value "-1": cannot be negative.',
        'strikes.csv, row 4, column "source_url", value "not a url": not a valid URL.',
        'strikes.csv, row 4, column "precision", value "street": '
        "unknown precision; expected one of exact, locality, district, province, country.",
        'strikes.csv, row 5, column "strike_ref", value "S-1": '
        "duplicate strike ref (first on row 2).",
        'strikes.csv, row 5, column "latitude", value "north": not a number.',
        'strikes.csv, row 5, column "engagements", value "two": not a whole number.',
        'strikes.csv, row 6, column "strike_ref", value "": a value is required.',
        'strikes.csv, row 6, column "country", value "": a value is required.',
        'strikes.csv, row 6, column "belligerent", value "": a value is required.',
        f'strikes.csv, row 7, column "strike_ref", value "{long_ref}": '
        "too long (65 characters; at most 64).",
    ]
    assert result.summary == ""
    assert Strike.objects.count() == 0
    assert Belligerent.objects.count() == 0


def test_import_strikes_rejects_ref_already_in_database(tmp_path):
    StrikeFactory(strike_ref="S-2")
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent
        S-1,2017-03-01,IQ,Coalition
        S-2,2017-03-01,IQ,Coalition
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 3, column "strike_ref", value "S-2": '
        "a strike with this ref is already in the database."
    ]
    assert list(Strike.objects.values_list("strike_ref", flat=True)) == ["S-2"]


def test_import_strikes_rejects_a_ref_with_a_slash(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent
        S-1,2017-03-01,IQ,Coalition
        S/2,2017-03-01,IQ,Coalition
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 3, column "strike_ref", value "S/2": '
        "a ref cannot contain '/' (it is part of the record's web address)."
    ]
    assert Strike.objects.count() == 0


def test_reimporting_the_same_strikes_file_is_an_error_and_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(3))
    assert import_csv("strikes", path).errors == []

    result = import_csv("strikes", path)

    assert result.errors == [
        f'strikes.csv, row {n + 1}, column "strike_ref", value "S-0000{n}": '
        "a strike with this ref is already in the database."
        for n in (1, 2, 3)
    ]
    assert Strike.objects.count() == 3


def test_import_rolls_back_on_bad_row(tmp_path):
    BelligerentFactory(name="Coalition")
    bad_row = "S-99999,2017-13-04,IQ,,,,,Navy,,,1,\n"
    path = write_csv(
        tmp_path,
        "strikes.csv",
        STRIKES_HEADER + strike_rows(5) + bad_row + strike_rows(5, start=6),
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 7, column "date", value "2017-13-04": '
        "not a valid date (expected YYYY-MM-DD)."
    ]
    assert result.rows == 11
    assert Strike.objects.count() == 0
    assert list(Belligerent.objects.values_list("name", flat=True)) == ["Coalition"]


def test_import_strikes_dry_run_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(3))

    result = import_csv("strikes", path, dry_run=True)

    assert result.summary == "Dry run: 3 strikes would be imported; nothing was written."
    assert result.counts == {"strikes": 3, "belligerents": 1}
    assert Strike.objects.count() == 0
    assert Belligerent.objects.count() == 0


def test_import_strikes_rejects_unknown_repeated_and_missing_columns(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,Date,colour,country,,country
        S-1,2017-03-01,red,IQ,,IQ
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 1, column "colour": unknown column; the columns are strike_ref, date, '
        "country, province, locality, latitude, longitude, belligerent, target, munition, "
        "engagements, source_url, precision.",
        "strikes.csv, row 1: column 5 has no name.",
        'strikes.csv, row 1, column "country": this column appears more than once.',
        'strikes.csv, row 1, column "belligerent": this required column is missing.',
    ]
    assert Strike.objects.count() == 0


def test_import_strikes_accepts_byte_order_mark_and_crlf(tmp_path):
    path = tmp_path / "strikes.csv"
    path.write_bytes(
        "\ufeffstrike_ref,date,country,belligerent\r\nS-1,2017-03-01,IQ,Coalition\r\n".encode()
    )

    result = import_csv("strikes", path)

    assert result.summary == "Imported 1 strike from strikes.csv (1 new belligerent)."
    assert Strike.objects.get().strike_ref == "S-1"


def test_import_strikes_numbers_rows_as_in_the_file_skipping_blank_lines(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent
        S-1,2017-03-01,IQ,Coalition

        ,,,
        S-2,2017-03-01,IQ,Coalition,extra
        S-3,2017-03-01,IQ
        S-4,2017-03-01,IQ,Coalition,,
        """,
    )

    result = import_csv("strikes", path)

    assert result.rows == 4
    assert result.errors == [
        "strikes.csv, row 5: 5 cells, but the header has 4 columns.",
        'strikes.csv, row 6, column "belligerent", value "": a value is required.',
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "strikes.csv is empty: expected a header row, then data rows."),
        (b"\n\n", "strikes.csv is empty: expected a header row, then data rows."),
        (
            b"strike_ref,date\nS-1,2017\x00-03-01\n",
            "strikes.csv is not a CSV file (line 2 has a NUL byte).",
        ),
        (
            b"strike_ref,date,country,belligerent\nS-1,2017-03-01,IQ,Arm\xe9e\n",
            "strikes.csv is not UTF-8 text (line 2 has the byte 0xe9, which is not valid UTF-8); "
            'save it as UTF-8 ("CSV UTF-8" in a spreadsheet) and try again.',
        ),
    ],
)
def test_import_strikes_rejects_unreadable_file(tmp_path, content, message):
    path = tmp_path / "strikes.csv"
    path.write_bytes(content)

    with pytest.raises(ImportFileError) as raised:
        import_csv("strikes", path)

    assert str(raised.value) == message


def test_import_strikes_rejects_missing_file(tmp_path):
    with pytest.raises(ImportFileError) as raised:
        import_csv("strikes", tmp_path / "nowhere.csv")

    assert str(raised.value) == f"Cannot read {tmp_path / 'nowhere.csv'}: no such file."


def test_import_strikes_reports_database_rejection_and_writes_nothing(tmp_path, monkeypatch):
    # As if another import had added S-00002 between the check and the write.
    StrikeFactory(strike_ref="S-00002")
    monkeypatch.setattr(strike_importer, "values_in", lambda *args: [])
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(3))

    result = import_csv("strikes", path)

    assert len(result.errors) == 1
    assert result.errors[0].startswith(
        "strikes.csv: the database rejected the import, so nothing was written ("
    )
    assert result.summary == ""
    assert list(Strike.objects.values_list("strike_ref", flat=True)) == ["S-00002"]
    assert list(Belligerent.objects.values_list("name", flat=True)) == ["Coalition"]


def test_import_strikes_reports_progress(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_EVERY", 10)
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(25))
    messages = []

    import_csv("strikes", path, progress=messages.append)

    assert messages == [
        "strikes.csv: 10 / 25 rows validated",
        "strikes.csv: 20 / 25 rows validated",
        "strikes.csv: 25 / 25 rows validated",
        "strikes.csv: writing 1 new belligerent",
        "strikes.csv: writing 25 strikes",
    ]


def test_import_strikes_reports_no_progress_for_small_file(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_EVERY", 10)
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(10))
    messages = []

    import_csv("strikes", path, progress=messages.append)

    assert messages == []


def test_import_strikes_runs_the_same_statements_whatever_the_rows(tmp_path):
    for rows in (20, 200):
        path = write_csv(tmp_path, f"strikes-{rows}.csv", STRIKES_HEADER + strike_rows(rows))
        Strike.objects.all().delete()
        Belligerent.objects.all().delete()
        with CaptureQueriesContext(connection) as queries:
            assert import_csv("strikes", path).counts["strikes"] == rows
        expected = [
            "SELECT claims_belligerent",  # belligerents by name
            "SELECT claims_strike",  # refs already in the database
            "SAVEPOINT",
            "INSERT claims_belligerent",
            "INSERT claims_historicalbelligerent",
            "INSERT claims_strike",  # batched: 66 rows a statement on SQLite
            "INSERT claims_historicalstrike",
            "RELEASE SAVEPOINT",
        ]
        assert statements(without_statistics(queries.captured_queries)) == expected
        if connection.vendor == "postgresql":  # one statement a batch of 1,000 rows
            assert len(without_statistics(queries.captured_queries)) == len(expected)


def test_an_import_reports_rows_checked_then_rows_written(tmp_path):
    BelligerentFactory(name="Coalition")
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(12))
    seen = []
    result = import_csv("strikes", path, counts=lambda *step: seen.append(step))
    assert not result.errors, result.errors
    assert seen[0] == (12, 0, 12)  # every row checked, none written yet
    assert seen[-1] == (12, 12, 12)  # and then written
