"""The compliance ledger of a licence: where each obligation stands on a day, what it asks in MCI
and in tenge, what has been paid against it and what is short. Pure: the selector reads the rows
and the MCI table, this module decides.

The status of an obligation on a day, in this order:
- waived, if an official waived it (whatever the date);
- met, if it was met;
- late, from the day after its due date;
- due, from 30 days before its due date (DUE_WINDOW_DAYS) up to and including that date;
- upcoming, before that.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal

# The values of licensing.models.ObligationStatus (the domain imports no models).
UPCOMING, DUE, MET, LATE, WAIVED = "upcoming", "due", "met", "late", "waived"
DUE_WINDOW_DAYS = 30
FEE_KINDS = frozenset({"rent"})  # paid by invoice: the area fee
MONEY_KINDS = frozenset({"rent", "expenditure"})
CENT = Decimal("0.01")


def obligation_status(*, due_on: date, today: date, met: bool = False, waived: bool = False) -> str:
    """Where an obligation due on `due_on` stands on `today` (the rule in the module's docstring)."""
    if waived:
        return WAIVED
    if met:
        return MET
    if today > due_on:
        return LATE
    if today >= due_on - timedelta(days=DUE_WINDOW_DAYS):
        return DUE
    return UPCOMING


@dataclass(frozen=True)
class ObligationFacts:
    """What the ledger needs of one obligation row, with its invoice and payments if it has them."""

    id: int
    kind: str
    licence_year: int
    due_on: date
    amount_mci: Decimal | None = None
    percent: Decimal | None = None
    met: bool = False
    waived: bool = False
    invoiced_kzt: Decimal | None = None  # the amount of its invoice (not cancelled), once issued
    paid_kzt: Decimal = Decimal(0)  # the payments against that invoice


@dataclass(frozen=True)
class MciOfYear:
    year: int
    kzt: Decimal | None  # None: no MCI is configured at all
    estimate: bool  # the year's MCI is not set yet: the latest known stands in


def mci_of(year: int, table: dict[int, Decimal]) -> MciOfYear:
    """The MCI of a calendar year; a year not yet set takes the latest known before it (or the
    earliest, for a year before them all), flagged as an estimate."""
    if year in table:
        return MciOfYear(year, table[year], estimate=False)
    if not table:
        return MciOfYear(year, None, estimate=True)
    known = [y for y in table if y <= year]
    return MciOfYear(year, table[max(known)] if known else table[min(table)], estimate=True)


@dataclass(frozen=True)
class LedgerLine:
    obligation: ObligationFacts
    status: str
    due_mci: Decimal | None  # None: the obligation asks no money (a report, a relinquishment)
    due_kzt: Decimal | None
    mci: MciOfYear  # of the calendar year it falls due
    estimate: bool  # the tenge are an estimate: not invoiced, and that year's MCI is not set
    paid_kzt: Decimal | None  # None: not a fee (paid by invoice)
    short_kzt: Decimal | None  # what remains to be paid or spent; None when it asks no money

    @property
    def is_fee(self) -> bool:
        return self.obligation.kind in FEE_KINDS


@dataclass
class LedgerYear:
    year: int
    starts_on: date
    ends_on: date
    lines: list[LedgerLine] = field(default_factory=list)

    def _sum(self, values: Iterable[Decimal | None]) -> Decimal:
        return sum((v for v in values if v is not None), Decimal(0))

    @property
    def due_kzt(self) -> Decimal:
        return self._sum(line.due_kzt for line in self.lines)

    @property
    def paid_kzt(self) -> Decimal:
        return self._sum(line.paid_kzt for line in self.lines)

    @property
    def short_kzt(self) -> Decimal:
        return self._sum(line.short_kzt for line in self.lines)

    @property
    def late(self) -> int:
        return sum(1 for line in self.lines if line.status == LATE)

    @property
    def in_good_standing(self) -> bool:
        """Nothing of the year is late (met, waived, or not yet late)."""
        return self.late == 0


def ledger_line(obligation: ObligationFacts, *, today: date, mci_table: dict[int, Decimal]) -> LedgerLine:
    """One obligation on `today`: its status; what it asks (an invoice's amount once issued, else
    its MCI at the MCI of the year it falls due); for a fee what was paid; and what is short
    (nothing once met or waived)."""
    status = obligation_status(due_on=obligation.due_on, today=today, met=obligation.met, waived=obligation.waived)
    mci = mci_of(obligation.due_on.year, mci_table)
    is_money = obligation.kind in MONEY_KINDS and obligation.amount_mci is not None
    if not is_money:
        return LedgerLine(obligation, status, None, None, mci, False, None, None)
    assert obligation.amount_mci is not None
    if obligation.invoiced_kzt is not None:
        due_kzt: Decimal | None = obligation.invoiced_kzt
        estimate = False
    else:
        due_kzt = (obligation.amount_mci * mci.kzt).quantize(CENT) if mci.kzt is not None else None
        estimate = mci.estimate
    is_fee = obligation.kind in FEE_KINDS
    paid = obligation.paid_kzt if is_fee else None
    if status in (MET, WAIVED) or due_kzt is None:
        short = Decimal(0) if status in (MET, WAIVED) else None
    else:
        short = max(due_kzt - (paid or Decimal(0)), Decimal(0))
    return LedgerLine(obligation, status, obligation.amount_mci, due_kzt, mci, estimate, paid, short)


def licence_year_span(starts_on: date, year: int) -> tuple[date, date]:
    """The first and last day of a licence year (year 1 starts on the licence's first day)."""
    first = _add_years(starts_on, year - 1)
    return first, _add_years(starts_on, year) - timedelta(days=1)


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year + years, day=28)


def ledger(
    obligations: Iterable[ObligationFacts], *, starts_on: date, today: date, mci_table: dict[int, Decimal]
) -> list[LedgerYear]:
    """The licence's obligations by licence year (earliest first), each year's lines by due date."""
    years: dict[int, LedgerYear] = {}
    for obligation in sorted(obligations, key=lambda o: (o.licence_year, o.due_on, o.kind)):
        if obligation.licence_year not in years:
            first, last = licence_year_span(starts_on, obligation.licence_year)
            years[obligation.licence_year] = LedgerYear(obligation.licence_year, first, last)
        years[obligation.licence_year].lines.append(ledger_line(obligation, today=today, mci_table=mci_table))
    return [years[y] for y in sorted(years)]
