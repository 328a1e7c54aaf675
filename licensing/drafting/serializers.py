"""The applications API's serializers: an application as its applicant, an official, the
public register and the screening agency see it, and the bodies the API takes."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from accounts.pagination import ChangedSinceFilterSet
from deposits.models import Region
from investors.api import OwnerSerializer, OwnershipSerializer
from investors.models import Organisation
from investors.ownership import ownership_profile
from licensing.domain import grid
from licensing.ground.api import BBOX_LIMIT
from licensing.models import (
    Application,
    ApplicationDocument,
    Claim,
    LicenceType,
    WorkProgrammeYear,
)

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


class ApplicantSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="__str__")
    country = serializers.CharField(source="country.code")

    class Meta:
        model = Organisation
        fields = ["id", "name", "country"]


class RegisterApplicationSerializer(serializers.ModelSerializer):
    """An application as the public register shows it (what a `register:read` token reads)."""

    reference = serializers.CharField(read_only=True)
    state_label = serializers.CharField(read_only=True)
    applicant = ApplicantSerializer(source="organisation", read_only=True)
    licence_type = LicenceTypeBriefSerializer(read_only=True)
    claims = ClaimSerializer(many=True, read_only=True)

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "state",
            "state_label",
            "applicant",
            "licence_type",
            "title",
            "region",
            "priority_number",
            "lodged_at",
            "received_at",
            "objection_closes_on",
            "claims",
            "updated_at",
        ]


class ScreenedOrganisationSerializer(serializers.ModelSerializer):
    """The applicant as the screening agency needs it: who it is and who owns it."""

    country = serializers.CharField(source="country.code")
    owners = OwnerSerializer(many=True)
    ownership = serializers.SerializerMethodField()

    class Meta:
        model = Organisation
        fields = ["id", "legal_name", "legal_name_latin", "country", "registration_number", "owners", "ownership"]

    @extend_schema_field(OwnershipSerializer)
    def get_ownership(self, organisation: Organisation) -> dict[str, object]:
        profile = ownership_profile(organisation, organisation.owners.all())
        return OwnershipSerializer(profile).data


class ScreeningApplicationSerializer(ApplicationDetailSerializer):
    """An application referred to screening, in full, with its applicant's ownership (what a
    `screening:write` token reads while the referral is open)."""

    organisation = ScreenedOrganisationSerializer(read_only=True)  # type: ignore[assignment]


class ScreeningResultSerializer(serializers.Serializer):
    cleared = serializers.BooleanField(
        help_text=gettext_lazy("Whether the screening agency clears the applicant for this application.")
    )
    note = serializers.CharField(
        allow_blank=True,
        required=False,
        max_length=2000,
        help_text=gettext_lazy("The agency's note for the officials; never published."),
    )


class ApplicationFilter(ChangedSinceFilterSet):
    class Meta:
        model = Application
        fields = ["state"]
