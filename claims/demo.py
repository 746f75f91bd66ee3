"""Demo-only accounts and work in progress, so the reviewers' workflow can be tried at once.

Used by `manage.py load_demo` with DEBUG on; the passwords are published in the README. Every
change goes through claims.services, as a person's would.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from . import services
from .definitions import Outcome
from .models import Claim

# (username, password, role); role None: a superuser who manages users.
DEMO_USERS = [
    ("admin", "demo-admin", None),
    ("analyst", "demo-analyst", "analyst"),
    ("analyst2", "demo-analyst2", "analyst"),
    ("reviewer", "demo-reviewer", "reviewer"),
    ("publisher", "demo-publisher", "publisher"),
]


def demo_users_create() -> dict:
    """Create the demo accounts that do not exist yet; return them all by username."""
    User = get_user_model()
    users = {}
    for username, password, role in DEMO_USERS:
        user = User.objects.filter(username=username).first()
        if user is None:
            if role is None:
                user = User.objects.create_superuser(username=username, password=password)
            else:
                user = User.objects.create_user(username=username, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=role))
        users[username] = user
    return users


def demo_workflow_seed(users: dict) -> dict[str, int]:
    """Put some of the open claims into every stage of the workflow. Returns counts by stage."""
    analyst, analyst2, reviewer = users["analyst"], users["analyst2"], users["reviewer"]
    open_claims = list(Claim.objects.open().order_by("received_on", "claim_ref")[:40])
    in_review, proposed, returned = open_claims[:12], open_claims[12:20], open_claims[20:23]
    for index, claim in enumerate(in_review):
        assignee = analyst if index % 2 == 0 else analyst2
        services.claim_assign(claim=claim, assignee=assignee, by=assignee)
    for index, claim in enumerate(proposed):
        author = analyst if index % 2 == 0 else analyst2
        services.claim_assign(claim=claim, assignee=author, by=author)
        _propose(claim, author, index)
    for index, claim in enumerate(returned):
        services.claim_assign(claim=claim, assignee=analyst, by=analyst)
        proposal = _propose(claim, analyst, index)
        services.assessment_return(
            assessment=proposal,
            by=reviewer,
            comment="The strike log shows a strike 3 km away: check the location before deciding.",
        )
    if open_claims:
        services.claim_comment(
            claim=open_claims[0],
            author=analyst,
            body="Local-language search found two more accounts; translating them now.",
        )
    return {
        "in_review": len(in_review) + len(returned),
        "proposed": len(proposed),
        "new": max(0, Claim.objects.open().count() - len(open_claims[:23])),
    }


def _propose(claim: Claim, author, index: int):
    if index % 3 == 0:
        return services.assessment_propose(
            claim=claim,
            by=author,
            outcome=Outcome.CREDIBLE,
            civilians_killed=claim.civilians_killed_min or 1,
            civilians_injured=0,
            rationale="Strike logs show a strike at the reported place and time; local sources "
            "name the victims.",
            diligence=["strike_video", "local_language_search", "map_search"],
        )
    return services.assessment_propose(
        claim=claim,
        by=author,
        outcome=Outcome.NON_CREDIBLE,
        reason="insufficient_information",
        rationale="The report gives no location precise enough to match it to strike records.",
        diligence=["map_search"],
    )
