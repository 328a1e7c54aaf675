"""The compliance ledger in the API: `GET /api/v1/licences/<number>/ledger/`, an action of the
licence register's viewset (LicenceViewSet takes it in as a mixin).

Who reads it: the holder's members and officials, signed in (the portal's session). Partner
tokens get 403, `register:read` included: the ledger shows what a holder paid, spent and was
excused with an official's reasons, which is the holder's business and not the register's.
A bank checking a licence before lending reads `verify` (in force today, status, term)."""

from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from licensing.licences import ledger_selectors, selectors
from licensing.licences.ledger_selectors import Entry
from licensing.models import ObligationKind, ObligationStatus
from licensing.permissions import may_see_licence

MONEY = {"max_digits": 16, "decimal_places": 2, "allow_null": True}


class LedgerObligationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=ObligationStatus.choices,
        help_text=gettext_lazy(
            "On the day asked: waived; met; late from the day after its due date; due from 30 days "
            "before it; upcoming before that."
        ),
    )
    amount_mci = serializers.DecimalField(
        max_digits=14, decimal_places=2, allow_null=True, help_text=gettext_lazy("Null: it asks no money.")
    )
    percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, allow_null=True, help_text=gettext_lazy("A relinquishment's share of blocks.")
    )
    mci_year = serializers.IntegerField(help_text=gettext_lazy("The calendar year whose MCI values it."))
    due_kzt = serializers.DecimalField(
        **MONEY, help_text=gettext_lazy("Its invoice's amount once issued, else its MCI at that year's MCI.")
    )
    estimate = serializers.BooleanField(
        help_text=gettext_lazy("The tenge are an estimate: not invoiced, and that year's MCI is not set yet.")
    )
    paid_kzt = serializers.DecimalField(**MONEY, help_text=gettext_lazy("Paid against its invoice; null: not a fee."))
    short_kzt = serializers.DecimalField(
        **MONEY, help_text=gettext_lazy("What remains to pay or spend; 0 once met or waived; null: it asks no money.")
    )
    invoice = serializers.CharField(allow_null=True, help_text=gettext_lazy("Its invoice's number, if issued."))
    met_at = serializers.DateTimeField(allow_null=True)
    waived_at = serializers.DateTimeField(allow_null=True)
    waiver_reason = serializers.CharField(help_text=gettext_lazy("The official's reasons, when waived."))


class LedgerYearSerializer(serializers.Serializer):
    licence_year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    in_good_standing = serializers.BooleanField(help_text=gettext_lazy("Nothing of the year is late."))
    due_kzt = serializers.DecimalField(max_digits=16, decimal_places=2)
    paid_kzt = serializers.DecimalField(max_digits=16, decimal_places=2)
    short_kzt = serializers.DecimalField(max_digits=16, decimal_places=2)
    obligations = LedgerObligationSerializer(many=True)


class LedgerSerializer(serializers.Serializer):
    number = serializers.CharField()
    on = serializers.DateField(help_text=gettext_lazy("The day the statuses are for: today, in Astana."))
    late = serializers.IntegerField(help_text=gettext_lazy("How many obligations are late."))
    years = LedgerYearSerializer(many=True)


def _obligation(entry: Entry) -> dict[str, Any]:
    line, row = entry.line, entry.obligation
    invoice = entry.invoice
    return {
        "id": row.pk,
        "kind": row.kind,
        "due_on": row.due_on,
        "status": line.status,
        "amount_mci": line.due_mci,
        "percent": row.percent,
        "mci_year": line.mci.year,
        "due_kzt": line.due_kzt,
        "estimate": line.estimate,
        "paid_kzt": line.paid_kzt,
        "short_kzt": line.short_kzt,
        "invoice": getattr(invoice, "number", None),
        "met_at": row.met_at,
        "waived_at": row.waived_at,
        "waiver_reason": row.waiver_reason,
    }


class LedgerActionMixin:
    """The `ledger` action of the licences viewset."""

    @extend_schema(
        summary=gettext_lazy("A licence's compliance ledger (holder and officials)"),
        description=gettext_lazy(
            "Each licence year with its obligations: status on today's date, what is due in MCI and in "
            "tenge (at the MCI of the year it falls due; an estimate while that year's MCI is not set), "
            "what was paid against its invoice and what is short. For the holder's members and officials, "
            "signed in; anyone else gets 403. Partner tokens get 403 whatever their scopes: what a holder "
            "paid and spent is not part of the public register (read `verify` for a licence in force)."
        ),
        parameters=[
            OpenApiParameter("number", str, OpenApiParameter.PATH, description=gettext_lazy("The licence number."))
        ],
        responses={200: LedgerSerializer},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated], pagination_class=None)
    def ledger(self, request: Request, number: str) -> Response:
        licence = selectors.licence_api(number)
        if not may_see_licence(request.user, licence.holder_id):
            raise exceptions.PermissionDenied(_("Only the holder's members and officials read a licence's ledger."))
        today = timezone.localdate()
        ledger = ledger_selectors.licence_ledger(licence, today)
        years = [
            {
                "licence_year": year.year,
                "starts_on": year.starts_on,
                "ends_on": year.ends_on,
                "in_good_standing": year.in_good_standing,
                "due_kzt": year.due_kzt,
                "paid_kzt": year.paid_kzt,
                "short_kzt": year.short_kzt,
                "obligations": [_obligation(e) for e in entries],
            }
            for year, entries in ledger.years
        ]
        answer = {"number": licence.number, "on": today, "late": ledger.late, "years": years}
        return Response(LedgerSerializer(answer).data)
