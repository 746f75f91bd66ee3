"""The publisher group may publish monthly reports and see the publications in the admin."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

# A copy, not an import: a migration must keep meaning what it meant when it was written.
PUBLISHER = "publisher"
CODENAMES = ["publish_monthpublication", "view_monthpublication"]


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs them now.
    app_config = apps.get_app_config("reports")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=PUBLISHER)
    permissions = Permission.objects.filter(
        content_type__app_label="reports", codename__in=CODENAMES
    )
    missing = set(CODENAMES) - set(permissions.values_list("codename", flat=True))
    if missing:
        raise RuntimeError(f"Permissions missing for role {PUBLISHER}: {sorted(missing)}")
    group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="reports", codename__in=CODENAMES
    )
    for group in Group.objects.filter(name=PUBLISHER):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_month_publication"),
        ("claims", "0003_roles"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
