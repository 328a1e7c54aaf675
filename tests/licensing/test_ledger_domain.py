"""The ledger's pure rules: an obligation's status on the days around its due date, the minimum
expenditure from the Subsoil Code's tiers, and a licence year's lines in MCI and tenge."""

from datetime import date, timedelta
from decimal import Decimal
from types import SimpleNamespace

import pytest

from licensing.domain import ledger
from licensing.domain.ledger import DUE, LATE, MET, UPCOMING, WAIVED, ObligationFacts, obligation_status
from licensing.domain.obligations import tier_expenditure_mci
from tests.licensing.factories import DESIGN_EXPENDITURE

DUE_ON = date(2027, 11, 24)


@pytest.mark.parametrize(
    ("today", "status"),
    [
        (DUE_ON - timedelta(days=31), UPCOMING),
        (DUE_ON - timedelta(days=30), DUE),
        (DUE_ON - timedelta(days=1), DUE),
        (DUE_ON, DUE),
        (DUE_ON + timedelta(days=1), LATE),
        (DUE_ON + timedelta(days=400), LATE),
    ],
)
def test_an_open_obligation_is_upcoming_then_due_for_30_days_then_late(today: date, status: str) -> None:
    assert obligation_status(due_on=DUE_ON, today=today) == status


@pytest.mark.parametrize("today", [DUE_ON - timedelta(days=90), DUE_ON, DUE_ON + timedelta(days=90)])
def test_met_and_waived_hold_whatever_the_day_and_a_waiver_wins(today: date) -> None:
    assert obligation_status(due_on=DUE_ON, today=today, met=True) == MET
    assert obligation_status(due_on=DUE_ON, today=today, waived=True) == WAIVED
    assert obligation_status(due_on=DUE_ON, today=today, met=True, waived=True) == WAIVED


def _tiers() -> list[SimpleNamespace]:
    rows = [
        (1, 3, 1, 1, "1200", "0"),
        (1, 3, 2, 5, "1800", "0"),
        (1, 3, 6, 10, "2300", "0"),
        (1, 3, 11, None, "2300", "120"),
        (4, 6, 1, 1, "1200", "0"),
        (4, 6, 2, 5, "2300", "0"),
        (4, 6, 6, 10, "3500", "0"),
        (4, 6, 11, None, "3500", "180"),
    ]
    return [
        SimpleNamespace(
            from_year=a, to_year=b, from_blocks=c, to_blocks=d, mci=Decimal(e), mci_per_block_above=Decimal(f)
        )
        for a, b, c, d, e, f in rows
    ]


# DESIGN.md: years 1-3: 1,200 for 1 block, 1,800 for 2-5, 2,300 for 6-10, plus 120 per block above
# 10; years 4-6: 1,200 / 2,300 / 3,500, plus 180 per block above 10.
@pytest.mark.parametrize(
    ("blocks", "years_1_3", "years_4_6"),
    DESIGN_EXPENDITURE,
)
def test_minimum_expenditure_follows_the_subsoil_codes_tiers(blocks: int, years_1_3: int, years_4_6: int) -> None:
    for year in (1, 2, 3):
        assert tier_expenditure_mci(_tiers(), year=year, blocks=blocks) == years_1_3
    for year in (4, 5, 6):
        assert tier_expenditure_mci(_tiers(), year=year, blocks=blocks) == years_4_6


def test_a_year_no_tier_covers_falls_back_to_the_rates() -> None:
    assert tier_expenditure_mci(_tiers(), year=7, blocks=10) is None
    assert tier_expenditure_mci([], year=1, blocks=10) is None


MCI = {2026: Decimal("4325"), 2027: Decimal("4500")}


def _fee(**fields: object) -> ObligationFacts:
    values: dict[str, object] = {"id": 1, "kind": "rent", "licence_year": 2, "due_on": DUE_ON}
    values["amount_mci"] = Decimal("150")
    return ObligationFacts(**{**values, **fields})  # type: ignore[arg-type]


def test_a_fee_is_valued_at_the_mci_of_its_due_year_and_short_by_what_is_unpaid() -> None:
    line = ledger.ledger_line(_fee(paid_kzt=Decimal("100000")), today=DUE_ON, mci_table=MCI)
    assert (line.status, line.due_kzt, line.estimate) == (DUE, Decimal("675000.00"), False)
    assert (line.paid_kzt, line.short_kzt) == (Decimal("100000"), Decimal("575000.00"))


def test_a_year_without_its_mci_gives_an_estimate_at_the_latest_known() -> None:
    line = ledger.ledger_line(_fee(due_on=date(2029, 1, 5)), today=DUE_ON, mci_table=MCI)
    assert (line.due_kzt, line.estimate, line.mci.kzt) == (Decimal("675000.00"), True, Decimal("4500"))


def test_an_invoice_fixes_the_amount_and_overpayment_is_not_negative_short() -> None:
    facts = _fee(due_on=date(2029, 1, 5), invoiced_kzt=Decimal("700000"), paid_kzt=Decimal("800000"))
    line = ledger.ledger_line(facts, today=DUE_ON, mci_table=MCI)
    assert (line.due_kzt, line.estimate, line.short_kzt) == (Decimal("700000"), False, Decimal(0))


def test_met_or_waived_leaves_nothing_short_and_reports_ask_no_money() -> None:
    waived = ledger.ledger_line(_fee(waived=True), today=DUE_ON + timedelta(days=5), mci_table=MCI)
    assert (waived.status, waived.short_kzt) == (WAIVED, Decimal(0))
    report = ObligationFacts(id=2, kind="work_report", licence_year=2, due_on=DUE_ON)
    line = ledger.ledger_line(report, today=DUE_ON + timedelta(days=1), mci_table=MCI)
    assert (line.status, line.due_kzt, line.short_kzt, line.paid_kzt) == (LATE, None, None, None)


def test_the_ledger_groups_by_licence_year_with_its_days_and_totals() -> None:
    starts = date(2026, 11, 24)
    rows = [
        _fee(id=3, licence_year=2, due_on=date(2027, 11, 24)),
        _fee(id=1, licence_year=1, due_on=starts, met=True, paid_kzt=Decimal("648750")),
        ObligationFacts(id=2, kind="expenditure", licence_year=1, due_on=date(2027, 11, 23), amount_mci=Decimal(1)),
    ]
    years = ledger.ledger(rows, starts_on=starts, today=date(2027, 12, 1), mci_table=MCI)
    assert [(y.year, y.starts_on, y.ends_on) for y in years] == [
        (1, starts, date(2027, 11, 23)),
        (2, date(2027, 11, 24), date(2028, 11, 23)),
    ]
    assert [line.obligation.id for line in years[0].lines] == [1, 2]
    assert (years[0].late, years[0].in_good_standing, years[0].short_kzt) == (1, False, Decimal("4500.00"))
    assert years[0].paid_kzt == Decimal("648750")
