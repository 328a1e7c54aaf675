"""The published local-content rubric: how an application's commitments become a score out of 100.

Configuration as data: each criterion names its weight and the commitment at which it earns
full marks; a commitment below that earns marks in proportion."""

from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from licensing.models import Application


# (key, label, weight, full marks at)
CRITERIA = [
    ("kazakh_staff", _("Kazakh staff (share of the workforce, %)"), Decimal(40), Decimal(90)),
    ("local_goods", _("Local goods and services (share of purchases, %)"), Decimal(30), Decimal(70)),
    ("processing", _("Processing in Kazakhstan"), Decimal(20), Decimal(1)),
    ("training", _("Training spend (share of the first year's planned expenditure, %)"), Decimal(10), Decimal(1)),
]


def local_content_score(application: "Application") -> tuple[Decimal, dict[str, str]]:
    """The score (0–100) and the marks per criterion, as strings for the record."""
    first_year = next((row.expenditure_kzt for row in application.programme.all() if row.year == 1), Decimal(0))
    training_share = (application.training_spend_kzt or Decimal(0)) * 100 / first_year if first_year > 0 else Decimal(0)
    values = {
        "kazakh_staff": application.kazakh_staff_percent or Decimal(0),
        "local_goods": application.local_goods_percent or Decimal(0),
        "processing": Decimal(1) if application.in_country_processing else Decimal(0),
        "training": training_share,
    }
    marks = {}
    for key, _label, weight, full in CRITERIA:
        marks[key] = min(values[key] / full, Decimal(1)) * weight
    total = sum(marks.values(), Decimal(0)).quantize(Decimal("0.01"))
    return total, {key: str(mark.quantize(Decimal("0.01"))) for key, mark in marks.items()}
