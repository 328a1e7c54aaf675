"""`/api/v1/openings/expiring/`: the release calendar's licences whose term ends in the coming
weeks, with when their ground would open by the opening rule; `/api/v1/openings/deciding/`: the
surrenders and relinquishments being decided (the published openings are `/api/v1/openings/`)."""

from typing import Any

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import StrictCursorPagination
from deposits.models import Commodity, Region
from licensing.licences import release_calendar
from licensing.licences.release_calendar import MAX_WEEKS, CalendarQuery
from licensing.models import Licence, TitleChange
from partners.scopes import REGISTER_READ


class ExpiryCursorPagination(StrictCursorPagination):
    """Soonest expiry first; the cursor's position is a day."""

    ordering = ("expires_on", "id")

    def _position_fits(self, position: str | None) -> bool:
        if position is None:
            return True
        try:
            return parse_date(position) is not None
        except ValueError:
            return False


class ExpiringLicenceSerializer(serializers.ModelSerializer):
    holder = serializers.CharField(source="holder.legal_name_latin")
    licence_type = serializers.CharField(source="licence_type.code")
    region = serializers.SerializerMethodField(help_text=gettext_lazy("The region of the licence's ground, or empty."))
    blocks = serializers.IntegerField(source="block_count", help_text=gettext_lazy("How many blocks it holds."))
    opens_at = serializers.SerializerMethodField(
        help_text=gettext_lazy(
            "When its blocks would open for applications: the day after expiry, plus the notice period, at 09:00 "
            "Astana time (unless an extension of its term is being decided)."
        )
    )
    window_closes_at = serializers.SerializerMethodField(
        help_text=gettext_lazy("Applications lodged before it would rank equally.")
    )

    class Meta:
        model = Licence
        fields = ["number", "holder", "licence_type", "region", "blocks", "expires_on", "opens_at", "window_closes_at"]

    def get_region(self, licence: Licence) -> str:
        return licence.application.region if licence.application else ""

    def _expected(self, licence: Licence) -> release_calendar.ExpectedOpening:
        return self.context["expected"][licence.expires_on]

    def get_opens_at(self, licence: Licence) -> str:
        return serializers.DateTimeField().to_representation(self._expected(licence).opens_at)

    def get_window_closes_at(self, licence: Licence) -> str:
        return serializers.DateTimeField().to_representation(self._expected(licence).window_closes_at)


def _query(params: Any) -> CalendarQuery:
    """The calendar's filters from the query string; a value it does not know answers 400 naming it."""
    region, commodity, weeks = (params.get(name, "").strip() for name in ("region", "commodity", "weeks"))
    errors = {}
    if region and region not in Region.values:
        errors["region"] = [_("Unknown region: %(value)s") % {"value": region[:40]}]
    if commodity and not Commodity.objects.filter(code=commodity).exists():
        errors["commodity"] = [_("Unknown commodity: %(value)s") % {"value": commodity[:40]}]
    if weeks and not (weeks.isdigit() and 1 <= int(weeks) <= MAX_WEEKS):
        errors["weeks"] = [_("Give a whole number of weeks from 1 to %(max)s.") % {"max": MAX_WEEKS}]
    if errors:
        raise exceptions.ValidationError(errors)
    return CalendarQuery(region=region, commodity=commodity, **({"weeks": int(weeks)} if weeks else {}))


class ExpiringLicenceViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Active licences whose term ends from today to `weeks` ahead (12 unless given), soonest
    first, with when their blocks would open. Narrow by `region` and `commodity`."""

    serializer_class = ExpiringLicenceSerializer
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    partner_scopes = {"list": REGISTER_READ}
    pagination_class = ExpiryCursorPagination

    def get_queryset(self) -> QuerySet[Licence]:
        return release_calendar.expiring_licences(_query(self.request.query_params), timezone.localdate())

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, enum=list(Region.values), description=gettext_lazy("Only this region.")),
            OpenApiParameter(
                "commodity",
                str,
                description=gettext_lazy("A commodity code: only licences on ground where a deposit of it lies."),
            ),
            OpenApiParameter("weeks", int, description=gettext_lazy("How many weeks ahead: 1 to 52, 12 unless given.")),
        ],
        responses={200: ExpiringLicenceSerializer(many=True), 400: OpenApiResponse(description="A bad filter value.")},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        page = self.paginate_queryset(self.get_queryset())
        expected = release_calendar.expected_openings([licence.expires_on for licence in page])
        serializer = self.get_serializer(
            page, many=True, context={**self.get_serializer_context(), "expected": expected}
        )
        return self.get_paginated_response(serializer.data)


class DecidingPagination(StrictCursorPagination):
    """Earliest lodged first; the cursor's position is a moment."""

    ordering = ("lodged_at", "id")


class DecidingChangeSerializer(serializers.ModelSerializer):
    licence = serializers.CharField(source="licence.number")
    region = serializers.SerializerMethodField(help_text=gettext_lazy("The region of the licence's ground, or empty."))
    blocks = serializers.SerializerMethodField(
        help_text=gettext_lazy("How many blocks it would free: those given up, or all held for a surrender.")
    )

    class Meta:
        model = TitleChange
        fields = ["number", "licence", "kind", "state", "region", "blocks", "lodged_at"]

    def get_region(self, change: TitleChange) -> str:
        return change.licence.application.region if change.licence.application else ""

    def get_blocks(self, change: TitleChange) -> int:
        return release_calendar.freed_count(change)


class DecidingChangeViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Surrenders and relinquishments under review or recommended, earliest lodged first: ground
    that opens at the next opening time after an approval (none if refused or withdrawn). Narrow
    by `region` and `commodity`; the holder's statement is not given."""

    serializer_class = DecidingChangeSerializer
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    partner_scopes = {"list": REGISTER_READ}
    pagination_class = DecidingPagination

    def get_queryset(self) -> QuerySet[TitleChange]:
        return release_calendar.changes_being_decided(_query(self.request.query_params))

    @extend_schema(
        parameters=[
            OpenApiParameter("region", str, enum=list(Region.values), description=gettext_lazy("Only this region.")),
            OpenApiParameter(
                "commodity",
                str,
                description=gettext_lazy("A commodity code: only licences on ground where a deposit of it lies."),
            ),
        ],
        responses={200: DecidingChangeSerializer(many=True), 400: OpenApiResponse(description="A bad filter value.")},
    )
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)
