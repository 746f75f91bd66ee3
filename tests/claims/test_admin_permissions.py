"""Who may do what in the admin: each role against each action, four eyes, and what nobody may do.

Django's model permissions keep users without a role out (403); inside, the services decide and
the admin shows their refusal. The expected messages are the services' own words.
"""

import datetime as dt
import html

import pytest
from django.urls import reverse

from claims import services
from claims.models import Claim
from tests.claims.admin_pages import change_form_data, claim_url, messages_of
from tests.factories import (
    ClaimFactory,
    StrikeFactory,
    assess,
    propose,
    user_with_role,
)

pytestmark = pytest.mark.django_db

D = dt.date
OK = "ok"
FORBIDDEN = 403
ROLES = [None, "analyst", "reviewer", "publisher", "superuser"]
DECIDE = "You do not have permission to approve or return assessments."
# role: None, analyst, reviewer, publisher, superuser
MATRIX = {
    "view_queue": [FORBIDDEN, OK, OK, OK, OK],
    "edit_claim": [FORBIDDEN, OK, OK, FORBIDDEN, OK],
    "propose": [
        FORBIDDEN,
        OK,
        OK,
        "You do not have permission to propose assessments.",
        OK,
    ],
    "approve": [FORBIDDEN, DECIDE, OK, DECIDE, OK],
    "return": [FORBIDDEN, DECIDE, OK, DECIDE, OK],
    "reopen": [FORBIDDEN, OK, OK, "You do not have permission to reopen claims.", OK],
    "assign": [FORBIDDEN, OK, OK, "You do not have permission to assign claims.", OK],
    "comment": [FORBIDDEN, OK, OK, "You do not have permission to comment on claims.", OK],
    "link_strike": [
        FORBIDDEN,
        OK,
        OK,
        "You do not have permission to link strikes to claims.",
        OK,
    ],
}
CASES = [
    (role, action, expected)
    for action, outcomes in MATRIX.items()
    for role, expected in zip(ROLES, outcomes, strict=True)
]


def make_user(role):
    if role == "superuser":
        return user_with_role(None, username="root", is_superuser=True)
    return user_with_role(role, username=role or "nobody")


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def setup_claim(action, admin_client):
    """The claim an action applies to, in the stage that allows it, and what to post."""
    claim = ClaimFactory(claim_ref="CIV-1", received_on=D(2017, 3, 1), summary="Before.")
    data = {}
    if action in ("approve", "return"):
        author = user_with_role("analyst", username="author")
        data = {"assessment": propose(claim, author).pk, "comment": "Check the logs."}
    elif action == "reopen":
        assess(claim, "credible", D(2017, 3, 2))
        data = {"reason": "A new witness came forward."}
    elif action == "propose":
        data = {"outcome": "credible", "civilians_killed": "1", "civilians_injured": "0"}
        data["rationale"] = "Matched to a strike."
    elif action == "comment":
        data = {"body": "Airwars has a video."}
    elif action == "link_strike":
        data = {"strike": StrikeFactory(strike_ref="S-1").strike_ref}
    elif action == "edit_claim":
        data = change_form_data(admin_client.get(claim_url(claim)), summary="After.")
    return fresh(claim), data


def request_action(client, action, claim, data):
    if action == "view_queue":
        return client.get(reverse("admin:claims_claim_changelist"))
    if action == "edit_claim":
        return client.post(claim_url(claim), data)
    name = {"assign": "assign_me"}.get(action, action)
    return client.post(claim_url(claim, name), data)


def action_happened(action, claim, user) -> bool:
    claim = fresh(claim)
    return {
        "view_queue": True,
        "edit_claim": claim.summary == "After.",
        "propose": claim.stage == "proposed",
        "approve": claim.stage == "closed",
        "return": claim.stage == "in_review",
        "reopen": claim.status == "open",
        "assign": claim.assignee == user,
        "comment": claim.comments.exists(),
        "link_strike": claim.strikes.exists(),
    }[action]


@pytest.mark.parametrize("role, action, expected", CASES)
def test_permission_matrix(client, admin_client, role, action, expected):
    claim, data = setup_claim(action, admin_client)
    user = make_user(role)
    client.force_login(user)
    response = request_action(client, action, claim, data)
    if expected == FORBIDDEN:
        assert response.status_code == 403
        assert action == "view_queue" or not action_happened(action, claim, user)
    elif expected == OK:
        assert response.status_code in (200, 302)
        assert not [m for m in messages_of(response) if "permission" in m]
        assert action_happened(action, claim, user)
    else:
        assert response.status_code == 302
        assert messages_of(response) == [expected]
        assert not action_happened(action, claim, user)


def test_staff_user_without_a_role_sees_nothing_of_the_claims_admin(client):
    claim = ClaimFactory()
    client.force_login(make_user(None))
    # Not Django's empty index: the page says what is missing (tests/claims/test_accounts.py).
    index = client.get(reverse("admin:index"))
    assert index.status_code == 403
    assert index.context["available_apps"] == []
    for url in (
        reverse("admin:claims_claim_changelist"),
        claim_url(claim),
        claim_url(claim, "propose"),
        claim_url(claim, "history"),
        reverse("admin:claims_strike_changelist"),
        reverse("admin:claims_assessment_changelist"),
    ):
        assert client.get(url).status_code == 403, url


@pytest.mark.parametrize("role", ["analyst", "reviewer", "publisher", "superuser"])
def test_every_role_sees_the_claims_app(client, role):
    client.force_login(make_user(role))
    apps = client.get(reverse("admin:index")).context["app_list"]
    assert [app["app_label"] for app in apps if app["app_label"] == "claims"] == ["claims"]


def action_forms(response) -> set[str]:
    """Which action views the page offers a form or link for."""
    content = response.content.decode()
    claim = response.context["original"]
    names = ["approve", "return", "reopen", "assign", "assign_me", "comment", "link_strike"]
    offered = {name for name in names if f'action="{claim_url(claim, name)}"' in content}
    if f'href="{claim_url(claim, "propose")}"' in content:
        offered.add("propose")
    return offered


@pytest.mark.parametrize(
    "role, offered",
    [
        ("analyst", {"propose", "assign", "assign_me", "comment", "link_strike"}),
        ("reviewer", {"approve", "return", "assign", "assign_me", "comment", "link_strike"}),
        ("publisher", set()),
    ],
)
def test_claim_page_offers_the_actions_of_the_role_and_stage(client, role, offered):
    claim = ClaimFactory()
    if role == "reviewer":
        propose(claim, user_with_role("analyst", username="author"))
    client.force_login(make_user(role))
    response = client.get(claim_url(claim))
    assert action_forms(response) == offered
    if role == "publisher":
        assert 'name="_save"' not in response.content.decode()


def test_closed_claim_offers_reopening_only(client):
    claim = ClaimFactory()
    assess(claim)
    client.force_login(make_user("reviewer"))
    assert action_forms(client.get(claim_url(claim))) == {"reopen", "comment", "link_strike"}


def test_reviewer_cannot_decide_their_own_proposal(client):
    reviewer = make_user("reviewer")
    claim = ClaimFactory()
    proposal = propose(claim, reviewer)
    client.force_login(reviewer)

    page = client.get(claim_url(claim))
    assert action_forms(page) == {"assign", "comment", "link_strike"}
    assert (
        "You proposed this assessment: another reviewer must approve or return it (four eyes)."
        in html.unescape(page.content.decode())
    )

    for action in ("approve", "return"):
        data = {"assessment": proposal.pk, "comment": "Fine by me."}
        response = client.post(claim_url(claim, action), data, follow=True)
        assert [str(message) for message in response.context["messages"]] == [
            "An assessment must be approved or returned by someone other than its author."
        ]
    proposal.refresh_from_db()
    assert (proposal.state, fresh(claim).stage) == ("proposed", "proposed")


def test_another_reviewer_can_decide_it(client):
    claim = ClaimFactory()
    proposal = propose(claim, make_user("reviewer"))
    client.force_login(user_with_role("reviewer", username="second"))
    client.post(claim_url(claim, "approve"), {"assessment": proposal.pk})
    assert fresh(claim).status == "closed"


@pytest.mark.parametrize("model", ["claim", "strike", "assessment", "reopening", "claimcomment"])
def test_nobody_deletes_records_through_the_admin(admin_client, model):
    claim = ClaimFactory()
    strike = StrikeFactory()
    assessment = assess(claim)
    reopening = services.claim_reopen(claim=claim, reason="New photographs.")
    comment = services.claim_comment(
        claim=claim, author=user_with_role("analyst"), body="A comment."
    )
    obj = {
        "claim": claim,
        "strike": strike,
        "assessment": assessment,
        "reopening": reopening,
        "claimcomment": comment,
    }[model]
    url = reverse(f"admin:claims_{model}_delete", args=[obj.pk])
    assert admin_client.post(url, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse(f"admin:claims_{model}_changelist"))
    assert changelist.status_code == 200
    assert 'value="delete_selected"' not in changelist.content.decode()
    assert type(obj).objects.filter(pk=obj.pk).exists()
