"""District, geology, history and an estimate's competent person and note in English, Russian
and Kazakh. The existing texts are English: each column is renamed to its English column,
keeping its value; the Russian and Kazakh columns start empty (the pages show the English
version, marked, until they are written)."""

from django.db import migrations, models

TEXTS = [
    # (model, name, field class, verbose name, options)
    ("deposit", "district", models.CharField, "district", {"max_length": 120}),
    ("deposit", "geology", models.TextField, "geology", {}),
    ("deposit", "history", models.TextField, "history", {}),
    ("resourceestimate", "competent_person", models.CharField, "competent person or organisation", {"max_length": 300}),
    ("resourceestimate", "note", models.CharField, "note", {"max_length": 300}),
]
LANGUAGES = [("en", "English"), ("ru", "Russian"), ("kk", "Kazakh")]


def _operations() -> list[migrations.operations.base.Operation]:
    operations: list[migrations.operations.base.Operation] = []
    for model, name, field, verbose, options in TEXTS:
        operations.append(migrations.RenameField(model_name=model, old_name=name, new_name=f"{name}_en"))
        for language, language_name in LANGUAGES:
            column = field(blank=True, verbose_name=f"{verbose} ({language_name})", **options)
            if language == "en":
                operations.append(migrations.AlterField(model_name=model, name=f"{name}_en", field=column))
            else:
                column.default = ""
                operations.append(
                    migrations.AddField(
                        model_name=model, name=f"{name}_{language}", field=column, preserve_default=False
                    )
                )
    return operations


class Migration(migrations.Migration):
    dependencies = [("deposits", "0008_region_boundary")]

    operations = _operations()
