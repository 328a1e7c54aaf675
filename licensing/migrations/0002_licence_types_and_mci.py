"""Seed Kazakhstan's solid-mineral licence types, their schedules and the MCI values.

Terms and the 200-block limit of exploration are from the Subsoil Code (No. 125-VI of
27 December 2017). The per-block rent and minimum-expenditure figures, the fees and the
service times are placeholders until an official confirms them from the current acts:
each licence type says so (`is_placeholder`) and names its sources; officials change
them in the admin."""

from decimal import Decimal

from django.db import migrations

CODE = "Subsoil Code of the Republic of Kazakhstan No. 125-VI of 27.12.2017 (adilet.zan.kz/eng/docs/K1700000125)"
PLACEHOLDER = (
    " Rent and minimum-expenditure rates per block are placeholders modelled on the Tax Code's payment for "
    "the use of land plots and the Subsoil Code's minimum exploration expenditure; confirm before relying on them."
)

TYPES = [
    {
        "code": "exploration",
        "kind": "exploration",
        "number_prefix": "EXP",
        "name_en": "Exploration licence (solid minerals)",
        "name_ru": "Лицензия на разведку твёрдых полезных ископаемых",
        "name_kk": "Қатты пайдалы қазбаларды барлауға арналған лицензия",
        "min_blocks": 1,
        "max_blocks": 200,
        "term_years": 6,
        "extension_max_count": 1,
        "extension_max_years": 5,
        "extension_rule": "One extension of up to five years, on relinquishing part of the area (placeholder).",
        "application_fee_mci": Decimal("0"),
        "sort_order": 10,
        "rates": [
            ("rent", 1, 3, "15"),
            ("rent", 4, 5, "23"),
            ("rent", 6, 6, "32"),
            ("rent", 7, 8, "48"),
            ("rent", 9, 11, "90"),
            ("expenditure", 1, 3, "1500"),
            ("expenditure", 4, 6, "2000"),
            ("expenditure", 7, 11, "3000"),
        ],
        "relinquishments": [(3, "40"), (6, "30")],
        "documents": [
            ("work-programme", "report", "Exploration work programme (PDF)", "Программа работ по разведке (PDF)",
             "Барлау жұмыстарының бағдарламасы (PDF)"),
            ("financial-capacity", "financial", "Evidence of financial capacity (PDF or XLSX)",
             "Подтверждение финансовых возможностей (PDF или XLSX)", "Қаржылық мүмкіндіктің дәлелі (PDF немесе XLSX)"),
        ],
    },
    {
        "code": "mining",
        "kind": "mining",
        "number_prefix": "MIN",
        "name_en": "Mining licence (solid minerals)",
        "name_ru": "Лицензия на добычу твёрдых полезных ископаемых",
        "name_kk": "Қатты пайдалы қазбаларды өндіруге арналған лицензия",
        "min_blocks": 1,
        "max_blocks": 200,
        "term_years": 25,
        "extension_max_count": 9,
        "extension_max_years": None,
        "extension_rule": "Extensions each no longer than the original term; the area follows the mining plan.",
        "application_fee_mci": Decimal("0"),
        "sort_order": 20,
        "rates": [("rent", 1, 25, "450"), ("expenditure", 1, 25, "0")],
        "relinquishments": [],
        "documents": [
            ("mining-plan", "report", "Mining plan (PDF)", "План горных работ (PDF)", "Тау-кен жұмыстарының жоспары (PDF)"),
            ("environment", "report", "Environmental impact assessment (PDF)", "Оценка воздействия на окружающую среду (PDF)",
             "Қоршаған ортаға әсерді бағалау (PDF)"),
            ("financial-capacity", "financial", "Evidence of financial capacity (PDF or XLSX)",
             "Подтверждение финансовых возможностей (PDF или XLSX)", "Қаржылық мүмкіндіктің дәлелі (PDF немесе XLSX)"),
        ],
    },
    {
        "code": "prospecting",
        "kind": "prospecting",
        "number_prefix": "PRO",
        "name_en": "Prospecting licence",
        "name_ru": "Лицензия на старательство",
        "name_kk": "Кен іздеушілікке арналған лицензия",
        "min_blocks": 1,
        "max_blocks": 1,
        "term_years": 3,
        "extension_max_count": 1,
        "extension_max_years": 3,
        "extension_rule": "Small areas for short terms (placeholder: one block).",
        "application_fee_mci": Decimal("0"),
        "sort_order": 30,
        "rates": [("rent", 1, 3, "15"), ("expenditure", 1, 3, "0")],
        "relinquishments": [],
        "documents": [
            ("sketch-map", "map", "Sketch map of the area (PDF, PNG or JPEG)", "Схема участка (PDF, PNG или JPEG)",
             "Учаскенің сызбасы (PDF, PNG немесе JPEG)"),
        ],
    },
]

# Working days per stage (published service times): placeholders, same for every type.
STAGES = {"lodged": 5, "under_review": 10, "assessment": 20, "screening": 30, "recommended": 10}

MCI = [
    (2024, "3692", "Law on the republican budget for 2024-2026"),
    (2025, "3932", "Law on the republican budget for 2025-2027"),
    (2026, "4325", "Law on the republican budget for 2026-2028"),
]


def seed(apps, schema_editor):
    LicenceType = apps.get_model("licensing", "LicenceType")
    Rate = apps.get_model("licensing", "Rate")
    RelinquishmentRule = apps.get_model("licensing", "RelinquishmentRule")
    RequiredDocument = apps.get_model("licensing", "RequiredDocument")
    StageTarget = apps.get_model("licensing", "StageTarget")
    MciValue = apps.get_model("licensing", "MciValue")
    PriorityCounter = apps.get_model("licensing", "PriorityCounter")
    for spec in TYPES:
        spec = dict(spec)
        rates, relinquishments, documents = spec.pop("rates"), spec.pop("relinquishments"), spec.pop("documents")
        licence_type = LicenceType.objects.create(**spec, source=CODE + "." + PLACEHOLDER, is_placeholder=True)
        for kind, start, end, mci in rates:
            Rate.objects.create(
                licence_type=licence_type, kind=kind, from_year=start, to_year=end, mci_per_block=Decimal(mci)
            )
        for year, percent in relinquishments:
            RelinquishmentRule.objects.create(licence_type=licence_type, after_year=year, percent=Decimal(percent))
        for code, kind, en, ru, kk in documents:
            RequiredDocument.objects.create(
                licence_type=licence_type, code=code, document_kind=kind, label_en=en, label_ru=ru, label_kk=kk
            )
        for stage, days in STAGES.items():
            StageTarget.objects.create(licence_type=licence_type, stage=stage, working_days=days)
    for year, value, source in MCI:
        MciValue.objects.create(year=year, value_kzt=Decimal(value), source=source)
    PriorityCounter.objects.get_or_create(pk=1)


def unseed(apps, schema_editor):
    apps.get_model("licensing", "LicenceType").objects.filter(code__in=[t["code"] for t in TYPES]).delete()
    apps.get_model("licensing", "MciValue").objects.filter(year__in=[y for y, _, _ in MCI]).delete()


class Migration(migrations.Migration):
    dependencies = [("licensing", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
