"""Migrations keep the records: a claim's status, once a stored column kept in step with its stage
by a constraint, is now computed from the stage (claims 0005)."""

import datetime as dt

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("claims", "0004_refs_without_slash")]

# serialized_rollback: the roles (groups made by migrations) are restored for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_status_migration_keeps_every_claims_status():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    User = old.get_model("auth", "User")
    Claim = old.get_model("claims", "Claim")
    alice = User.objects.create(username="alice")
    rows = {
        "CIV-NEW": ("open", "new", None),
        "CIV-REVIEW": ("open", "in_review", alice),
        "CIV-PROPOSED": ("open", "proposed", alice),
        "CIV-CLOSED": ("closed", "closed", None),
    }
    for ref, (status, stage, assignee) in rows.items():
        Claim.objects.create(
            claim_ref=ref,
            received_on=dt.date(2017, 3, 9),
            incident_date=dt.date(2017, 3, 4),
            country="IQ",
            source_type="ngo",
            status=status,
            stage=stage,
            assignee=assignee,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps
    claims = new.get_model("claims", "Claim").objects.order_by("claim_ref")
    assert {c.claim_ref: (c.status, c.stage) for c in claims} == {
        ref: (status, stage) for ref, (status, stage, _) in rows.items()
    }

    # And back: the stored column is refilled from the stage.
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    claims = old.get_model("claims", "Claim").objects.order_by("claim_ref")
    assert {c.claim_ref: c.status for c in claims} == {
        ref: status for ref, (status, _, _) in rows.items()
    }
    MigrationExecutor(connection).migrate(latest)
