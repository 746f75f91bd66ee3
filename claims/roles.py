"""Roles (Django groups with permissions, created by migration 0003) and the registry of actions:
what each action takes and the phrase its refusal uses.

- analyst: records and edits claims and strikes, links strikes, drafts (proposes) assessments,
  reopens claims, comments.
- reviewer: everything an analyst can, plus approving or returning proposed assessments, never
  their own (four eyes: enforced in claims.services and by a database constraint).
- publisher: publishes monthly reports (reports.publishing.month_publish).
Superusers manage users. A user with no role sees nothing of the claims admin.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied

ANALYST = "analyst"
REVIEWER = "reviewer"
PUBLISHER = "publisher"
ROLES = (ANALYST, REVIEWER, PUBLISHER)

_VIEW = [
    "view_belligerent",
    "view_strike",
    "view_claim",
    "view_victim",
    "view_assessment",
    "view_reopening",
    "view_externalassessment",
    "view_claimcomment",
]
_ANALYST = [
    *_VIEW,
    "add_belligerent",
    "add_strike",
    "change_strike",
    "add_claim",
    "change_claim",
    "add_victim",
    "change_victim",
    "delete_victim",
    "add_externalassessment",
    "change_externalassessment",
    "add_assessment",
    "change_assessment",
    "add_reopening",
    "add_claimcomment",
]
# Codenames of the `claims` app's permissions that each role's group holds.
ROLE_PERMISSIONS = {
    ANALYST: _ANALYST,
    # Reviewers approve the batches of assessments that other reviewers upload.
    REVIEWER: [*_ANALYST, "approve_assessment", "view_assessmentbatch"],
    PUBLISHER: list(_VIEW),
}

# Permissions a role holds in other apps, as "app_label.codename" (reports/migrations/0002).
PUBLISH_REPORTS = "reports.publish_monthpublication"
ROLE_OTHER_PERMISSIONS = {PUBLISHER: [PUBLISH_REPORTS, "reports.view_monthpublication"]}


@dataclass(frozen=True)
class Action:
    """Something a person does: the permissions it takes and the phrase its refusal uses."""

    name: str
    permissions: tuple[str, ...]  # "app_label.codename", all of them needed
    phrase: str  # "You do not have permission to {phrase}."

    def __str__(self):
        return self.name

    @property
    def refusal(self) -> str:
        return f"You do not have permission to {self.phrase}."


# The registry of actions. Every entry point (services, API, admin, importer, commands) checks
# one of these with `require` or `can`; none names a permission itself.
CREATE_STRIKE = Action("strike_create", ("claims.add_strike",), "record strikes")
EDIT_STRIKE = Action("strike_update", ("claims.change_strike",), "edit strikes")
CREATE_CLAIM = Action("claim_create", ("claims.add_claim",), "record claims")
EDIT_CLAIM = Action("claim_update", ("claims.change_claim",), "edit claims")
ASSIGN = Action("claim_assign", ("claims.change_claim",), "assign claims")
LINK_STRIKE = Action("claim_link_strike", ("claims.change_claim",), "link strikes to claims")
UNLINK_STRIKE = Action(
    "claim_unlink_strike", ("claims.change_claim",), "unlink strikes from claims"
)
COMMENT = Action("claim_comment", ("claims.add_claimcomment",), "comment on claims")
REOPEN = Action("claim_reopen", ("claims.add_reopening",), "reopen claims")
PROPOSE = Action("assessment_propose", ("claims.add_assessment",), "propose assessments")
EDIT_PROPOSAL = Action(
    "assessment_update", ("claims.change_assessment",), "edit proposed assessments"
)
DECIDE = Action(
    "assessment_decide", ("claims.approve_assessment",), "approve or return assessments"
)
IMPORT_STRIKES = Action("strikes_import", ("claims.add_strike",), "import strikes")
IMPORT_CLAIMS = Action("claims_import", ("claims.add_claim",), "import claims")
# Imported assessments become approved findings: uploading them takes a reviewer, and a batch
# counts only once a second reviewer approves it (claims.services.batches).
IMPORT_ASSESSMENTS = Action(
    "assessments_import",
    ("claims.add_assessment", "claims.approve_assessment"),
    "import assessments",
)
IMPORT_EXTERNAL = Action(
    "external_assessments_import",
    ("claims.add_externalassessment",),
    "import external assessments",
)
PUBLISH = Action("report_publish", (PUBLISH_REPORTS,), "publish monthly reports")
VIEW_CLAIMS = Action("claims_view", ("claims.view_claim",), "see the claims")

# Every action above, by name.
ACTIONS = {value.name: value for value in dict(globals()).values() if isinstance(value, Action)}
# What importing each kind of file takes (claims.importers.IMPORTERS's keys).
IMPORT_ACTIONS = {
    "strikes": IMPORT_STRIKES,
    "claims": IMPORT_CLAIMS,
    "assessments": IMPORT_ASSESSMENTS,
    "external_assessments": IMPORT_EXTERNAL,
}


def can(user, action: Action) -> bool:
    return user is not None and user.is_active and user.has_perms(action.permissions)


def require(user, action: Action) -> None:
    """Raise PermissionDenied, naming the action, unless the user may do it."""
    if not can(user, action):
        raise PermissionDenied(action.refusal)


def users_who_can(action: Action):
    """The active users who may do the action (a queryset)."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Permission
    from django.db.models import Q

    users = get_user_model().objects.filter(is_active=True)
    for name in action.permissions:
        app_label, codename = name.split(".")
        held = Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        users = users.filter(
            Q(is_superuser=True) | Q(groups__permissions__in=held) | Q(user_permissions__in=held)
        )
    return users.distinct()


def may_decide(author_id: int | None, user) -> bool:
    """Four eyes: nobody approves or returns what they drafted or uploaded themselves."""
    return user is not None and author_id != user.pk


def has_role(user) -> bool:
    """Whether the user holds a role (or is a superuser): what lets them into the admin."""
    if user is None or not user.is_active:
        return False
    if user.is_superuser:
        return True
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = user._role_names = set(
            user.groups.filter(name__in=ROLES).values_list("name", flat=True)
        )
    return bool(cached)


def users_with_roles(users):
    """The users of a queryset, each loaded with its roles in the same query, so that has_role
    asks none (casualty_tracker.backends loads the signed-in user this way)."""
    from django.contrib.auth.models import Group
    from django.db.models import Exists, OuterRef

    holds = {
        f"holds_{role}": Exists(Group.objects.filter(user=OuterRef("pk"), name=role))
        for role in ROLES
    }
    for user in users.annotate(**holds):
        user._role_names = {role for role in ROLES if getattr(user, f"holds_{role}")}
        yield user


def role_groups_sync() -> None:
    """Create the role groups if missing and give them exactly their permissions (migrations
    claims 0003 and reports 0002 do this on a new database; this repairs one, e.g. after a test
    flushed it)."""
    from django.contrib.auth.models import Group, Permission
    from django.db.models import Q

    for role, codenames in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=role)
        wanted = Q(content_type__app_label="claims", codename__in=codenames)
        for name in ROLE_OTHER_PERMISSIONS.get(role, []):
            app_label, codename = name.split(".")
            wanted |= Q(content_type__app_label=app_label, codename=codename)
        group.permissions.set(Permission.objects.filter(wanted))
