"""Recording assessments and reopenings: the rules a claim's history obeys."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from claims.exceptions import IllegalTransition
from claims.models import Claim
from tests.factories import ClaimFactory, UserFactory, assess, reopen

pytestmark = pytest.mark.django_db

D = dt.date


def status(claim):
    return Claim.objects.get(pk=claim.pk).status


def test_assessment_closes_the_claim_and_reopening_opens_it():
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assert status(claim) == "open"

    first = assess(claim, "non_credible", D(2017, 3, 5), reason="insufficient_information")
    assert status(claim) == "closed"
    reopening = reopen(claim, D(2017, 4, 1), reason="Airwars published two new sources.")
    assert status(claim) == "open"
    second = assess(claim, "credible", D(2017, 4, 20), civilians_killed=3)
    assert status(claim) == "closed"

    assert (first.sequence, reopening.sequence, second.sequence) == (1, 2, 3)
    assert reopening.assessment == first
    assert list(claim.assessments.values_list("outcome", flat=True)) == [
        "non_credible",
        "credible",
    ]


def test_assessing_a_closed_claim_is_an_illegal_transition():
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, "credible", D(2017, 3, 5))
    with pytest.raises(IllegalTransition) as error:
        assess(claim, "non_credible", D(2017, 3, 6))
    assert error.value.message_dict == {
        "claim": [
            f"Claim {claim.claim_ref} is closed (last assessed on 2017-03-05); "
            "reopen it before assessing it again."
        ]
    }
    assert claim.assessments.count() == 1


def test_reopening_an_open_claim_is_an_illegal_transition():
    claim = ClaimFactory()
    with pytest.raises(IllegalTransition) as error:
        reopen(claim, claim.received_on)
    assert error.value.message_dict["claim"] == [
        f"Claim {claim.claim_ref} is open; only a closed claim can be reopened."
    ]


def test_assessment_dated_before_the_claim_was_received_is_rejected():
    claim = ClaimFactory(received_on=D(2017, 3, 9))
    with pytest.raises(ValidationError) as error:
        assess(claim, "credible", D(2017, 3, 8))
    assert error.value.message_dict["assessed_on"] == [
        f"The assessment is dated 2017-03-08, before claim {claim.claim_ref} was received "
        "(2017-03-09)."
    ]
    assert status(claim) == "open"


def test_events_cannot_be_dated_before_the_latest_recorded_event():
    claim = ClaimFactory(received_on=D(2017, 3, 1))
    assess(claim, "credible", D(2017, 3, 20))
    with pytest.raises(ValidationError) as error:
        reopen(claim, D(2017, 3, 19))
    assert error.value.message_dict["reopened_on"] == [
        f"The reopening is dated 2017-03-19, before the latest recorded event of claim "
        f"{claim.claim_ref} (2017-03-20)."
    ]
    # The same day is fine: events of one date apply in the order they are recorded.
    reopen(claim, D(2017, 3, 20))
    assert status(claim) == "open"


def test_reopening_requires_a_reason():
    claim = ClaimFactory()
    assess(claim)
    with pytest.raises(ValidationError) as error:
        reopen(claim, claim.received_on, reason="   ")
    assert error.value.message_dict == {
        "reason": ["A reopening must state its reason (the new information)."]
    }
    assert status(claim) == "closed"


@pytest.mark.parametrize(
    "outcome, fields, field, message",
    [
        (
            "non_credible",
            {"reason": ""},
            "reason",
            "A non-credible assessment needs a reason (use 'other' and explain it in the "
            "rationale).",
        ),
        ("credible", {"reason": "other"}, "reason", "A reason is given only for non-credible"),
        (
            "non_credible",
            {"reason": "other", "civilians_killed": 2},
            "civilians_killed",
            "Civilians killed and injured are counted only on credible assessments.",
        ),
        ("duplicate", {"duplicate_of": None}, "duplicate_of", "A duplicate must name the claim"),
        (
            "credible",
            {"diligence": ["strike_video", "seance"]},
            "diligence",
            "Unknown diligence steps: seance.",
        ),
    ],
)
def test_assessment_fields_must_fit_the_outcome(outcome, fields, field, message):
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        assess(claim, outcome, **fields)
    assert error.value.message_dict[field][0].startswith(message)
    assert status(claim) == "open"
    assert claim.assessments.count() == 0


def test_a_claim_cannot_duplicate_itself():
    claim = ClaimFactory()
    with pytest.raises(ValidationError) as error:
        assess(claim, "duplicate", duplicate_of=claim)
    assert error.value.message_dict == {"duplicate_of": ["A claim cannot duplicate itself."]}


def test_assessment_records_diligence_and_reviewer():
    reviewer = UserFactory(username="reviewer")
    claim = ClaimFactory()
    assessment = assess(
        claim, "credible", diligence=["site_visit", "strike_video"], assessed_by=reviewer
    )
    assert assessment.diligence == ["strike_video", "site_visit"]
    assert assessment.diligence_site_visit is True
    assert assessment.diligence_witness_interviewed is False
    assert assessment.assessed_by == reviewer
