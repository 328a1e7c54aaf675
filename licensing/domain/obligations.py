"""Fees, rent and minimum expenditure, in MCI and in tenge: pure arithmetic on a licence type's
rates, given the MCI table (year -> value in tenge)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from licensing.domain import grid

RENT, EXPENDITURE = "rent", "expenditure"  # the values of RateKind


def mci_for(year: int, table: dict[int, Decimal]) -> Decimal:
    """The MCI of a calendar year; for a year not yet set, the latest known value (the earliest,
    for a year before them all)."""
    if not table:
        raise ValidationError(_("No MCI value is configured; an official must add one in the admin."))
    known = [y for y in table if y <= year]
    return table[max(known)] if known else table[min(table)]


@dataclass
class ObligationYear:
    year: int
    calendar_year: int
    rent_mci: Decimal
    rent_kzt: Decimal
    expenditure_mci: Decimal
    expenditure_kzt: Decimal


@dataclass
class Obligations:
    blocks: int
    area_km2: float
    mci_kzt: Decimal
    fee_kzt: Decimal
    years: list[ObligationYear] = field(default_factory=list)

    @property
    def total_rent_kzt(self) -> Decimal:
        return sum((y.rent_kzt for y in self.years), Decimal(0))

    @property
    def total_expenditure_kzt(self) -> Decimal:
        return sum((y.expenditure_kzt for y in self.years), Decimal(0))


def obligations_for(*, licence_type: Any, blocks: list[int], start: date, mci_table: dict[int, Decimal]) -> Obligations:
    """The fee and, for each licence year of the term from `start`, the rent and the minimum work
    expenditure for this many blocks, in MCI and in tenge (at each year's MCI, or the latest known)."""
    table = mci_table
    mci = mci_for(start.year, table)
    rates = list(licence_type.rates.all())
    result = Obligations(
        blocks=len(blocks),
        area_km2=grid.total_area_km2(blocks),
        mci_kzt=mci,
        fee_kzt=(licence_type.application_fee_mci * mci).quantize(Decimal("0.01")),
    )
    for year in range(1, licence_type.term_years + 1):
        year_mci = mci_for(start.year + year - 1, table)
        per_block = {kind: Decimal(0) for kind in (RENT, EXPENDITURE)}
        for rate in rates:
            if rate.from_year <= year <= rate.to_year:
                per_block[rate.kind] += rate.mci_per_block
        rent_mci = per_block[RENT] * len(blocks)
        exp_mci = per_block[EXPENDITURE] * len(blocks)
        result.years.append(
            ObligationYear(
                year=year,
                calendar_year=start.year + year - 1,
                rent_mci=rent_mci,
                rent_kzt=(rent_mci * year_mci).quantize(Decimal("0.01")),
                expenditure_mci=exp_mci,
                expenditure_kzt=(exp_mci * year_mci).quantize(Decimal("0.01")),
            )
        )
    return result
