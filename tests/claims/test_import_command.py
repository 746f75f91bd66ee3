import hashlib
from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from claims.importers import base
from claims.models import Assessment, Claim, Reopening, Strike
from tests.claims.csv_files import STRIKES_HEADER, strike_rows, write_csv
from tests.factories import ClaimFactory

pytestmark = pytest.mark.django_db


def _run(*args):
    stdout, stderr = StringIO(), StringIO()
    call_command("import_csv", *args, stdout=stdout, stderr=stderr)
    return stdout.getvalue(), stderr.getvalue()


def _run_failing(*args):
    stdout, stderr = StringIO(), StringIO()
    with pytest.raises(CommandError) as raised:
        call_command("import_csv", *args, stdout=stdout, stderr=stderr)
    return str(raised.value), stdout.getvalue(), stderr.getvalue()


def test_import_command_prints_one_line_summary(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(3))

    stdout, stderr = _run("strikes", str(path))

    assert stdout == "Imported 3 strikes from strikes.csv (1 new belligerent).\n"
    assert stderr == ""
    assert Strike.objects.count() == 3


ASSESSMENTS = """
    claim_ref,assessed_on,outcome,civilians_killed,civilians_injured,rationale
    CIV-1,2017-04-01,credible,1,0,Confirmed.
    CIV-2,2017-04-01,credible,2,0,Confirmed.
    CIV-2,2017-04-08,reopened,,,New statements.
    """


def test_import_command_summarises_assessments_and_statuses(tmp_path, reviewer):
    ClaimFactory(claim_ref="CIV-1", received_on=date(2017, 3, 9))
    ClaimFactory(claim_ref="CIV-2", received_on=date(2017, 3, 9))
    path = write_csv(tmp_path, "assessments.csv", ASSESSMENTS)

    stdout, _ = _run("assessments", str(path), "--by", "rita")

    assert stdout == (
        "Imported 2 assessments and 1 reopening from assessments.csv; 1 claim closed, 1 open.\n"
    )


def test_importing_assessments_names_the_operator_and_the_file_in_history(tmp_path, reviewer):
    ClaimFactory(claim_ref="CIV-1", received_on=date(2017, 3, 9))
    ClaimFactory(claim_ref="CIV-2", received_on=date(2017, 3, 9))
    path = write_csv(tmp_path, "assessments.csv", ASSESSMENTS)
    digest = hashlib.sha256(path.read_bytes()).hexdigest()

    _run("assessments", str(path), "--by", "rita")

    reason = f"Imported from assessments.csv (sha256 {digest}) by rita with import_csv"
    for model in (Assessment, Reopening, Claim):
        records = model.history.filter(history_change_reason=reason)
        assert records.count() == {Assessment: 2, Reopening: 1, Claim: 2}[model]
        assert {r.history_user for r in records} == {reviewer}


def test_importing_assessments_without_by_is_refused_and_writes_nothing(tmp_path):
    ClaimFactory(claim_ref="CIV-1", received_on=date(2017, 3, 9))
    ClaimFactory(claim_ref="CIV-2", received_on=date(2017, 3, 9))
    path = write_csv(tmp_path, "assessments.csv", ASSESSMENTS)

    message, _, _ = _run_failing("assessments", str(path))

    assert message == (
        "Importing assessments needs --by USERNAME: the reviewer or administrator running it, "
        "named in the history of every record written."
    )
    assert Assessment.objects.count() == 0


@pytest.mark.parametrize(
    "username, message",
    [
        ("nobody", "--by: no user named 'nobody'."),
        (
            "alice",
            "--by: alice may not import assessments (an active account whose role allows it "
            "is needed).",
        ),
    ],
)
def test_importing_assessments_by_someone_who_may_not_is_refused(
    tmp_path, analyst, username, message
):
    ClaimFactory(claim_ref="CIV-1", received_on=date(2017, 3, 9))
    ClaimFactory(claim_ref="CIV-2", received_on=date(2017, 3, 9))
    path = write_csv(tmp_path, "assessments.csv", ASSESSMENTS)

    assert _run_failing("assessments", str(path), "--by", username)[0] == message
    assert Assessment.objects.count() == 0


def test_import_command_prints_every_error_and_fails(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        STRIKES_HEADER + strike_rows(2) + "S-00001,2017-02-30,IQ,,,,,Coalition,,,,\n",
    )

    message, stdout, stderr = _run_failing("strikes", str(path))

    assert message == "2 errors in strikes.csv; nothing was written."
    assert stdout == ""
    assert stderr == (
        'strikes.csv, row 4, column "strike_ref", value "S-00001": '
        "duplicate strike ref (first on row 2).\n"
        'strikes.csv, row 4, column "date", value "2017-02-30": '
        "not a valid date (expected YYYY-MM-DD).\n"
    )
    assert Strike.objects.count() == 0


def test_import_command_prints_at_most_200_errors(tmp_path):
    # 205 different errors (the same error on many rows would be one line): each ref twice.
    rows = "".join(f"S-{n},2017-03-01,IQ,,,,,Coalition,,,,\n" * 2 for n in range(205))
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + rows)

    message, _, stderr = _run_failing("strikes", str(path))

    lines = stderr.splitlines()
    assert len(lines) == 201
    assert lines[199] == (
        'strikes.csv, row 401, column "strike_ref", value "S-199": '
        "duplicate strike ref (first on row 400)."
    )
    assert lines[200] == "… and 5 more errors"
    assert message == "205 errors in strikes.csv; nothing was written."


def test_import_command_dry_run_writes_nothing(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(3))

    stdout, _ = _run("strikes", str(path), "--dry-run")

    assert stdout == "Dry run: 3 strikes would be imported; nothing was written.\n"
    assert Strike.objects.count() == 0


def test_import_command_rejects_unknown_column(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent,colour
        S-1,2017-03-01,IQ,Coalition,red
        """,
    )

    message, _, stderr = _run_failing("strikes", str(path))

    assert message == "1 error in strikes.csv; nothing was written."
    assert stderr.startswith('strikes.csv, row 1, column "colour": unknown column; the columns')
    assert Strike.objects.count() == 0


def test_import_command_reports_missing_file(tmp_path):
    message, _, _ = _run_failing("claims", str(tmp_path / "claims.csv"))

    assert message == f"Cannot read {tmp_path / 'claims.csv'}: no such file."


def test_import_command_reports_non_utf8_file(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        "strike_ref,date,country,belligerent\nS-1,2017-03-01,IQ,Armée\n",
        encoding="latin-1",
    )

    message, _, _ = _run_failing("strikes", str(path))

    assert message == (
        "strikes.csv is not UTF-8 text (line 2 has the byte 0xe9, which is not valid UTF-8); "
        'save it as UTF-8 ("CSV UTF-8" in a spreadsheet) and try again.'
    )


def test_import_command_rejects_unknown_kind(tmp_path):
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER)

    message, _, _ = _run_failing("victims", str(path))

    assert "invalid choice: 'victims'" in message


def test_import_command_reports_progress_of_large_file_on_stderr(tmp_path, monkeypatch):
    monkeypatch.setattr(base, "PROGRESS_EVERY", 10)
    path = write_csv(tmp_path, "strikes.csv", STRIKES_HEADER + strike_rows(20))

    stdout, stderr = _run("strikes", str(path))

    assert stderr == (
        "strikes.csv: 10 / 20 rows validated\n"
        "strikes.csv: 20 / 20 rows validated\n"
        "strikes.csv: writing 1 new belligerent\n"
        "strikes.csv: writing 20 strikes\n"
    )
    assert stdout == "Imported 20 strikes from strikes.csv (1 new belligerent).\n"
