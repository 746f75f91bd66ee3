"""Reviewers see the uploaded batches of assessments (they approve other reviewers' batches)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations


def grant(apps, schema_editor):
    # Permissions are normally created after all migrations; the group needs this one now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.get(content_type__app_label="claims", codename="view_assessmentbatch")
    for group in Group.objects.filter(name="reviewer"):
        group.permissions.add(view)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    view = Permission.objects.filter(
        content_type__app_label="claims", codename="view_assessmentbatch"
    )
    for group in Group.objects.filter(name="reviewer"):
        group.permissions.remove(*view)


class Migration(migrations.Migration):
    dependencies = [("claims", "0006_assessment_batches")]

    operations = [migrations.RunPython(grant, revoke)]
