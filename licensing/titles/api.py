"""Changes of title in the API: the holder's (session) and the officials' list and detail, the
holder's lodgement and withdrawal; partner tokens with `register:read` read the changes lodged,
without the holder's statement or the officials' reasons."""

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.pagination import StrictCursorPagination
from licensing.domain import grid
from licensing.licences.selectors import licence_for
from licensing.models import TitleChange, TitleChangeKind
from licensing.titles import selectors, services
from licensing.titles.forms import verified_organisation_named
from partners.scopes import REGISTER_READ, TITLE_REVIEW_WRITE
from partners.selectors import client_of_request

PUBLIC_FIELDS = [
    "number",
    "licence",
    "kind",
    "state",
    "holder",
    "lodged_at",
    "decide_by",
    "extension_years",
    "new_expires_on",
    "transferee",
    "security_review",
    "decided_at",
]


class TitleChangeSerializer(serializers.ModelSerializer):
    licence = serializers.CharField(source="licence.number", read_only=True)
    holder = serializers.CharField(source="holder.legal_name", read_only=True)
    transferee = serializers.CharField(source="transferee.legal_name", read_only=True, allow_null=True, default=None)

    class Meta:
        model = TitleChange
        fields = PUBLIC_FIELDS
        read_only_fields = PUBLIC_FIELDS


class TitleChangeDetailSerializer(TitleChangeSerializer):
    """What the holder and the officials read: the statement and the decision's reasons too."""

    class Meta(TitleChangeSerializer.Meta):
        fields = [*PUBLIC_FIELDS, "statement", "decision_reasons"]
        read_only_fields = fields


class TitleChangeLodgeSerializer(serializers.Serializer):
    licence = serializers.CharField(max_length=32, help_text=gettext_lazy("The licence's number."))
    kind = serializers.ChoiceField(choices=TitleChangeKind.choices)
    statement = serializers.CharField(required=False, allow_blank=True, max_length=20000)
    extension_years = serializers.IntegerField(required=False, min_value=1, max_value=50)
    transferee = serializers.CharField(
        required=False,
        max_length=300,
        help_text=gettext_lazy("A transfer's receiving organisation: its registration number or exact legal name."),
    )
    blocks = serializers.ListField(
        child=serializers.CharField(max_length=16),
        required=False,
        max_length=2500,
        help_text=gettext_lazy("A relinquishment: the codes of the blocks given up, e.g. N4936E08303."),
    )
    documents = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text=gettext_lazy("Files lodged with it (multipart): a surrender's final report."),
    )

    def validate_blocks(self, codes: list[str]) -> list[int]:
        blocks = []
        for code in codes:
            try:
                blocks.append(grid.parse(code))
            except grid.GridError:
                raise serializers.ValidationError(
                    _("%(value)s is not a block code like N4812E08134.") % {"value": code[:16]}
                ) from None
        return blocks


class SecurityReviewSerializer(serializers.Serializer):
    cleared = serializers.BooleanField(
        help_text=gettext_lazy("Whether the reviewing agency clears the transfer (false: it objects).")
    )
    note = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=2000,
        help_text=gettext_lazy("The agency's note for the officials; never published."),
    )


class TitleChangePagination(StrictCursorPagination):
    ordering = ("-lodged_at", "-id")


class TitleChangeViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Changes of title: your organisations' (officials and `register:read` partners: every one),
    latest first."""

    permission_classes = [permissions.IsAuthenticated]
    partner_scopes = {"list": REGISTER_READ, "retrieve": REGISTER_READ, "security_review": TITLE_REVIEW_WRITE}
    lookup_field = "number"
    lookup_value_regex = "[^/]+"
    pagination_class = TitleChangePagination

    def _partner(self) -> bool:
        return client_of_request(self.request) is not None

    def get_serializer_class(self) -> type[serializers.Serializer]:
        if self.action == "create":
            return TitleChangeLodgeSerializer
        if getattr(self, "swagger_fake_view", False) or not self._partner():
            return TitleChangeDetailSerializer
        return TitleChangeSerializer

    def get_queryset(self) -> QuerySet[TitleChange]:
        if getattr(self, "swagger_fake_view", False):
            return TitleChange.objects.none()
        if self._partner():
            return selectors.title_changes_queryset().order_by("-lodged_at", "-id")
        return selectors.title_changes_visible_to(self.request.user)

    def get_object(self) -> TitleChange:
        change = self.get_queryset().filter(number=self.kwargs["number"][:32]).first()
        if change is None:
            raise exceptions.NotFound(_("No change of title with this number."))
        return change

    @extend_schema(summary=gettext_lazy("Changes of title"))
    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().list(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("One change of title"),
        parameters=[OpenApiParameter("number", str, OpenApiParameter.PATH, description="TC-2026-000123")],
    )
    def retrieve(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        return super().retrieve(request, *args, **kwargs)

    @extend_schema(
        summary=gettext_lazy("Lodge a change of title"),
        request=TitleChangeLodgeSerializer,
        responses={201: TitleChangeDetailSerializer},
    )
    def create(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        """The holder's owner or manager lodges an extension (`extension_years`) or a surrender
        (with its final report in `documents`, multipart) or a transfer (`transferee`) of an active
        licence of theirs."""
        lodgement = TitleChangeLodgeSerializer(data=request.data)
        lodgement.is_valid(raise_exception=True)
        data = lodgement.validated_data
        try:
            licence = licence_for(request.user, data["licence"])
        except Http404:
            # A field of the request names nothing of theirs: 400 on the field, as for the
            # transferee (another's licence reads the same as one that does not exist).
            raise serializers.ValidationError({"licence": [_("No licence with this number.")]}) from None
        fields: dict[str, Any] = {name: data[name] for name in ("extension_years", "blocks") if name in data}
        if "transferee" in data:
            transferee = verified_organisation_named(data["transferee"])
            if transferee is None:
                raise serializers.ValidationError(
                    {"transferee": [_("No single verified organisation has this registration number or name.")]}
                )
            fields["transferee"] = transferee
        change = services.title_change_lodge(
            actor=request.user,
            licence=licence,
            kind=data["kind"],
            statement=data.get("statement", ""),
            documents=data.get("documents", []),
            **fields,
        )
        answer = TitleChangeDetailSerializer(selectors.title_changes_queryset().get(pk=change.pk))
        return Response(answer.data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary=gettext_lazy("Withdraw a change of title"), request=None, responses={200: TitleChangeDetailSerializer}
    )
    @action(detail=True, methods=["post"])
    def withdraw(self, request: Request, number: str) -> Response:
        change = services.title_change_withdraw(actor=request.user, change=self.get_object())
        return Response(TitleChangeDetailSerializer(selectors.title_changes_queryset().get(pk=change.pk)).data)

    def _answer(self, change: Any) -> Response:
        return Response(TitleChangeDetailSerializer(selectors.title_changes_queryset().get(pk=change.pk)).data)

    @extend_schema(
        summary=gettext_lazy("Accept a transfer (the transferee)"),
        request=None,
        responses={200: TitleChangeDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, number: str) -> Response:
        """The transferee's owner or manager accepts a transfer offered to it; it goes to the officials."""
        return self._answer(services.title_change_accept(actor=request.user, change=self.get_object()))

    @extend_schema(
        summary=gettext_lazy("Decline a transfer (the transferee)"),
        request=None,
        responses={200: TitleChangeDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def decline(self, request: Request, number: str) -> Response:
        """The transferee's owner or manager declines a transfer offered to it; it lapses."""
        return self._answer(services.title_change_decline(actor=request.user, change=self.get_object()))

    @extend_schema(
        summary=gettext_lazy("Answer a transfer's national-security review"),
        request=SecurityReviewSerializer,
        responses={200: TitleChangeSerializer, 400: None, 403: None, 404: None, 409: None},
    )
    @action(detail=True, methods=["post"], url_path="security-review")
    def security_review(self, request: Request, number: str) -> Response:
        """The reviewing agency (`title-review:write`) clears or objects to a transfer referred to it,
        with a note for the officials. 409 when it is not referred now."""
        body = SecurityReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        change = services.title_change_security_review(
            actor=request.user,
            change=self.get_object(),
            cleared=body.validated_data["cleared"],
            note=body.validated_data.get("note", ""),
        )
        return Response(TitleChangeSerializer(selectors.title_changes_queryset().get(pk=change.pk)).data)
