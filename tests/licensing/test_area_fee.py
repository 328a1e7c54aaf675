"""The mining licence's area fee: 450 MCI per km² of its area a year (Tax Code, Art. 563), valued
at the MCI of the year it falls due; exploration's stays per block."""

from decimal import Decimal

import pytest
from django.utils import timezone

from licensing.domain import grid
from licensing.domain.obligations import obligations_for
from licensing.licences import ledger_selectors
from licensing.models import MciValue, ObligationKind, Rate, RateUnit
from tests.licensing import factories

pytestmark = pytest.mark.django_db

BLOCKS = factories.rectangle(2, 3)


def _mining_fee_mci(blocks: list[int]) -> Decimal:
    area = Decimal(str(round(grid.total_area_km2(blocks), 4)))
    return (450 * area).quantize(Decimal("0.01"))


def test_the_mining_area_fee_is_450_mci_per_km2_with_its_source() -> None:
    mining = factories.licence_type("mining")
    (rent,) = mining.rates.filter(kind="rent")
    assert (rent.unit, rent.mci_per_block, rent.from_year, rent.to_year) == (RateUnit.KM2, 450, 1, mining.term_years)
    assert "450 MCI per km²" in mining.source and "Art. 563" in mining.source
    assert mining.is_placeholder  # the Tax Code of 2026 is not confirmed, nor the service times
    assert not factories.licence_type().rates.exclude(unit=RateUnit.BLOCK).exists()


def test_a_mining_licences_area_fee_is_450_mci_per_km2_at_the_mci_of_the_year_it_is_due(applicant) -> None:
    MciValue.objects.update_or_create(year=2027, defaults={"value_kzt": Decimal("4600")})
    _owner, org = applicant
    licence = factories.licence_scheduled(org, BLOCKS, licence_type=factories.licence_type("mining"))
    fee_mci = _mining_fee_mci(BLOCKS)
    assert 6 * 2 < grid.total_area_km2(BLOCKS) < 6 * 3  # about 2.3 km² a block here
    rents = licence.obligations.filter(kind=ObligationKind.RENT).order_by("licence_year")
    assert {r.amount_mci for r in rents} == {fee_mci}
    ledger = ledger_selectors.licence_ledger(licence, timezone.localdate())
    due = {
        entry.line.obligation.licence_year: entry.line.due_kzt
        for _year, entries in ledger.years
        for entry in entries
        if entry.line.obligation.kind == ObligationKind.RENT
    }
    assert licence.starts_on.year == 2026
    assert due[1] == (fee_mci * Decimal("4325")).quantize(Decimal("0.01"))  # due in 2026
    assert due[2] == (fee_mci * Decimal("4600")).quantize(Decimal("0.01"))  # due in 2027


def test_an_exploration_area_fee_stays_per_block() -> None:
    duty = obligations_for(
        licence_type=factories.licence_type(), blocks=BLOCKS, start=timezone.localdate(), mci_table={2026: Decimal(1)}
    )
    assert duty.years[0].rent_mci == 15 * len(BLOCKS)


def test_each_rate_counts_in_its_own_unit() -> None:
    kind = factories.LicenceTypeFactory(term_years=1)
    Rate.objects.create(licence_type=kind, kind="rent", from_year=1, to_year=1, mci_per_block=10, unit=RateUnit.KM2)
    Rate.objects.create(licence_type=kind, kind="expenditure", from_year=1, to_year=1, mci_per_block=100)
    duty = obligations_for(licence_type=kind, blocks=BLOCKS, start=timezone.localdate(), mci_table={2026: Decimal(2)})
    area = Decimal(str(round(grid.total_area_km2(BLOCKS), 4)))
    assert duty.years[0].rent_mci == (10 * area).quantize(Decimal("0.01"))
    assert duty.years[0].rent_kzt == (duty.years[0].rent_mci * 2).quantize(Decimal("0.01"))
    assert duty.years[0].expenditure_mci == 100 * len(BLOCKS)
