"""Each publication's SHA-256 (of its canonical JSON): the column, empty until 0004 fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0002_publisher_can_publish")]

    operations = [
        migrations.AddField(
            model_name="monthpublication",
            name="sha256",
            field=models.CharField(
                default="",
                help_text=(
                    "SHA-256 (lowercase hex) of the canonical JSON of `figures` "
                    "(reports.publishing.canonical_json), written with the row."
                ),
                max_length=64,
            ),
            preserve_default=False,
        ),
    ]
