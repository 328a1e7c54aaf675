"""The applications API: drafts, their programme, validation, lodgement and withdrawal."""

from dataclasses import asdict

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import ChangeCursorPagination
from investors import selectors as investor_selectors
from licensing.domain import grid
from licensing.drafting import selectors, services
from licensing.drafting.serializers import (
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationFilter,
    ApplicationSerializer,
    DraftFieldsSerializer,
    ProgrammeSerializer,
    RegisterApplicationSerializer,
    ScreeningApplicationSerializer,
    ScreeningResultSerializer,
    ValidationReportSerializer,
    WithdrawSerializer,
)
from licensing.licences import selectors as licences_selectors
from licensing.models import (
    Application,
    ApplicationState,
    Claim,
)
from licensing.review import selectors as review_selectors
from licensing.review import services as review_services
from partners.scopes import REGISTER_READ, SCREENING_WRITE
from partners.selectors import client_of_request, request_has_scope

# The error answers are problem details (config.schema documents their body).
DETAIL = {200: ApplicationDetailSerializer, 403: None, 404: None, 409: None}


class ApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your organisations' applications, drafts included (officials see every lodged one;
    anyone else none). Drafts are written here; documents are attached on the web pages.

    Partner clients: a `register:read` token reads the public register's applications (lodged
    and later) as the register shows them; a `screening:write` token reads the applications
    referred to screening, in full with the applicant's ownership, and posts their results."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ApplicationSerializer
    # Officials and partners page through tens of thousands: a cursor, and `changed_since` to sync.
    pagination_class = ChangeCursorPagination
    filterset_class = ApplicationFilter
    partner_scopes = {
        "list": (REGISTER_READ, SCREENING_WRITE),
        "retrieve": (REGISTER_READ, SCREENING_WRITE),
        "screening_result": SCREENING_WRITE,
    }

    def _partner_view(self) -> dict[str, bool] | None:
        """For a partner's token: what it may read; None for people."""
        if client_of_request(self.request) is None:
            return None
        return {
            "register": request_has_scope(self.request, REGISTER_READ),
            "screening": request_has_scope(self.request, SCREENING_WRITE),
        }

    def get_queryset(self) -> QuerySet[Application]:
        if getattr(self, "swagger_fake_view", False):  # the schema is built without a user
            return Application.objects.none()
        partner = self._partner_view()
        visible = (
            review_selectors.applications_for_partner(**partner)
            if partner is not None
            else review_selectors.applications_visible_to(self.request.user)
        )
        return (
            visible.select_related("organisation", "licence_type")
            .prefetch_related(Prefetch("claims", queryset=Claim.objects.order_by("block")))
            .order_by("-id")
        )

    def get_serializer_class(self) -> type[serializers.Serializer]:
        return RegisterApplicationSerializer if self._partner_view() is not None else ApplicationSerializer

    def get_object(self) -> Application:
        partner = self._partner_view()
        if partner is not None:
            return review_selectors.application_for_partner(self.kwargs["pk"], **partner)
        return review_selectors.application_for(self.request.user, self.kwargs["pk"])

    def _answer(self, application: Application, code: int = status.HTTP_200_OK) -> Response:
        """The application as this caller may see it: in full for its applicant and officials,
        for a screening token while it is referred, else as the register shows it."""
        partner = self._partner_view()
        if partner is None:
            serializer: serializers.Serializer = ApplicationDetailSerializer(application)
        elif partner["screening"] and application.state == ApplicationState.SCREENING:
            serializer = ScreeningApplicationSerializer(application)
        else:
            serializer = RegisterApplicationSerializer(application)
        return Response(serializer.data, status=code)

    def _detail(self, pk: int, code: int = status.HTTP_200_OK) -> Response:
        application = review_selectors.application_for(self.request.user, pk)
        return Response(ApplicationDetailSerializer(application).data, status=code)

    @extend_schema(
        responses={
            200: PolymorphicProxySerializer(
                component_name="ApplicationAsSeen",
                serializers=[
                    ApplicationDetailSerializer,
                    ScreeningApplicationSerializer,
                    RegisterApplicationSerializer,
                ],
                resource_type_field_name=None,
            ),
            404: None,
        }
    )
    def retrieve(self, request: Request, pk: str) -> Response:
        """One application: in full for its applicant's members and officials; for a partner's
        token in full while it is referred to screening (`screening:write`), otherwise as the
        public register shows it (`register:read`)."""
        return self._answer(self.get_object())

    @extend_schema(
        request=ApplicationCreateSerializer,
        responses={
            201: ApplicationDetailSerializer,
            400: None,
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

    @extend_schema(request=DraftFieldsSerializer(partial=True), responses={400: None, **DETAIL})
    def partial_update(self, request: Request, pk: str) -> Response:
        """Change a draft: any of its fields, its licence type or its blocks."""
        application = self.get_object()
        body = DraftFieldsSerializer(data=request.data, partial=True)
        body.is_valid(raise_exception=True)
        services.application_update(actor=request.user, application=application, **body.validated_data)
        return self._detail(application.pk)

    @extend_schema(request=ProgrammeSerializer, responses={400: None, **DETAIL})
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

    @extend_schema(responses={200: ValidationReportSerializer, 404: None})
    @action(detail=True, methods=["get"])
    def validate(self, request: Request, pk: str) -> Response:
        """What stops the draft from being lodged now, which blocks would be conditional on earlier
        pending applications, and the fee, rent and minimum expenditure for each licence year."""
        application = self.get_object()
        problems, check = selectors.application_problems(application)
        duty = licences_selectors.obligations(licence_type=application.licence_type, blocks=list(application.blocks))
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

    @extend_schema(request=None, responses={**DETAIL, 400: None})
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

    @extend_schema(
        request=ScreeningResultSerializer,
        responses={200: ScreeningApplicationSerializer, 400: None, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], url_path="screening-result")
    def screening_result(self, request: Request, pk: str) -> Response:
        """The screening agency's answer on an application referred to it: cleared or not, with a
        note for the officials. The application returns to assessment on the workbench, and its
        applicant sees that the result was recorded. 409 when it is not referred now."""
        body = ScreeningResultSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = review_services.application_screening_result(
            actor=request.user,
            application=self.get_object(),
            cleared=body.validated_data["cleared"],
            note=body.validated_data.get("note", ""),
        )
        application = review_selectors.application_queryset().get(pk=application.pk)
        return Response(ScreeningApplicationSerializer(application).data)
