"""The signed-in person (`/api/v1/me/`) and the organisations they may see (`/api/v1/organisations/`)."""

from django.db.models import Prefetch, QuerySet
from drf_spectacular.utils import extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from investors import selectors
from investors.models import BeneficialOwner, Membership, Organisation, OrganisationDocument
from investors.ownership import ownership_profile
from investors.services import ORGANISATION_FIELDS


class MembershipSerializer(serializers.ModelSerializer):
    email = serializers.EmailField(source="user.email")

    class Meta:
        model = Membership
        fields = ["email", "role", "joined_at"]


class OwnerSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")

    class Meta:
        model = BeneficialOwner
        fields = ["id", "kind", "name", "country", "share", "held_through", "state_owned", "politically_exposed"]


class OrganisationDocumentSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="file.original_name")
    check_status = serializers.CharField(source="file.status")
    reasons = serializers.ListField(source="file.reasons", child=serializers.CharField())

    class Meta:
        model = OrganisationDocument
        fields = [
            "id",
            "kind",
            "name",
            "check_status",
            "reasons",
            "added_at",
            "decision",
            "decision_reason",
            "decided_at",
        ]


class OwnershipSerializer(serializers.Serializer):
    foreign = serializers.BooleanField()
    foreign_share = serializers.DecimalField(max_digits=7, decimal_places=3)
    foreign_state_share = serializers.DecimalField(max_digits=7, decimal_places=3)
    state_linked = serializers.BooleanField()
    screening_required = serializers.BooleanField()
    declared_share = serializers.DecimalField(max_digits=7, decimal_places=3)  # of the direct owners, in %


class OrganisationSerializer(serializers.ModelSerializer):
    country = serializers.CharField(source="country.code")
    members = MembershipSerializer(source="memberships", many=True)
    owners = OwnerSerializer(many=True)
    documents = OrganisationDocumentSerializer(many=True)
    ownership = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = [
            "id",
            *ORGANISATION_FIELDS,
            "status",
            "status_reason",
            "status_changed_at",
            "submitted_at",
            "ownership_explanation",
            "members",
            "owners",
            "documents",
            "ownership",
        ]

    @extend_schema_field(OwnershipSerializer)
    def get_ownership(self, organisation: Organisation) -> dict[str, object]:
        profile = ownership_profile(organisation, organisation.owners.all())
        return OwnershipSerializer(
            {
                "foreign": profile.foreign,
                "foreign_share": profile.foreign_share,
                "foreign_state_share": profile.foreign_state_share,
                "state_linked": profile.state_linked,
                "screening_required": profile.screening_required,
                "declared_share": profile.declared_share,
            }
        ).data


class OrganisationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own organisations (a registrar sees all), with members, owners, documents and status.
    Anyone else's answers 404."""

    serializer_class = OrganisationSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_queryset(self) -> QuerySet[Organisation]:
        return (
            selectors.organisations_visible_to(self.request.user)
            .prefetch_related(
                Prefetch("memberships", queryset=Membership.objects.select_related("user")),
                "owners",
                Prefetch("documents", queryset=OrganisationDocument.objects.select_related("file")),
            )
            .order_by("legal_name_latin", "pk")
            .distinct()
        )


class MeSerializer(serializers.Serializer):
    email = serializers.EmailField()
    first_name = serializers.CharField()
    last_name = serializers.CharField()
    preferred_language = serializers.CharField()
    roles = serializers.ListField(child=serializers.CharField())
    organisations = serializers.ListField(child=serializers.DictField())


class MeView(APIView):
    """The signed-in person, their roles and their organisations (with their role in each)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=MeSerializer)
    def get(self, request: Request) -> Response:
        user = request.user
        memberships = selectors.memberships_of(user)
        return Response(
            {
                "email": user.email,
                "first_name": user.first_name,
                "last_name": user.last_name,
                "preferred_language": user.preferred_language,
                "roles": sorted(user.groups.values_list("name", flat=True)),
                "organisations": [
                    {
                        "id": m.organisation_id,
                        "name": str(m.organisation),
                        "role": m.role,
                        "status": m.organisation.status,
                    }
                    for m in memberships
                ],
            }
        )
