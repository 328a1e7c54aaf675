"""Invoices and payments in the API.

People (the session): a holder's members read their organisations' invoices, officials every
invoice. Partner systems: a bank or the treasury with `payments:write` looks an invoice up by
its number or payment reference (never a listing of everything: a filter is required) and
notifies a payment against it, once per bank reference."""

from typing import Any

import django_filters
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import RefusesEmptyValues, StrictCursorPagination
from licensing.domain import money as rules
from licensing.licences import billing, money
from licensing.models import Invoice, InvoiceKind, Payment, PaymentSource
from partners.scopes import PAYMENTS_WRITE
from partners.selectors import client_of_request


class InvoiceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("This invoice in the API."))
    pdf_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The invoice as PDF: for the holder's members and officials, signed in.")
    )
    licence = serializers.CharField(source="licence.number", help_text=gettext_lazy("The licence's number."))
    kind = serializers.ChoiceField(choices=InvoiceKind.choices)
    licence_year = serializers.SerializerMethodField(
        help_text=gettext_lazy("The licence year of the area fee; null for the signature bonus.")
    )
    paid_kzt = serializers.DecimalField(
        max_digits=16, decimal_places=2, help_text=gettext_lazy("The sum of the payments recorded against it.")
    )
    balance_kzt = serializers.SerializerMethodField(
        help_text=gettext_lazy("Still owed: the amount less what was paid; negative when paid over the amount.")
    )
    status = serializers.SerializerMethodField(help_text=gettext_lazy("unpaid, part_paid, paid or overpaid."))

    class Meta:
        model = Invoice
        fields = [
            "number",
            "url",
            "licence",
            "kind",
            "licence_year",
            "amount_mci",
            "mci_year",
            "mci_kzt",
            "amount_kzt",
            "payment_reference",
            "budget_code",
            "due_on",
            "issued_at",
            "paid_kzt",
            "balance_kzt",
            "status",
            "pdf_url",
        ]
        extra_kwargs = {
            "budget_code": {"help_text": gettext_lazy("Empty: no published source gives it.")},
            "payment_reference": {"help_text": gettext_lazy("ISO 11649 (RF and two check digits): quote it.")},
        }

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_url(self, invoice: Invoice) -> str:
        return self._absolute(reverse("api:invoice-detail", args=[invoice.number]))

    def get_pdf_url(self, invoice: Invoice) -> str:
        return self._absolute(reverse("licensing:invoice-pdf", args=[invoice.number]))

    def get_licence_year(self, invoice: Invoice) -> int | None:
        return invoice.obligation.licence_year if invoice.obligation else None

    @extend_schema_field(serializers.DecimalField(max_digits=16, decimal_places=2))
    def get_balance_kzt(self, invoice: Invoice) -> str:
        return f"{billing.standing(invoice).balance_kzt:.2f}"

    @extend_schema_field(serializers.ChoiceField(choices=[rules.UNPAID, rules.PART_PAID, rules.PAID, rules.OVERPAID]))
    def get_status(self, invoice: Invoice) -> str:
        return billing.standing(invoice).status


class InvoiceFilter(RefusesEmptyValues, django_filters.FilterSet):
    number = django_filters.CharFilter(
        method="filter_number", max_length=32, help_text=gettext_lazy("The invoice number, e.g. INV-2026-000123.")
    )
    payment_reference = django_filters.CharFilter(
        method="filter_reference",
        max_length=32,
        help_text=gettext_lazy("The payment reference on the invoice, e.g. RF712026000123 (spaces ignored)."),
    )
    licence = django_filters.CharFilter(
        field_name="licence__number", max_length=32, help_text=gettext_lazy("The licence's number.")
    )

    class Meta:
        model = Invoice
        fields = ["number", "payment_reference", "licence"]

    def filter_number(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet[Invoice]:
        return queryset.filter(number="".join(value.split()).upper())

    def filter_reference(self, queryset: QuerySet[Invoice], name: str, value: str) -> QuerySet[Invoice]:
        return queryset.filter(payment_reference="".join(value.split()).upper())


class InvoicePagination(StrictCursorPagination):
    ordering = ("due_on", "id")


class InvoiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Invoices: your organisations' (officials: every one), earliest due first, with what was
    paid and the balance. A partner token with `payments:write` must name the invoice by
    `number` or `payment_reference`: banks look one up, they do not list them."""

    serializer_class = InvoiceSerializer
    permission_classes = [permissions.IsAuthenticated]
    partner_scopes = {"list": PAYMENTS_WRITE, "retrieve": PAYMENTS_WRITE}
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    pagination_class = InvoicePagination
    filterset_class = InvoiceFilter

    def get_queryset(self) -> QuerySet[Invoice]:
        if getattr(self, "swagger_fake_view", False):
            return Invoice.objects.none()
        if client_of_request(self.request) is not None:
            return billing.invoices_queryset()
        return billing.invoices_visible_to(self.request.user)

    def get_object(self) -> Invoice:
        invoice = self.get_queryset().filter(number="".join(self.kwargs["number"].split()).upper()[:32]).first()
        if invoice is None:
            raise exceptions.NotFound(_("No invoice with this number."))
        return invoice

    @extend_schema(summary=gettext_lazy("Invoices"))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        if client_of_request(request) is not None and not (
            request.query_params.get("number") or request.query_params.get("payment_reference")
        ):
            raise exceptions.ValidationError(
                {"number": [_("Give the invoice's number or its payment_reference: invoices are not listed.")]}
            )
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("One invoice"),
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, description="INV-2026-000123")],
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)


class PaymentNoticeSerializer(serializers.Serializer):
    invoice = serializers.CharField(
        required=False, max_length=32, help_text=gettext_lazy("The invoice's number (or give payment_reference).")
    )
    payment_reference = serializers.CharField(
        required=False, max_length=32, help_text=gettext_lazy("The invoice's payment reference (or give invoice).")
    )
    reference = serializers.CharField(
        max_length=64, help_text=gettext_lazy("Your own reference of the payment: unique, it makes a repeat harmless.")
    )
    amount_kzt = serializers.DecimalField(max_digits=16, decimal_places=2, min_value=rules.CENT)
    paid_on = serializers.DateField()
    statement_line = serializers.CharField(required=False, allow_blank=True, max_length=1000)

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        if not (data.get("invoice") or data.get("payment_reference")):
            raise serializers.ValidationError({"invoice": [_("Give the invoice's number or its payment_reference.")]})
        return data


class PaymentSerializer(serializers.ModelSerializer):
    invoice = serializers.CharField(source="invoice.number")

    class Meta:
        model = Payment
        fields = ["reference", "invoice", "amount_kzt", "paid_on", "source", "recorded_at"]


class PaymentAnswerSerializer(serializers.Serializer):
    payment = PaymentSerializer()
    invoice = InvoiceSerializer(help_text=gettext_lazy("The invoice as it stands after the payment."))


class PaymentViewSet(mixins.CreateModelMixin, viewsets.GenericViewSet):
    """Payment notices from a bank or the treasury (`payments:write`; registrars may post too)."""

    serializer_class = PaymentNoticeSerializer
    permission_classes = [permissions.IsAuthenticated]
    partner_scopes = {"create": PAYMENTS_WRITE}
    pagination_class = None

    def get_queryset(self) -> QuerySet[Payment]:
        return Payment.objects.none()

    @extend_schema(
        summary=gettext_lazy("Notify a payment against an invoice"),
        responses={201: PaymentAnswerSerializer, 200: PaymentAnswerSerializer, 404: None},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """Record a payment against the invoice named by its number or payment reference: 201 with
        the payment and the invoice's balance. The same `reference` again, for the same invoice and
        amount, records nothing and answers 200 with the payment recorded first; with another
        invoice or amount, 409. The payment is recorded as made by your client's account."""
        notice = PaymentNoticeSerializer(data=request.data)
        notice.is_valid(raise_exception=True)
        data = notice.validated_data
        invoice = billing.invoice_found(
            number=data.get("invoice", ""), payment_reference=data.get("payment_reference", "")
        )
        if invoice is None:
            raise exceptions.NotFound(_("No invoice with this number or payment reference."))
        recorded = money.payment_record(
            actor=request.user,
            invoice=invoice,
            reference=data["reference"],
            amount_kzt=data["amount_kzt"],
            paid_on=data["paid_on"],
            source=PaymentSource.PARTNER if client_of_request(request) else PaymentSource.REGISTRAR,
            statement_line=data.get("statement_line", ""),
        )
        answer = {"payment": recorded.payment, "invoice": billing.invoice_found(number=invoice.number)}
        code = status.HTTP_201_CREATED if recorded.created else status.HTTP_200_OK
        return Response(PaymentAnswerSerializer(answer, context={"request": request}).data, status=code)
