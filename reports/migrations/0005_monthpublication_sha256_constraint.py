"""Every publication's SHA-256 is 64 lowercase hexadecimal digits (0004 filled the old rows)."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0004_monthpublication_sha256_fill")]

    operations = [
        migrations.AddConstraint(
            model_name="monthpublication",
            constraint=models.CheckConstraint(
                condition=models.Q(sha256__regex="^[0-9a-f]{64}$"),
                name="monthpublication_sha256_hex",
                violation_error_message="The SHA-256 is 64 lowercase hexadecimal digits.",
            ),
        ),
    ]
