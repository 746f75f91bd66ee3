"""The analyst, reviewer and publisher groups and their permissions (see claims/roles.py)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy, not an import: a migration must keep meaning what it meant when it was written.
VIEW = [
    "view_belligerent",
    "view_strike",
    "view_claim",
    "view_victim",
    "view_assessment",
    "view_reopening",
    "view_externalassessment",
    "view_claimcomment",
]
ANALYST = [
    *VIEW,
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
ROLES = {
    "analyst": ANALYST,
    "reviewer": [*ANALYST, "approve_assessment"],
    "publisher": VIEW,
}


def create_roles(apps, schema_editor):
    # Permissions are normally created after all migrations; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=role)
        permissions = Permission.objects.filter(
            content_type__app_label="claims", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Permissions missing for role {role}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("claims", "0002_workflow_and_history"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
