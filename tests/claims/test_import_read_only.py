"""The read-only columns an API export adds after the import contract's (ids, status...) are
accepted and ignored by the importer; any other unknown column is still an error."""

import pytest

from claims.importers import import_csv
from claims.models import Claim, ExternalAssessment, Strike
from tests.claims.csv_files import write_csv
from tests.factories import ClaimFactory, StrikeFactory

pytestmark = pytest.mark.django_db


def test_a_claims_read_only_columns_are_ignored_whatever_they_say(tmp_path):
    StrikeFactory(strike_ref="S-1")
    path = write_csv(
        tmp_path,
        "claims.csv",
        """
        claim_ref,received_on,incident_date,country,source_type,strike_refs,belligerent_id,status,outcome,reason,assessed_on,assessed_civilians_killed,assessed_civilians_injured
        CIV-1,2017-03-09,2017-03-04,IQ,media,S-1,999,closed,credible,,2017-03-20,3,1
        """,
    )

    result = import_csv("claims", path)

    assert result.errors == []
    claim = Claim.objects.get()
    assert (claim.claim_ref, claim.status, claim.belligerent_id) == ("CIV-1", "open", None)
    assert not claim.assessments.exists()
    assert list(claim.strikes.values_list("strike_ref", flat=True)) == ["S-1"]


def test_a_strikes_read_only_columns_are_ignored(tmp_path):
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent,belligerent_id,claim_refs
        S-1,2017-03-01,IQ,Coalition,7,CIV-404;CIV-405
        """,
    )

    assert import_csv("strikes", path).errors == []
    assert Strike.objects.get().belligerent.name == "Coalition"


def test_an_external_assessments_id_and_official_outcome_are_ignored(tmp_path):
    ClaimFactory(claim_ref="CIV-1")
    path = write_csv(
        tmp_path,
        "external_assessments.csv",
        """
        claim_ref,organisation,grade,id,official_outcome
        CIV-1,Airwars,fair,12345,credible
        """,
    )

    assert import_csv("external_assessments", path).errors == []
    assert ExternalAssessment.objects.get().pk != 12345


def test_a_read_only_column_of_another_kind_is_still_unknown(tmp_path):
    """`status` is a claims export's column, not a strikes file's."""
    path = write_csv(
        tmp_path,
        "strikes.csv",
        """
        strike_ref,date,country,belligerent,status
        S-1,2017-03-01,IQ,Coalition,open
        """,
    )

    result = import_csv("strikes", path)

    assert result.errors == [
        'strikes.csv, row 1, column "status": unknown column; the columns are strike_ref, date, '
        "country, province, locality, latitude, longitude, belligerent, target, munition, "
        "engagements, source_url, precision."
    ]
    assert not Strike.objects.exists()
