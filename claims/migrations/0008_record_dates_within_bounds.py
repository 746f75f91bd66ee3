"""Every record's date lies between the campaign's start and today (claims/dates.py).

The date fields get the validator `validate_record_date` (the setting CAMPAIGN_START and today,
read when a date is validated), and each date column a CheckConstraint with the database's floor:
the constant date 1990-01-01 (claims.dates.DATABASE_FLOOR), written here as a literal because a
constraint cannot follow a setting, and "not after today" cannot be a constraint at all (today
moves). A database holding an earlier date cannot take the constraint: `refuse_dates_before_floor`
lists those records first, so the migration stops with what to correct rather than a bare
IntegrityError.
"""

import datetime

from django.conf import settings
from django.db import migrations, models

import claims.dates

FLOOR = datetime.date(1990, 1, 1)
COLUMNS = [
    ("Strike", "date", "strike_ref"),
    ("Claim", "received_on", "claim_ref"),
    ("Claim", "incident_date", "claim_ref"),
    ("Assessment", "assessed_on", "claim__claim_ref"),
    ("Reopening", "reopened_on", "claim__claim_ref"),
    ("ExternalAssessment", "assessed_on", "claim__claim_ref"),
]


def refuse_dates_before_floor(apps, schema_editor):
    found = []
    for model_name, column, ref in COLUMNS:
        model = apps.get_model("claims", model_name)
        rows = model.objects.filter(**{f"{column}__lt": FLOOR}).values_list(ref, column)[:20]
        found += [f"{model_name} {value} {column} {day.isoformat()}" for value, day in rows]
    if found:
        raise RuntimeError(
            f"These records are dated before {FLOOR.isoformat()}, the earliest date a record may "
            f"carry; correct them (most are typos) and migrate again: {'; '.join(found)}."
        )


class Migration(migrations.Migration):

    dependencies = [
        ('claims', '0007_reviewers_see_batches'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(refuse_dates_before_floor, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='assessment',
            name='assessed_on',
            field=models.DateField(blank=True, db_index=True, null=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='claim',
            name='incident_date',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='claim',
            name='received_on',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='externalassessment',
            name='assessed_on',
            field=models.DateField(blank=True, null=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalassessment',
            name='assessed_on',
            field=models.DateField(blank=True, db_index=True, null=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='incident_date',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalclaim',
            name='received_on',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalexternalassessment',
            name='assessed_on',
            field=models.DateField(blank=True, null=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalreopening',
            name='reopened_on',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='historicalstrike',
            name='date',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='reopening',
            name='reopened_on',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AlterField(
            model_name='strike',
            name='date',
            field=models.DateField(db_index=True, validators=[claims.dates.validate_record_date]),
        ),
        migrations.AddConstraint(
            model_name='assessment',
            constraint=models.CheckConstraint(condition=models.Q(('assessed_on__isnull', True), ('assessed_on__gte', datetime.date(1990, 1, 1)), _connector='OR'), name='assessment_assessed_on_from_floor', violation_error_message='assessed_on must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(('received_on__gte', datetime.date(1990, 1, 1))), name='claim_received_on_from_floor', violation_error_message='received_on must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
        migrations.AddConstraint(
            model_name='claim',
            constraint=models.CheckConstraint(condition=models.Q(('incident_date__gte', datetime.date(1990, 1, 1))), name='claim_incident_date_from_floor', violation_error_message='incident_date must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
        migrations.AddConstraint(
            model_name='externalassessment',
            constraint=models.CheckConstraint(condition=models.Q(('assessed_on__isnull', True), ('assessed_on__gte', datetime.date(1990, 1, 1)), _connector='OR'), name='external_assessment_assessed_on_from_floor', violation_error_message='assessed_on must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
        migrations.AddConstraint(
            model_name='reopening',
            constraint=models.CheckConstraint(condition=models.Q(('reopened_on__gte', datetime.date(1990, 1, 1))), name='reopening_reopened_on_from_floor', violation_error_message='reopened_on must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
        migrations.AddConstraint(
            model_name='strike',
            constraint=models.CheckConstraint(condition=models.Q(('date__gte', datetime.date(1990, 1, 1))), name='strike_date_from_floor', violation_error_message='date must be on or after 1990-01-01 (the earliest date the database accepts).'),
        ),
    ]
