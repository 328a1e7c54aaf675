"""Invoices and payments: the area fee of each licence year and the signature bonus invoiced to
the holder, and the payments a registrar (from a bank statement) or a partner bank (through the
API) records against them.

Both writes are safe to repeat. An invoice is issued once per obligation (the OneToOne on it,
read under the obligation's row lock) and once per licence for the bonus (under the licence's
lock); a payment once per bank reference (the unique reference, read under the invoice's lock),
so a notice sent twice, or by two systems at once, records one payment."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from accounts.roles import is_registrar
from events.services import record_event
from licensing.domain import money
from licensing.domain.obligations import mci_for
from licensing.licences.selectors import mci_table
from licensing.models import (
    Invoice,
    InvoiceKind,
    Licence,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    Payment,
    PaymentSource,
)
from partners.scopes import PAYMENTS_WRITE
from partners.selectors import user_has_scope

# The area fee is what the obligation schedule calls rent (Tax Code, Art. 563).
AREA_FEE = ObligationKind.RENT
NUMBER_ATTEMPTS = 5  # two invoices issued at once may draw the same number: the second draws again


def _next_number(year: int) -> str:
    prefix = f"INV-{year}-"
    latest = Invoice.objects.filter(number__startswith=prefix).order_by("-number").values_list("number", flat=True)
    last = latest.first()
    return money.invoice_number(year, int(last[len(prefix) :]) + 1 if last else 1)


def _create(
    *,
    licence: Licence,
    obligation: LicenceObligation | None,
    kind: str,
    amount_mci: Decimal,
    due_on: date,
    now: datetime,
) -> Invoice:
    """The invoice, numbered in the year it is issued and valued at the MCI of the year it falls
    due (the latest known while that year's is not published: `mci_year` says which was used)."""
    table = mci_table()
    mci_kzt = mci_for(due_on.year, table)
    mci_year = due_on.year if due_on.year in table else max((y for y in table if y <= due_on.year), default=min(table))
    for attempt in range(NUMBER_ATTEMPTS):
        number = _next_number(timezone.localdate(now).year)
        invoice = Invoice(
            number=number,
            licence=licence,
            obligation=obligation,
            kind=kind,
            amount_mci=amount_mci,
            mci_year=mci_year,
            mci_kzt=mci_kzt,
            amount_kzt=money.kzt(amount_mci, mci_kzt),
            payment_reference=money.payment_reference(number),
            # No published source gives the budget classification code of these payments: left
            # blank, and the invoice says so, rather than printing a guess a bank would act on.
            budget_code="",
            due_on=due_on,
            issued_at=now,
        )
        try:
            with transaction.atomic():
                invoice.save()
        except IntegrityError:
            if attempt == NUMBER_ATTEMPTS - 1:
                raise
            continue
        break
    record_event(
        actor=None,
        type="invoice.issued",
        subject=invoice,
        number=invoice.number,
        licence=licence.number,
        kind=kind,
        amount_kzt=str(invoice.amount_kzt),
        due_on=invoice.due_on.isoformat(),
        payment_reference=invoice.payment_reference,
        holder=licence.holder_id,
    )
    return invoice


def invoice_issue(*, obligation: LicenceObligation, now: datetime | None = None) -> Invoice:
    """The invoice of an area-fee obligation: its amount in MCI at the MCI of the calendar year
    it falls due, payable by its due date. Issued once: a second call returns the first invoice."""
    if obligation.kind != AREA_FEE or obligation.amount_mci is None:
        raise ValidationError(_("Only an area fee with an amount is invoiced."))
    now = now or timezone.now()
    with transaction.atomic():
        locked = LicenceObligation.objects.select_for_update().select_related("licence").get(pk=obligation.pk)
        existing = Invoice.objects.filter(obligation=locked).first()
        if existing is not None:
            return existing
        return _create(
            licence=locked.licence,
            obligation=locked,
            kind=InvoiceKind.AREA_FEE,
            amount_mci=locked.amount_mci,
            due_on=locked.due_on,
            now=now,
        )


def signature_bonus_issue(*, licence: Licence, now: datetime | None = None) -> Invoice | None:
    """The signature bonus invoice of a licence, due a set time after the grant; None when its
    type has no bonus. Issued once per licence."""
    bonus = licence.licence_type.signature_bonus_mci
    if not bonus:
        return None
    now = now or timezone.now()
    with transaction.atomic():
        Licence.objects.select_for_update().filter(pk=licence.pk).first()
        existing = Invoice.objects.filter(licence=licence, kind=InvoiceKind.SIGNATURE_BONUS).first()
        if existing is not None:
            return existing
        due_on = timezone.localdate(licence.granted_at) + timedelta(days=settings.LICENSING_SIGNATURE_BONUS_DAYS)
        return _create(
            licence=licence, obligation=None, kind=InvoiceKind.SIGNATURE_BONUS, amount_mci=bonus, due_on=due_on, now=now
        )


def invoices_at_grant(*, licence: Licence, now: datetime) -> list[Invoice]:
    """What a grant invoices: the signature bonus and the first year's area fee."""
    issued = [signature_bonus_issue(licence=licence, now=now)]
    first = licence.obligations.filter(kind=AREA_FEE, licence_year=1, amount_mci__isnull=False).first()
    if first is not None:
        issued.append(invoice_issue(obligation=first, now=now))
    return [invoice for invoice in issued if invoice is not None]


def invoices_issue_due(*, today: date | None = None) -> list[str]:
    """Invoice the area fees of active licences falling due within the lead time and not yet
    invoiced (the daily beat). An invoice waits while the MCI of its due year is unpublished,
    until the last days before it is due. Safe to run twice: the second run finds them issued."""
    today = today or timezone.localdate()
    table = mci_table()
    horizon = today + timedelta(days=settings.LICENSING_INVOICE_LEAD_DAYS)
    pending = LicenceObligation.objects.filter(
        kind=AREA_FEE,
        amount_mci__isnull=False,
        due_on__lte=horizon,
        invoice__isnull=True,
        waived_at__isnull=True,
        met_at__isnull=True,
        licence__status=LicenceStatus.ACTIVE,
    ).order_by("due_on", "id")
    last_wait = today + timedelta(days=settings.LICENSING_INVOICE_MCI_WAIT_DAYS)
    issued = []
    for obligation in pending.iterator(chunk_size=500):
        if obligation.due_on.year not in table and obligation.due_on > last_wait:
            continue  # the budget law of its year may still set the MCI: wait for it
        issued.append(invoice_issue(obligation=obligation).number)
    return issued


# Payments ------------------------------------------------------------------------------


def may_record_payment(user: User) -> bool:
    """Registrars (from a bank statement) and the account of a partner client with
    `payments:write` (a bank or the treasury)."""
    return is_registrar(user) or user_has_scope(user, PAYMENTS_WRITE)


@dataclass(frozen=True)
class Recorded:
    payment: Payment
    created: bool  # False: the same payment was already recorded, nothing was written


def _paid(invoice: Invoice) -> Decimal:
    return invoice.payments.aggregate(total=Sum("amount_kzt"))["total"] or Decimal(0)


def _repeat(existing: Payment, invoice: Invoice, amount_kzt: Decimal) -> Recorded:
    if existing.invoice_id != invoice.pk or existing.amount_kzt != amount_kzt:
        raise TransitionError(
            _(
                "A payment with the reference %(reference)s is already recorded, against invoice %(number)s for "
                "%(amount)s KZT: a different payment needs a different reference."
            )
            % {"reference": existing.reference, "number": existing.invoice.number, "amount": existing.amount_kzt}
        )
    return Recorded(existing, created=False)


def payment_record(
    *,
    actor: User,
    invoice: Invoice,
    reference: str,
    amount_kzt: Decimal,
    paid_on: date,
    source: str,
    statement_line: str = "",
) -> Recorded:
    """Record money received against an invoice, once per bank reference. The same reference
    again, for the same invoice and amount, returns the payment recorded first and writes
    nothing; with another invoice or amount it is refused (409). When the payments reach the
    invoice's amount its obligation is met; more than the amount is kept and shown as paid over."""
    if not may_record_payment(actor):
        raise PermissionDenied(_("Only registrars and the partner banks record payments."))
    reference = reference.strip()
    if not reference or len(reference) > Payment._meta.get_field("reference").max_length:
        raise ValidationError({"reference": [_("Give the bank's reference of the payment, up to 64 characters.")]})
    if amount_kzt <= 0 or amount_kzt != amount_kzt.quantize(money.CENT):
        raise ValidationError({"amount_kzt": [_("Give a positive amount in tenge, with at most 2 decimals.")]})
    if paid_on > timezone.localdate():
        raise ValidationError({"paid_on": [_("A payment cannot be made in the future.")]})
    if source not in PaymentSource.values:
        raise ValidationError({"source": [_("Unknown source of the payment.")]})
    with transaction.atomic():
        # The invoice's lock orders two notices of one payment: the second finds the first.
        invoice = (
            Invoice.objects.select_for_update(of=("self",)).select_related("obligation", "licence").get(pk=invoice.pk)
        )
        existing = Payment.objects.select_related("invoice").filter(reference=reference).first()
        if existing is not None:
            return _repeat(existing, invoice, amount_kzt)
        if invoice.cancelled_at is not None:
            raise TransitionError(_("Invoice %(number)s is cancelled.") % {"number": invoice.number})
        payment = Payment(
            invoice=invoice,
            reference=reference,
            amount_kzt=amount_kzt,
            paid_on=paid_on,
            source=source,
            recorded_by=actor,
            statement_line=statement_line.strip(),
        )
        try:
            with transaction.atomic():
                payment.save()
        except IntegrityError:
            # The same reference recorded at once against another invoice (another lock).
            existing = Payment.objects.select_related("invoice").get(reference=reference)
            return _repeat(existing, invoice, amount_kzt)
        standing = money.Standing(invoice.amount_kzt, _paid(invoice))
        obligation = invoice.obligation
        met = obligation is not None and obligation.met_at is None and obligation.waived_at is None and standing.settled
        if met:
            from licensing.licences.services import obligation_meet  # services issue invoices: import here

            obligation_meet(actor=actor, obligation=obligation)
        record_event(
            actor=actor,
            type="payment.recorded",
            subject=invoice,
            invoice=invoice.number,
            licence=invoice.licence.number,
            reference=reference,
            amount_kzt=str(amount_kzt),
            paid_on=paid_on.isoformat(),
            source=source,
            balance_kzt=str(standing.balance_kzt),
            obligation_met=met,
            holder=invoice.licence.holder_id,
        )
    return Recorded(payment, created=True)
