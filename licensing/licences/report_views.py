"""The annual report's pages: the holder's (form, validate, lodge with confirmation) and the
officials' review on the workbench (accept, or request a correction with reasons)."""

from decimal import Decimal
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from accounts.errors import refusal
from investors.permissions import manages
from licensing.licences import report_selectors, reports
from licensing.licences.selectors import licence_for
from licensing.models import AnnualReport, ExpenditureCategory, Licence, ReportDocument, ReportState
from licensing.permissions import works_cases

AMOUNT = {"max_digits": 16, "decimal_places": 2, "min_value": Decimal(0)}
PERCENT = {"max_digits": 5, "decimal_places": 2, "min_value": Decimal(0), "max_value": Decimal(100)}


class ReportForm(forms.Form):
    work_done = forms.CharField(
        label=gettext_lazy("Work done in the year"), widget=forms.Textarea(attrs={"rows": 6}), max_length=20000
    )
    # xgettext:no-python-format
    kazakh_staff_percent = forms.DecimalField(label=gettext_lazy("Kazakh staff, % of all staff"), **PERCENT)
    # xgettext:no-python-format
    local_goods_percent = forms.DecimalField(label=gettext_lazy("Local goods and services, % of purchases"), **PERCENT)
    training_spend_kzt = forms.DecimalField(label=gettext_lazy("Training spend, KZT"), **AMOUNT)
    in_country_processing = forms.TypedChoiceField(
        label=gettext_lazy("Were minerals processed in Kazakhstan?"),
        choices=[("yes", gettext_lazy("Yes")), ("no", gettext_lazy("No"))],
        coerce=lambda v: v == "yes",
        widget=forms.RadioSelect,
    )
    processing_text = forms.CharField(
        label=gettext_lazy("In-country processing, described"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=5000,
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for category in ExpenditureCategory:
            self.fields[f"spend_{category.value}"] = forms.DecimalField(
                label=_("Expenditure: %(category)s, KZT") % {"category": category.label}, **AMOUNT
            )

    @staticmethod
    def initial_of(report: AnnualReport | None) -> dict[str, Any]:
        if report is None:
            return {}
        processing = {True: "yes", False: "no"}.get(report.in_country_processing)  # type: ignore[call-overload]
        initial = {f: getattr(report, f) for f in ("work_done", "kazakh_staff_percent", "local_goods_percent")}
        initial.update(training_spend_kzt=report.training_spend_kzt, processing_text=report.processing_text)
        initial["in_country_processing"] = processing
        initial.update({f"spend_{row.category}": row.amount_kzt for row in report.expenditure.all()})
        return initial


class DocumentForm(forms.Form):
    role = forms.ChoiceField(label=gettext_lazy("What it is"), choices=ReportDocument.Role.choices)
    file = forms.FileField(label=gettext_lazy("File"))


class LodgeForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I confirm that this report is true and complete. Once lodged it cannot be changed.")
    )


def _year(licence: Licence, year: int) -> int:
    if year not in reports.reportable_years(licence, timezone.localdate()):
        raise Http404(_("There is no report to make for this year under this licence."))
    return year


def _context(licence: Licence, year: int, report: AnnualReport | None, **extra: Any) -> dict[str, Any]:
    return {
        "licence": licence,
        "year": year,
        "report": report,
        "application": licence.application,
        "lines": report_selectors.expenditure_lines(report),
        "total": report_selectors.total_kzt(report),
        "problems": reports.report_problems(report) if report else [],
        "errors": [],
        **extra,
    }


def _save(request: HttpRequest, licence: Licence, year: int, report: AnnualReport | None, form: ReportForm) -> None:
    data = form.cleaned_data
    if report is None:
        report = reports.report_draft(actor=request.user, licence=licence, year=year)
    reports.report_update(
        actor=request.user,
        report=report,
        work_done=data["work_done"],
        expenditure={c.value: data[f"spend_{c.value}"] for c in ExpenditureCategory},
        kazakh_staff_percent=data["kazakh_staff_percent"],
        local_goods_percent=data["local_goods_percent"],
        training_spend_kzt=data["training_spend_kzt"],
        in_country_processing=data["in_country_processing"],
        processing_text=data["processing_text"],
    )


@login_required
@require_http_methods(["GET", "POST"])
def holder_report(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """The holder's report for a calendar year: members read it, owners and managers write it."""
    licence = licence_for(request.user, number)
    year = _year(licence, year)
    report = report_selectors.report_of(licence, year)
    action = request.POST.get("action", "")
    posted = request.method == "POST"
    form = ReportForm(request.POST if posted and action == "save" else None, initial=ReportForm.initial_of(report))
    attaching = posted and action == "attach"
    document_form = DocumentForm(request.POST if attaching else None, request.FILES if attaching else None)
    lodge_form = LodgeForm(request.POST if action == "lodge" else None)
    status, errors = 200, []
    if posted:
        bound = {"save": form, "attach": document_form, "lodge": lodge_form}.get(action)
        if bound is None or (action != "lodge" and not bound.is_valid()):
            status = 400
        else:
            with refusal() as refused:
                if action == "save":
                    _save(request, licence, year, report, form)
                elif report is None:
                    raise Http404(_("There is no report for this year yet."))
                elif action == "attach":
                    data = document_form.cleaned_data
                    reports.report_document_add(
                        actor=request.user, report=report, role=data["role"], upload=data["file"]
                    )
                else:
                    confirmed = lodge_form.is_valid() and lodge_form.cleaned_data["confirm"]
                    reports.report_lodge(actor=request.user, report=report, confirmed=confirmed)
            if not refused:
                messages.success(request, _("The report is lodged.") if action == "lodge" else _("Saved."))
                return redirect("licensing:holder-report", number=licence.number, year=year)
            errors, status = refused.messages, refused.status
            report = report_selectors.report_of(licence, year)
    editable = manages(request.user, licence.holder_id) and (report is None or report.state in reports.EDITABLE)
    context = _context(
        licence, year, report, form=form, document_form=document_form, lodge_form=lodge_form, editable=editable
    )
    context["errors"] = errors
    return render(request, "licensing/licence_report.html", context, status=status)


class ReviewForm(forms.Form):
    reasons = forms.CharField(
        label=gettext_lazy("Reasons for the correction"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        required=False,
        help_text=gettext_lazy("The holder reads them. Needed only to request a correction."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def workbench_report(request: HttpRequest, number: str, year: int) -> HttpResponse:
    """An official reviews a lodged report: accept it, or send it back with reasons."""
    if not works_cases(request.user):
        raise Http404(_("No licence with this number."))
    licence = licence_for(request.user, number)
    report = report_selectors.report_of(licence, year)
    if report is None:
        raise Http404(_("There is no report for this year yet."))
    form = ReviewForm(request.POST or None)
    status, errors = 200, []
    action = request.POST.get("action", "")
    if request.method == "POST":
        if action not in ("accept", "correct") or not form.is_valid():
            status = 400
        else:
            with refusal() as refused:
                if action == "accept":
                    reports.report_accept(actor=request.user, report=report)
                else:
                    reports.report_request_correction(
                        actor=request.user, report=report, reasons=form.cleaned_data["reasons"]
                    )
            if not refused:
                messages.success(
                    request, _("The report is accepted.") if action == "accept" else _("Correction requested.")
                )
                return redirect("licensing:workbench-report", number=licence.number, year=year)
            errors, status = refused.messages, refused.status
    context = _context(licence, year, report, form=form, reviewable=report.state == ReportState.LODGED)
    context["errors"] = errors
    return render(request, "licensing/workbench_report.html", context, status=status)
