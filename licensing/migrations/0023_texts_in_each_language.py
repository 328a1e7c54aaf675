"""A licence type's extension rule and source of the figures, and an expenditure tier's source, in
English, Russian and Kazakh.
The existing texts are English: each column is renamed to its English column, keeping its
value. The Russian and Kazakh columns start empty, except for the texts the catalogue was
seeded with (0002, 0008, 0014, 0016), which get their translations here when an official has
not changed them since."""

from django.db import migrations, models

# The English texts the catalogue was seeded with, and their Russian and Kazakh.
SUBSOIL_CODE = (
    "Subsoil Code of the Republic of Kazakhstan No. 125-VI of 27.12.2017 (adilet.zan.kz/eng/docs/K1700000125).",
    "Кодекс Республики Казахстан «О недрах и недропользовании» № 125-VI от 27.12.2017 "
    "(adilet.zan.kz/rus/docs/K1700000125).",
    "Қазақстан Республикасының «Жер қойнауы және жер қойнауын пайдалану туралы» 2017 жылғы 27 желтоқсандағы "
    "№ 125-VI Кодексі (adilet.zan.kz/kaz/docs/K1700000125).",
)
TAX_CODE = (
    "Tax Code of the Republic of Kazakhstan No. 120-VI of 25.12.2017 (adilet.zan.kz/eng/docs/K1700000120), Art. 563",
    "Кодекс Республики Казахстан «О налогах и других обязательных платежах в бюджет» (Налоговый кодекс) "
    "№ 120-VI от 25.12.2017 (adilet.zan.kz/rus/docs/K1700000120), ст. 563",
    "Қазақстан Республикасының «Салық және бюджетке төленетін басқа да міндетті төлемдер туралы» 2017 жылғы "
    "25 желтоқсандағы № 120-VI Кодексі (Салық кодексі) (adilet.zan.kz/kaz/docs/K1700000120), 563-бап",
)
PLACEHOLDER_RATES = (
    " Rent and minimum-expenditure rates per block are placeholders modelled on the Tax Code's payment for the use "
    "of land plots and the Subsoil Code's minimum exploration expenditure; confirm before relying on them.",
    " Ставки арендной платы и минимальных расходов за блок условны: они построены по образцу платы за пользование "
    "земельными участками по Налоговому кодексу и минимальных расходов на разведку по Кодексу о недрах; проверьте "
    "их, прежде чем на них полагаться.",
    " Бір блок үшін жалдау ақысы мен ең төменгі шығыстар мөлшерлемелері шартты: олар Салық кодексіндегі жер "
    "учаскелерін пайдаланғаны үшін төлемақы мен Жер қойнауы туралы кодекстегі барлауға жұмсалатын ең төменгі "
    "шығыстар үлгісімен алынған; оларға сүйенбес бұрын тексеріңіз.",
)
_TEXTS: list[tuple[str, str, str]] = [
    # exploration: extension rule (0014)
    (
        "One extension of 5 years, only with 10 or more blocks at the grant and at least 40 % of them relinquished "
        "(secondary sources).",
        "Одно продление на 5 лет, только если при выдаче лицензии было 10 или более блоков и не менее 40 % из них "
        "возвращено (по вторичным источникам).",
        "Бір рет 5 жылға ұзарту, тек лицензия берілген кезде 10 немесе одан көп блок болса және олардың кемінде "
        "40 %-ы қайтарылса ғана (қосалқы дереккөздер бойынша).",
    ),
    # exploration: source (0008, 0016)
    (
        "Term, block limit and minimum annual exploration expenditure for licence years 1-6: "
        + SUBSOIL_CODE[0]
        + " Area fee per block (months 1-36: 15 MCI, 37-60: 23, 61-84: 32, from 85: 60): "
        + TAX_CODE[0]
        + ". Not confirmed: whether the Tax Code of 2026 changed the area fee, and the minimum expenditure for "
        "licence years 7-11 (a placeholder rate per block).",
        "Срок, предельное число блоков и минимальные ежегодные расходы на разведку в 1–6-й годы лицензии: "
        + SUBSOIL_CODE[1]
        + " Плата за пользование земельными участками за блок (месяцы 1–36: 15 МРП, 37–60: 23, 61–84: 32, "
        "с 85-го: 60): "
        + TAX_CODE[1]
        + ". Не подтверждено: изменил ли Налоговый кодекс 2026 года эту плату, а также минимальные расходы "
        "в 7–11-й годы лицензии (условная ставка за блок).",
        "Мерзімі, блоктардың шекті саны және лицензияның 1–6-жылдарында барлауға жұмсалатын ең төменгі жылдық "
        "шығыстар: "
        + SUBSOIL_CODE[2]
        + " Бір блокқа шаққанда жер учаскелерін пайдаланғаны үшін төлемақы (1–36-айлар: 15 АЕК, 37–60: 23, "
        "61–84: 32, 85-айдан бастап: 60): "
        + TAX_CODE[2]
        + ". Расталмаған: 2026 жылғы Салық кодексі бұл төлемақыны өзгерткені-өзгертпегені, сондай-ақ "
        "лицензияның 7–11-жылдарындағы ең төменгі шығыстар (блок үшін шартты мөлшерлеме).",
    ),
    # mining: extension rule (0002, 0014)
    (
        "Extensions each no longer than the original term; the area follows the mining plan.",
        "Каждое продление не дольше первоначального срока; территория определяется планом горных работ.",
        "Әрбір ұзарту бастапқы мерзімнен аспайды; аумақ тау-кен жұмыстарының жоспарына сәйкес айқындалады.",
    ),
    # mining: source (0016)
    (
        SUBSOIL_CODE[0]
        + PLACEHOLDER_RATES[0]
        + " Area fee: 450 MCI per km² of the licence's area a year: "
        + TAX_CODE[0]
        + "; whether the Tax Code of 2026 changed it is not confirmed.",
        SUBSOIL_CODE[1]
        + PLACEHOLDER_RATES[1]
        + " Плата за пользование земельными участками: 450 МРП за 1 км² территории лицензии в год: "
        + TAX_CODE[1]
        + "; изменил ли её Налоговый кодекс 2026 года, не подтверждено.",
        SUBSOIL_CODE[2]
        + PLACEHOLDER_RATES[2]
        + " Жер учаскелерін пайдаланғаны үшін төлемақы: лицензия аумағының әр км²-іне жылына 450 АЕК: "
        + TAX_CODE[2]
        + "; 2026 жылғы Салық кодексі оны өзгерткені-өзгертпегені расталмаған.",
    ),
    # prospecting: extension rule (0002)
    (
        "Small areas for short terms (placeholder: one block).",
        "Небольшие участки на короткие сроки (условно: один блок).",
        "Қысқа мерзімге шағын учаскелер (шартты түрде: бір блок).",
    ),
    # prospecting: source (0002)
    (
        SUBSOIL_CODE[0] + PLACEHOLDER_RATES[0],
        SUBSOIL_CODE[1] + PLACEHOLDER_RATES[1],
        SUBSOIL_CODE[2] + PLACEHOLDER_RATES[2],
    ),
]
SEEDED = {english: (russian, kazakh) for english, russian, kazakh in _TEXTS}
# An expenditure tier's source (0008).
TIER_SOURCE = (
    "Subsoil Code No. 125-VI of 27.12.2017: minimum annual exploration expenditure, solid minerals",
    "Кодекс о недрах № 125-VI от 27.12.2017: минимальные ежегодные расходы на разведку, твёрдые полезные ископаемые",
    "Жер қойнауы туралы кодекс, 2017 жылғы 27 желтоқсандағы № 125-VI: барлауға жұмсалатын ең төменгі жылдық "
    "шығыстар, қатты пайдалы қазбалар",
)

TEXTS = [("extension_rule", "extension rule"), ("source", "source of the figures")]
LANGUAGES = [("en", "English"), ("ru", "Russian"), ("kk", "Kazakh")]


def _columns() -> list[migrations.operations.base.Operation]:
    operations: list[migrations.operations.base.Operation] = []
    for name, verbose in TEXTS:
        operations.append(migrations.RenameField(model_name="licencetype", old_name=name, new_name=f"{name}_en"))
        for language, language_name in LANGUAGES:
            column = models.TextField(blank=True, verbose_name=f"{verbose} ({language_name})")
            if language == "en":
                operations.append(migrations.AlterField(model_name="licencetype", name=f"{name}_en", field=column))
            else:
                column.default = ""
                operations.append(
                    migrations.AddField(
                        model_name="licencetype", name=f"{name}_{language}", field=column, preserve_default=False
                    )
                )
    return operations


def _tier_source() -> list[migrations.operations.base.Operation]:
    operations: list[migrations.operations.base.Operation] = [
        migrations.RenameField(model_name="expendituretier", old_name="source", new_name="source_en")
    ]
    for language, language_name in LANGUAGES:
        column = models.CharField(blank=True, max_length=300, verbose_name=f"source ({language_name})")
        if language == "en":
            operations.append(migrations.AlterField(model_name="expendituretier", name="source_en", field=column))
        else:
            column.default = ""
            operations.append(
                migrations.AddField(
                    model_name="expendituretier", name=f"source_{language}", field=column, preserve_default=False
                )
            )
    return operations


def translate_seeded(apps, schema_editor) -> None:
    ExpenditureTier = apps.get_model("licensing", "ExpenditureTier")
    ExpenditureTier.objects.filter(source_en=TIER_SOURCE[0], source_ru="", source_kk="").update(
        source_ru=TIER_SOURCE[1], source_kk=TIER_SOURCE[2]
    )
    LicenceType = apps.get_model("licensing", "LicenceType")
    for licence_type in LicenceType.objects.all():
        changed = []
        for name, _verbose in TEXTS:
            translation = SEEDED.get(getattr(licence_type, f"{name}_en"))
            if translation is None:
                continue
            for language, text in zip(("ru", "kk"), translation, strict=True):
                if not getattr(licence_type, f"{name}_{language}"):
                    setattr(licence_type, f"{name}_{language}", text)
                    changed.append(f"{name}_{language}")
        if changed:
            licence_type.save(update_fields=changed)


class Migration(migrations.Migration):
    dependencies = [("licensing", "0022_open_data_build")]

    operations = [*_columns(), *_tier_source(), migrations.RunPython(translate_seeded, migrations.RunPython.noop)]
