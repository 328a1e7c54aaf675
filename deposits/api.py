"""Read API: deposits and commodities."""

from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import permissions, serializers, viewsets

from accounts.pagination import RefusesEmptyValues
from deposits import selectors
from deposits.caching import cached_disclosure
from deposits.filters import DepositFilter
from deposits.models import Commodity, Deposit, DepositDocument, DocumentVisibility, ResourceEstimate, Source
from partners.scopes import REGISTER_READ


class CommoditySerializer(serializers.ModelSerializer):
    class Meta:
        model = Commodity
        fields = ["code", "name_en", "name_ru", "name_kk", "is_critical", "is_strategic", "colour"]


class LocationSerializer(serializers.Serializer):
    latitude = serializers.DecimalField(max_digits=8, decimal_places=5)
    longitude = serializers.DecimalField(max_digits=8, decimal_places=5)


def english(name: str) -> serializers.CharField:
    """The v1 field that held a text before it was kept in each language: its English."""
    return serializers.CharField(
        source=f"{name}_en",
        read_only=True,
        help_text=format_lazy(
            _("The same as {field}: the English text, kept for clients of version 1."), field=f"{name}_en"
        ),
    )


class DepositListSerializer(serializers.ModelSerializer):
    district = english("district")
    url = serializers.HyperlinkedIdentityField(view_name="api:deposit-detail", lookup_field="slug")
    page = serializers.SerializerMethodField()
    commodities = serializers.SerializerMethodField()
    location = serializers.SerializerMethodField()

    class Meta:
        model = Deposit
        fields = [
            "slug",
            "url",
            "page",
            "name_en",
            "name_ru",
            "name_kk",
            "region",
            "district",
            "district_en",
            "district_ru",
            "district_kk",
            "location",
            "deposit_type",
            "stage",
            "commodities",
            "is_illustrative",
            "published_at",
            "updated_at",
        ]

    def get_page(self, deposit: Deposit) -> str:
        return self.context["request"].build_absolute_uri(deposit.get_absolute_url())

    def get_commodities(self, deposit: Deposit) -> list[str]:
        """Commodity codes, the main one first."""
        return [dc.commodity.code for dc in deposit.deposit_commodities.all()]

    @extend_schema_field(LocationSerializer)
    def get_location(self, deposit: Deposit) -> dict[str, str]:
        return LocationSerializer(deposit).data


class EstimateSerializer(serializers.ModelSerializer):
    commodity = serializers.SlugRelatedField(slug_field="code", read_only=True)
    estimate_class = serializers.CharField(read_only=True)
    source = serializers.StringRelatedField()
    competent_person = english("competent_person")
    note = english("note")

    class Meta:
        model = ResourceEstimate
        fields = [
            "commodity",
            "code",
            "category",
            "estimate_class",
            "tonnage_t",
            "grade",
            "grade_unit",
            "contained_t",
            "cutoff",
            "effective_date",
            "competent_person",
            "competent_person_en",
            "competent_person_ru",
            "competent_person_kk",
            "source",
            "note",
            "note_en",
            "note_ru",
            "note_kk",
        ]


class SourceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Source
        fields = ["title", "publisher", "year", "url"]


class DocumentSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()

    class Meta:
        model = DepositDocument
        fields = ["title", "kind", "visibility", "published_on", "url"]

    def get_url(self, document: DepositDocument) -> str | None:
        """The link of a public document; data-room documents are listed without one."""
        return document.url or None if document.visibility == DocumentVisibility.PUBLIC else None


class DepositDetailSerializer(DepositListSerializer):
    estimates = EstimateSerializer(many=True, read_only=True)
    sources = SourceSerializer(many=True, read_only=True)
    documents = DocumentSerializer(many=True, read_only=True)
    geology = english("geology")
    history = english("history")

    class Meta(DepositListSerializer.Meta):
        fields = [
            *DepositListSerializer.Meta.fields,
            "summary_en",
            "summary_ru",
            "summary_kk",
            "geology",
            "geology_en",
            "geology_ru",
            "geology_kk",
            "history",
            "history_en",
            "history_ru",
            "history_kk",
            "outline",
            "rail_km",
            "road_km",
            "power_km",
            "water_km",
            "estimates",
            "sources",
            "documents",
        ]


class CachedDisclosureMixin:
    """Anonymous reads are answered from the disclosure cache (see deposits.caching)."""

    @cached_disclosure
    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return super().dispatch(request, *args, **kwargs)  # type: ignore[misc]


class CommodityViewSet(CachedDisclosureMixin, viewsets.ReadOnlyModelViewSet):
    """Commodities that deposits are disclosed for (critical and strategic flags)."""

    serializer_class = CommoditySerializer
    partner_scopes = {"list": REGISTER_READ, "retrieve": REGISTER_READ}
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    lookup_field = "code"
    pagination_class = None

    def get_queryset(self) -> QuerySet[Commodity]:
        return selectors.commodity_list()


class DepositApiFilter(RefusesEmptyValues, DepositFilter):
    """The list page's filters; a parameter given empty answers 400, as everywhere in the API
    (the page's form sends `region=` for any region)."""


class DepositViewSet(CachedDisclosureMixin, viewsets.ReadOnlyModelViewSet):
    """Published deposits. Filter with `commodity`, `region`, `stage`, `code`, `q`; order with `sort`."""

    lookup_field = "slug"
    partner_scopes = {"list": REGISTER_READ, "retrieve": REGISTER_READ}
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    filterset_class = DepositApiFilter

    def get_queryset(self) -> QuerySet[Deposit]:
        if self.action == "retrieve":
            return selectors.deposit_list_public().prefetch_related(
                "estimates__commodity", "estimates__source", "sources", "documents"
            )
        return selectors.deposit_list_public()

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return DepositDetailSerializer if self.action == "retrieve" else DepositListSerializer
