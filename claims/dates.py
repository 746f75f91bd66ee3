"""The one home of a record's date bounds: not before the campaign's start, not after today.

Every date the tracker records (a strike's date, a claim's incident and received dates, an
assessment's, a reopening's, an independent organisation's) must fall between the campaign's start
(the CAMPAIGN_START setting, 1990-01-01 unless configured) and today. One typo (0201-07-01 for
2017-07-01, or 9999-12-31) would otherwise stretch every monthly series and chart over centuries.

Who applies it:
- the models: `validate_record_date` is a validator of every date field, so `full_clean()`, the
  admin's forms, the services (which call `full_clean()` or `date_problems`) and the API's input
  serializers (DRF copies a model field's validators) refuse such a date, naming the field;
- the importer: `Row.date` (claims/importers/base.py) reports `date_problem` with row, column and
  value;
- the database: `floor_constraint`, a CheckConstraint on every date column. Its floor is the
  constant `DATABASE_FLOOR` (written into migration 0008 as a literal date), not the setting: a
  constraint cannot follow a setting or a moving "today". CAMPAIGN_START may raise the floor, never
  lower it (a system check, `check_campaign_start`, says so); lowering it below 1990-01-01 takes
  a new migration.
"""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.core import checks
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy

# The earliest date the database accepts in any date column (the CheckConstraints' floor).
DATABASE_FLOOR = date(1990, 1, 1)


def campaign_start() -> date:
    """The earliest date a record may carry (the CAMPAIGN_START setting)."""
    return settings.CAMPAIGN_START


def today() -> date:
    return timezone.localdate()


def date_problem(value: date) -> str | None:
    """Why `value` is not a date the tracker records, or None if it is."""
    start = campaign_start()
    if value < start:
        return (
            f"{value.isoformat()} is before the campaign's start: a date must be on or after "
            f"{start.isoformat()} (the CAMPAIGN_START setting)."
        )
    now = today()
    if value > now:
        return (
            f"{value.isoformat()} is in the future: a date must be on or before today "
            f"({now.isoformat()})."
        )
    return None


def validate_record_date(value: date) -> None:
    """The model fields' validator (admin forms, full_clean, the API's input serializers)."""
    problem = date_problem(value)
    if problem is not None:
        raise ValidationError(problem, code="date_out_of_range")


def date_problems(**dates: date | None) -> list[tuple[str, str]]:
    """(field, message) for each given date out of bounds, as claims.workflow's Problems."""
    return [
        (field, problem)
        for field, value in dates.items()
        if value is not None and (problem := date_problem(value)) is not None
    ]


def _bounds_help() -> str:
    return (
        f"A date (YYYY-MM-DD) on or after {campaign_start().isoformat()} (the campaign's start) "
        "and not after today."
    )


# The API schema's description of a date field, read when the schema is built.
BOUNDS_HELP = lazy(_bounds_help, str)()


def floor_constraint(prefix: str, field: str, *, nullable: bool = False) -> models.CheckConstraint:
    """The database's part: `field` is on or after DATABASE_FLOOR (NULL passes if `nullable`)."""
    condition = Q(**{f"{field}__gte": DATABASE_FLOOR})
    if nullable:
        condition = Q(**{f"{field}__isnull": True}) | condition
    return models.CheckConstraint(
        condition=condition,
        name=f"{prefix}_{field}_from_floor",
        violation_error_message=(
            f"{field} must be on or after {DATABASE_FLOOR.isoformat()} (the earliest date the "
            "database accepts)."
        ),
    )


@checks.register()
def check_campaign_start(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    """CAMPAIGN_START may raise the database's floor, never lower it, and is not in the future."""
    start = campaign_start()
    if start < DATABASE_FLOOR:
        return [
            checks.Error(
                f"CAMPAIGN_START is {start.isoformat()}, before {DATABASE_FLOOR.isoformat()}, the "
                "earliest date the database accepts.",
                hint="Set CAMPAIGN_START to 1990-01-01 or later (lowering the database's floor "
                "takes a migration: claims/dates.py, DATABASE_FLOOR).",
                id="claims.E001",
            )
        ]
    if start > today():
        return [
            checks.Error(
                f"CAMPAIGN_START is {start.isoformat()}, in the future: no date could be recorded.",
                id="claims.E002",
            )
        ]
    return []
