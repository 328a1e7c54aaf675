from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from deposits.models import Commodity, DepositCommodity, ResourceEstimate
from tests.deposits.factories import DepositFactory, EstimateFactory

pytestmark = pytest.mark.django_db


def _violates(**fields: object) -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        EstimateFactory(**fields)


def test_negative_quantities_are_refused_by_the_database() -> None:
    _violates(tonnage_t=Decimal("-1"))
    _violates(grade=Decimal("-0.1"))
    _violates(contained_t=Decimal("-5"))
    _violates(cutoff=Decimal("-0.2"))


def test_category_must_belong_to_its_reporting_code() -> None:
    _violates(code="state_balance", category="measured")
    _violates(code="jorc", category="C1")
    EstimateFactory(code="state_balance", category="C1")
    EstimateFactory(code="kazrc", category="probable")
    assert ResourceEstimate.objects.count() == 2


def test_an_estimate_needs_a_tonnage_or_a_contained_figure() -> None:
    _violates(tonnage_t=None, contained_t=None)


def test_slug_is_unique() -> None:
    DepositFactory(slug="bakennoye")
    with pytest.raises(IntegrityError), transaction.atomic():
        DepositFactory(slug="bakennoye")


def test_location_outside_kazakhstans_box_is_refused_by_the_database() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DepositFactory(latitude=Decimal("60.0"))


def test_location_inside_the_box_but_abroad_fails_validation_with_a_message() -> None:
    deposit = DepositFactory.build(latitude=Decimal("41.31"), longitude=Decimal("69.28"))  # Tashkent
    with pytest.raises(ValidationError) as exc:
        deposit.full_clean()
    assert "not in Kazakhstan" in str(exc.value.message_dict["latitude"])


def test_outline_must_be_a_polygon_in_kazakhstan() -> None:
    deposit = DepositFactory.build(outline={"type": "Polygon", "coordinates": [[1, 2]]})
    with pytest.raises(ValidationError) as exc:
        deposit.full_clean()
    assert "outline" in exc.value.message_dict
    abroad = [[[69.2, 41.2], [69.3, 41.2], [69.3, 41.3], [69.2, 41.2]]]
    deposit.outline = {"type": "Polygon", "coordinates": abroad}
    with pytest.raises(ValidationError, match="within Kazakhstan"):
        deposit.full_clean()


def test_a_deposit_has_one_main_commodity() -> None:
    deposit = DepositFactory(commodities=["Li"])
    with pytest.raises(IntegrityError), transaction.atomic():
        DepositCommodity.objects.create(deposit=deposit, commodity=Commodity.objects.get(code="Ta"), is_primary=True)


def test_published_deposit_needs_a_publication_date() -> None:
    with pytest.raises(IntegrityError), transaction.atomic():
        DepositFactory(is_published=True, published_at=None)


def test_critical_commodities_are_seeded() -> None:
    codes = set(Commodity.objects.filter(is_critical=True).values_list("code", flat=True))
    assert {"Li", "W", "REE", "Ta", "Nb", "Be"} <= codes


def test_name_follows_the_active_language() -> None:
    from django.utils import translation

    deposit = DepositFactory.build(name_en="Upper Kairakty", name_ru="Верхнее Кайракты", name_kk="")
    with translation.override("ru"):
        assert deposit.name == "Верхнее Кайракты"
    with translation.override("kk"):
        assert deposit.name == "Upper Kairakty"  # falls back to English when the Kazakh name is missing
