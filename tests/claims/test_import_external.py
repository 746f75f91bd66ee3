from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.importers import import_csv
from claims.models import Claim, ExternalAssessment
from tests.claims.csv_files import write_csv
from tests.factories import ClaimFactory, ExternalAssessmentFactory
from tests.querycount import statements, without_statistics

pytestmark = pytest.mark.django_db

HEADER = "claim_ref,organisation,grade,civilians_killed_min,civilians_killed_max,assessed_on,url\n"


def test_import_external_assessments_writes_every_field(tmp_path):
    civ1 = ClaimFactory(claim_ref="CIV-1")
    civ2 = ClaimFactory(claim_ref="CIV-2")
    path = write_csv(
        tmp_path,
        "external.csv",
        HEADER + "CIV-1,Airwars,fair,2,5,2017-04-01,https://airwars.org/civilian-casualties/civ-1\n"
        "CIV-1,Amnesty International,confirmed,4,4,,\n"
        "CIV-2,Airwars,weak,,,,\n",
    )

    result = import_csv("external_assessments", path)

    assert result.errors == []
    assert result.summary == "Imported 3 external assessments from external.csv."
    airwars = ExternalAssessment.objects.get(claim=civ1, organisation="Airwars")
    assert (airwars.grade, airwars.civilians_killed_min, airwars.civilians_killed_max) == (
        "fair",
        2,
        5,
    )
    assert (airwars.assessed_on, airwars.url) == (
        date(2017, 4, 1),
        "https://airwars.org/civilian-casualties/civ-1",
    )
    amnesty = ExternalAssessment.objects.get(claim=civ1, organisation="Amnesty International")
    assert (amnesty.grade, amnesty.assessed_on, amnesty.url) == ("confirmed", None, "")
    weak = ExternalAssessment.objects.get(claim=civ2)
    assert (weak.grade, weak.civilians_killed_min, weak.civilians_killed_max) == (
        "weak",
        None,
        None,
    )


def test_import_external_assessments_reports_every_error(tmp_path):
    ClaimFactory(claim_ref="CIV-1")
    ClaimFactory(claim_ref="CIV-2")
    ExternalAssessmentFactory(claim=ClaimFactory(claim_ref="CIV-3"), organisation="Airwars")
    path = write_csv(
        tmp_path,
        "external.csv",
        HEADER + "CIV-1,Airwars,fair,,,,\n"
        "CIV-1,Airwars,weak,,,,\n"
        "CIV-3,Airwars,fair,,,,\n"
        "CIV-404,Airwars,fair,,,,\n"
        "CIV-2,Airwars,probable,6,3,2017-02-29,ftp:/nowhere\n"
        "CIV-2,,,-1,,,\n",
    )

    result = import_csv("external_assessments", path)

    assert result.errors == [
        'external.csv, row 3, column "organisation", value "Airwars": '
        "duplicate: claim CIV-1 already has an assessment by Airwars (row 2).",
        'external.csv, row 4, column "organisation", value "Airwars": '
        "duplicate: claim CIV-3 already has an assessment by Airwars in the database.",
        'external.csv, row 5, column "claim_ref", value "CIV-404": '
        "no claim with this ref in the database.",
        'external.csv, row 6, column "grade", value "probable": '
        "unknown grade; expected one of confirmed, fair, weak, contested, discounted.",
        'external.csv, row 6, column "civilians_killed_min", value "6": '
        "civilians_killed_min (6) is greater than civilians_killed_max (3).",
        'external.csv, row 6, column "assessed_on", value "2017-02-29": '
        "not a valid date (expected YYYY-MM-DD).",
        'external.csv, row 6, column "url", value "ftp:/nowhere": not a valid URL.',
        'external.csv, row 7, column "organisation", value "": a value is required.',
        'external.csv, row 7, column "grade", value "": a value is required.',
        'external.csv, row 7, column "civilians_killed_min", value "-1": cannot be negative.',
    ]
    assert ExternalAssessment.objects.count() == 1


def test_reimporting_the_same_external_file_is_an_error_and_writes_nothing(tmp_path):
    ClaimFactory(claim_ref="CIV-1")
    path = write_csv(tmp_path, "external.csv", HEADER + "CIV-1,Airwars,fair,2,5,,\n")
    assert import_csv("external_assessments", path).errors == []

    result = import_csv("external_assessments", path)

    assert result.errors == [
        'external.csv, row 2, column "organisation", value "Airwars": '
        "duplicate: claim CIV-1 already has an assessment by Airwars in the database."
    ]
    assert ExternalAssessment.objects.count() == 1


def test_import_external_assessments_rolls_back_on_bad_row(tmp_path):
    for n in range(1, 12):
        ClaimFactory(claim_ref=f"CIV-{n}")
    rows = "".join(f"CIV-{n},Airwars,fair,1,2,,\n" for n in range(1, 11))
    path = write_csv(tmp_path, "external.csv", HEADER + rows + "CIV-11,Airwars,fair,1,2,2017,\n")

    result = import_csv("external_assessments", path)

    assert result.errors == [
        'external.csv, row 12, column "assessed_on", value "2017": '
        "not a valid date (expected YYYY-MM-DD)."
    ]
    assert ExternalAssessment.objects.count() == 0


def test_import_external_assessments_dry_run_writes_nothing(tmp_path):
    ClaimFactory(claim_ref="CIV-1")
    path = write_csv(tmp_path, "external.csv", HEADER + "CIV-1,Airwars,fair,2,5,,\n")

    result = import_csv("external_assessments", path, dry_run=True)

    assert result.summary == (
        "Dry run: 1 external assessment would be imported; nothing was written."
    )
    assert ExternalAssessment.objects.count() == 0


def test_import_200_external_assessments_statements(tmp_path):
    ClaimFactory.create_batch(200)
    refs = Claim.objects.values_list("claim_ref", flat=True)
    rows = "".join(f"{ref},Airwars,fair,1,2,2017-04-01,\n" for ref in refs)
    path = write_csv(tmp_path, "external.csv", HEADER + rows)
    with CaptureQueriesContext(connection) as queries:
        result = import_csv("external_assessments", path)
    expected = [
        "SELECT claims_claim",
        "SELECT claims_externalassessment",  # pairs already in the database
        "SAVEPOINT",
        "INSERT claims_externalassessment",  # batched: 124 rows a statement on SQLite
        "INSERT claims_historicalexternalassessment",
        "RELEASE SAVEPOINT",
    ]
    assert statements(without_statistics(queries.captured_queries)) == expected
    if connection.vendor == "postgresql":
        assert len(without_statistics(queries.captured_queries)) == len(expected)
    assert result.counts == {"external_assessments": 200}
