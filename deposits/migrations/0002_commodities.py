"""Seed the commodity list (reference data, editable by registrars in the admin)."""

from django.db import migrations

# code, English, Russian, Kazakh, map colour, critical, strategic
COMMODITIES = [
    ("Li", "Lithium", "Литий", "Литий", "#6a3d9a", True, True),
    ("W", "Tungsten", "Вольфрам", "Вольфрам", "#1f5fa8", True, True),
    ("REE", "Rare earth elements", "Редкоземельные элементы", "Сирек жер элементтері", "#b2182b", True, True),
    ("Ta", "Tantalum", "Тантал", "Тантал", "#1b7837", True, False),
    ("Nb", "Niobium", "Ниобий", "Ниобий", "#01665e", True, False),
    ("Sn", "Tin", "Олово", "Қалайы", "#5e6a71", True, False),
    ("Mo", "Molybdenum", "Молибден", "Молибден", "#b35806", True, False),
    ("Be", "Beryllium", "Бериллий", "Бериллий", "#762a83", True, False),
    ("Cs", "Caesium", "Цезий", "Цезий", "#8c510a", True, False),
    ("Rb", "Rubidium", "Рубидий", "Рубидий", "#80461b", False, False),
    ("Bi", "Bismuth", "Висмут", "Висмут", "#4d4d4d", True, False),
    ("Sc", "Scandium", "Скандий", "Скандий", "#c51b7d", True, False),
    ("Y", "Yttrium", "Иттрий", "Иттрий", "#d6604d", True, False),
    ("Zr", "Zirconium", "Цирконий", "Цирконий", "#35978f", False, False),
    ("Cu", "Copper", "Медь", "Мыс", "#a6611a", True, False),
    ("U", "Uranium", "Уран", "Уран", "#4d9221", False, True),
    ("Au", "Gold", "Золото", "Алтын", "#b8860b", False, True),
    ("Ag", "Silver", "Серебро", "Күміс", "#707070", False, False),
]


def seed(apps, schema_editor):
    Commodity = apps.get_model("deposits", "Commodity")
    for order, (code, en, ru, kk, colour, critical, strategic) in enumerate(COMMODITIES):
        Commodity.objects.update_or_create(
            code=code,
            defaults={"name_en": en, "name_ru": ru, "name_kk": kk, "colour": colour,
                      "is_critical": critical, "is_strategic": strategic, "sort_order": order * 10},
        )


def unseed(apps, schema_editor):
    Commodity = apps.get_model("deposits", "Commodity")
    Commodity.objects.filter(code__in=[c[0] for c in COMMODITIES], deposits__isnull=True).delete()


class Migration(migrations.Migration):
    dependencies = [("deposits", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
