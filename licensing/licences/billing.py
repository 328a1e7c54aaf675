"""Reads of invoices and payments: a licence's invoices for its holder, one invoice by number or
payment reference (for registrars and the banks), and where each stands (paid, balance)."""

from decimal import Decimal

from django.db.models import DecimalField, OuterRef, Prefetch, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import gettext as _

from accounts.models import User
from licensing.domain import money
from licensing.models import Invoice, Licence, Payment
from licensing.permissions import may_see_licence, works_cases

MAX_NUMBER = Invoice._meta.get_field("number").max_length
MONEY = DecimalField(max_digits=16, decimal_places=2)


def paid(**outer: OuterRef) -> Coalesce:
    """The sum of the payments matching `outer` (e.g. `invoice=OuterRef("pk")`), 0 for none: a
    subquery of each row, so that a page sums its own rows' payments only (PostgreSQL runs it
    after the sort and the limit, through the order's index) and a count reads no payment."""
    total = Payment.objects.filter(**outer).order_by().values("invoice").annotate(total=Sum("amount_kzt"))
    return Coalesce(Subquery(total.values("total"), output_field=MONEY), Value(Decimal(0)), output_field=MONEY)


def invoices_queryset() -> QuerySet[Invoice]:
    """Invoices with their licence, holder and obligation, and `paid_kzt`: the sum of their
    payments (0 for none), in one query; a page of the register's 264,000 invoices is read
    through the due-date index."""
    return (
        Invoice.objects.select_related("licence", "licence__holder", "licence__licence_type", "obligation")
        .annotate(paid_kzt=paid(invoice=OuterRef("pk")))
        .order_by("due_on", "id")
    )


def standing(invoice: Invoice) -> money.Standing:
    """Where an invoice read by `invoices_queryset` stands: paid, balance, status."""
    return money.Standing(invoice.amount_kzt, getattr(invoice, "paid_kzt", Decimal(0)))


def licence_invoices(licence: Licence) -> list[Invoice]:
    """The licence's invoices, earliest due first, each with its payments: two queries."""
    return list(
        invoices_queryset()
        .filter(licence=licence)
        .prefetch_related(Prefetch("payments", queryset=Payment.objects.order_by("paid_on", "id")))
    )


def invoices_visible_to(user: User) -> QuerySet[Invoice]:
    """Every invoice for officials; the invoices of their organisations' licences for anyone else."""
    if works_cases(user):
        return invoices_queryset()
    if not user.is_authenticated:
        return Invoice.objects.none()
    return invoices_queryset().filter(licence__holder__memberships__user=user)


def _normalised(value: str) -> str:
    return "".join(value.split()).upper()[:MAX_NUMBER]


def invoice_for(user: User, number: str) -> Invoice:
    """One invoice by its number, for its holder's members and officials; 404 for anyone else."""
    invoice = invoices_queryset().filter(number=_normalised(number)).first()
    if invoice is None or not may_see_licence(user, invoice.licence.holder_id):
        raise Http404(_("No invoice with this number."))
    return invoice


def invoice_found(*, number: str = "", payment_reference: str = "") -> Invoice | None:
    """The invoice with this number or payment reference (spaces and case ignored), for those
    who record payments: registrars and the banks."""
    invoices = invoices_queryset()
    if number:
        invoices = invoices.filter(number=_normalised(number))
    if payment_reference:
        invoices = invoices.filter(payment_reference=_normalised(payment_reference))
    if not (number or payment_reference):
        return None
    return invoices.first()


def invoice_found_by_either(text: str) -> Invoice | None:
    """What a registrar typed from a statement line: an invoice number or a payment reference."""
    text = _normalised(text)
    if not text:
        return None
    if text.startswith("RF"):
        return invoice_found(payment_reference=text)
    return invoice_found(number=text)
