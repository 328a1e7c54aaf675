"""The exploration licence's figures from their sources, replacing the placeholders of 0002.

- Area fee (the "rent" rates), per block per licence year: the Tax Code (No. 120-VI of
  25.12.2017), Art. 563, sets it by months of the licence: 15 MCI in months 1-36, 23 in 37-60,
  32 in 61-84, 60 from month 85; in licence years: 1-3, 4-5, 6-7, 8-11.
- Minimum annual exploration expenditure: the Subsoil Code (No. 125-VI of 27.12.2017) sets it in
  tiers by block count for licence years 1-3 and 4-6 (ExpenditureTier rows). For years 7-11 no
  figure is confirmed: the per-block placeholder rate of 0002 stays, and the type stays marked
  as a placeholder. Whether the Tax Code of 2026 changed the area fee is not confirmed either.

The obligation and rate kinds "rent" keep their value; their label becomes "Area fee", the
Tax Code's word. Reversible: the reverse puts back 0002's rates and text and drops the tiers."""

from decimal import Decimal

from django.db import migrations, models

CODE = "Subsoil Code of the Republic of Kazakhstan No. 125-VI of 27.12.2017 (adilet.zan.kz/eng/docs/K1700000125)"
TAX_CODE = "Tax Code of the Republic of Kazakhstan No. 120-VI of 25.12.2017 (adilet.zan.kz/eng/docs/K1700000120)"
EXPENDITURE_SOURCE = "Subsoil Code No. 125-VI of 27.12.2017: minimum annual exploration expenditure, solid minerals"

SOURCE = (
    f"Term, block limit and minimum annual exploration expenditure for licence years 1-6: {CODE}. "
    f"Area fee per block (months 1-36: 15 MCI, 37-60: 23, 61-84: 32, from 85: 60): {TAX_CODE}, Art. 563. "
    "Not confirmed: whether the Tax Code of 2026 changed the area fee, and the minimum expenditure for "
    "licence years 7-11 (a placeholder rate per block)."
)
OLD_SOURCE = (
    CODE + ". Rent and minimum-expenditure rates per block are placeholders modelled on the Tax Code's payment for "
    "the use of land plots and the Subsoil Code's minimum exploration expenditure; confirm before relying on them."
)

AREA_FEE = [(1, 3, "15"), (4, 5, "23"), (6, 7, "32"), (8, 11, "60")]
OLD_RENT = [(1, 3, "15"), (4, 5, "23"), (6, 6, "32"), (7, 8, "48"), (9, 11, "90")]
OLD_EXPENDITURE = [(1, 3, "1500"), (4, 6, "2000")]  # 7-11 (3000 per block) stays: a placeholder

# (from year, to year, from blocks, to blocks or None, MCI, MCI per block from `from blocks` on)
TIERS = [
    (1, 3, 1, 1, "1200", "0"),
    (1, 3, 2, 5, "1800", "0"),
    (1, 3, 6, 10, "2300", "0"),
    (1, 3, 11, None, "2300", "120"),
    (4, 6, 1, 1, "1200", "0"),
    (4, 6, 2, 5, "2300", "0"),
    (4, 6, 6, 10, "3500", "0"),
    (4, 6, 11, None, "3500", "180"),
]


def _exploration(apps):
    return apps.get_model("licensing", "LicenceType").objects.filter(code="exploration").first()


def _replace_rates(licence_type, Rate, kind, rows):
    Rate.objects.filter(licence_type=licence_type, kind=kind, from_year__in=[start for start, _, _ in rows]).delete()
    for start, end, mci in rows:
        Rate.objects.create(licence_type=licence_type, kind=kind, from_year=start, to_year=end, mci_per_block=mci)


def forward(apps, schema_editor):
    licence_type = _exploration(apps)
    if licence_type is None:  # an installation that removed it: nothing to correct
        return
    Rate = apps.get_model("licensing", "Rate")
    ExpenditureTier = apps.get_model("licensing", "ExpenditureTier")
    Rate.objects.filter(licence_type=licence_type, kind="rent").delete()
    _replace_rates(licence_type, Rate, "rent", [(s, e, Decimal(m)) for s, e, m in AREA_FEE])
    Rate.objects.filter(licence_type=licence_type, kind="expenditure", to_year__lte=6).delete()
    for start, end, low, high, mci, above in TIERS:
        ExpenditureTier.objects.update_or_create(
            licence_type=licence_type,
            from_year=start,
            from_blocks=low,
            defaults={
                "to_year": end,
                "to_blocks": high,
                "mci": Decimal(mci),
                "mci_per_block_above": Decimal(above),
                "source": EXPENDITURE_SOURCE,
            },
        )
    licence_type.source = SOURCE
    licence_type.is_placeholder = True  # years 7-11 and the 2026 Tax Code are not confirmed
    licence_type.save(update_fields=["source", "is_placeholder"])


def backward(apps, schema_editor):
    licence_type = _exploration(apps)
    if licence_type is None:
        return
    Rate = apps.get_model("licensing", "Rate")
    apps.get_model("licensing", "ExpenditureTier").objects.filter(licence_type=licence_type).delete()
    Rate.objects.filter(licence_type=licence_type, kind="rent").delete()
    _replace_rates(licence_type, Rate, "rent", [(s, e, Decimal(m)) for s, e, m in OLD_RENT])
    _replace_rates(licence_type, Rate, "expenditure", [(s, e, Decimal(m)) for s, e, m in OLD_EXPENDITURE])
    licence_type.source = OLD_SOURCE
    licence_type.is_placeholder = True
    licence_type.save(update_fields=["source", "is_placeholder"])


class Migration(migrations.Migration):
    dependencies = [("licensing", "0007_licence_life_money")]

    operations = [
        migrations.AlterField(
            model_name="licenceobligation",
            name="kind",
            field=models.CharField(
                choices=[
                    ("rent", "Area fee"),
                    ("expenditure", "Minimum work expenditure"),
                    ("work_report", "Annual work report"),
                    ("local_content_report", "Local-content report"),
                    ("relinquishment", "Relinquishment"),
                ],
                max_length=24,
                verbose_name="obligation",
            ),
        ),
        migrations.AlterField(
            model_name="rate",
            name="kind",
            field=models.CharField(
                choices=[("rent", "Area fee per block"), ("expenditure", "Minimum work expenditure per block")],
                max_length=16,
                verbose_name="kind",
            ),
        ),
        migrations.RunPython(forward, backward),
    ]
