"""The blocks API: each block's state (free, held, claimed, opening), by ids, box or GeoJSON, and its history."""

import json
import math

import django_filters
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from accounts.pagination import ChangeCursorPagination, ChangedSinceFilterSet
from licensing.domain import grid
from licensing.ground import selectors
from licensing.ground.availability_json import availability_geojson, availability_json
from licensing.models import Claim, GroundOpening, OpeningReason, Tenure
from partners.scopes import REGISTER_READ

NUMBER = r"-?[0-9]+(\.[0-9]+)?"
BBOX_PATTERN = rf"^{NUMBER},{NUMBER},{NUMBER},{NUMBER}$"
# The most blocks one availability answer covers: about 50 km by 50 km at Kazakhstan's latitudes.
BBOX_LIMIT = 2500


BLOCK_STATUS_HELP = gettext_lazy("free, held (by a licence), claimed (by pending applications) or opening (later).")


# Blocks --------------------------------------------------------------------------------


class GeoJSONRenderer(JSONRenderer):
    media_type = "application/geo+json"
    format = "geojson"


class PendingClaimSerializer(serializers.Serializer):
    application = serializers.CharField(help_text=gettext_lazy("The application's reference, e.g. A-000123."))
    rank = serializers.IntegerField()
    contested = serializers.BooleanField()
    received_at = serializers.DateTimeField()


class BlockStateSerializer(serializers.Serializer):
    code = serializers.CharField()
    id = serializers.IntegerField(source="block")
    status = serializers.CharField(help_text=BLOCK_STATUS_HELP)
    licence = serializers.SerializerMethodField(help_text=gettext_lazy("The number of the licence holding it."))
    claims = PendingClaimSerializer(
        many=True, help_text=gettext_lazy("Pending applications claiming it, the first in line first.")
    )
    opens_at = serializers.DateTimeField(allow_null=True)

    def get_licence(self, state: selectors.BlockState) -> str | None:
        return state.licence or None


def _bbox_blocks(text: str | None) -> list[int]:
    """The blocks of `bbox=lon1,lat1,lon2,lat2`; a 400 naming what is wrong with it."""
    shape = _("Give bbox as four numbers: longitude, latitude of one corner, then of the opposite one.")
    parts = (text or "").split(",")
    try:
        lon1, lat1, lon2, lat2 = (float(p) for p in parts)
    except ValueError as exc:
        raise exceptions.ValidationError({"bbox": [shape]}) from exc
    if not all(math.isfinite(v) for v in (lon1, lat1, lon2, lat2)):
        raise exceptions.ValidationError({"bbox": [shape]})
    if not all(-180 <= lon <= 180 for lon in (lon1, lon2)) or not all(-90 <= lat <= 90 for lat in (lat1, lat2)):
        raise exceptions.ValidationError(
            {"bbox": [_("The box must lie on the Earth: longitudes -180 to 180, latitudes -90 to 90.")]}
        )
    if lon1 == lon2 or lat1 == lat2:
        raise exceptions.ValidationError({"bbox": [_("The box has no area: its corners must differ in both.")]})
    try:
        return grid.blocks_in_bbox(lon1, lat1, lon2, lat2, limit=BBOX_LIMIT)
    except grid.GridError as exc:
        raise exceptions.ValidationError(
            {"bbox": [_("The box covers more than %(limit)s blocks; ask for a smaller one.") % {"limit": BBOX_LIMIT}]}
        ) from exc


class TenureSerializer(serializers.ModelSerializer):
    licence = serializers.CharField(source="licence.number")
    holder = serializers.CharField(source="licence.holder.__str__")

    class Meta:
        model = Tenure
        fields = ["licence", "holder", "is_active", "started_at", "ended_at"]


class BlockClaimSerializer(serializers.ModelSerializer):
    application = serializers.CharField(source="application.reference")
    state = serializers.CharField(source="application.state")
    claim_status = serializers.CharField(source="status")
    received_at = serializers.DateTimeField(source="application.received_at")

    class Meta:
        model = Claim
        fields = ["application", "state", "claim_status", "rank", "conditional", "contested", "received_at"]


class OpeningSerializer(serializers.ModelSerializer):
    class Meta:
        model = GroundOpening
        fields = ["opens_at", "window_closes_at", "reason"]


class BlockHistorySerializer(serializers.Serializer):
    code = serializers.CharField()
    id = serializers.IntegerField(source="block")
    status = serializers.CharField(help_text=BLOCK_STATUS_HELP)
    tenures = TenureSerializer(many=True)
    claims = BlockClaimSerializer(many=True)
    openings = OpeningSerializer(many=True)


class BlockViewSet(viewsets.ViewSet):
    """Blocks of the graticular grid (1′ × 1′): what is free, held, claimed or opening in a box,
    and one block's history."""

    partner_scopes = {"availability": REGISTER_READ, "retrieve": REGISTER_READ}
    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "bbox",
                {"type": "string", "pattern": BBOX_PATTERN},
                required=True,
                description=gettext_lazy(
                    "lon1,lat1,lon2,lat2: two opposite corners in degrees (WGS84); at most 2500 blocks."
                ),
            ),
            OpenApiParameter(
                "format",
                str,
                enum=["json", "geojson"],
                description=gettext_lazy("geojson: a FeatureCollection of block outlines, the state in properties."),
            ),
        ],
        responses={
            (200, "application/json"): BlockStateSerializer(many=True),
            (200, "application/geo+json"): OpenApiTypes.OBJECT,
            400: OpenApiResponse(description=gettext_lazy("The box is malformed, off the Earth or too large.")),
        },
    )
    @action(
        detail=False,
        methods=["get"],
        renderer_classes=[*api_settings.DEFAULT_RENDERER_CLASSES, GeoJSONRenderer],
    )
    def availability(self, request: Request) -> Response:
        """Each block in the box, south to north and west to east: free, held (with the licence),
        claimed (pending applications in priority order) or opening (with when)."""
        blocks = _bbox_blocks(request.query_params.get("bbox"))
        rows = selectors.availability_rows(blocks)
        renderer = request.accepted_renderer
        geojson = renderer.format == GeoJSONRenderer.format
        # Written straight to JSON text (what the serializers and the renderer would write):
        # serialising 2,500 blocks field by field cost several times the queries.
        body = (availability_geojson if geojson else availability_json)(blocks, rows)
        plain = isinstance(renderer, JSONRenderer) and renderer.compact
        if plain and renderer.get_indent(request.accepted_media_type, {}) is None:
            return HttpResponse(body, content_type=renderer.media_type)
        return Response(json.loads(body))  # indented on request, or the browsable API

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description=gettext_lazy("The block's code, e.g. N4812E08134. A malformed code answers 404."),
            )
        ],
        responses={200: BlockHistorySerializer, 404: None},
    )
    def retrieve(self, request: Request, code: str) -> Response:
        """One block: its state now, the licences that held it, the applications that claimed it
        and the openings that freed it. Every well-formed code names a block; a malformed one is 404."""
        try:
            block = grid.parse(code)
        except grid.GridError as exc:
            raise Http404 from exc
        history = selectors.block_history(block)
        now = selectors.availability([block])[0]
        return Response(BlockHistorySerializer({"code": grid.code(block), "status": now.status, **history}).data)


# Openings: the release calendar ---------------------------------------------------------


class OpeningFilter(ChangedSinceFilterSet):
    # `from` is a Python keyword: the filter is set in the class namespace by name.
    locals()["from"] = django_filters.DateFilter(
        field_name="opens_at",
        lookup_expr="date__gte",
        help_text=gettext_lazy("Openings on or after this day (YYYY-MM-DD, Astana time)."),
    )
    until = django_filters.DateFilter(
        field_name="opens_at",
        lookup_expr="date__lte",
        help_text=gettext_lazy("Openings on or before this day (YYYY-MM-DD, Astana time)."),
    )

    class Meta:
        model = GroundOpening
        fields = ["from", "until", "changed_since"]


class CalendarOpeningSerializer(serializers.ModelSerializer):
    region = serializers.CharField(
        help_text=gettext_lazy("The region of the ground (see the deposits' regions), or empty.")
    )
    reason = serializers.ChoiceField(choices=OpeningReason.choices, help_text=gettext_lazy("Why the ground came free."))
    reason_label = serializers.CharField(source="get_reason_display")
    upcoming = serializers.SerializerMethodField(help_text=gettext_lazy("It has not opened yet."))
    settled = serializers.SerializerMethodField(
        help_text=gettext_lazy("Its equal-ranking window is over and the applications in it are ranked.")
    )
    block_count = serializers.IntegerField()
    blocks = serializers.SerializerMethodField(help_text=gettext_lazy("The codes of its blocks."))

    class Meta:
        model = GroundOpening
        fields = [
            "id",
            "opens_at",
            "window_closes_at",
            "reason",
            "reason_label",
            "region",
            "upcoming",
            "settled",
            "settled_at",
            "published_at",
            "block_count",
            "blocks",
            "updated_at",
        ]
        extra_kwargs = {
            "window_closes_at": {
                "help_text": gettext_lazy("Applications lodged before it rank equally; contested blocks go to auction.")
            }
        }

    def get_upcoming(self, opening: GroundOpening) -> bool:
        return opening.opens_at > timezone.now()

    def get_settled(self, opening: GroundOpening) -> bool:
        return opening.settled_at is not None

    def get_blocks(self, opening: GroundOpening) -> list[str]:
        return [grid.code(b.block) for b in opening.blocks.all()]


class OpeningViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """The release calendar: ground that opens (or opened) for applications at a published time,
    and why (a refusal, withdrawal, lapse, surrender or expiry, or opened by the state).
    Earliest opening first; narrow it with `from` and `until`, sync it with `changed_since`."""

    serializer_class = CalendarOpeningSerializer
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    partner_scopes = {"list": "register:read"}
    pagination_class = ChangeCursorPagination
    cursor_ordering = ("opens_at", "id")
    filterset_class = OpeningFilter

    def get_queryset(self) -> QuerySet[GroundOpening]:
        return selectors.openings_calendar()
