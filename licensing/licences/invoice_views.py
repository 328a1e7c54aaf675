"""Invoices on the pages: a licence's invoices for its holder (amount, paid, balance, the PDF),
an invoice's PDF, and the registrar's page for recording a payment from a bank statement line
(find the invoice, check, confirm, save)."""

from collections.abc import Callable
from decimal import Decimal
from functools import wraps
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_safe

from accounts.errors import refusal
from accounts.roles import is_registrar
from licensing.licences import billing, money
from licensing.licences.certificates import pdf_response
from licensing.licences.invoice_pdf import STATUS_LABELS, budget_code_text, invoice_pdf, obligation_text
from licensing.licences.selectors import holder_language, licence_for
from licensing.models import Invoice, PaymentSource


def _rows(invoices: list[Invoice]) -> list[dict[str, Any]]:
    rows = []
    for invoice in invoices:
        standing = billing.standing(invoice)
        rows.append(
            {
                "invoice": invoice,
                "standing": standing,
                "status": STATUS_LABELS[standing.status](),
                "for": obligation_text(invoice),
                "overpaid": -standing.balance_kzt if standing.balance_kzt < 0 else None,
            }
        )
    return rows


@login_required
@require_safe
def licence_invoices(request: HttpRequest, number: str) -> HttpResponse:
    """The licence's invoices, for its holder's members and officials (404 for anyone else)."""
    licence = licence_for(request.user, number)
    context = {"licence": licence, "rows": _rows(billing.licence_invoices(licence))}
    return render(request, "licensing/licence_invoices.html", context)


@login_required
@require_safe
def invoice_download(request: HttpRequest, invoice: str) -> HttpResponse:
    """The invoice as PDF, in the holder's language, drawn as it stands today (paid so far)."""
    found = billing.invoice_for(request.user, invoice)
    content = invoice_pdf(found, billing.standing(found), holder_language(found.licence.holder))
    return pdf_response(content, f"{found.number}.pdf")


# The registrar's payments ----------------------------------------------------------------


def registrar_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    @wraps(view)
    @login_required
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not is_registrar(request.user):
            raise PermissionDenied(_("This page is for registrars."))
        return view(request, *args, **kwargs)

    return wrapped


class PaymentForm(forms.Form):
    invoice = forms.CharField(widget=forms.HiddenInput, max_length=32)
    reference = forms.CharField(
        label=gettext_lazy("Bank's reference of the payment"),
        max_length=64,
        help_text=gettext_lazy("As on the statement line: it makes the payment unique."),
    )
    amount_kzt = forms.DecimalField(
        label=gettext_lazy("Amount, KZT"), max_digits=16, decimal_places=2, min_value=Decimal("0.01")
    )
    paid_on = forms.DateField(
        label=gettext_lazy("Paid on"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    statement_line = forms.CharField(
        label=gettext_lazy("Bank statement line"), required=False, max_length=1000, widget=forms.Textarea({"rows": 3})
    )


def _payments_page(request: HttpRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    invoice = context.get("invoice")
    if invoice is not None:
        context["row"] = _rows([invoice])[0]
        context["budget_code"] = budget_code_text(invoice)
    return render(request, "licensing/registrar_payments.html", context, status=status)


@registrar_required
@require_http_methods(["GET", "HEAD", "POST"])
def registrar_payments(request: HttpRequest) -> HttpResponse:
    """Find an invoice by its number or payment reference (`?q=`), enter the payment from the
    statement line, check it on a confirmation page, then record it."""
    if request.method != "POST":
        query = request.GET.get("q", "").strip()[:64]
        invoice = billing.invoice_found_by_either(query) if query else None
        form = PaymentForm(initial={"invoice": invoice.number}) if invoice else None
        not_found = bool(query) and invoice is None
        return _payments_page(
            request,
            {"query": query, "invoice": invoice, "form": form, "not_found": not_found},
            404 if not_found else 200,
        )
    form = PaymentForm(request.POST)
    invoice = (
        billing.invoice_found(number=request.POST.get("invoice", "")[:32]) if request.POST.get("invoice") else None
    )
    if invoice is None:
        return _payments_page(request, {"query": "", "not_found": True}, status=404)
    if not form.is_valid():
        return _payments_page(request, {"query": invoice.number, "invoice": invoice, "form": form}, status=400)
    if request.POST.get("confirmed") != "yes":
        return render(
            request,
            "licensing/registrar_payment_confirm.html",
            {"invoice": invoice, "form": form, "data": form.cleaned_data},
        )
    with refusal() as refused:
        recorded = money.payment_record(
            actor=request.user,
            invoice=invoice,
            source=PaymentSource.REGISTRAR,
            **{k: form.cleaned_data[k] for k in ("reference", "amount_kzt", "paid_on", "statement_line")},
        )
    if refused:
        context = {"query": invoice.number, "invoice": invoice, "form": form, "errors": refused.messages}
        return _payments_page(request, context, status=refused.status)
    if recorded.created:
        messages.success(request, _("Payment %(reference)s recorded.") % {"reference": recorded.payment.reference})
    else:
        messages.info(
            request,
            _("Payment %(reference)s was already recorded; nothing changed.")
            % {"reference": recorded.payment.reference},
        )
    return redirect(reverse("licensing:registrar-payments") + "?" + urlencode({"q": invoice.number}))
