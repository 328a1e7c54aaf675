"""The signature bonus of each licence type (Tax Code, Art. 727), invoiced at the grant.

100 MCI for exploration and 200 for mining are the older Tax Code's figures (whether the 2026
Tax Code changed them is not confirmed); no source gives one for prospecting, so it stays 0
(no bonus is invoiced) until an official sets it."""

from decimal import Decimal

from django.db import migrations, models

BONUS_MCI = {"exploration": Decimal(100), "mining": Decimal(200)}


def set_bonus(apps, schema_editor):
    LicenceType = apps.get_model("licensing", "LicenceType")
    for code, mci in BONUS_MCI.items():
        LicenceType.objects.filter(code=code).update(signature_bonus_mci=mci)


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0008_ledger_sourced_figures"),
    ]

    operations = [
        migrations.AddField(
            model_name="licencetype",
            name="signature_bonus_mci",
            field=models.DecimalField(
                decimal_places=2,
                default=0,
                help_text="Tax Code, Art. 727: paid once, when the licence is issued. Zero: none.",
                max_digits=10,
                verbose_name="signature bonus, MCI",
            ),
        ),
        migrations.RunPython(set_bonus, migrations.RunPython.noop),
    ]
