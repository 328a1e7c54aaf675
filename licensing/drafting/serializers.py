"""The applications API's bodies: what it answers (an application as its applicant, a partner or
the public register sees it) and what it accepts."""

from typing import Any

from django.utils.translation import gettext_lazy
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deposits.models import Region
from investors.api import OwnerSerializer, OwnershipSerializer
from investors.models import Organisation
from investors.ownership import ownership_profile
from licensing.domain import grid
from licensing.ground.api import BBOX_LIMIT
from licensing.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    AuctionStatus,
    Bid,
    Claim,
    InformationRequest,
    LicenceType,
    Objection,
    WorkProgrammeYear,
)


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
    converts = serializers.SlugRelatedField(
        slug_field="number",
        read_only=True,
        allow_null=True,
        help_text="A conversion: the number of the holder's exploration licence whose blocks it applies for.",
    )

    class Meta:
        model = Application
        fields = [
            "id",
            "reference",
            "state",
            "state_label",
            "organisation",
            "licence_type",
            "converts",
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
    id = serializers.IntegerField(read_only=True, help_text=gettext_lazy("Remove it with DELETE documents/<id>/."))
    requirement = serializers.CharField(source="requirement.code")
    name = serializers.CharField(source="document.original_name")
    check_status = serializers.CharField(
        source="document.status",
        help_text=gettext_lazy("pending while the file is checked, then accepted or rejected (with its reasons)."),
    )
    reasons = serializers.ListField(
        source="document.reasons",
        child=serializers.CharField(),
        help_text=gettext_lazy("Why the check rejected the file; empty otherwise."),
    )

    class Meta:
        model = ApplicationDocument
        fields = ["id", "requirement", "name", "check_status", "reasons"]


class OpenRequestSerializer(serializers.ModelSerializer):
    """What a reviewer asked for, while it waits for the applicant's answer."""

    class Meta:
        model = InformationRequest
        fields = ["message", "document_wanted", "document_kind", "requested_at", "due_on"]


class AuctionBidSerializer(serializers.ModelSerializer):
    """The application's place in an open sealed-bid auction: never an amount, as on the page."""

    bids_close_at = serializers.DateTimeField(source="auction.bids_close_at")
    placed = serializers.SerializerMethodField()

    class Meta:
        model = Bid
        fields = ["bids_close_at", "placed", "placed_at"]

    def get_placed(self, bid: Bid) -> bool:
        return bid.amount_kzt is not None


class ApplicationDetailSerializer(ApplicationSerializer):
    programme = ProgrammeYearSerializer(many=True, read_only=True)
    documents = AttachedDocumentSerializer(many=True, read_only=True)
    open_request = serializers.SerializerMethodField(
        help_text=gettext_lazy("The open information request, to answer with POST answer/; null when none is open.")
    )
    auction = serializers.SerializerMethodField(
        help_text=gettext_lazy("The open sealed-bid auction it is called to, bid with POST bid/; null when none.")
    )

    class Meta(ApplicationSerializer.Meta):
        fields = [*ApplicationSerializer.Meta.fields, "reasons", "programme", "documents", "open_request", "auction"]

    @extend_schema_field(OpenRequestSerializer(allow_null=True))
    def get_open_request(self, application: Application) -> dict[str, Any] | None:
        request = next((r for r in application.information_requests.all() if r.answered_at is None), None)
        return OpenRequestSerializer(request).data if request is not None else None

    @extend_schema_field(AuctionBidSerializer(allow_null=True))
    def get_auction(self, application: Application) -> dict[str, Any] | None:
        if application.state == ApplicationState.DRAFT:
            return None  # no auction calls a draft: spare the query
        bid = application.bids.select_related("auction").filter(auction__status=AuctionStatus.OPEN).first()
        return AuctionBidSerializer(bid).data if bid is not None else None


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

    class Meta(ApplicationDetailSerializer.Meta):
        # The applicant's exchanges with the reviewer and its auction are not the agency's.
        fields = [f for f in ApplicationDetailSerializer.Meta.fields if f not in ("open_request", "auction")]


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


class DocumentUploadSerializer(serializers.Serializer):
    requirement = serializers.CharField(
        max_length=64,
        help_text=gettext_lazy(
            "The code of a document the licence type asks for (its required_documents in /api/v1/licence-types/)."
        ),
    )
    file = serializers.FileField(
        help_text=gettext_lazy("The file. It is checked after upload: check_status says how it went.")
    )


class AnswerSerializer(serializers.Serializer):
    answer = serializers.CharField(
        max_length=20000,
        required=False,
        allow_blank=True,
        default="",
        help_text=gettext_lazy("The answer to the open request."),
    )
    file = serializers.FileField(
        required=False,
        help_text=gettext_lazy(
            "The document the request wants (`document_wanted`), checked as its `document_kind`; send multipart."
        ),
    )


class BidSerializer(serializers.Serializer):
    amount_kzt = serializers.DecimalField(
        max_digits=16,
        decimal_places=2,
        min_value=1,
        help_text=gettext_lazy("One sealed bid in tenge; it cannot be changed once placed."),
    )


class ObjectionInputSerializer(serializers.Serializer):
    grounds = serializers.CharField(max_length=20000, help_text=gettext_lazy("The grounds of the objection."))
    file = serializers.FileField(
        required=False, help_text=gettext_lazy("A supporting document (PDF), optional. It is checked after upload.")
    )


class ObjectionSerializer(serializers.ModelSerializer):
    document = serializers.CharField(source="document.original_name", allow_null=True, default=None)
    check_status = serializers.CharField(source="document.status", allow_null=True, default=None)

    class Meta:
        model = Objection
        fields = ["id", "grounds", "lodged_at", "document", "check_status"]
