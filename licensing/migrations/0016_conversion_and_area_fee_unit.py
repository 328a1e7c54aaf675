"""Conversion of an exploration licence to a mining licence, and the mining area fee per km².

- `Application.converts`: the exploration licence a mining application converts (its holder
  applies over blocks of it, with priority over anyone else).
- `Rate.unit`: a rate is MCI per block or per km² of the licence's area. Every existing rate is
  per block, except the mining licence's area fee: the Tax Code (No. 120-VI of 25.12.2017),
  Art. 563, sets it at 450 MCI per km² a year. Its source text says so; the type stays marked as a
  placeholder (whether the Tax Code of 2026 changed the figure is not confirmed, and its service
  times are placeholders). Reversible: the reverse puts the mining rate back per block and drops
  the sentence from the source."""

import django.db.models.deletion
from django.db import migrations, models

MINING_AREA_FEE = (
    " Area fee: 450 MCI per km² of the licence's area a year: Tax Code of the Republic of Kazakhstan "
    "No. 120-VI of 25.12.2017 (adilet.zan.kz/eng/docs/K1700000120), Art. 563; whether the Tax Code of 2026 "
    "changed it is not confirmed."
)


def forward(apps, schema_editor):
    LicenceType = apps.get_model("licensing", "LicenceType")
    Rate = apps.get_model("licensing", "Rate")
    mining = LicenceType.objects.filter(code="mining").first()
    if mining is None:
        return
    Rate.objects.filter(licence_type=mining, kind="rent").delete()
    Rate.objects.create(
        licence_type=mining, kind="rent", from_year=1, to_year=mining.term_years, mci_per_block=450, unit="km2"
    )
    if MINING_AREA_FEE not in mining.source:
        mining.source = (mining.source + MINING_AREA_FEE).strip()
        mining.save(update_fields=["source"])


def backward(apps, schema_editor):
    LicenceType = apps.get_model("licensing", "LicenceType")
    Rate = apps.get_model("licensing", "Rate")
    mining = LicenceType.objects.filter(code="mining").first()
    if mining is None:
        return
    Rate.objects.filter(licence_type=mining, kind="rent", unit="km2").update(unit="block")
    mining.source = mining.source.replace(MINING_AREA_FEE, "")
    mining.save(update_fields=["source"])


class Migration(migrations.Migration):
    dependencies = [
        ("licensing", "0015_revocations_and_force_majeure"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="converts",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="conversions",
                to="licensing.licence",
                verbose_name="converts the licence",
            ),
        ),
        migrations.AddField(
            model_name="rate",
            name="unit",
            field=models.CharField(
                choices=[("block", "per block"), ("km2", "per km²")], default="block", max_length=8, verbose_name="unit"
            ),
        ),
        migrations.AlterField(
            model_name="rate",
            name="mci_per_block",
            field=models.DecimalField(decimal_places=2, max_digits=10, verbose_name="MCI per unit per year"),
        ),
        migrations.RunPython(forward, backward),
    ]
