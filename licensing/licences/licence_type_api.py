"""The published licence types over the API: their rates, expenditure tiers, relinquishment
rules, required documents and service times."""

from django.db.models import QuerySet
from django.utils.translation import gettext_lazy
from rest_framework import permissions, serializers, viewsets

from deposits.api import english
from licensing.licences import selectors
from licensing.models import (
    ExpenditureTier,
    LicenceType,
    Rate,
    RelinquishmentRule,
    RequiredDocument,
    StageTarget,
)
from partners.scopes import REGISTER_READ

# Licence types -------------------------------------------------------------------------


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rate
        fields = ["kind", "from_year", "to_year", "mci_per_block", "unit"]


class ExpenditureTierSerializer(serializers.ModelSerializer):
    source = english("source")

    class Meta:
        model = ExpenditureTier
        fields = [
            "from_year",
            "to_year",
            "from_blocks",
            "to_blocks",
            "mci",
            "mci_per_block_above",
            "source",
            "source_en",
            "source_ru",
            "source_kk",
        ]


class RelinquishmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = RelinquishmentRule
        fields = ["after_year", "percent"]


class RequiredDocumentSerializer(serializers.ModelSerializer):
    label = serializers.CharField(read_only=True)

    class Meta:
        model = RequiredDocument
        fields = ["code", "document_kind", "label", "label_en", "label_ru", "label_kk"]


class StageTargetSerializer(serializers.ModelSerializer):
    stage = serializers.CharField(help_text=gettext_lazy("The application state the target is for."))

    class Meta:
        model = StageTarget
        fields = ["stage", "working_days"]


class LicenceTypeSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)
    rates = RateSerializer(many=True, read_only=True)
    expenditure_tiers = ExpenditureTierSerializer(
        many=True,
        read_only=True,
        help_text=gettext_lazy(
            "The minimum work expenditure a year by block count (the Subsoil Code's tiers); for the "
            "licence years a tier covers it replaces the per-block expenditure rate."
        ),
    )
    relinquishments = RelinquishmentSerializer(many=True, read_only=True)
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    stage_targets = StageTargetSerializer(many=True, read_only=True)
    extension_rule = english("extension_rule")
    source = english("source")

    class Meta:
        model = LicenceType
        fields = [
            "id",
            "code",
            "name",
            "name_en",
            "name_ru",
            "name_kk",
            "kind",
            "number_prefix",
            "is_open",
            "min_blocks",
            "max_blocks",
            "must_be_contiguous",
            "term_years",
            "extension_max_count",
            "extension_max_years",
            "extension_rule",
            "extension_rule_en",
            "extension_rule_ru",
            "extension_rule_kk",
            "application_fee_mci",
            "signature_bonus_mci",
            "objection_days",
            "rates",
            "expenditure_tiers",
            "relinquishments",
            "required_documents",
            "stage_targets",
            "source",
            "source_en",
            "source_ru",
            "source_kk",
            "is_placeholder",
        ]


class LicenceTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Licence types with their limits, term, extension and relinquishment rules, fee, rent and
    minimum-expenditure rates per licence year (in MCI per block, or per km² of the licence's area:
    `unit`) and minimum-expenditure tiers by
    block count, required documents and
    published service times (working days). `is_placeholder` marks figures not yet confirmed."""

    serializer_class = LicenceTypeSerializer
    partner_scopes = {"list": REGISTER_READ, "retrieve": REGISTER_READ}
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    pagination_class = None

    def get_queryset(self) -> QuerySet[LicenceType]:
        return selectors.licence_types()
