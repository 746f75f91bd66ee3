"""Publications made before their SHA-256 was stored get it from reports 0004 (their rows are
otherwise immutable), and then meet the constraint of 0005."""

import datetime as dt
import hashlib
import json

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("reports", "0002_publisher_can_publish")]

# serialized_rollback: the roles (groups made by migrations) are restored for the tests after.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_the_sha256_migration_fills_every_publication_made_before_it():
    executor = MigrationExecutor(connection)
    latest = executor.loader.graph.leaf_nodes()
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    paula = old.get_model("auth", "User").objects.create(username="paula")
    Publication = old.get_model("reports", "MonthPublication")
    figures = {
        1: {"period": "2017-03", "credible": 2, "place": "Ḥalab", "pct": 0.2},
        2: {"period": "2017-03", "credible": 3, "place": "Ḥalab", "pct": 100.0},
    }
    for revision, published in figures.items():
        Publication.objects.create(
            period="2017-03",
            revision=revision,
            published_at=dt.datetime(2017, 4, revision, tzinfo=dt.UTC),
            published_by=paula,
            figures=published,
        )

    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    new = executor.loader.project_state(latest).apps
    rows = new.get_model("reports", "MonthPublication").objects.order_by("revision")
    expected = [
        hashlib.sha256(
            json.dumps(published, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
                "utf-8"
            )
        ).hexdigest()
        for published in figures.values()
    ]
    assert [row.sha256 for row in rows] == expected
    with pytest.raises(IntegrityError), transaction.atomic():
        rows.filter(revision=1).update(sha256="not a hash")  # the historical manager updates
    # And back (the column dropped), and forward again: filled again.
    MigrationExecutor(connection).migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(latest)
    rows = executor.loader.project_state(latest).apps.get_model("reports", "MonthPublication")
    assert list(rows.objects.order_by("revision").values_list("sha256", flat=True)) == expected
