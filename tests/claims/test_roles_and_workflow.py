"""The registry of actions (claims.roles) and the workflow's table (claims.workflow): each rule in
one place, which every channel asks."""

import re
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission

from claims import roles
from claims.exceptions import IllegalTransition
from claims.workflow import REOPEN, STAGE_STATUS, TRANSITIONS, allowed_actions, transition
from tests.factories import ClaimFactory, user_with_role

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
PERMISSION = re.compile(
    r"""["'](claims|reports)\.(add|change|delete|view|approve|publish)_\w+["']"""
)
STAGE_WRITE = re.compile(r"\.stage\s*=[^=]")


def app_sources():
    for app in ("claims", "reports", "casualty_tracker"):
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" not in path.parts:
                yield path


def test_every_action_names_permissions_that_exist():
    for action in roles.ACTIONS.values():
        for name in action.permissions:
            app_label, codename = name.split(".")
            assert Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).exists(), (action.name, name)


def test_no_module_but_the_registry_names_a_permission_or_moves_a_stage():
    named = [p for p in app_sources() if PERMISSION.search(p.read_text()) and p.name != "roles.py"]
    assert named == []
    moved = [p.name for p in app_sources() if STAGE_WRITE.search(p.read_text())]
    assert moved == ["workflow.py"]


def test_a_refusal_uses_the_registry_phrase():
    with pytest.raises(Exception, match=r"^You do not have permission to import assessments\.$"):
        roles.require(user_with_role("analyst"), roles.IMPORT_ASSESSMENTS)


def test_status_follows_the_stage_table():
    assert {stage.value: status.value for stage, status in STAGE_STATUS.items()} == {
        "new": "open",
        "in_review": "open",
        "proposed": "open",
        "closed": "closed",
    }


def test_an_event_the_stage_does_not_allow_is_refused_by_the_table():
    claim = ClaimFactory(claim_ref="CIV-1")
    with pytest.raises(IllegalTransition) as refused:
        transition(claim, REOPEN)
    assert refused.value.message_dict == {
        "claim": ["Claim CIV-1 is at the stage 'new', where 'reopen' is not possible."]
    }
    assert claim.stage == "new"


@pytest.mark.parametrize(
    "role, stage, expected",
    [
        ("analyst", "new", {"claim_update", "claim_assign", "assessment_propose"}),
        ("analyst", "proposed", {"claim_update", "claim_assign"}),
        ("reviewer", "proposed", {"claim_update", "claim_assign", "assessment_decide"}),
        ("reviewer", "closed", {"claim_update", "claim_reopen"}),
        ("publisher", "new", set()),
    ],
)
def test_allowed_actions_are_the_roles_actions_that_the_stage_allows(role, stage, expected):
    claim = ClaimFactory.build(stage=stage)
    user = user_with_role(role)
    allowed = {action.name for action in allowed_actions(claim, user)}
    always = {"claim_comment", "claim_link_strike", "claim_unlink_strike"}
    assert allowed == expected | (always if role != "publisher" else set())


def test_every_event_that_a_person_causes_is_in_the_registry():
    for event, rule in TRANSITIONS.items():
        assert rule.action is None or roles.ACTIONS[rule.action.name] is rule.action, event


def test_the_author_of_a_proposal_may_not_decide_it(reviewer):
    claim = ClaimFactory.build(stage="proposed")
    assert roles.DECIDE in allowed_actions(claim, reviewer, author_id=reviewer.pk + 1)
    assert roles.DECIDE not in allowed_actions(claim, reviewer, author_id=reviewer.pk)
