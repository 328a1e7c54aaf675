"""The numbered working days (`WorkingDay`): the statistics count working days in SQL as the
difference of two days' numbers. Empty here: `licensing.calendar.working_days_refresh` fills it
from the calendar the first time the statistics need it, and the nightly beat keeps it current."""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0016_conversion_and_area_fee_unit"),
    ]

    operations = [
        migrations.CreateModel(
            name="WorkingDay",
            fields=[
                ("date", models.DateField(primary_key=True, serialize=False, verbose_name="date")),
                ("is_working_day", models.BooleanField(verbose_name="working day")),
                ("number", models.PositiveIntegerField(verbose_name="working days so far")),
                ("override", models.BooleanField(null=True, verbose_name="override")),
            ],
            options={
                "verbose_name": "numbered working day",
                "verbose_name_plural": "numbered working days",
                "ordering": ["date"],
            },
        ),
    ]
