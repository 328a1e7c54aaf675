"""Reads of annual reports and breaches: one report with its figures and files, a licence's
breaches; each in a constant number of queries."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Prefetch

from licensing.models import (
    AnnualReport,
    Breach,
    ExpenditureCategory,
    Licence,
    ReportDocument,
)


def report_of(licence: Licence, year: int) -> AnnualReport | None:
    """The licence's report for the year with its expenditure, files and people: three queries."""
    return (
        AnnualReport.objects.filter(licence=licence, year=year)
        .select_related("lodged_by", "reviewed_by")
        .prefetch_related(
            "expenditure",
            Prefetch("documents", queryset=ReportDocument.objects.select_related("document")),
        )
        .first()
    )


def licence_breaches(licence: Licence) -> list[Breach]:
    return list(Breach.objects.filter(licence=licence).select_related("obligation").order_by("-opened_at", "-id"))


@dataclass(frozen=True)
class ExpenditureLine:
    category: str
    label: str
    amount_kzt: Decimal | None


def expenditure_lines(report: AnnualReport | None) -> list[ExpenditureLine]:
    amounts = {row.category: row.amount_kzt for row in report.expenditure.all()} if report else {}
    return [ExpenditureLine(c.value, str(c.label), amounts.get(c.value)) for c in ExpenditureCategory]


def total_kzt(report: AnnualReport | None) -> Decimal:
    return sum((row.amount_kzt for row in report.expenditure.all()), Decimal(0)) if report else Decimal(0)


@dataclass(frozen=True)
class ReportYear:
    year: int
    report: AnnualReport | None


def report_years(licence: Licence, years: range, *, started_only: bool = False) -> list[ReportYear]:
    """Each reportable calendar year of the licence with its report, if started: one query."""
    reports = {r.year: r for r in AnnualReport.objects.filter(licence=licence)}
    rows = [ReportYear(year, reports.get(year)) for year in reversed(years)]
    return [row for row in rows if row.report is not None] if started_only else rows
