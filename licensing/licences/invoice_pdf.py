"""An invoice as PDF, in the holder's language (`licensing.licences.selectors.holder_language`),
drawn with the certificates' fonts, styles and page layout: what is owed, for which licence and
obligation, in MCI and in tenge at the MCI of the year it falls due, how to pay it (the payment
reference; the budget classification code where a source gives one) and by when."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _
from reportlab.platypus import Flowable, Paragraph, Spacer

from licensing.domain import money
from licensing.licences.certificates import (
    _date,
    _facts,
    _holder,
    _number,
    _register_fonts,
    _render,
    _styles,
    _text,
    certificate_languages,
)
from licensing.models import Invoice, InvoiceKind

STATUS_LABELS = {
    money.UNPAID: lambda: _("Unpaid"),
    money.PART_PAID: lambda: _("Part paid"),
    money.PAID: lambda: _("Paid"),
    money.OVERPAID: lambda: _("Paid over the amount"),
}


def issuer() -> str:
    return _("Ministry of Industry and Construction of the Republic of Kazakhstan, through the AshyqKen register")


def budget_code_text(invoice: Invoice) -> str:
    return invoice.budget_code or _("Not given by a published source: ask your bank or the tax authority.")


def obligation_text(invoice: Invoice) -> str:
    if invoice.kind == InvoiceKind.SIGNATURE_BONUS:
        return _("Signature bonus, once at the grant (Tax Code, Art. 727)")
    year = invoice.obligation.licence_year if invoice.obligation else "—"
    return _("Area fee for licence year %(year)s (Tax Code, Art. 563)") % {"year": year}


def mci_text(invoice: Invoice) -> str:
    text = _("%(mci)s MCI × %(value)s KZT (the MCI of %(year)s)") % {
        "mci": _number(invoice.amount_mci),
        "value": _number(invoice.mci_kzt),
        "year": invoice.mci_year,
    }
    if invoice.mci_year != invoice.due_on.year:
        text += " " + _("The MCI of %(year)s was not yet published: the latest known value is used.") % {
            "year": invoice.due_on.year
        }
    return text


def invoice_pdf(invoice: Invoice, standing: money.Standing, language: str) -> bytes:
    """The invoice in `language` (the site's default if it does not speak it). Reads the
    invoice's licence, holder and obligation: select them with it."""
    _register_fonts()
    language = certificate_languages(language)[0]
    with translation.override(language):
        styles = _styles()
        facts = [
            (_("Invoice number"), _text(invoice.number)),
            (_("Issued"), _date(timezone.localdate(invoice.issued_at))),
            (_("Issuer"), _text(issuer())),
            (_("Payer"), _holder(invoice.licence.holder)),
            (_("Licence"), _text(invoice.licence.number)),
            (_("For"), _text(obligation_text(invoice))),
            (_("Amount"), _text(_("%(kzt)s KZT") % {"kzt": _number(invoice.amount_kzt)})),
            (_("Calculated as"), _text(mci_text(invoice))),
            (_("Due by"), _date(invoice.due_on)),
            (_("Payment reference"), _text(invoice.payment_reference)),
            (_("Budget classification code"), _text(budget_code_text(invoice))),
            (_("Paid so far"), _text(_("%(kzt)s KZT") % {"kzt": _number(standing.paid_kzt)})),
            (_("Status"), _text(STATUS_LABELS[standing.status]())),
        ]
        story: list[Flowable] = [
            Paragraph(_text(_("Republic of Kazakhstan")), styles["language"]),
            Spacer(1, 6),
            Paragraph(_text(_("Invoice")), styles["title"]),
            Paragraph(_text(invoice.number), styles["number"]),
            Spacer(1, 8),
            _facts(facts, styles),
            Spacer(1, 8),
            Paragraph(
                _text(
                    _(
                        "Quote the payment reference with the transfer: it matches your payment to this invoice. "
                        "The rates are those of the older Tax Code text; whether the 2026 Tax Code changed them "
                        "is not confirmed."
                    )
                ),
                styles["small"],
            ),
        ]
        return _render(story, title=invoice.number, footer=f"{invoice.number} · {invoice.payment_reference}")
