"""The importer's edges (issue 10, finding 9): a file with a header only, a cell over the limit,
another separator, header and row errors in one pass, and the same error on many rows shown once
by the command and the admin."""

import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from claims.importers import base, import_csv
from claims.models import Belligerent, Claim, Strike
from tests.claims.csv_files import STRIKES_HEADER, strike_rows, write_csv
from tests.factories import ClaimFactory, StrikeFactory, user_with_role

pytestmark = pytest.mark.django_db

UPLOAD = "/admin/claims/import/"


def _run_failing(*args):
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_csv", *args, stdout=stdout, stderr=stderr)
    return raised.value, stdout.getvalue(), stderr.getvalue()


@pytest.fixture
def analyst(client, settings, tmp_path):
    settings.FILE_UPLOAD_TEMP_DIR = str(tmp_path / "uploads")
    client.force_login(user_with_role("analyst", username="anna"))


def _check(client, text: str):
    """Upload, then read the check's job page (where the upload redirects; tasks run at once)."""
    upload = SimpleUploadedFile("strikes.csv", text.encode(), content_type="text/csv")
    return client.post(UPLOAD, {"kind": "strikes", "file": upload}, follow=True)


# A header and no data rows.


@pytest.mark.parametrize("dry_run", [False, True])
def test_header_only_file_is_an_error(tmp_path, dry_run):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + "\n,,,\n")

    result = import_csv("strikes", path, dry_run=dry_run)

    assert result.errors == ["strikes.csv has a header but no data rows; nothing was imported."]
    assert (result.rows, result.summary) == (0, "")
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (None, None, None)


def test_header_only_file_fails_the_command_with_status_1(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER)

    error, stdout, stderr = _run_failing("strikes", str(path))

    assert str(error) == "1 error in strikes.csv; nothing was written."
    assert error.returncode == 1
    assert (stdout, stderr) == (
        "",
        "strikes.csv has a header but no data rows; nothing was imported.\n",
    )


def test_header_only_file_lists_the_header_errors_first(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", "strike_ref,date,country,colour\n")

    result = import_csv("strikes", path)

    assert [line.split(": ")[0] for line in result.errors] == [
        'strikes.csv, row 1, column "colour"',
        'strikes.csv, row 1, column "belligerent"',
        "strikes.csv has a header but no data rows; nothing was imported.",
    ]


# A cell longer than the limit.


def test_cell_over_the_limit_names_its_row_and_column_with_the_other_errors(tmp_path):
    huge = "x" * 10 * 2**20  # the 10 MB cell of the audit
    path = write_csv(
        tmp_path,
        "strikes.csv",
        STRIKES_HEADER
        + strike_rows(1)
        + f'S-00002,2017-03-01,IQ,,,,,Coalition,"{huge}",,,\n'
        + "S-00003,2017-02-30,IQ,,,,,Coalition,,,,\n",
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 3, column "target": the cell is longer than the limit of 1,048,576 '
        "characters (it has 10,485,760).",
        'strikes.csv, row 4, column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD).",
    ]
    assert Strike.objects.count() == 0


def test_cell_at_the_limit_is_read_and_checked_as_usual(tmp_path):
    cell = "x" * base.MAX_CELL_CHARS
    path = write_csv(
        tmp_path, "strikes.csv", STRIKES_HEADER + f"S-1,2017-03-01,IQ,,,,,Coalition,{cell},,,\n"
    )

    [line] = import_csv("strikes", path).errors

    assert line.endswith("too long (1,048,576 characters; at most 200).")


def test_cell_beyond_the_header_over_the_limit_is_named_by_position(tmp_path):
    huge = "x" * (base.MAX_CELL_CHARS + 1)
    path = write_csv(tmp_path, "strikes.csv", f"strike_ref,date,country,belligerent\n,,,,{huge}\n")

    assert import_csv("strikes", path).errors == [
        "strikes.csv, row 2: 5 cells, but the header has 4 columns."
    ]


def test_readme_documents_the_cell_limit():
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme[readme.index("## Importing CSV files") :]
    section = section[: section.index("\n## ")]

    assert f"{base.MAX_CELL_CHARS:,} characters" in section


# Another separator.


@pytest.mark.parametrize(
    ("header", "row", "named"),
    [
        ("strike_ref;date;country;belligerent", "S-1;2017-03-01;IQ;Coalition", "';'"),
        ("strike_ref\tdate\tcountry\tbelligerent", "S-1\t2017-03-01\tIQ\tCoalition", "a tab"),
        # a name with a comma splits the header in two, still unknown columns both
        ("strike_ref;date;country;belligerent;target, if known", "S-1;2017;IQ;C;x", "';'"),
        ("date;place", "2017-03-01;Mosul", "';'"),  # one column: no known name needed
    ],
)
def test_other_separator_is_named_instead_of_an_unknown_column(tmp_path, header, row, named):
    path = write_csv(tmp_path, "strikes.csv", f"{header}\n{row}\n")

    result = import_csv("strikes", path)

    assert result.errors == [
        f"strikes.csv, row 1: the separator looks like {named}: save it as comma-separated (CSV)."
    ]


def test_semicolon_in_an_unknown_column_of_a_comma_file_is_an_unknown_column(tmp_path):
    path = write_csv(
        tmp_path, "strikes.csv", "strike_ref,date,country,belligerent,a;b\nS-1,2017-03-01,IQ,C,\n"
    )

    [line] = import_csv("strikes", path).errors

    assert line.startswith('strikes.csv, row 1, column "a;b": unknown column; the columns are')


# Header errors and row errors in one pass.


def test_header_errors_and_row_errors_are_reported_together(tmp_path):
    StrikeFactory(strike_ref="S-DB")
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,colour,country,,country,engagements
        S-1,2017-02-30,red,IQ,,SY,1
        S-1,2017-03-01,blue,XX,,IQ,0
        S-DB,2017-03-01,red,IQ,,IQ,2
        """,
    )

    result = import_csv("strikes", path)

    assert [line.split(" the columns are")[0] for line in result.errors] == [
        'strikes.csv, row 1, column "colour": unknown column;',
        "strikes.csv, row 1: column 5 has no name.",
        'strikes.csv, row 1, column "country": this column appears more than once.',
        'strikes.csv, row 1, column "belligerent": this required column is missing.',
        'strikes.csv, row 2, column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD).",
        'strikes.csv, row 3, column "strike_ref", value "S-1": '
        "duplicate strike ref (first on row 2).",
        'strikes.csv, row 3, column "country", value "XX": '
        "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY).",
        'strikes.csv, row 3, column "engagements", value "0": a strike has at least 1 engagement.',
        'strikes.csv, row 4, column "strike_ref", value "S-DB": '
        "a strike with this ref is already in the database.",
    ]
    assert Strike.objects.count() == 1
    assert Belligerent.objects.count() == 1


def test_a_header_without_any_known_column_stops_at_the_header(tmp_path):
    path = write_csv(tmp_path, "claims.csv", "colour,size\nred,2\n")

    assert [line.split(":")[0] for line in import_csv("claims", path).errors] == [
        'claims.csv, row 1, column "colour"',
        'claims.csv, row 1, column "size"',
        'claims.csv, row 1, column "claim_ref"',
        'claims.csv, row 1, column "received_on"',
        'claims.csv, row 1, column "incident_date"',
        'claims.csv, row 1, column "country"',
        'claims.csv, row 1, column "source_type"',
    ]


# The same error on many rows: one line where errors are shown.


def _same_error_file(tmp_path, count: int):
    rows = "".join(f"S-{n},2017-02-30,IQ,,,,,Coalition,,,,\n" for n in range(count))
    extra = f"S-{count},2017-03-01,XX,,,,,Coalition,,,,\n"  # another error, once
    rows_after = f"S-{count + 1},2017-02-30,IQ,,,,,Coalition,,,,\n"
    return write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + rows + extra + rows_after)


def test_same_error_on_many_rows_is_one_group(tmp_path):
    result = import_csv("strikes", _same_error_file(tmp_path, 34_763))

    assert len(result.errors) == 34_765  # every error is kept, one line each
    assert [group.line for group in result.grouped()] == [
        'strikes.csv, rows 2 to 34,764 and 34,766 (34,764 rows), column "date", '
        'value "2017-02-30": not a valid date (expected YYYY-MM-DD).',
        'strikes.csv, row 34765, column "country", value "XX": '
        "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY).",
    ]


def test_command_prints_the_same_error_on_many_rows_once(tmp_path):
    error, _, stderr = _run_failing("strikes", str(_same_error_file(tmp_path, 5)))

    assert str(error) == "7 errors in strikes.csv; nothing was written."
    assert stderr.splitlines() == [
        'strikes.csv, rows 2 to 6 and 8 (6 rows), column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD).",
        'strikes.csv, row 7, column "country", value "XX": '
        "not an ISO 3166-1 alpha-2 country code (e.g. IQ, SY).",
    ]


def test_group_of_different_values_names_no_value_and_long_runs_are_counted():
    problems = [
        base.ImportProblem(row, "date", f"2017-02-{row}", "not a valid date.", f"row {row}")
        for row in range(2, 60, 2)
    ]

    [group] = base.group_problems("s.csv", problems)

    assert group.value is None
    assert group.line == (
        "s.csv, rows 2, 4, 6, 8, 10, 12, 14, 16, 18, 20 and 19 more runs (29 rows), "
        'column "date": not a valid date.'
    )


def test_admin_shows_the_same_error_on_many_rows_as_one_table_row(client, analyst):
    rows = "".join(f"S-{n},2017-02-30,IQ,,,,,Coalition,,,,\n" for n in range(1200))

    response = _check(client, STRIKES_HEADER + rows)

    content = response.content.decode()
    assert "1,200 errors in strikes.csv: nothing was written." in content
    assert [(e.rows_shown, e.column, e.value, e.message) for e in response.context["errors"]] == [
        ("2 to 1,201 (1,200 rows)", "date", "2017-02-30", "not a valid date (expected YYYY-MM-DD).")
    ]
    assert response.context["errors_hidden"] == 0
    assert '<td class="row-number">2 to 1,201 (1,200 rows)</td>' in content
    assert len(re.findall(r'<td class="row-number">', content)) == 1


def test_admin_shows_a_header_only_file_as_an_error(client, analyst):
    response = _check(client, STRIKES_HEADER)

    content = response.content.decode()
    assert "1 error in strikes.csv: nothing was written." in content
    assert "<td>the file has a header but no data rows; nothing was imported.</td>" in content
    assert "Confirm" not in content


def test_checks_against_the_database_find_refs_with_any_character():
    # On PostgreSQL the refs go to the server as one array's text, where `"`, `\`, `,`, braces
    # and spaces are syntax unless quoted; every one must come back as the ref it is.
    refs = ['A"1', "B\\2", "C,3", "{D4}", " E5 ", "NULL", "عربي-6"]
    claims = {ref: ClaimFactory(claim_ref=ref).pk for ref in refs}
    asked = [*refs, "not-there", 'A"', "B\\"]
    assert sorted(base.values_in(Claim.objects, "claim_ref", asked, "claim_ref", "id")) == sorted(
        claims.items()
    )
    ids = [*claims.values(), max(claims.values()) + 1]
    assert sorted(base.values_in(Claim.objects, "id", ids, "claim_ref")) == sorted(
        (ref,) for ref in refs
    )
