"""Annual reports in the API: `GET /api/v1/licences/<number>/reports/` (each reportable year with
its report, if started), `GET …/reports/<year>/` (one report in full) and `POST
…/reports/<year>/lodge/` (lodge it, through the portal's service, with `confirmed: true`).
Actions of the licence register's viewset (LicenceViewSet takes them in as a mixin).

Who reads them: the holder's members and officials, signed in; the holder's owners and managers
lodge. Partner tokens get 403 whatever their scopes: a report's figures are the holder's
business, not the register's (the register says only whether the report obligation was met)."""

from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import exceptions, permissions, serializers
from rest_framework.decorators import action
from rest_framework.request import Request
from rest_framework.response import Response

from licensing.licences import report_selectors, reports, selectors
from licensing.models import AnnualReport, ExpenditureCategory, Licence, ReportDocument, ReportState
from licensing.permissions import may_see_licence

KZT = {"max_digits": 16, "decimal_places": 2}
MAX_YEAR = 9999  # a larger year names no report (and would not fit the column)


class ReportYearSerializer(serializers.Serializer):
    year = serializers.IntegerField(help_text=gettext_lazy("The calendar year reported on."))
    licence_year = serializers.IntegerField(help_text=gettext_lazy("The licence year whose obligations it answers."))
    state = serializers.ChoiceField(
        choices=ReportState.choices, allow_null=True, help_text=gettext_lazy("Null: not started.")
    )
    lodged_at = serializers.DateTimeField(allow_null=True)
    url = serializers.CharField(help_text=gettext_lazy("The year's report in the API."))


class ReportExpenditureSerializer(serializers.Serializer):
    category = serializers.ChoiceField(choices=ExpenditureCategory.choices)
    amount_kzt = serializers.DecimalField(**KZT, allow_null=True, help_text=gettext_lazy("Null: not given yet."))


class ReportDocumentSerializer(serializers.Serializer):
    role = serializers.ChoiceField(choices=ReportDocument.Role.choices)
    name = serializers.CharField(source="document.original_name")
    sha256 = serializers.CharField(source="document.sha256")


class ReportSerializer(serializers.Serializer):
    year = serializers.IntegerField()
    licence_year = serializers.IntegerField()
    state = serializers.ChoiceField(choices=ReportState.choices)
    work_done = serializers.CharField()
    expenditure = ReportExpenditureSerializer(many=True)
    expenditure_total_kzt = serializers.DecimalField(**KZT)
    kazakh_staff_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    local_goods_percent = serializers.DecimalField(max_digits=5, decimal_places=2, allow_null=True)
    training_spend_kzt = serializers.DecimalField(**KZT, allow_null=True)
    in_country_processing = serializers.BooleanField(allow_null=True)
    processing_text = serializers.CharField()
    documents = ReportDocumentSerializer(many=True)
    lodged_at = serializers.DateTimeField(allow_null=True)
    reviewed_at = serializers.DateTimeField(allow_null=True)
    correction_reasons = serializers.CharField(help_text=gettext_lazy("The official's reasons, when asked to correct."))
    correction_due_on = serializers.DateField(allow_null=True)
    problems = serializers.ListField(
        child=serializers.CharField(), help_text=gettext_lazy("What stops it from being lodged (empty: nothing).")
    )


class LodgeSerializer(serializers.Serializer):
    confirmed = serializers.BooleanField(help_text=gettext_lazy("The report is true and complete."))


def _readable(request: Request, number: str) -> Licence:
    licence = selectors.licence_api(number)
    if not may_see_licence(request.user, licence.holder_id):
        raise exceptions.PermissionDenied(_("Only the holder's members and officials read a licence's reports."))
    return licence


def _report(licence: Licence, year: str) -> AnnualReport:
    report = report_selectors.report_of(licence, int(year)) if int(year) <= MAX_YEAR else None
    if report is None:
        raise Http404(_("No report of this licence for this year."))
    report.licence = licence  # read already: spares a query
    return report


def _full(report: AnnualReport) -> dict[str, Any]:
    return {
        **{f: getattr(report, f) for f in reports.FIGURES},
        "year": report.year,
        "licence_year": reports.licence_year_of(report.licence, report.year),
        "state": report.state,
        "expenditure": report_selectors.expenditure_lines(report),
        "expenditure_total_kzt": report_selectors.total_kzt(report),
        "documents": list(report.documents.all()),
        "lodged_at": report.lodged_at,
        "reviewed_at": report.reviewed_at,
        "correction_reasons": report.reasons,
        "correction_due_on": report.correction_due_on,
        "problems": reports.report_problems(report) if report.state in reports.EDITABLE else [],
    }


NUMBER = OpenApiParameter("number", str, OpenApiParameter.PATH, description=gettext_lazy("The licence number."))
YEAR = OpenApiParameter("year", int, OpenApiParameter.PATH, description=gettext_lazy("The calendar year."))
WHO = gettext_lazy(
    "For the holder's members and officials, signed in; anyone else gets 403. Partner tokens get 403 "
    "whatever their scopes."
)


class ReportActionMixin:
    """The `reports`, `report` and `report_lodge` actions of the licences viewset."""

    @extend_schema(
        summary=gettext_lazy("A licence's annual reports (holder and officials)"),
        description=WHO,
        parameters=[NUMBER],
        responses={200: ReportYearSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], permission_classes=[permissions.IsAuthenticated], pagination_class=None)
    def reports(self, request: Request, number: str) -> Response:
        licence = _readable(request, number)
        years = reports.reportable_years(licence, timezone.localdate())
        rows = [
            {
                "year": row.year,
                "licence_year": reports.licence_year_of(licence, row.year),
                "state": row.report.state if row.report else None,
                "lodged_at": row.report.lodged_at if row.report else None,
                "url": request.build_absolute_uri(reverse("api:licence-report", args=[licence.number, row.year])),
            }
            for row in report_selectors.report_years(licence, years)
        ]
        return Response(ReportYearSerializer(rows, many=True).data)

    @extend_schema(
        summary=gettext_lazy("One annual report (holder and officials)"),
        description=WHO,
        parameters=[NUMBER, YEAR],
        responses={200: ReportSerializer},
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"reports/(?P<year>[0-9]{1,9})",
        url_name="report",
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
    )
    def report(self, request: Request, number: str, year: str) -> Response:
        report = _report(_readable(request, number), year)
        return Response(ReportSerializer(_full(report)).data)

    @extend_schema(
        summary=gettext_lazy("Lodge an annual report (the holder's owners and managers)"),
        description=gettext_lazy(
            "Lodges the year's report for review once it is whole; 400 with what is missing, 409 if it "
            "is not a draft or a report to correct. Partner tokens get 403."
        ),
        parameters=[NUMBER, YEAR],
        request=LodgeSerializer,
        responses={200: ReportSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path=r"reports/(?P<year>[0-9]{1,9})/lodge",
        url_name="report-lodge",
        permission_classes=[permissions.IsAuthenticated],
        pagination_class=None,
    )
    def report_lodge(self, request: Request, number: str, year: str) -> Response:
        report = _report(_readable(request, number), year)
        given = LodgeSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        reports.report_lodge(actor=request.user, report=report, confirmed=given.validated_data["confirmed"])
        return Response(ReportSerializer(_full(_report(report.licence, year))).data)
