"""The licences API: the register (list, with filters and incremental sync), a licence in full
(blocks, term, history, certificate versions) and the check a bank makes before lending. The
licence types are in licence_type_api."""

import re
from typing import Any

import django_filters
from dateutil.relativedelta import relativedelta
from django import forms
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import exceptions, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import ChangeCursorPagination, ChangedSinceFilterSet
from deposits.filters import CommodityFilter
from deposits.models import Commodity, Region
from investors.selectors import organisation_ids_named
from licensing.domain import grid
from licensing.licences import certificates, selectors
from licensing.licences.ledger_api import LedgerActionMixin
from licensing.licences.register_api import RegisterFactsMixin
from licensing.licences.report_api import ReportActionMixin
from licensing.licences.revocations_api import RevocationActionMixin
from licensing.models import (
    CertificateVersion,
    Licence,
    LicenceStatus,
    LicenceType,
)
from partners.scopes import REGISTER_READ

# Licences ------------------------------------------------------------------------------


class IdField(forms.IntegerField):
    """A database id: a whole number that fits the column (a larger one is malformed, not a 500)."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(min_value=1, max_value=2**63 - 1, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(django_filters.NumberFilter):
    field_class = IdField


class LicenceFilter(ChangedSinceFilterSet):
    holder = IdFilter(field_name="holder_id", help_text=gettext_lazy("The holding organisation's id."))
    holder_name = django_filters.CharFilter(
        method="filter_holder_name",
        max_length=100,
        help_text=gettext_lazy("Part of the holder's legal name, in Latin or Cyrillic letters, any case."),
    )
    licence_type = django_filters.ModelChoiceFilter(
        queryset=LicenceType.objects.all(),
        to_field_name="code",
        help_text=gettext_lazy("A licence type's code (see /api/v1/licence-types/), e.g. exploration."),
    )
    status = django_filters.ChoiceFilter(choices=LicenceStatus.choices)
    region = django_filters.ChoiceFilter(
        field_name="application__region",
        choices=Region.choices,
        help_text=gettext_lazy("The region of the application the licence was granted on."),
    )
    commodity = CommodityFilter(
        queryset=Commodity.objects.all(),
        to_field_name="code",
        method="filter_commodity",
        help_text=gettext_lazy(
            "A commodity's code, e.g. Li: licences holding a block on which a published deposit of it lies."
        ),
    )

    class Meta:
        model = Licence
        fields = ["holder", "holder_name", "licence_type", "status", "region", "commodity", "changed_since"]

    def filter_holder_name(self, queryset: QuerySet[Licence], name: str, value: str) -> QuerySet[Licence]:
        return queryset.filter(holder_id__in=organisation_ids_named(value))

    def filter_commodity(self, queryset: QuerySet[Licence], name: str, value: Commodity) -> QuerySet[Licence]:
        return selectors.covering_commodity(queryset, value.code)


class HolderSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="legal_name", help_text=gettext_lazy("The legal name, as registered."))
    name_latin = serializers.CharField(source="legal_name_latin", help_text=gettext_lazy("In Latin letters."))
    country = serializers.CharField(source="country.code", help_text=gettext_lazy("Of incorporation: ISO 3166 code."))


class CurrentCertificateSerializer(serializers.ModelSerializer):
    class Meta:
        model = CertificateVersion
        fields = ["version", "issued_at", "sha256"]


class CertificateVersionSerializer(serializers.ModelSerializer):
    languages = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("The languages of its parts, in order (Kazakh last).")
    )
    download_url = serializers.SerializerMethodField(
        help_text=gettext_lazy("The stored PDF: for the holder's members and officials, signed in.")
    )

    class Meta:
        model = CertificateVersion
        fields = ["version", "issued_at", "reason", "sha256", "languages", "download_url"]
        extra_kwargs = {"sha256": {"help_text": gettext_lazy("SHA-256 of the PDF file, lower-case hex.")}}

    def get_download_url(self, version: CertificateVersion) -> str:
        path = reverse("licensing:certificate", args=[version.licence.number]) + f"?version={version.version}"
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


def _current(licence: Licence) -> CertificateVersion | None:
    versions = list(licence.certificate_versions.all())  # prefetched, by version
    return versions[-1] if versions else None


class LicenceSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField(help_text=gettext_lazy("This licence in the API."))
    holder = HolderSerializer()
    licence_type = serializers.CharField(source="licence_type.code", help_text=gettext_lazy("The type's code."))
    region = serializers.SerializerMethodField(help_text=gettext_lazy("The region of the granted application."))
    term_years = serializers.SerializerMethodField(help_text=gettext_lazy("Whole years from start to expiry."))
    is_current = serializers.SerializerMethodField(help_text=gettext_lazy("Active and within its term today."))
    blocks = serializers.SerializerMethodField(
        help_text=gettext_lazy("Codes of the blocks it holds (or held when it ended), south to north, west to east.")
    )
    block_count = serializers.SerializerMethodField()
    area_km2 = serializers.SerializerMethodField()
    certificate = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "The current certificate version; null for a licence granted before certificates were kept, "
            "until its holder first downloads it."
        )
    )

    class Meta:
        model = Licence
        fields = [
            "number",
            "url",
            "holder",
            "licence_type",
            "status",
            "region",
            "granted_at",
            "starts_on",
            "expires_on",
            "term_years",
            "is_current",
            "block_count",
            "area_km2",
            "blocks",
            "certificate",
            "updated_at",
        ]
        extra_kwargs = {"updated_at": {"help_text": gettext_lazy("When it last changed: give it as changed_since.")}}

    def _blocks(self, licence: Licence) -> list[int]:
        cache = self.context.setdefault("held_blocks", {})
        if licence.pk not in cache:
            cache[licence.pk] = certificates.held_blocks(licence)
        return cache[licence.pk]

    def get_url(self, licence: Licence) -> str:
        path = reverse("api:licence-detail", args=[licence.number])
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path

    def get_region(self, licence: Licence) -> str:
        return licence.application.region if licence.application else ""

    def get_term_years(self, licence: Licence) -> int:
        return relativedelta(licence.expires_on, licence.starts_on).years

    def get_is_current(self, licence: Licence) -> bool:
        return selectors.is_current(licence)

    def get_blocks(self, licence: Licence) -> list[str]:
        return [grid.code(b) for b in self._blocks(licence)]

    def get_block_count(self, licence: Licence) -> int:
        return len(self._blocks(licence))

    def get_area_km2(self, licence: Licence) -> float:
        return round(grid.total_area_km2(self._blocks(licence)), 3)

    @extend_schema_field(CurrentCertificateSerializer(allow_null=True))
    def get_certificate(self, licence: Licence) -> dict[str, Any] | None:
        current = _current(licence)
        return CurrentCertificateSerializer(current).data if current else None


class LicenceDetailSerializer(RegisterFactsMixin, LicenceSerializer):
    certificate_versions = CertificateVersionSerializer(many=True)

    class Meta(LicenceSerializer.Meta):
        fields = [
            *LicenceSerializer.Meta.fields,
            *("history", "status_history", "changes_of_title", "obligations_public", "certificate_versions"),
        ]


class FingerprintSerializer(serializers.Serializer):
    sha256 = serializers.CharField(help_text=gettext_lazy("The fingerprint asked about, lower-case."))
    genuine = serializers.BooleanField(help_text=gettext_lazy("A certificate version of this licence has it."))
    current = serializers.BooleanField(help_text=gettext_lazy("And that version is the current one."))
    version = serializers.IntegerField(allow_null=True, help_text=gettext_lazy("The version that has it."))


class VerificationSerializer(serializers.Serializer):
    number = serializers.CharField()
    is_current = serializers.BooleanField(help_text=gettext_lazy("In force today: active and within its term."))
    status = serializers.ChoiceField(choices=LicenceStatus.choices)
    holder = HolderSerializer()
    starts_on = serializers.DateField()
    expires_on = serializers.DateField()
    certificate = CurrentCertificateSerializer(
        allow_null=True, help_text=gettext_lazy("The current certificate version, or null if none is kept yet.")
    )
    fingerprint = FingerprintSerializer(
        allow_null=True, help_text=gettext_lazy("The answer about ?sha256=, or null when it was not asked.")
    )
    checked_at = serializers.DateTimeField(help_text=gettext_lazy("When the register answered."))


SHA256 = re.compile(r"[0-9a-fA-F]{64}")


NUMBER = OpenApiParameter(
    "number",
    str,
    OpenApiParameter.PATH,
    description=gettext_lazy("The licence number, e.g. KZ-EXP-2026-000001. An unknown number answers 404."),
)


VERIFY_EXAMPLE = OpenApiExample(
    gettext_lazy("A licence in force, asked about its current certificate"),
    value={
        "number": "KZ-EXP-2026-000001",
        "is_current": True,
        "status": "active",
        "holder": {"id": 7, "name": "Steppe Lithium LLP", "name_latin": "Steppe Lithium LLP", "country": "KZ"},
        "starts_on": "2026-11-24",
        "expires_on": "2032-11-24",
        "certificate": {"version": 1, "issued_at": "2026-11-24T05:00:00Z", "sha256": "9f86d0" + "0" * 58},
        "fingerprint": {"sha256": "9f86d0" + "0" * 58, "genuine": True, "current": True, "version": 1},
        "checked_at": "2026-12-01T04:00:00Z",
    },
    response_only=True,
)


class LicenceViewSet(LedgerActionMixin, RevocationActionMixin, ReportActionMixin, viewsets.ReadOnlyModelViewSet):
    """The licence register: every licence granted, whatever its status, for anyone to read.

    The list pages with a cursor (follow `next`), oldest change first; sync incrementally with
    `changed_since` set to the largest `updated_at` you have read. The `ledger` and the
    `revocations` are for the holder and officials only: no partner scope reaches them."""

    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    partner_scopes = {"list": REGISTER_READ, "retrieve": REGISTER_READ, "verify": REGISTER_READ}
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    pagination_class = ChangeCursorPagination
    filterset_class = LicenceFilter

    def get_queryset(self) -> QuerySet[Licence]:
        return selectors.licences_api()

    def get_object(self) -> Licence:
        return selectors.licence_api(self.kwargs["number"])

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return LicenceSerializer if self.action == "list" else LicenceDetailSerializer

    @extend_schema(summary=gettext_lazy("Licences in the register"))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(summary=gettext_lazy("One licence in full"), parameters=[NUMBER])
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The licence with its blocks, term, status history (its public events), changes of title,
        the public standing of its obligations (met, late, waived: no amounts or reasons) and every
        certificate version with its SHA-256 fingerprint."""
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Check a licence before relying on it"),
        parameters=[
            NUMBER,
            OpenApiParameter(
                "sha256",
                str,
                description=gettext_lazy(
                    "SHA-256 of a certificate PDF you were given (64 hex digits): is it a genuine version, "
                    "and the current one?"
                ),
            ),
        ],
        responses={200: VerificationSerializer},
        examples=[VERIFY_EXAMPLE],
    )
    @action(detail=True, methods=["get"])
    def verify(self, request: Request, number: str) -> Response:
        """What a bank checks before lending against a licence: is it in force today (active and
        within its term), who holds it, its status and expiry, and the fingerprint of its current
        certificate. With `?sha256=`, whether a certificate file is a genuine version of this
        licence's certificate and whether it is the current one."""
        sha256 = request.query_params.get("sha256")
        if sha256 is not None and not SHA256.fullmatch(sha256):
            raise exceptions.ValidationError({"sha256": [_("Give the SHA-256 as 64 hexadecimal digits.")]})
        licence = self.get_object()
        answer = {
            "number": licence.number,
            "is_current": selectors.is_current(licence),
            "status": licence.status,
            "holder": licence.holder,
            "starts_on": licence.starts_on,
            "expires_on": licence.expires_on,
            "certificate": _current(licence),
            "fingerprint": selectors.fingerprint_check(licence, sha256.lower()) if sha256 else None,
            "checked_at": timezone.now(),
        }
        return Response(VerificationSerializer(answer).data)
