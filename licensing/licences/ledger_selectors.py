"""Reads of the compliance ledger: a holder's licences with the next obligation due, one licence's
ledger by licence year, and what a holder has due in the coming days across its licences. Each
in a constant number of queries; the rules (status, amounts, what is short) are
licensing.domain.ledger's."""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from licensing.domain import ledger as rules
from licensing.domain.ledger import LedgerLine, LedgerYear, ObligationFacts
from licensing.licences.billing import paid
from licensing.licences.selectors import mci_table
from licensing.models import (
    CertificateVersion,
    Licence,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    ObligationStatus,
    TitleChange,
)

DUE_HORIZON_DAYS = 90  # the holder's "due soon" page looks this far ahead
OPEN = Q(met_at__isnull=True, waived_at__isnull=True)


def _next_open(field: str) -> Subquery:
    """The earliest open (not met, not waived) obligation's `field`, per licence (late ones come first)."""
    rows = LicenceObligation.objects.filter(OPEN, licence=OuterRef("pk")).order_by("due_on", "kind")
    return Subquery(rows.values(field)[:1])


def holder_licences(organisation_id: int) -> QuerySet[Licence]:
    """The organisation's licences, newest grant first, each with `next_due_on` and `next_kind`
    (its earliest open obligation; none for a licence with nothing open): one query a page."""
    return (
        Licence.objects.filter(holder_id=organisation_id)
        .select_related("licence_type")
        .annotate(next_due_on=_next_open("due_on"), next_kind=_next_open("kind"))
        .order_by("-granted_at", "-id")
    )


def kind_label(kind: str | None) -> str:
    return str(ObligationKind(kind).label) if kind in ObligationKind.values else ""


def _obligations() -> QuerySet[LicenceObligation]:
    """Obligations with their invoice (one to one) and the sum of its payments, in one query
    (`billing.paid`: a page sums its own rows' payments only)."""
    return LicenceObligation.objects.select_related("invoice", "waived_by").annotate(
        paid_kzt=paid(invoice__obligation=OuterRef("pk"))
    )


@dataclass(frozen=True)
class Entry:
    """A ledger line with the row it was read from (the page shows its dates, invoice and waiver)."""

    line: LedgerLine
    obligation: LicenceObligation

    @property
    def label(self) -> str:
        return kind_label(self.obligation.kind)

    @property
    def status_label(self) -> str:
        return str(ObligationStatus(self.line.status).label)

    @property
    def invoice(self) -> object | None:
        return getattr(self.obligation, "invoice", None)


def facts(obligation: LicenceObligation) -> ObligationFacts:
    invoice = getattr(obligation, "invoice", None)
    live_invoice = invoice is not None and invoice.cancelled_at is None
    return ObligationFacts(
        id=obligation.pk,
        kind=obligation.kind,
        licence_year=obligation.licence_year,
        due_on=obligation.due_on,
        amount_mci=obligation.amount_mci,
        percent=obligation.percent,
        met=obligation.met_at is not None,
        waived=obligation.waived_at is not None,
        invoiced_kzt=invoice.amount_kzt if live_invoice else None,
        paid_kzt=getattr(obligation, "paid_kzt", None) or Decimal(0),
    )


@dataclass
class LicenceLedger:
    licence: Licence
    years: list[tuple[LedgerYear, list[Entry]]]
    today: date

    @property
    def late(self) -> int:
        return sum(year.late for year, _entries in self.years)

    @property
    def has_estimates(self) -> bool:
        return any(entry.line.estimate for _year, entries in self.years for entry in entries)


def licence_ledger(licence: Licence, today: date) -> LicenceLedger:
    """The licence's ledger by licence year on `today`: one query for the obligations (with
    invoices and payments), one for the MCI table."""
    rows = {o.pk: o for o in _obligations().filter(licence=licence)}
    years = rules.ledger(
        (facts(o) for o in rows.values()), starts_on=licence.starts_on, today=today, mci_table=mci_table()
    )
    return LicenceLedger(
        licence=licence,
        years=[(year, [Entry(line, rows[line.obligation.id]) for line in year.lines]) for year in years],
        today=today,
    )


def certificate_versions(licence: Licence) -> list[CertificateVersion]:
    return list(licence.certificate_versions.order_by("version"))


def holder_due(organisation_id: int, today: date, days: int = DUE_HORIZON_DAYS) -> QuerySet[LicenceObligation]:
    """The open obligations of the organisation's active licences falling due by `today + days`,
    late ones included (they come first), with licence, invoice and payments: one query a page."""
    return (
        _obligations()
        .filter(OPEN, licence__holder_id=organisation_id, licence__status=LicenceStatus.ACTIVE)
        .filter(due_on__lte=today + timedelta(days=days))
        .select_related("licence", "licence__licence_type")
        # By COALESCE(due_on, due_on): the due date's order, which the index on due_on cannot
        # give. Read in due order through that index, skipping other holders' obligations, a
        # page of a holder with few licences scanned every obligation of the register; read
        # from the holder's licences, it sorts the holder's open obligations only.
        .order_by(Coalesce("due_on", "due_on"), "licence__number", "kind")
    )


def due_entries(obligations: list[LicenceObligation], today: date) -> list[Entry]:
    """The page's rows of `holder_due`, each valued by the ledger's rules (one query: the MCI table)."""
    table = mci_table()
    return [Entry(rules.ledger_line(facts(o), today=today, mci_table=table), o) for o in obligations]


def title_changes(licence: Licence) -> list[TitleChange]:
    """The licence's changes of title, latest first (the holder's licence page lists them)."""
    return list(TitleChange.objects.filter(licence=licence).order_by("-lodged_at", "-id"))
