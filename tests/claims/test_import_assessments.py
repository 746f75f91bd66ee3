from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.importers import import_csv
from claims.models import Assessment, Claim, Reopening
from tests.claims.csv_files import write_csv
from tests.factories import ClaimFactory, assess, reopen
from tests.querycount import statements, without_statistics

pytestmark = pytest.mark.django_db

HEADER = (
    "claim_ref,assessed_on,outcome,reason,duplicate_of,civilians_killed,civilians_injured,"
    "rationale,diligence\n"
)


def _claims(*refs):
    return [ClaimFactory(claim_ref=ref, received_on=date(2017, 3, 9)) for ref in refs]


def _statuses():
    return dict(Claim.objects.values_list("claim_ref", "status"))


def test_import_assessments_writes_assessments_reopenings_and_statuses(tmp_path):
    civ1, civ2, civ3, _ = _claims("CIV-1", "CIV-2", "CIV-3", "CIV-4")
    recorded = assess(civ3, on=date(2017, 3, 20))
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER
        + "CIV-1,2017-04-01,credible,,,2,1,Strike video shows the house.,strike_video; site_visit\n"
        "CIV-2,2017-04-02,non_credible,no_civilian_harm,,,,No harm found.,\n"
        "CIV-3,2017-05-01,reopened,,,,,New video published. ,\n"
        "CIV-3,2017-05-10,duplicate,,CIV-1,,,Same incident as CIV-1.,map_search\n",
    )

    result = import_csv("assessments", path)

    assert result.errors == []
    # Where all claims now stand, including CIV-4, which the file does not name.
    assert result.summary == (
        "Imported 3 assessments and 1 reopening from assessments.csv; 3 claims closed, 1 open."
    )
    credible = Assessment.objects.get(claim=civ1)
    assert (credible.sequence, credible.outcome, credible.assessed_on) == (
        1,
        "credible",
        date(2017, 4, 1),
    )
    assert (credible.civilians_killed, credible.civilians_injured, credible.reason) == (2, 1, "")
    assert credible.rationale == "Strike video shows the house."
    assert credible.diligence == ["strike_video", "site_visit"]
    assert (credible.assessed_by, credible.duplicate_of) == (None, None)
    non_credible = Assessment.objects.get(claim=civ2)
    assert (non_credible.sequence, non_credible.outcome, non_credible.reason) == (
        1,
        "non_credible",
        "no_civilian_harm",
    )
    assert non_credible.diligence == []
    reopening = Reopening.objects.get(claim=civ3)
    assert (reopening.sequence, reopening.assessment, reopening.reopened_on) == (
        2,
        recorded,
        date(2017, 5, 1),
    )
    assert (reopening.reason, reopening.reopened_by) == ("New video published.", None)
    duplicate = Assessment.objects.get(claim=civ3, sequence=3)
    assert (duplicate.outcome, duplicate.duplicate_of, duplicate.diligence) == (
        "duplicate",
        civ1,
        ["map_search"],
    )
    assert _statuses() == {
        "CIV-1": "closed",
        "CIV-2": "closed",
        "CIV-3": "closed",
        "CIV-4": "open",
    }


def test_import_assessments_applies_rows_in_date_order_then_file_order(tmp_path):
    civ1, civ2 = _claims("CIV-1", "CIV-2")
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-05-01,reopened,,,,,New witness statements.,\n"
        "CIV-2,2017-04-01,credible,,,1,0,Confirmed.,\n"
        "CIV-2,2017-04-01,reopened,,,,,The hospital records arrived.,\n"
        "CIV-1,2017-04-01,non_credible,insufficient_information,,,,Too little to go on.,\n"
        "CIV-2,2017-04-01,non_credible,not_coalition,,,,Another party's strike.,\n",
    )

    result = import_csv("assessments", path)

    assert result.summary == (
        "Imported 3 assessments and 2 reopenings from assessments.csv; 1 claim closed, 1 open."
    )
    first = Assessment.objects.get(claim=civ1)
    reopening = Reopening.objects.get(claim=civ1)
    assert (first.sequence, reopening.sequence, reopening.assessment) == (1, 2, first)
    events = [
        (a.sequence, a.outcome) for a in Assessment.objects.filter(claim=civ2).order_by("sequence")
    ]
    assert events == [(1, "credible"), (3, "non_credible")]
    civ2_reopening = Reopening.objects.get(claim=civ2)
    assert (civ2_reopening.sequence, civ2_reopening.assessment.outcome) == (2, "credible")
    assert _statuses() == {"CIV-1": "open", "CIV-2": "closed"}


def test_import_assessments_continues_the_recorded_history(tmp_path):
    (civ1,) = _claims("CIV-1")
    assess(civ1, on=date(2017, 3, 20))
    reopen(civ1, on=date(2017, 3, 25))
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-03-25,credible,,,3,0,Confirmed by the new statements.,\n"
        "CIV-1,2017-04-02,reopened,,,,,More victims named.,\n",
    )

    result = import_csv("assessments", path)

    assert result.errors == []
    assessment = Assessment.objects.get(claim=civ1, sequence=3)
    reopening = Reopening.objects.get(claim=civ1, sequence=4)
    assert reopening.assessment == assessment
    assert _statuses() == {"CIV-1": "open"}


def test_import_assessments_rejects_assessing_a_closed_claim(tmp_path):
    (civ1,) = _claims("CIV-1")
    assess(civ1, on=date(2017, 3, 20))
    path = write_csv(tmp_path, "assessments.csv", HEADER + "CIV-1,2017-04-01,credible,,,1,0,,\n")

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 2, column "claim_ref", value "CIV-1": claim CIV-1 is closed '
        "(last assessed on 2017-03-20); reopen it before assessing it again."
    ]
    assert Assessment.objects.count() == 1


def test_import_assessments_rejects_row_dated_before_latest_recorded_event(tmp_path):
    (civ1,) = _claims("CIV-1")
    assess(civ1, on=date(2017, 3, 20))
    reopen(civ1, on=date(2017, 4, 10))
    path = write_csv(tmp_path, "assessments.csv", HEADER + "CIV-1,2017-04-05,credible,,,1,0,,\n")

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 2, column "assessed_on", value "2017-04-05": the assessment is '
        "dated 2017-04-05, before the latest recorded event of claim CIV-1 (2017-04-10)."
    ]


def test_import_assessments_rejects_row_dated_before_claim_was_received(tmp_path):
    _claims("CIV-1")
    path = write_csv(tmp_path, "assessments.csv", HEADER + "CIV-1,2017-03-01,credible,,,1,0,,\n")

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 2, column "assessed_on", value "2017-03-01": the assessment is '
        "dated 2017-03-01, before claim CIV-1 was received (2017-03-09)."
    ]


def test_reimporting_the_same_assessments_file_is_an_error_and_writes_nothing(tmp_path):
    _claims("CIV-1")
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-04-01,credible,,,1,0,,\n"
        "CIV-1,2017-04-05,reopened,,,,,New statements.,\n"
        "CIV-1,2017-04-10,non_credible,other,,,,Statements withdrawn.,\n",
    )
    assert import_csv("assessments", path).errors == []

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 2, column "claim_ref", value "CIV-1": claim CIV-1 is closed '
        "(last assessed on 2017-04-10); reopen it before assessing it again.",
        'assessments.csv, row 3, column "assessed_on", value "2017-04-05": the reopening is '
        "dated 2017-04-05, before the latest recorded event of claim CIV-1 (2017-04-10).",
        'assessments.csv, row 4, column "claim_ref", value "CIV-1": claim CIV-1 is closed '
        "(last assessed on 2017-04-10); reopen it before assessing it again.",
    ]
    assert (Assessment.objects.count(), Reopening.objects.count()) == (2, 1)
    assert _statuses() == {"CIV-1": "closed"}


def test_import_assessments_reports_every_field_error(tmp_path):
    _claims(*(f"CIV-{n}" for n in range(1, 12)))
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-04-01,plausible,,,,,,\n"
        "CIV-2,2017-04-01,non_credible,,,,,,\n"
        "CIV-3,2017-04-01,non_credible,bad_reason,,,,,\n"
        "CIV-4,2017-04-01,credible,no_civilian_harm,,,,,\n"
        "CIV-5,2017-04-01,duplicate,,,,,,\n"
        "CIV-6,2017-04-01,duplicate,,CIV-6,,,,\n"
        "CIV-7,2017-04-01,duplicate,,CIV-404,,,,\n"
        "CIV-8,2017-04-01,non_credible,other,,3,,,\n"
        "CIV-404,2017-04-01,credible,,,,,,\n"
        "CIV-9,2017-04-01,credible,,,,-1,,video;site_visit;guess\n"
        "CIV-10,2017-04-31,credible,,,,,,\n"
        "CIV-11,2017-04-01,reopened,other,,,,,strike_video\n",
    )

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 2, column "outcome", value "plausible": unknown outcome; '
        "expected one of credible, non_credible, duplicate, reopened.",
        'assessments.csv, row 3, column "reason", value "": a non-credible assessment needs a '
        "reason (use 'other' and explain it in the rationale).",
        'assessments.csv, row 4, column "reason", value "bad_reason": unknown reason '
        "'bad_reason'; expected one of insufficient_information, no_strike_at_time_or_place, "
        "no_civilian_harm, not_coalition, other.",
        'assessments.csv, row 5, column "reason", value "no_civilian_harm": '
        "a reason is given only for non-credible assessments.",
        'assessments.csv, row 6, column "duplicate_of", value "": '
        "a duplicate must name the claim it duplicates.",
        'assessments.csv, row 7, column "duplicate_of", value "CIV-6": '
        "a claim cannot duplicate itself.",
        'assessments.csv, row 8, column "duplicate_of", value "CIV-404": '
        "no claim with this ref in the database.",
        'assessments.csv, row 9, column "civilians_killed", value "3": '
        "civilians killed and injured are counted only on credible assessments.",
        'assessments.csv, row 10, column "claim_ref", value "CIV-404": '
        "no claim with this ref in the database.",
        'assessments.csv, row 11, column "civilians_injured", value "-1": cannot be negative.',
        'assessments.csv, row 11, column "diligence", value "video;site_visit;guess": '
        'unknown diligence steps "video", "guess"; the steps are strike_video, '
        "personnel_interviewed, local_language_search, map_search, witness_interviewed, "
        "site_visit, ngo_information.",
        'assessments.csv, row 12, column "assessed_on", value "2017-04-31": '
        "not a valid date (expected YYYY-MM-DD).",
        'assessments.csv, row 13, column "claim_ref", value "CIV-11": '
        "claim CIV-11 is open; only a closed claim can be reopened.",
        'assessments.csv, row 13, column "reason", value "other": must be empty for a reopening.',
        'assessments.csv, row 13, column "rationale", value "": '
        "a reopening must state its reason (the new information).",
        'assessments.csv, row 13, column "diligence", value "strike_video": '
        "must be empty for a reopening.",
    ]
    assert (Assessment.objects.count(), Reopening.objects.count()) == (0, 0)
    assert set(_statuses().values()) == {"open"}


def test_import_assessments_rolls_back_on_bad_row(tmp_path):
    _claims(*(f"CIV-{n}" for n in range(1, 12)))
    rows = "".join(f"CIV-{n},2017-04-01,credible,,,1,0,,\n" for n in range(1, 11))
    path = write_csv(
        tmp_path, "assessments.csv", HEADER + rows + "CIV-11,2017-04-01,credible,,,1,many,,\n"
    )

    result = import_csv("assessments", path)

    assert result.errors == [
        'assessments.csv, row 12, column "civilians_injured", value "many": not a whole number.'
    ]
    assert Assessment.objects.count() == 0
    assert set(_statuses().values()) == {"open"}


def test_import_assessments_dry_run_writes_nothing(tmp_path):
    _claims("CIV-1")
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-04-01,credible,,,1,0,,\n"
        "CIV-1,2017-04-05,reopened,,,,,New statements.,\n",
    )

    result = import_csv("assessments", path, dry_run=True)

    assert result.summary == (
        "Dry run: 1 assessment and 1 reopening would be imported; nothing was written."
    )
    assert (Assessment.objects.count(), Reopening.objects.count()) == (0, 0)
    assert _statuses() == {"CIV-1": "open"}


def _reassessment_file(tmp_path, count: int):
    """`count` claims assessed on record, each reopened and assessed again by the file."""
    refs = [f"CIV-{count}-{n}" for n in range(count)]
    for claim in _claims(*refs):
        assess(claim, on=date(2017, 3, 20))
    rows = "".join(
        f"{ref},2017-04-01,reopened,,,,,New statements.,\n"
        f"{ref},2017-04-02,credible,,,1,0,,site_visit\n"
        for ref in refs
    )
    return write_csv(tmp_path, f"assessments-{count}.csv", HEADER + rows)


def test_import_assessments_runs_the_same_statements_whatever_the_rows(tmp_path):
    for claims in (20, 200):
        path = _reassessment_file(tmp_path, claims)
        with CaptureQueriesContext(connection) as queries:
            result = import_csv("assessments", path)
        assert result.summary.startswith(
            f"Imported {claims} assessments and {claims} reopenings from assessments-{claims}.csv"
        )
        expected = [
            "SELECT claims_claim",  # the claims named
            "SELECT claims_assessment",  # their recorded assessments
            "SELECT claims_reopening",  # and reopenings
            "SELECT claims_assessment",  # proposals awaiting review
            "SAVEPOINT",
            "INSERT claims_assessment",  # batched: 55 rows a statement on SQLite
            "INSERT claims_historicalassessment",
            "INSERT claims_reopening",
            "INSERT claims_historicalreopening",
            "SELECT claims_claim",  # whole rows, for their history
            "UPDATE claims_claim",  # status, stage and version
            "INSERT claims_historicalclaim",
            "SELECT claims_claim",  # claims by status, for the summary
            "RELEASE SAVEPOINT",
        ]
        assert statements(without_statistics(queries.captured_queries)) == expected
        if connection.vendor == "postgresql":
            assert len(without_statistics(queries.captured_queries)) == len(expected)


def test_a_proposal_made_between_check_and_write_stops_the_import(tmp_path, monkeypatch, analyst):
    """The importer locks the claims it writes and moves them through the workflow: a proposal
    that arrived after the file was checked makes it write nothing, and says why."""
    from claims import services
    from claims.importers.assessments import AssessmentImporter

    civ1, _ = _claims("CIV-1", "CIV-2")
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-04-01,non_credible,no_civilian_harm,,,,No harm found.,\n"
        "CIV-2,2017-04-01,non_credible,no_civilian_harm,,,,No harm found.,\n",
    )
    checked = AssessmentImporter.check

    def check_then_someone_proposes(importer):
        checked(importer)
        services.assessment_propose(
            claim=civ1,
            by=analyst,
            outcome="credible",
            civilians_killed=1,
            civilians_injured=0,
            rationale="Seen.",
        )

    monkeypatch.setattr(AssessmentImporter, "check", check_then_someone_proposes)

    result = import_csv("assessments", path)

    assert result.errors == [
        "assessments.csv: the records changed while importing, so nothing was written: "
        "Claim CIV-1 has a proposed assessment awaiting review."
    ]
    assert Assessment.objects.counted().count() == 0
    assert _statuses() == {"CIV-1": "open", "CIV-2": "open"}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's ANALYZE takes no columns, and runs after an import of 10,000 rows only",
)
def test_import_assessments_analyses_only_the_columns_it_sets_of_the_claims_on_postgresql(
    tmp_path,
):
    _claims("CIV-1", "CIV-2", "CIV-3")
    with connection.cursor() as cursor:  # as analysed (an ANALYZE is never rolled back)
        cursor.execute('ANALYZE "claims_claim", "claims_assessment", "claims_reopening"')
    path = write_csv(
        tmp_path,
        "assessments.csv",
        HEADER + "CIV-1,2017-04-01,non_credible,no_civilian_harm,,,,No harm found.,\n",
    )

    with CaptureQueriesContext(connection) as queries:
        assert import_csv("assessments", path).errors == []

    # The new rows' table whole; of the claims, what the import set and what the database
    # computes (their other columns' statistics still hold); no reopening was written.
    assert [q["sql"] for q in queries.captured_queries if q["sql"].startswith("ANALYZE")] == [
        'ANALYZE "claims_assessment"',
        'ANALYZE "claims_claim" ("assignee_id", "search_text", "stage", "status", "version")',
    ]
