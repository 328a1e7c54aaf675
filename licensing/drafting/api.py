"""The applications API: drafts, their programme, documents, validation, lodgement, answers,
bids, withdrawal and the refusal letter; objections on the register; the screening result."""

from dataclasses import asdict

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, PolymorphicProxySerializer, extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import JSONRenderer
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import ChangeCursorPagination, ChangedSinceFilterSet
from investors import selectors as investor_selectors
from licensing.domain import grid
from licensing.drafting import selectors, services
from licensing.drafting.serializers import (
    AnswerSerializer,
    ApplicationCreateSerializer,
    ApplicationDetailSerializer,
    ApplicationSerializer,
    AttachedDocumentSerializer,
    AuctionBidSerializer,
    BidSerializer,
    DocumentUploadSerializer,
    DraftFieldsSerializer,
    ObjectionInputSerializer,
    ObjectionSerializer,
    ProgrammeSerializer,
    RegisterApplicationSerializer,
    ScreeningApplicationSerializer,
    ScreeningResultSerializer,
    ValidationReportSerializer,
    WithdrawSerializer,
)
from licensing.ground import services as ground_services
from licensing.licences import letters
from licensing.licences import selectors as licences_selectors
from licensing.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    Claim,
    Objection,
)
from licensing.permissions import may_edit
from licensing.review import information
from licensing.review import selectors as review_selectors
from licensing.review import services as review_services
from partners.scopes import REGISTER_READ, SCREENING_WRITE
from partners.selectors import client_of_request, request_has_scope


class PDFRenderer(JSONRenderer):
    """Lets a caller ask for `Accept: application/pdf`. The letter itself is sent as it is; an
    error is a problem body, rendered as JSON (and labelled so by config.problems)."""

    media_type = "application/pdf"
    format = "pdf"


# The error answers are problem details (config.schema documents their body).
DETAIL = {200: ApplicationDetailSerializer, 403: None, 404: None, 409: None}


class ApplicationFilter(ChangedSinceFilterSet):
    class Meta:
        model = Application
        fields = ["state"]


class ApplicationViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Your organisations' applications, drafts included (officials see every lodged one;
    anyone else none). Everything the investor's pages do is here too: drafts, their documents,
    lodging, answers to information requests, sealed bids, withdrawal, the refusal letter; and
    objections to an application on the public register, by anyone signed in.

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
            visible.select_related("organisation", "licence_type", "converts")
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

    def _editable_object(self) -> Application:
        """The application for its owners and managers; 404 for anyone who may not see it and
        403 (before any input is read) for those who may only read it, as on the pages."""
        application = self.get_object()
        if not may_edit(self.request.user, application):
            raise PermissionDenied(_("Only the organisation's owners and managers may do this."))
        return application

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

    # What the investor's pages do besides drafting: documents, answers, bids, the refusal
    # letter, objections. Each calls the service its page calls; tokens may not call them.

    @extend_schema(
        request={"multipart/form-data": DocumentUploadSerializer},
        responses={201: AttachedDocumentSerializer, 400: None, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], url_path="documents", parser_classes=[MultiPartParser, FormParser])
    def documents(self, request: Request, pk: str) -> Response:
        """Attach a document to the draft, for one of the documents its licence type asks for
        (multipart: `requirement` code and `file`). The file goes through the same checks as on
        the page: a malformed, oversized or wrong-type file is refused (400) and nothing is
        attached; the deeper checks run after upload and `check_status` reports them."""
        application = self._editable_object()
        body = DocumentUploadSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        code = body.validated_data["requirement"]
        requirement = next((r for r in application.licence_type.required_documents.all() if r.code == code), None)
        if requirement is None:
            raise serializers.ValidationError(
                {"requirement": [_("This document is not asked for by the application's licence type.")]}
            )
        attached = services.application_document_add(
            actor=request.user, application=application, requirement=requirement, upload=body.validated_data["file"]
        )
        attached = ApplicationDocument.objects.select_related("requirement", "document").get(pk=attached.pk)
        return Response(AttachedDocumentSerializer(attached).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None, 403: None, 404: None, 409: None})
    @action(detail=True, methods=["delete"], url_path=r"documents/(?P<attached_id>\d+)", url_name="document")
    def document(self, request: Request, pk: str, attached_id: str) -> Response:
        """Remove a document from the draft (its id is in the application's `documents`)."""
        application = self._editable_object()
        attached = next((d for d in application.documents.all() if d.pk == int(attached_id)), None)
        if attached is None:
            raise Http404(_("That document is not part of this application."))
        services.application_document_remove(actor=request.user, attached=attached)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(
        request={"application/json": AnswerSerializer, "multipart/form-data": AnswerSerializer},
        responses={400: None, **DETAIL},
    )
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str) -> Response:
        """Answer the open information request (`open_request`) in words, with the document it
        wants if it names one (multipart, `file`); the clock runs again with the working days that
        were left. 400 when the wanted document is missing or its file is refused; 409 when no
        request is open."""
        application = self._editable_object()
        body = AnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        information.application_answer(
            actor=request.user,
            application=application,
            answer=body.validated_data["answer"],
            upload=body.validated_data.get("file"),
        )
        return self._detail(application.pk)

    @extend_schema(
        request=BidSerializer, responses={201: AuctionBidSerializer, 400: None, 403: None, 404: None, 409: None}
    )
    @action(detail=True, methods=["post"])
    def bid(self, request: Request, pk: str) -> Response:
        """Place the application's one sealed bid in the auction it is called to (`auction`).
        Nobody sees the amount until the bids are opened together. 409 when it is not called to
        an open auction, bidding has closed, or a bid was placed already."""
        application = self._editable_object()
        body = BidSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        bid = ground_services.bid_place(
            actor=request.user, application=application, amount_kzt=body.validated_data["amount_kzt"]
        )
        return Response(AuctionBidSerializer(bid).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        responses={
            (200, "application/pdf"): OpenApiResponse(
                OpenApiTypes.BINARY, description=gettext_lazy("The letter, in the holder's language and in Kazakh.")
            ),
            404: OpenApiResponse(description=gettext_lazy("No such application of yours, or it was not refused.")),
        }
    )
    @action(
        detail=True,
        methods=["get"],
        url_path="refusal-letter",
        url_name="refusal-letter",
        renderer_classes=[JSONRenderer, PDFRenderer],
    )
    def refusal_letter(self, request: Request, pk: str) -> HttpResponse:
        """The refusal letter (PDF) of a refused application, for its applicant's members."""
        return letters.refusal_letter_download(self.get_object())

    @extend_schema(
        request={"multipart/form-data": ObjectionInputSerializer},
        responses={201: ObjectionSerializer, 400: None, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], parser_classes=[MultiPartParser, FormParser])
    def objections(self, request: Request, pk: str) -> Response:
        """Object to an application on the public register while its objection period runs:
        anyone signed in may, with grounds and an optional supporting document (multipart).
        409 outside the objection period; 404 for drafts."""
        application = review_selectors.register_application_by_id(pk)
        body = ObjectionInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        objection = review_services.objection_lodge(
            actor=request.user,
            application=application,
            grounds=body.validated_data["grounds"],
            upload=body.validated_data.get("file"),
        )
        objection = Objection.objects.select_related("document").get(pk=objection.pk)
        return Response(ObjectionSerializer(objection).data, status=status.HTTP_201_CREATED)
