"""The reviewer workflow in the service layer: roles, stages, four eyes, concurrency, history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from claims import services
from claims.exceptions import IllegalTransition, StaleEdit
from claims.models import Assessment, Claim
from reports.figures import month_figures
from tests.factories import ClaimFactory, StrikeFactory, assess, user_with_role

pytestmark = pytest.mark.django_db

D = dt.date
CREDIBLE = {
    "outcome": "credible",
    "civilians_killed": 3,
    "civilians_injured": 1,
    "rationale": "Strike video shows people leaving the house minutes before the strike.",
}


@pytest.fixture
def claim():
    return ClaimFactory(received_on=D(2017, 3, 1))


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def test_full_cycle_new_review_proposed_closed(claim, analyst, reviewer):
    assert (claim.stage, claim.status) == ("new", "open")

    services.claim_assign(claim=claim, assignee=analyst, by=analyst)
    assert (fresh(claim).stage, fresh(claim).assignee) == ("in_review", analyst)

    proposal = services.assessment_propose(
        claim=claim, by=analyst, diligence=["strike_video"], **CREDIBLE
    )
    assert (proposal.state, proposal.sequence, proposal.assessed_on) == ("proposed", None, None)
    assert fresh(claim).stage == "proposed"
    # A proposal does not count.
    assert fresh(claim).status == "open"
    assert month_figures(period="2017-03").closed == 0

    approved = services.assessment_approve(assessment=proposal, by=reviewer, on=D(2017, 3, 20))
    assert (approved.state, approved.sequence, approved.assessed_on) == (
        "approved",
        1,
        D(2017, 3, 20),
    )
    assert (approved.assessed_by, approved.decided_by) == (analyst, reviewer)
    assert (fresh(claim).stage, fresh(claim).status) == ("closed", "closed")
    march = month_figures(period="2017-03")
    assert (march.closed, march.credible, march.civilians_killed) == (1, 1, 3)


def test_reviewer_cannot_approve_or_return_their_own_proposal(claim, reviewer):
    proposal = services.assessment_propose(claim=claim, by=reviewer, **CREDIBLE)
    with pytest.raises(PermissionDenied) as error:
        services.assessment_approve(assessment=proposal, by=reviewer)
    assert str(error.value) == (
        "An assessment must be approved or returned by someone other than its author."
    )
    with pytest.raises(PermissionDenied):
        services.assessment_return(assessment=proposal, by=reviewer, comment="Looks wrong.")
    assert Assessment.objects.get(pk=proposal.pk).state == "proposed"


def test_analyst_cannot_approve(claim, analyst):
    other = user_with_role("analyst", username="bob")
    proposal = services.assessment_propose(claim=claim, by=other, **CREDIBLE)
    with pytest.raises(PermissionDenied) as error:
        services.assessment_approve(assessment=proposal, by=analyst)
    assert str(error.value) == "You do not have permission to approve or return assessments."


@pytest.mark.parametrize("role", [None, "publisher"])
def test_users_without_an_analyst_role_cannot_act(claim, role):
    user = user_with_role(role)
    with pytest.raises(PermissionDenied):
        services.assessment_propose(claim=claim, by=user, **CREDIBLE)
    with pytest.raises(PermissionDenied):
        services.claim_assign(claim=claim, assignee=user, by=user)
    with pytest.raises(PermissionDenied):
        services.claim_comment(claim=claim, author=user, body="Hello")
    assert fresh(claim).stage == "new"


def test_return_sends_the_claim_back_to_review_with_a_comment(claim, analyst, reviewer):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    with pytest.raises(IllegalTransition) as error:
        services.assessment_return(assessment=proposal, by=reviewer, comment="  ")
    assert error.value.message_dict == {"comment": ["Say why the assessment is returned."]}

    services.assessment_return(assessment=proposal, by=reviewer, comment="Check the date.")
    proposal.refresh_from_db()
    assert (proposal.state, proposal.return_comment, proposal.decided_by) == (
        "returned",
        "Check the date.",
        reviewer,
    )
    assert (fresh(claim).stage, fresh(claim).assignee) == ("in_review", analyst)
    assert [c.body for c in claim.comments.all()] == [
        "Returned the proposed assessment: Check the date."
    ]
    # A returned draft can be followed by a new proposal.
    services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    assert fresh(claim).stage == "proposed"


def test_only_one_proposal_at_a_time_and_none_on_a_closed_claim(claim, analyst, reviewer):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    with pytest.raises(IllegalTransition) as error:
        services.assessment_propose(claim=claim, by=reviewer, **CREDIBLE)
    assert "already has a proposed assessment awaiting review" in str(error.value)
    services.assessment_approve(assessment=proposal, by=reviewer)
    with pytest.raises(IllegalTransition) as error:
        services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    assert "is closed; reopen it before assessing it again" in str(error.value)
    with pytest.raises(IllegalTransition) as error:
        services.assessment_approve(assessment=proposal, by=reviewer)
    assert "This assessment is approved, not proposed." in str(error.value)


def test_reopening_makes_the_claim_new_again_and_a_new_assessment_can_follow(
    claim, analyst, reviewer
):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    first = services.assessment_approve(assessment=proposal, by=reviewer, on=D(2017, 3, 20))
    with pytest.raises(ValidationError):
        services.claim_reopen(claim=claim, by=analyst, reason="", reopened_on=D(2017, 4, 1))
    reopening = services.claim_reopen(
        claim=claim, by=analyst, reason="Hospital records name 5 dead.", reopened_on=D(2017, 4, 1)
    )
    assert (reopening.assessment, reopening.sequence, reopening.reopened_by) == (first, 2, analyst)
    assert (fresh(claim).stage, fresh(claim).status, fresh(claim).assignee) == ("new", "open", None)

    second = services.assessment_propose(
        claim=claim, by=analyst, **{**CREDIBLE, "civilians_killed": 5}
    )
    services.assessment_approve(assessment=second, by=reviewer, on=D(2017, 4, 10))
    april = month_figures(period="2017-04").cumulative
    assert (april.credible, april.civilians_killed) == (1, 5)


def test_a_proposal_states_its_counts_and_rationale(claim, analyst):
    with pytest.raises(ValidationError) as error:
        services.assessment_propose(
            claim=claim, by=analyst, outcome="credible", civilians_killed=2, rationale=""
        )
    assert error.value.message_dict == {
        "civilians_injured": ["A credible assessment states how many (0 if none)."],
        "rationale": ["State the public rationale for the assessment."],
    }


def test_approval_cannot_be_dated_before_the_claims_latest_event(claim, analyst, reviewer):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    with pytest.raises(ValidationError) as error:
        services.assessment_approve(assessment=proposal, by=reviewer, on=D(2017, 2, 1))
    assert "before claim" in error.value.message_dict["assessed_on"][0]


def test_only_the_author_revises_a_proposal(claim, analyst, reviewer):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    with pytest.raises(PermissionDenied):
        services.assessment_update(
            assessment=proposal, by=reviewer, expected_version=proposal.version, civilians_killed=4
        )
    revised = services.assessment_update(
        assessment=proposal, by=analyst, expected_version=proposal.version, civilians_killed=4
    )
    assert revised.civilians_killed == 4


def test_concurrent_claim_edits_conflict_and_say_what_changed(claim, analyst):
    other = user_with_role("analyst", username="bob")
    loaded_version = fresh(claim).version
    services.claim_update(claim=claim, by=other, expected_version=loaded_version, summary="Edited.")

    with pytest.raises(StaleEdit) as error:
        services.claim_update(
            claim=claim, by=analyst, expected_version=loaded_version, locality="Old city"
        )
    message = str(error.value)
    assert message.startswith(f"Claim {claim.claim_ref} was changed by bob (")
    assert "while you were editing it (summary)." in message
    assert error.value.changed_fields == ["summary"]
    assert fresh(claim).locality == "Mosul"
    assert fresh(claim).summary == "Edited."


def test_workflow_fields_cannot_be_edited_directly(claim, analyst):
    with pytest.raises(IllegalTransition) as error:
        services.claim_update(claim=claim, by=analyst, expected_version=None, status="closed")
    assert error.value.message_dict == {"status": ["Changed only by the workflow."]}


def test_every_change_is_in_the_history_with_who_and_what(claim, analyst, reviewer):
    strike = StrikeFactory(strike_ref="S-LINK")
    services.claim_link_strike(claim=claim, strike=strike, by=analyst)
    services.claim_assign(claim=claim, assignee=analyst, by=reviewer)
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    services.assessment_approve(assessment=proposal, by=reviewer)

    records = list(fresh(claim).history.order_by("history_id"))
    assert [(r.history_change_reason, r.history_user) for r in records] == [
        (None, None),  # created by the factory
        ("Linked strike S-LINK", analyst),
        ("Assigned to alice", reviewer),
        ("Assessment proposed", analyst),
        ("Assessment approved", reviewer),
    ]
    assert [r.stage for r in records] == ["new", "new", "in_review", "proposed", "closed"]
    assert list(records[1].strikes.values_list("strike__strike_ref", flat=True)) == ["S-LINK"]
    assessment_history = Assessment.objects.get(pk=proposal.pk).history.order_by("history_id")
    assert [(r.state, r.history_user) for r in assessment_history] == [
        ("proposed", analyst),
        ("approved", reviewer),
    ]


def test_assign_only_to_people_who_review(claim, analyst):
    publisher = user_with_role("publisher", username="pat")
    with pytest.raises(IllegalTransition) as error:
        services.claim_assign(claim=claim, assignee=publisher, by=analyst)
    assert "pat is not an analyst or reviewer" in str(error.value)


def test_imported_history_cannot_overtake_a_pending_proposal(claim, analyst):
    services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    with pytest.raises(IllegalTransition):
        assess(claim, "credible", D(2017, 3, 5))


def test_role_groups_hold_exactly_the_documented_permissions():
    from django.contrib.auth.models import Group

    from claims.roles import ROLE_OTHER_PERMISSIONS, ROLE_PERMISSIONS, role_groups_sync

    def held():
        return sorted(
            f"{app_label}.{codename}"
            for app_label, codename in Group.objects.get(name=role).permissions.values_list(
                "content_type__app_label", "codename"
            )
        )

    for role, codenames in ROLE_PERMISSIONS.items():
        documented = sorted(
            [f"claims.{codename}" for codename in codenames] + ROLE_OTHER_PERMISSIONS.get(role, [])
        )
        assert held() == documented  # as the migrations left them
        role_groups_sync()
        assert held() == documented  # and as the repair leaves them
    assert "reports.publish_monthpublication" in ROLE_OTHER_PERMISSIONS["publisher"]


def test_an_approved_assessment_can_never_be_edited_or_deleted(claim):
    assessment = assess(claim, "credible", D(2017, 3, 5))
    assessment.civilians_killed = 99
    with pytest.raises(PermissionDenied) as error:
        assessment.save()
    assert str(error.value).startswith("An approved assessment is final")
    with pytest.raises(PermissionDenied):
        assessment.delete()
    with pytest.raises(PermissionDenied):
        Assessment.objects.filter(pk=assessment.pk).update(civilians_killed=99)
    with pytest.raises(PermissionDenied):
        Assessment.objects.all().delete()
    assert Assessment.objects.get(pk=assessment.pk).civilians_killed == 1


def test_concurrent_edits_of_a_proposal_conflict(claim, analyst):
    proposal = services.assessment_propose(claim=claim, by=analyst, **CREDIBLE)
    loaded_version = proposal.version
    services.assessment_update(
        assessment=proposal, by=analyst, expected_version=loaded_version, civilians_killed=4
    )
    with pytest.raises(StaleEdit) as error:
        services.assessment_update(
            assessment=proposal, by=analyst, expected_version=loaded_version, rationale="Other."
        )
    assert "This assessment was changed by alice (" in str(error.value)
    assert "(civilians killed)" in str(error.value)
    assert Assessment.objects.get(pk=proposal.pk).rationale == CREDIBLE["rationale"]
