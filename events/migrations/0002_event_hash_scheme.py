from django.db import migrations, models


class Migration(migrations.Migration):
    """Events recorded before this migration were hashed under scheme 1; new ones under 2.
    `manage.py event_chain_reseal` re-seals the old ones once, and records that it did."""

    dependencies = [("events", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="event",
            name="hash_scheme",
            field=models.PositiveSmallIntegerField(default=1, verbose_name="hash scheme"),
        ),
        migrations.AlterField(
            model_name="event",
            name="hash_scheme",
            field=models.PositiveSmallIntegerField(default=2, verbose_name="hash scheme"),
        ),
    ]
