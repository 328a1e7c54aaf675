"""`certificate_sha256_idx`: /verify/ finds the issued version of an uploaded certificate file by
its SHA-256 alone, across every licence. Reversible."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0018_register_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="certificateversion",
            index=models.Index(fields=["sha256"], name="certificate_sha256_idx"),
        ),
    ]
