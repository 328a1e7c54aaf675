"""Revocations in the API: `GET /api/v1/licences/<number>/revocations/` (the holder's members and
officials) and `POST` to it: the holder's owners and managers contest the decided revocation
within its period. An action of the licence register's viewset (LicenceViewSet takes it in as a
mixin). Partner tokens get 403 whatever their scopes: the reasons are the parties' business (a
bank learns of a decided revocation and its dates from the `revocation.decided` event)."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers, status
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from licensing.licences import revocation_selectors, revocations, selectors
from licensing.models import BreachKind, Revocation, RevocationState
from licensing.permissions import may_see_licence


class RevocationSerializer(serializers.ModelSerializer):
    breach_kind = serializers.ChoiceField(source="breach.kind", choices=BreachKind.choices)
    remedy_by = serializers.DateField(source="breach.remedy_by")
    state = serializers.ChoiceField(choices=RevocationState.choices)
    documents = serializers.SerializerMethodField()

    class Meta:
        model = Revocation
        fields = [
            "id",
            "state",
            "breach_kind",
            "remedy_by",
            "recommended_at",
            "recommendation_reasons",
            "decided_at",
            "decision_reasons",
            "notified_on",
            "contest_by",
            "contested_at",
            "contest_reasons",
            "documents",
            "contest_decided_at",
            "contest_decision_reasons",
            "effective_at",
        ]

    def get_documents(self, revocation: Revocation) -> list[str]:
        return [str(d.document.uuid) for d in revocation.documents.all()]


class ContestSerializer(serializers.Serializer):
    reasons = serializers.CharField(max_length=8000, help_text=gettext_lazy("The grounds of the contest."))
    confirm = serializers.BooleanField(help_text=gettext_lazy("True: the contest is true and complete, and final."))


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description=gettext_lazy("The licence number."))


class RevocationActionMixin:
    """The `revocations` action of the licences viewset."""

    @extend_schema(
        methods=["GET"],
        summary=gettext_lazy("A licence's revocations (holder and officials)"),
        description=gettext_lazy(
            "Every revocation of the licence, newest first, with its reasons, the last day to contest it "
            "and the contest. For the holder's members and officials, signed in; partner tokens get 403."
        ),
        parameters=[NUMBER],
        responses={200: RevocationSerializer(many=True)},
    )
    @extend_schema(
        methods=["POST"],
        summary=gettext_lazy("Contest the licence's decided revocation (holder)"),
        description=gettext_lazy(
            "The holder's owners and managers contest a decided revocation within its period (15 working "
            "days from the notice). While the contest is decided the revocation does not take effect."
        ),
        parameters=[NUMBER],
        request=ContestSerializer,
        responses={201: RevocationSerializer},
    )
    @action(
        detail=True,
        methods=["get", "post"],
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
        filter_backends=[],
    )
    def revocations(self, request: Request, number: str) -> Response:
        licence = selectors.licence_api(number)
        if not may_see_licence(request.user, licence.holder_id):
            raise exceptions.PermissionDenied(_("Only the holder's members and officials read revocations."))
        if request.method == "GET":
            rows = revocation_selectors.licence_revocations(licence)
            return Response(RevocationSerializer(rows, many=True).data)
        body = ContestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        revocation = revocation_selectors.open_revocation(licence)
        if revocation is None:
            raise exceptions.NotFound(_("This licence has no revocation to contest."))
        revocations.revocation_contest(
            actor=request.user,
            revocation=revocation,
            reasons=body.validated_data["reasons"],
            confirmed=body.validated_data["confirm"],
        )
        fresh = next(r for r in revocation_selectors.licence_revocations(licence) if r.pk == revocation.pk)
        return Response(RevocationSerializer(fresh).data, status=status.HTTP_201_CREATED)
