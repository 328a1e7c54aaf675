"""Fees, the area fee ("rent") and minimum expenditure, in MCI and in tenge: pure arithmetic on a
licence type's rates and minimum-expenditure tiers, given the MCI table (year -> value in tenge)."""

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from licensing.domain import grid

RENT, EXPENDITURE = "rent", "expenditure"  # the values of RateKind
PER_BLOCK, PER_KM2 = "block", "km2"  # the values of RateUnit


def mci_for(year: int, table: dict[int, Decimal]) -> Decimal:
    """The MCI of a calendar year; for a year not yet set, the latest known value (the earliest,
    for a year before them all)."""
    if not table:
        raise ValidationError(_("No MCI value is configured; an official must add one in the admin."))
    known = [y for y in table if y <= year]
    return table[max(known)] if known else table[min(table)]


class Tier(Protocol):
    """What an ExpenditureTier row gives (read as attributes: rows or plain objects alike)."""

    from_year: int
    to_year: int
    from_blocks: int
    to_blocks: int | None
    mci: Decimal
    mci_per_block_above: Decimal


def tier_expenditure_mci(tiers: list[Any], *, year: int, blocks: int) -> Decimal | None:
    """The minimum work expenditure of a licence year for this many blocks, from the Subsoil
    Code's tiers: the tier's MCI, plus, in an open-ended tier, `mci_per_block_above` for each
    block from its first on (2,300 + 120 for each of blocks 11, 12, … in years 1-3). None when no
    tier covers the year and the count: the type's per-block rates apply then."""
    for tier in tiers:
        if not tier.from_year <= year <= tier.to_year or blocks < tier.from_blocks:
            continue
        if tier.to_blocks is None:
            return tier.mci + tier.mci_per_block_above * (blocks - tier.from_blocks + 1)
        if blocks <= tier.to_blocks:
            return Decimal(tier.mci)
    return None


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


def obligations_for(
    *, licence_type: Any, blocks: list[int], start: date, mci_table: dict[int, Decimal], years: int | None = None
) -> Obligations:
    """The fee and, for each licence year of the term from `start` (or of `years` years, for a term
    extended), the area fee and the minimum work expenditure for these blocks, in MCI and in
    tenge (at each year's MCI, or the latest known). A rate is per block, or per km² of the blocks'
    area (a mining licence's area fee: Tax Code, Art. 563); a rate without a unit is per block. The
    expenditure of a year a tier covers comes from the tiers, else from the rates."""
    table = mci_table
    mci = mci_for(start.year, table)
    rates = list(licence_type.rates.all())
    tiers = list(licence_type.expenditure_tiers.all())
    result = Obligations(
        blocks=len(blocks),
        area_km2=grid.total_area_km2(blocks),
        mci_kzt=mci,
        fee_kzt=(licence_type.application_fee_mci * mci).quantize(Decimal("0.01")),
    )
    units = {PER_BLOCK: Decimal(len(blocks)), PER_KM2: Decimal(str(round(result.area_km2, 4)))}
    for year in range(1, (years or licence_type.term_years) + 1):
        year_mci = mci_for(start.year + year - 1, table)
        owed = {kind: Decimal(0) for kind in (RENT, EXPENDITURE)}
        for rate in rates:
            if rate.from_year <= year <= rate.to_year:
                owed[rate.kind] += rate.mci_per_block * units[getattr(rate, "unit", PER_BLOCK) or PER_BLOCK]
        rent_mci = owed[RENT].quantize(Decimal("0.01"))
        tiered = tier_expenditure_mci(tiers, year=year, blocks=len(blocks))
        exp_mci = owed[EXPENDITURE].quantize(Decimal("0.01")) if tiered is None else tiered
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
