"""Licensing API: licence types and block availability (public), and the signed-in applicant's
applications from draft to lodgement.

Every write goes through `licensing.services`; the domain errors they raise keep their message
and become 4xx answers here: `ValidationError` 400, `PermissionDenied` 403, `TransitionError` 409.
An application the caller may not see answers 404, whoever asks."""

import math
from dataclasses import asdict
from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from deposits.models import Region
from documents.checks import CheckFailed, json_load
from investors import selectors as investor_selectors
from licensing import grid, selectors, services
from licensing.models import (
    Application,
    ApplicationDocument,
    Claim,
    GroundOpening,
    LicenceType,
    Rate,
    RelinquishmentRule,
    RequiredDocument,
    StageTarget,
    Tenure,
    WorkProgrammeYear,
)

# The most blocks one availability answer covers: about 50 km by 50 km at Kazakhstan's latitudes.
BBOX_LIMIT = 2500
BLOCK_STATUS_HELP = gettext_lazy("free, held (by a licence), claimed (by pending applications) or opening (later).")


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the application's current state.")
    default_code = "conflict"


def _validation_body(exc: DjangoValidationError) -> dict[str, Any]:
    """A service's ValidationError as a 400 body: field messages under the field's name, other
    messages as `problems` with the first (or a summary) as `detail`."""
    if hasattr(exc, "error_dict"):
        body: dict[str, Any] = {k: v for k, v in exc.message_dict.items() if k != NON_FIELD_ERRORS}
        problems = exc.message_dict.get(NON_FIELD_ERRORS, [])
    else:
        body, problems = {}, exc.messages
    if problems:
        body["detail"] = problems[0] if len(problems) == 1 else _("Correct the problems listed.")
        body["problems"] = problems
    return body


class DomainErrors:
    """Turns the services' domain errors into API errors that keep the services' messages."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, services.TransitionError):
            exc = Conflict(str(exc))
        elif isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(_validation_body(exc))
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)  # type: ignore[misc]


class BoundedJSONParser(JSONParser):
    """JSON bodies as DRF parses them, except that a body nested deeper than any of ours, NaN,
    Infinity or a body over DATA_UPLOAD_MAX_MEMORY_SIZE answer 400 with the reason (the json
    module alone recurses into RecursionError, a 500)."""

    max_depth = 32

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(_("The request body is larger than %(n)s bytes.") % {"n": limit})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json_load(raw.decode(encoding), max_depth=self.max_depth)
        except CheckFailed as exc:
            raise exceptions.ParseError(" ".join(exc.reasons)) from exc
        except ValueError as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from exc


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ProblemsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)


# Licence types -------------------------------------------------------------------------


class RateSerializer(serializers.ModelSerializer):
    class Meta:
        model = Rate
        fields = ["kind", "from_year", "to_year", "mci_per_block"]


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
    relinquishments = RelinquishmentSerializer(many=True, read_only=True)
    required_documents = RequiredDocumentSerializer(many=True, read_only=True)
    stage_targets = StageTargetSerializer(many=True, read_only=True)

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
            "application_fee_mci",
            "objection_days",
            "rates",
            "relinquishments",
            "required_documents",
            "stage_targets",
            "source",
            "is_placeholder",
        ]


class LicenceTypeViewSet(viewsets.ReadOnlyModelViewSet):
    """Licence types with their limits, term, extension and relinquishment rules, fee, rent and
    minimum-expenditure rates per block per licence year (in MCI), required documents and
    published service times (working days). `is_placeholder` marks figures not yet confirmed."""

    serializer_class = LicenceTypeSerializer
    permission_classes = [permissions.AllowAny]  # public and read-only: a write answers 405
    pagination_class = None

    def get_queryset(self) -> QuerySet[LicenceType]:
        return selectors.licence_types()


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

    permission_classes = [permissions.AllowAny]
    lookup_field = "code"

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "bbox",
                str,
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
        states = BlockStateSerializer(selectors.availability(blocks), many=True).data
        if request.accepted_renderer.format == GeoJSONRenderer.format:
            properties = {state["id"]: {k: v for k, v in state.items() if k != "code"} for state in states}
            return Response(grid.feature_collection(blocks, properties))
        return Response(states)

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "code",
                str,
                OpenApiParameter.PATH,
                description=gettext_lazy("The block's code, e.g. N4812E08134. A malformed code answers 404."),
            )
        ],
        responses={200: BlockHistorySerializer, 404: ErrorSerializer},
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


# Applications --------------------------------------------------------------------------


class ClaimSerializer(serializers.ModelSerializer):
    code = serializers.SerializerMethodField()
    status = serializers.CharField(help_text=gettext_lazy("live (pending), granted, excised or released."))

    class Meta:
        model = Claim
        fields = ["code", "status", "rank", "conditional", "contested"]

    def get_code(self, claim: Claim) -> str:
        return grid.code(claim.block)


class NamedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


class LicenceTypeBriefSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = LicenceType
        fields = ["id", "code", "name"]


class ApplicationSerializer(serializers.ModelSerializer):
    reference = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    organisation = NamedSerializer(read_only=True)
    licence_type = LicenceTypeBriefSerializer(read_only=True)
    blocks = serializers.SerializerMethodField()
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "state",
            "state_label",
            "organisation",
            "licence_type",
            "title",
            "region",
            "blocks",
            "kazakh_staff_percent",
            "local_goods_percent",
            "in_country_processing",
            "processing_plan",
            "training_spend_kzt",
            "declared_at",
            "priority_number",
            "lodged_at",
            "received_at",
            "stage_due_on",
            "claims",
            "created_at",
            "updated_at",
        ]

    def get_blocks(self, application: Application) -> list[str]:
        """Block codes, as drafted."""
        return [grid.code(b) for b in application.blocks]


class ProgrammeYearSerializer(serializers.ModelSerializer):
    class Meta:
        model = WorkProgrammeYear
        fields = ["year", "activities", "expenditure_kzt"]


class AttachedDocumentSerializer(serializers.ModelSerializer):
    requirement = serializers.CharField(source="requirement.code")
    name = serializers.CharField(source="document.original_name")
    check_status = serializers.CharField(source="document.status")

    class Meta:
        model = ApplicationDocument
        fields = ["requirement", "name", "check_status"]


class ApplicationDetailSerializer(ApplicationSerializer):
    programme = ProgrammeYearSerializer(many=True, read_only=True)
    documents = AttachedDocumentSerializer(many=True, read_only=True)

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "programme", "documents"]


class BlocksField(serializers.ListField):
    child = serializers.CharField(max_length=16)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(
            max_length=BBOX_LIMIT,
            help_text=gettext_lazy("Block codes like N4812E08134, or block ids."),
            **kwargs,
        )


class DraftFieldsSerializer(serializers.Serializer):
    """The fields of a draft an applicant sets; checked again, with the same messages, by the services."""

    title = serializers.CharField(max_length=200)
    region = serializers.ChoiceField(choices=Region.choices)
    licence_type = serializers.PrimaryKeyRelatedField(queryset=LicenceType.objects.all())
    blocks = BlocksField(required=False)
    kazakh_staff_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, required=False
    )
    local_goods_percent = serializers.DecimalField(
        max_digits=5, decimal_places=2, min_value=0, max_value=100, allow_null=True, required=False
    )
    in_country_processing = serializers.BooleanField(required=False)
    processing_plan = serializers.CharField(allow_blank=True, required=False, max_length=20000)
    training_spend_kzt = serializers.DecimalField(
        max_digits=16, decimal_places=2, min_value=0, allow_null=True, required=False
    )


class ApplicationCreateSerializer(DraftFieldsSerializer):
    organisation = serializers.IntegerField(
        help_text=gettext_lazy("An organisation of which you are an owner or a manager.")
    )


class ProgrammeYearInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=gettext_lazy("The licence year, from 1 to the term."))
    activities = serializers.CharField(allow_blank=True, required=False, max_length=5000)
    expenditure_kzt = serializers.DecimalField(max_digits=16, decimal_places=2)


class ProgrammeSerializer(serializers.Serializer):
    years = ProgrammeYearInputSerializer(many=True, max_length=100)


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, max_length=2000)


class ObligationYearSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    calendar_year = serializers.IntegerField()
    rent_mci = serializers.DecimalField(max_digits=20, decimal_places=2)
    rent_kzt = serializers.DecimalField(max_digits=20, decimal_places=2)
    expenditure_mci = serializers.DecimalField(max_digits=20, decimal_places=2)
    expenditure_kzt = serializers.DecimalField(max_digits=20, decimal_places=2)


class ObligationsSerializer(serializers.Serializer):
    blocks = serializers.IntegerField()
    area_km2 = serializers.FloatField()
    mci_kzt = serializers.DecimalField(max_digits=12, decimal_places=2)
    fee_mci = serializers.DecimalField(max_digits=12, decimal_places=2)
    fee_kzt = serializers.DecimalField(max_digits=20, decimal_places=2)
    years = ObligationYearSerializer(many=True)
    total_rent_kzt = serializers.DecimalField(max_digits=20, decimal_places=2)
    total_expenditure_kzt = serializers.DecimalField(max_digits=20, decimal_places=2)


class ValidationReportSerializer(serializers.Serializer):
    problems = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("What stops the draft from being lodged.")
    )
    conditional = serializers.DictField(
        child=serializers.ListField(child=serializers.CharField()),
        help_text=gettext_lazy("Block code: the earlier pending applications it would be conditional on."),
    )
    obligations = ObligationsSerializer()


DETAIL = {200: ApplicationDetailSerializer, 403: ErrorSerializer, 404: ErrorSerializer, 409: ErrorSerializer}


class ApplicationViewSet(DomainErrors, mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your organisations' applications, drafts included (officials see every lodged one;
    anyone else none). Drafts are written here; documents are attached on the web pages."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [BoundedJSONParser, FormParser, MultiPartParser]
    serializer_class = ApplicationSerializer
    filterset_fields = ["state"]

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Application.objects.none()
        return (
            selectors.applications_visible_to(self.request.user)
            .select_related("organisation", "licence_type")
            .prefetch_related(Prefetch("claims", queryset=Claim.objects.order_by("block")))
            .order_by("-id")
        )

    def get_object(self) -> Application:
        return selectors.application_for(self.request.user, self.kwargs["pk"])

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        application = selectors.application_for(self.request.user, pk)
        return Response(ApplicationDetailSerializer(application).data, status=code)

    @extend_schema(responses={200: ApplicationDetailSerializer, 404: ErrorSerializer})
    def retrieve(self, request: Request, pk: str) -> Response:
        return Response(ApplicationDetailSerializer(self.get_object()).data)

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={
            201: ApplicationDetailSerializer,
            400: OpenApiTypes.OBJECT,
            **{code: answer for code, answer in DETAIL.items() if code != 200},
        },
    )
    def create(self, request: Request) -> Response:
        """A new draft for one of your organisations (it must be verified). Another organisation's
        id answers 404 and creates nothing."""
        body = ApplicationCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        fields = dict(body.validated_data)
        organisation = (
            investor_selectors.organisations_visible_to(request.user).filter(pk=fields.pop("organisation")).first()
        )
        if organisation is None:
            raise Http404
        application = services.application_create(actor=request.user, organisation=organisation, **fields)
        return self._detail(application.pk, status.HTTP_201_CREATED)

    @extend_schema(request=DraftFieldsSerializer(partial=True), responses={400: OpenApiTypes.OBJECT, **DETAIL})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a draft: any of its fields, its licence type or its blocks."""
        application = self.get_object()
        body = DraftFieldsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.application_update(actor=request.user, application=application, **body.validated_data)
        return self._detail(application.pk)

    @extend_schema(request=ProgrammeSerializer, responses={400: OpenApiTypes.OBJECT, **DETAIL})
    @action(detail=True, methods=["put", "post"])
    def programme(self, request: Request, pk: str) -> Response:
        """Replace the draft's work programme: one row per licence year, with the planned work and spend."""
        application = self.get_object()
        body = ProgrammeSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        services.application_programme_set(
            actor=request.user, application=application, years=body.validated_data["years"]
        )
        return self._detail(application.pk)

    @extend_schema(request=None, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def declare(self, request: Request, pk: str) -> Response:
        """Declare the draft true and complete (needed before lodging)."""
        application = services.application_declare(actor=request.user, application=self.get_object())
        return self._detail(application.pk)

    @extend_schema(responses={200: ValidationReportSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["get"])
    def validate(self, request: Request, pk: str) -> Response:
        """What stops the draft from being lodged now, which blocks would be conditional on earlier
        pending applications, and the fee, rent and minimum expenditure for each licence year."""
        application = self.get_object()
        problems, check = services.application_problems(application)
        duty = services.obligations(licence_type=application.licence_type, blocks=list(application.blocks))
        report = {
            "problems": problems,
            "conditional": {grid.code(b): refs for b, refs in sorted(check.conditional.items())},
            "obligations": {
                **asdict(duty),
                "fee_mci": application.licence_type.application_fee_mci,
                "total_rent_kzt": duty.total_rent_kzt,
                "total_expenditure_kzt": duty.total_expenditure_kzt,
            },
        }
        return Response(ValidationReportSerializer(report).data)

    @extend_schema(request=None, responses={**DETAIL, 400: ProblemsSerializer})
    @action(detail=True, methods=["post"])
    def lodge(self, request: Request, pk: str) -> Response:
        """Lodge the draft: the server's time, the next priority number and a claim on every block,
        in one transaction. 400 lists every problem; 409 if it was lodged already."""
        application = services.application_lodge(actor=request.user, application=self.get_object())
        return self._detail(application.pk)

    @extend_schema(request=WithdrawSerializer, responses=DETAIL)
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, pk: str) -> Response:
        """Withdraw the application, with an optional reason; its blocks go to the next in line or open."""
        body = WithdrawSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_withdraw(
            actor=request.user, application=self.get_object(), reason=body.validated_data.get("reason", "")
        )
        return self._detail(application.pk)
