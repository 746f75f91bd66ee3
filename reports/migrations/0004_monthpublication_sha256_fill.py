"""The SHA-256 of every publication made before the column existed.

Publications are immutable: MonthPublicationQuerySet.update refuses. The historical model of a
migration has a plain manager (the custom one is not `use_in_migrations`), so its queryset's
update is Django's and writes the one column, once, here.
"""

import hashlib
import json

from django.db import migrations


def canonical_json(figures: dict) -> bytes:
    # A copy of reports.publishing.canonical_json, not an import: a migration must keep meaning
    # what it meant when it was written.
    return json.dumps(figures, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode(
        "utf-8"
    )


def fill(apps, schema_editor):
    MonthPublication = apps.get_model("reports", "MonthPublication")
    assert not hasattr(MonthPublication.objects, "latest_per_period"), "the historical manager"
    for pk, figures in MonthPublication.objects.filter(sha256="").values_list("pk", "figures"):
        digest = hashlib.sha256(canonical_json(figures)).hexdigest()
        MonthPublication.objects.filter(pk=pk).update(sha256=digest)


class Migration(migrations.Migration):
    dependencies = [("reports", "0003_monthpublication_sha256")]

    # Reversed, the column is dropped by 0003's reverse: nothing to undo here.
    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
