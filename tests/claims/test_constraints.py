"""The database itself rejects bad rows: every invariant is a constraint, not only a form check.

Each test writes with QuerySet methods that skip model validation, so only the database can say no.
"""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from claims.models import Assessment, Belligerent, Claim, ExternalAssessment, Reopening, Victim
from tests.factories import (
    BelligerentFactory,
    ClaimFactory,
    ExternalAssessmentFactory,
    StrikeFactory,
    assess,
)

pytestmark = pytest.mark.django_db


def rejected(constraint_name, action):
    """Run `action` and expect the database to refuse it, naming the constraint."""
    with pytest.raises(IntegrityError) as error, transaction.atomic():
        action()
    assert constraint_name in str(error.value).lower()


@pytest.mark.parametrize(
    "changes, constraint",
    [
        ({"country": "XX"}, "strike_country_iso_alpha2"),
        ({"country": "iq"}, "strike_country_iso_alpha2"),
        ({"latitude": 36.3}, "strike_lat_lon_both_or_neither"),
        ({"longitude": 43.1}, "strike_lat_lon_both_or_neither"),
        ({"latitude": 91, "longitude": 43.1}, "strike_latitude_range"),
        ({"latitude": -90.5, "longitude": 43.1}, "strike_latitude_range"),
        ({"latitude": 36.3, "longitude": 180.5}, "strike_longitude_range"),
        ({"engagements": 0}, "strike_engagements_at_least_one"),
        ({"strike_ref": ""}, "strike_ref_not_empty"),
        ({"strike_ref": "S/1"}, "strike_ref_no_slash"),
        ({"precision": "street"}, "strike_precision_valid"),
    ],
)
def test_database_rejects_invalid_strike(changes, constraint):
    strike = StrikeFactory()
    rejected(constraint, lambda: type(strike).objects.filter(pk=strike.pk).update(**changes))


def test_database_accepts_boundary_coordinates():
    strike = StrikeFactory(latitude=-90, longitude=180)
    assert (strike.latitude, strike.longitude) == (-90, 180)


def test_database_rejects_duplicate_refs():
    StrikeFactory(strike_ref="S-1")
    ClaimFactory(claim_ref="CIV-1")
    rejected("unique", lambda: StrikeFactory(strike_ref="S-1"))
    rejected("unique", lambda: ClaimFactory(claim_ref="CIV-1"))


def test_database_rejects_belligerent_name_differing_only_in_case():
    Belligerent.objects.create(name="Coalition")
    rejected("belligerent_name_unique_ci", lambda: Belligerent.objects.create(name="COALITION"))


def test_status_is_computed_from_the_stage_and_cannot_be_written():
    """Status and stage are one fact: the database computes the status from the stage."""
    claim = ClaimFactory()
    Claim.objects.filter(pk=claim.pk).update(status="closed")  # ignored: a generated column
    assert Claim.objects.get(pk=claim.pk).status == "open"
    Claim.objects.filter(pk=claim.pk).update(stage="closed")
    assert Claim.objects.get(pk=claim.pk).status == "closed"
    assert Claim.objects.closed().get() == claim


@pytest.mark.parametrize(
    "changes, constraint",
    [
        ({"civilians_killed_min": 5, "civilians_killed_max": 4}, "claim_killed_min_lte_max"),
        ({"civilians_injured_min": 3, "civilians_injured_max": 1}, "claim_injured_min_lte_max"),
        ({"civilians_killed_min": -1}, "civilians_killed_min"),
        ({"civilians_injured_max": -2}, "civilians_injured_max"),
        ({"incident_date": dt.date(2017, 3, 10)}, "claim_incident_not_after_received"),
        ({"source_type": "rumour"}, "claim_source_type_valid"),
        ({"claim_ref": "CIV/2017/1"}, "claim_ref_no_slash"),
        ({"stage": "pending"}, "claim_stage_valid"),
        ({"stage": "in_review"}, "claim_in_review_has_assignee"),
        ({"country": "UK"}, "claim_country_iso_alpha2"),  # GB is the code
        ({"latitude": 36.3}, "claim_lat_lon_both_or_neither"),
        (
            {"civilians_killed_max": 5, "killed_children": 3, "killed_women": 2, "killed_men": 1},
            "claim_killed_breakdown_within_max",
        ),
    ],
)
def test_database_rejects_invalid_claim(changes, constraint):
    claim = ClaimFactory(received_on=dt.date(2017, 3, 9), civilians_killed_min=None)
    rejected(constraint, lambda: Claim.objects.filter(pk=claim.pk).update(**changes))


def test_killed_breakdown_within_the_maximum_is_accepted():
    claim = ClaimFactory(civilians_killed_max=6, killed_children=3, killed_women=2, killed_men=1)
    assert claim.killed_children == 3


def _assessment_row(claim, **fields):
    values = {
        "claim": claim,
        "sequence": 1,
        "state": "approved",
        "outcome": "credible",
        "assessed_on": claim.received_on,
    }
    values.update(fields)
    return lambda: Assessment.objects.bulk_create([Assessment(**values)])


@pytest.mark.parametrize(
    "fields, constraint",
    [
        ({"outcome": "plausible"}, "assessment_outcome_valid"),
        ({"outcome": "non_credible"}, "assessment_reason_iff_non_credible"),
        ({"outcome": "non_credible", "reason": "bad_luck"}, "assessment_reason_iff_non_credible"),
        ({"outcome": "credible", "reason": "other"}, "assessment_reason_iff_non_credible"),
        (
            {"outcome": "non_credible", "reason": "other", "civilians_killed": 2},
            "assessment_counts_only_if_credible",
        ),
        (
            {"outcome": "duplicate"},
            "assessment_duplicate_of_iff_duplicate",
        ),
        ({"outcome": "credible", "civilians_killed": -1}, "civilians_killed"),
        ({"outcome": "credible", "sequence": 0}, "sequence"),
    ],
)
def test_database_rejects_inconsistent_assessment(fields, constraint):
    claim = ClaimFactory()
    rejected(constraint, _assessment_row(claim, **fields))


def test_database_rejects_duplicate_of_on_other_outcomes_and_of_itself():
    claim, other = ClaimFactory(), ClaimFactory()
    rejected("duplicate_of_iff", _assessment_row(claim, outcome="credible", duplicate_of=other))
    rejected("duplicate_of_itself", _assessment_row(claim, outcome="duplicate", duplicate_of=claim))


def test_database_rejects_two_events_with_the_same_sequence():
    claim = ClaimFactory()
    assess(claim)
    rejected("sequence", _assessment_row(claim, sequence=1))


def test_database_rejects_reopening_without_reason_or_a_second_reopening_of_one_assessment():
    claim = ClaimFactory()
    assessment = assess(claim)

    def reopening(**fields):
        values = {"claim": claim, "assessment": assessment, "sequence": 2}
        values.update(fields)
        values.setdefault("reopened_on", claim.received_on)
        values.setdefault("reason", "New information.")
        return lambda: Reopening.objects.bulk_create([Reopening(**values)])

    rejected("reopening_reason_required", reopening(reason=""))
    reopening()()
    rejected("unique", reopening(sequence=3))


def test_database_rejects_invalid_victim():
    claim = ClaimFactory()
    rejected("victim_age", lambda: Victim.objects.create(claim=claim, harm="killed", age=200))
    rejected("victim_harm", lambda: Victim.objects.create(claim=claim, harm="missing"))
    rejected("victim_sex", lambda: Victim.objects.create(claim=claim, harm="killed", sex="x"))


def test_victim_identity_is_not_public_by_default():
    assert Victim.objects.create(claim=ClaimFactory(), harm="killed").public is False


def test_database_rejects_invalid_external_assessment():
    existing = ExternalAssessmentFactory(organisation="Airwars")
    claim = existing.claim
    rejected(
        "organisation",
        lambda: ExternalAssessment.objects.create(
            claim=claim, organisation="Airwars", grade="weak"
        ),
    )
    rejected(
        "grade_valid",
        lambda: ExternalAssessment.objects.create(claim=claim, organisation="NYT", grade="good"),
    )
    rejected(
        "external_assessment_killed_min_lte_max",
        lambda: ExternalAssessment.objects.create(
            claim=claim,
            organisation="NYT",
            grade="fair",
            civilians_killed_min=9,
            civilians_killed_max=3,
        ),
    )


def test_belligerent_in_use_cannot_be_deleted():
    belligerent = BelligerentFactory(name="United Kingdom")
    StrikeFactory(belligerent=belligerent)
    from django.db.models import ProtectedError

    with pytest.raises(ProtectedError):
        belligerent.delete()
