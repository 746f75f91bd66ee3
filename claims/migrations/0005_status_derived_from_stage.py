"""A claim's status is computed by the database from its stage (claims.workflow.STAGE_STATUS).

The two columns held one fact, kept in step by the constraint claim_stage_matches_status, so
every existing row's status is exactly what the generated column computes from its stage: the
stored column is dropped and re-added as generated (Django cannot alter a column into one).
"""

from django.conf import settings
from django.db import migrations, models


def status_from_stage(apps, schema_editor):
    """Backwards only: the stored status column comes back (as 'open'); fill it from the stage
    before the constraint that kept the two in step comes back too."""
    for name in ("Claim", "HistoricalClaim"):
        model = apps.get_model("claims", name)
        model.objects.filter(stage="closed").update(status="closed")
        model.objects.exclude(stage="closed").update(status="open")


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0004_refs_without_slash'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RemoveConstraint(
            model_name='claim',
            name='claim_stage_matches_status',
        ),
        migrations.RunPython(migrations.RunPython.noop, status_from_stage),
        migrations.RemoveField(model_name='claim', name='status'),
        migrations.AddField(
            model_name='claim',
            name='status',
            field=models.GeneratedField(choices=[('open', 'Open'), ('closed', 'Closed')], db_index=True, db_persist=True, expression=models.Case(models.When(stage='new', then=models.Value('open')), models.When(stage='in_review', then=models.Value('open')), models.When(stage='proposed', then=models.Value('open')), models.When(stage='closed', then=models.Value('closed'))), output_field=models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], max_length=10)),
        ),
        migrations.RemoveField(model_name='historicalclaim', name='status'),
        migrations.AddField(
            model_name='historicalclaim',
            name='status',
            field=models.GeneratedField(choices=[('open', 'Open'), ('closed', 'Closed')], db_index=True, db_persist=True, expression=models.Case(models.When(stage='new', then=models.Value('open')), models.When(stage='in_review', then=models.Value('open')), models.When(stage='proposed', then=models.Value('open')), models.When(stage='closed', then=models.Value('closed'))), output_field=models.CharField(choices=[('open', 'Open'), ('closed', 'Closed')], max_length=10)),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(('stage__in', ['new', 'in_review', 'proposed', 'closed'])), name='claim_stage_valid', violation_error_message='Unknown stage.'),
        ),
    ]
