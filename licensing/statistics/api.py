"""The processing statistics in the API: the numbers `processing_statistics` returns, nothing more."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from licensing.statistics.forms import StatisticsQuery
from partners.scopes import REGISTER_READ


class OutcomeRowSerializer(serializers.Serializer):
    key = serializers.CharField(
        help_text=gettext_lazy("The licence type's code, or the country's ISO 3166 code; empty for all.")
    )
    label = serializers.CharField()
    lodged = serializers.IntegerField(help_text=gettext_lazy("Applications received in the window."))
    granted = serializers.IntegerField()
    refused = serializers.IntegerField()
    withdrawn = serializers.IntegerField()
    lapsed = serializers.IntegerField()
    pending = serializers.IntegerField(help_text=gettext_lazy("Still open."))
    decided = serializers.IntegerField(help_text=gettext_lazy("Granted or refused."))
    median_working_days = serializers.FloatField(
        source="median_days",
        allow_null=True,
        help_text=gettext_lazy("Median working days from receipt to decision; null with no decision."),
    )
    p90_working_days = serializers.IntegerField(
        source="p90_days",
        allow_null=True,
        help_text=gettext_lazy("90th percentile (nearest rank) of the working days from receipt to decision."),
    )
    within_target = serializers.IntegerField(
        help_text=gettext_lazy("Decisions with no stage past its published service time.")
    )
    within_target_share = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("within_target / decided, from 0 to 1; null with no decision.")
    )


class BacklogPointSerializer(serializers.Serializer):
    as_at = serializers.DateField(help_text=gettext_lazy("At the end of this day, Astana time."))
    by_state = serializers.DictField(
        child=serializers.IntegerField(),
        help_text=gettext_lazy("Open applications in each stage, by state code."),
    )
    total = serializers.IntegerField()


class ProcessingStatisticsSerializer(serializers.Serializer):
    since = serializers.DateField(allow_null=True)
    until = serializers.DateField()
    weeks = serializers.IntegerField()
    total = OutcomeRowSerializer()
    by_licence_type = OutcomeRowSerializer(many=True)
    by_country = OutcomeRowSerializer(many=True)
    backlog = BacklogPointSerializer(many=True)


class StatisticsView(APIView):
    """Processing statistics, as on the statistics page: for the applications received in the
    window, their outcomes and the working days from receipt to decision (median and 90th
    percentile, nearest rank), and the share decided with no stage past its published service
    time, in total, by licence type and by investor country; and the backlog of open
    applications by stage at the end of `until` and of each week before it. Public."""

    partner_scopes = {"get": REGISTER_READ}
    permission_classes = [permissions.AllowAny]

    @extend_schema(
        parameters=[
            OpenApiParameter(
                "since", OpenApiTypes.DATE, description=gettext_lazy("First day of receipt; from the start if absent.")
            ),
            OpenApiParameter(
                "until",
                OpenApiTypes.DATE,
                description=gettext_lazy("Last day of receipt, and of the backlog; today if absent."),
            ),
            OpenApiParameter(
                "weeks",
                {"type": "integer", "minimum": 1, "maximum": 104},
                description=gettext_lazy("Weeks of backlog, 1 to 104; 26 if absent."),
            ),
        ],
        responses={
            200: ProcessingStatisticsSerializer,
            400: OpenApiResponse(description=gettext_lazy("A malformed date or window.")),
        },
    )
    def get(self, request: Request) -> Response:
        # The page's form sends empty fields for "any"; an API caller who sends `until=` meant a
        # day and gave none, so it is refused rather than read as today.
        blank = [name for name in StatisticsQuery.base_fields if request.query_params.get(name, None) == ""]
        if blank:
            raise exceptions.ValidationError({name: [_("Give a value or leave the parameter out.")] for name in blank})
        query = StatisticsQuery(request.query_params)
        if not query.is_valid():
            errors = {
                "non_field_errors" if name == NON_FIELD_ERRORS else name: list(e) for name, e in query.errors.items()
            }
            raise exceptions.ValidationError(errors)
        return Response(ProcessingStatisticsSerializer(query.statistics()).data)
