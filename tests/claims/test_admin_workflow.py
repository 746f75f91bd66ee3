"""The reviewer workflow through the admin: every stage transition, legal or not, through the
action views, each of which calls one service and reports what it said; the propose form."""

import datetime as dt

import pytest

from claims import services
from tests.claims.admin_pages import claim_url, fresh, messages_of, page_text
from tests.factories import (
    ClaimFactory,
    assess,
    propose,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
CREDIBLE_FORM = {
    "outcome": "credible",
    "civilians_killed": "3",
    "civilians_injured": "1",
    "rationale": "Strike logs place a strike 300 m from the house within the hour.",
    "diligence": ["strike_video", "map_search"],
}


# Stage transitions ---------------------------------------------------------------------------


def claim_at(stage, analyst):
    """A claim at a stage of the workflow, its proposals drafted by the analyst."""
    claim = ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 1))
    if stage in ("in_review", "proposed", "returned"):
        services.claim_assign(claim=claim, assignee=analyst, by=analyst)
    if stage in ("proposed", "returned"):
        proposal = propose(claim, analyst)
        if stage == "returned":
            other = user_with_role("reviewer", username="victor")
            services.assessment_return(assessment=proposal, by=other, comment="Check the logs.")
    if stage == "closed":
        assess(claim, "credible", D(2017, 3, 5))
    return fresh(claim)


def post_action(client, claim, action):
    if action == "assign":
        return client.post(claim_url(claim, "assign_me"), follow=True)
    if action == "propose":
        return client.post(claim_url(claim, "propose"), CREDIBLE_FORM, follow=True)
    if action in ("approve", "return"):
        latest = claim.assessments.order_by("-pk").first()
        data = {"assessment": latest.pk, "comment": "Interview the targeting cell first."}
        return client.post(claim_url(claim, action), data, follow=True)
    return client.post(claim_url(claim, "reopen"), {"reason": "A new witness."}, follow=True)


@pytest.mark.parametrize(
    "start, action, stage, message",
    [
        ("new", "assign", "in_review", "Claim CIV-1 is assigned to you."),
        ("in_review", "assign", "in_review", "Claim CIV-1 is assigned to you."),
        ("proposed", "assign", "proposed", "Claim CIV-1 is assigned to you."),
        ("returned", "assign", "in_review", "Claim CIV-1 is assigned to you."),
        ("closed", "assign", "closed", "Claim CIV-1 is closed: reopen it first."),
        ("new", "propose", "proposed", "Proposed an assessment of claim CIV-1."),
        ("in_review", "propose", "proposed", "Proposed an assessment of claim CIV-1."),
        ("returned", "propose", "proposed", "Proposed an assessment of claim CIV-1."),
        (
            "proposed",
            "propose",
            "proposed",
            "Claim CIV-1 already has a proposed assessment awaiting review.",
        ),
        (
            "closed",
            "propose",
            "closed",
            "Claim CIV-1 is closed; reopen it before assessing it again.",
        ),
        ("proposed", "approve", "closed", "Approved: claim CIV-1 is closed as credible."),
        ("returned", "approve", "in_review", "This assessment is returned, not proposed."),
        ("closed", "approve", "closed", "This assessment is approved, not proposed."),
        ("proposed", "return", "in_review", "Returned the proposed assessment of claim CIV-1"),
        ("returned", "return", "in_review", "This assessment is returned, not proposed."),
        ("closed", "return", "closed", "This assessment is approved, not proposed."),
        ("closed", "reopen", "new", "Reopened claim CIV-1."),
        ("new", "reopen", "new", "Claim CIV-1 is open; only a closed claim can be reopened."),
        (
            "in_review",
            "reopen",
            "in_review",
            "Claim CIV-1 is open; only a closed claim can be reopened.",
        ),
        (
            "proposed",
            "reopen",
            "proposed",
            "Claim CIV-1 is open; only a closed claim can be reopened.",
        ),
    ],
)
def test_stage_transitions_through_the_admin(rita, analyst, start, action, stage, message):
    claim = claim_at(start, analyst)
    response = post_action(rita, claim, action)
    assert response.status_code == 200
    assert message in page_text(response)
    assert fresh(claim).stage == stage


def test_approve_or_return_without_a_proposal_is_not_found(rita, analyst):
    claim = claim_at("in_review", analyst)
    assert rita.post(claim_url(claim, "approve")).status_code == 404
    assert rita.post(claim_url(claim, "return"), {"assessment": "x"}).status_code == 404


def test_actions_accept_only_post(rita, analyst):
    claim = claim_at("proposed", analyst)
    for action in ("approve", "return", "reopen", "assign", "assign_me", "comment"):
        assert rita.get(claim_url(claim, action)).status_code == 405
    assert fresh(claim).stage == "proposed"


def test_approval_records_the_reviewer_and_closes_the_claim(rita, analyst, reviewer):
    claim = claim_at("proposed", analyst)
    proposal = claim.assessments.get()
    response = rita.post(claim_url(claim, "approve"), {"assessment": proposal.pk})
    assert response.status_code == 302
    assert response.url == claim_url(claim)
    proposal.refresh_from_db()
    assert (proposal.state, proposal.decided_by, proposal.assessed_by) == (
        "approved",
        reviewer,
        analyst,
    )
    assert fresh(claim).status == "closed"


def test_return_needs_a_comment(rita, analyst):
    claim = claim_at("proposed", analyst)
    proposal = claim.assessments.get()
    response = rita.post(claim_url(claim, "return"), {"assessment": proposal.pk, "comment": " "})
    assert messages_of(response) == ["Say why the assessment is returned."]
    assert fresh(claim).stage == "proposed"


def test_returned_comment_shows_in_the_timeline_and_the_discussion(rita, analyst):
    claim = claim_at("proposed", analyst)
    proposal = claim.assessments.get()
    comment = "The logs list a second engagement: interview the targeting cell."
    rita.post(claim_url(claim, "return"), {"assessment": proposal.pk, "comment": comment})
    content = page_text(rita.get(claim_url(claim)))
    assert f"<strong>Returned:</strong> {comment}" in content
    assert f"Returned the proposed assessment: {comment}" in content


def test_reopen_needs_a_reason(rita, analyst):
    claim = claim_at("closed", analyst)
    response = rita.post(claim_url(claim, "reopen"), {"reason": ""})
    assert messages_of(response) == ["A reopening must state its reason (the new information)."]
    assert fresh(claim).status == "closed"


# The propose form ----------------------------------------------------------------------------


def test_propose_records_the_draft_with_its_diligence(rita, reviewer):
    claim = ClaimFactory(claim_ref="CIV-1")
    response = rita.post(claim_url(claim, "propose"), CREDIBLE_FORM)
    assert response.status_code == 302
    assert response.url == claim_url(claim) + "#timeline"
    proposal = claim.assessments.get()
    assert (proposal.state, proposal.outcome, proposal.assessed_by) == (
        "proposed",
        "credible",
        reviewer,
    )
    assert (proposal.civilians_killed, proposal.civilians_injured) == (3, 1)
    assert proposal.diligence == ["strike_video", "map_search"]
    assert (fresh(claim).stage, fresh(claim).assignee) == ("proposed", reviewer)


@pytest.mark.parametrize(
    "data, errors",
    [
        (
            {"outcome": "non_credible", "rationale": "No strike."},
            {
                "reason": [
                    "A non-credible assessment needs a reason (use 'other' and explain it in "
                    "the rationale)."
                ]
            },
        ),
        (
            {"outcome": "duplicate", "rationale": "Same incident."},
            {"duplicate_of": ["A duplicate must name the claim it duplicates."]},
        ),
        (
            {"outcome": "duplicate", "duplicate_of": "CIV-NOPE", "rationale": "Same."},
            {"duplicate_of": ["No claim has the reference CIV-NOPE."]},
        ),
        (
            {"outcome": "credible", "rationale": "Matched."},
            {
                "civilians_killed": ["A credible assessment states how many (0 if none)."],
                "civilians_injured": ["A credible assessment states how many (0 if none)."],
            },
        ),
        (
            {"outcome": "non_credible", "reason": "other", "civilians_killed": "2"},
            {
                "civilians_killed": [
                    "Civilians killed and injured are counted only on credible assessments."
                ],
                "rationale": ["State the public rationale for the assessment."],
            },
        ),
    ],
)
def test_propose_shows_the_service_errors_on_their_fields(rita, data, errors):
    claim = ClaimFactory()
    response = rita.post(claim_url(claim, "propose"), data)
    assert response.status_code == 200
    assert response.context["form"].errors == errors
    assert claim.assessments.count() == 0


def test_propose_page_shows_the_definitions_beside_the_fields(rita):
    claim = ClaimFactory()
    content = page_text(rita.get(claim_url(claim, "propose")))
    assert "A non-credible finding is not a finding that no civilian was harmed." in content
    assert "The strike records show no strike near the reported place" in content
    assert content.count('type="checkbox" name="diligence"') == 7
