"""Roles: Django groups with permissions, created by migration 0003.

- analyst: records and edits claims and strikes, links strikes, drafts (proposes) assessments,
  reopens claims, comments.
- reviewer: everything an analyst can, plus approving or returning proposed assessments, never
  their own (four eyes: enforced in claims.services and by a database constraint).
- publisher: publishes monthly reports (reports.publishing.month_publish).
Superusers manage users. A user with no role sees nothing of the claims admin.
"""

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
    REVIEWER: [*_ANALYST, "approve_assessment"],
    PUBLISHER: list(_VIEW),
}

# Permissions a role holds in other apps, as "app_label.codename" (reports/migrations/0002).
PUBLISH_REPORTS = "reports.publish_monthpublication"
ROLE_OTHER_PERMISSIONS = {PUBLISHER: [PUBLISH_REPORTS, "reports.view_monthpublication"]}

# What each action needs, as "app_label.codename".
CREATE_CLAIM = "claims.add_claim"
EDIT_CLAIM = "claims.change_claim"
CREATE_STRIKE = "claims.add_strike"
EDIT_STRIKE = "claims.change_strike"
PROPOSE = "claims.add_assessment"
EDIT_PROPOSAL = "claims.change_assessment"
DECIDE = "claims.approve_assessment"
REOPEN = "claims.add_reopening"
COMMENT = "claims.add_claimcomment"


def require(user, permission: str, action: str) -> None:
    """Raise PermissionDenied, naming the action, unless the user holds the permission."""
    if user is None or not user.is_active or not user.has_perm(permission):
        raise PermissionDenied(f"You do not have permission to {action}.")


def can(user, permission: str) -> bool:
    return user is not None and user.is_active and user.has_perm(permission)


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
