"""What the licence register's API says of a licence's life (its detail, `/api/v1/licences/<number>/`):
the status history, the changes of title and the public standing of its obligations, the same
facts as the register's page and under the same rule (README, "What the register shows of a
licence"): no amount, payment, expenditure, report content or reasons."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from licensing.licences import register_selectors
from licensing.models import Licence, ObligationKind, ObligationStatus, TitleChangeKind, TitleChangeState


class HistoryEntrySerializer(serializers.Serializer):
    type = serializers.CharField(
        help_text=gettext_lazy("The event type, e.g. licence.granted (see /api/v1/event-types/).")
    )
    label = serializers.CharField()
    occurred_at = serializers.DateTimeField()


class TitleChangePublicSerializer(serializers.Serializer):
    number = serializers.CharField()
    kind = serializers.ChoiceField(choices=TitleChangeKind.choices)
    state = serializers.ChoiceField(choices=TitleChangeState.choices)
    lodged_at = serializers.DateTimeField()
    decided_at = serializers.DateTimeField(allow_null=True)


class ObligationPublicSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=ObligationKind.choices)
    due_on = serializers.DateField()
    status = serializers.ChoiceField(
        choices=ObligationStatus.choices,
        help_text=gettext_lazy(
            "Today: waived; met; late from the day after its due date; due from 30 days before it; upcoming."
        ),
    )
    met_on = serializers.DateField(allow_null=True, help_text=gettext_lazy("The day it was met."))
    met_late = serializers.BooleanField(help_text=gettext_lazy("It was met after its due date."))
    waived_on = serializers.DateField(
        allow_null=True, help_text=gettext_lazy("The day an official waived it (the reasons are not public).")
    )


class YearPublicSerializer(serializers.Serializer):
    licence_year = serializers.IntegerField()
    starts_on = serializers.DateField()
    ends_on = serializers.DateField()
    obligations = ObligationPublicSerializer(many=True)


class RegisterFactsMixin(serializers.Serializer):
    """The public facts of a licence's life, for the licence detail serializer."""

    history = serializers.SerializerMethodField(
        help_text=gettext_lazy("Its public events, oldest first (the same as status_history; kept for clients).")
    )
    status_history = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "Every public event about it, oldest first: granted, extended, relinquished, transferred, "
            "converted, surrendered, expired, revoked, certificate issued."
        )
    )
    changes_of_title = serializers.SerializerMethodField(
        help_text=gettext_lazy("Its changes of title, newest first: number, kind, state and dates only.")
    )
    obligations_public = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "For each licence year begun, whether each obligation was met (and when), is late, or was "
            "waived (and when). No amounts, payments or reasons: those are the holder's (see `ledger`)."
        )
    )

    def _history(self, licence: Licence) -> list[dict[str, Any]]:
        cache = self.context.setdefault("status_history", {})
        if licence.pk not in cache:
            cache[licence.pk] = HistoryEntrySerializer(register_selectors.status_history(licence), many=True).data
        return cache[licence.pk]

    @extend_schema_field(HistoryEntrySerializer(many=True))
    def get_history(self, licence: Licence) -> list[dict[str, Any]]:
        return self._history(licence)

    @extend_schema_field(HistoryEntrySerializer(many=True))
    def get_status_history(self, licence: Licence) -> list[dict[str, Any]]:
        return self._history(licence)

    @extend_schema_field(TitleChangePublicSerializer(many=True))
    def get_changes_of_title(self, licence: Licence) -> list[dict[str, Any]]:
        return TitleChangePublicSerializer(register_selectors.changes_of_title(licence), many=True).data

    @extend_schema_field(YearPublicSerializer(many=True))
    def get_obligations_public(self, licence: Licence) -> list[dict[str, Any]]:
        return YearPublicSerializer(register_selectors.obligations_public(licence), many=True).data
