"""The annual report on licence obligations, for a calendar year (as in Kazakhstan): drafted and
lodged by the holder's owners and managers, reviewed by an official, who accepts it (meeting the
year's report obligations, and opening a breach when the expenditure is below the minimum) or
asks for a correction with reasons and a deadline in working days.

A licence year is matched to the calendar year it starts in: the report for year Y answers the
obligations of licence year Y - (the year the licence started) + 1."""

from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from documents.services import document_upload
from events.services import record_event
from licensing.calendar import add_working_days
from licensing.domain import ledger as rules
from licensing.licences import breaches, services
from licensing.licences.selectors import mci_table
from licensing.models import (
    AnnualReport,
    BreachKind,
    ExpenditureCategory,
    Licence,
    LicenceObligation,
    ObligationKind,
    ReportDocument,
    ReportExpenditure,
    ReportState,
)
from licensing.permissions import require, require_applicant, works_cases

EDITABLE = (ReportState.DRAFT, ReportState.CORRECTION_REQUESTED)
FIGURES = (
    "work_done",
    "kazakh_staff_percent",
    "local_goods_percent",
    "training_spend_kzt",
    "in_country_processing",
    "processing_text",
)
DOCUMENT_KINDS = {ReportDocument.Role.GEOLOGICAL: "report", ReportDocument.Role.SUPPORTING: "financial"}


def licence_year_of(licence: Licence, year: int) -> int:
    return year - licence.starts_on.year + 1


def reportable_years(licence: Licence, today: date) -> range:
    """The calendar years a report may be made for: from the licence's start to this year."""
    return range(licence.starts_on.year, min(today.year, licence.expires_on.year) + 1)


def _locked(report: AnnualReport, states: tuple[str, ...]) -> AnnualReport:
    locked = AnnualReport.objects.select_for_update().select_related("licence").get(pk=report.pk)
    if locked.state not in states:
        raise TransitionError(
            _("This report is %(state)s: it cannot be changed that way now.") % {"state": locked.get_state_display()}
        )
    return locked


def _holder_edit(actor: User, report: AnnualReport) -> AnnualReport:
    require_applicant(actor, report.licence.holder_id)
    return _locked(report, EDITABLE)


def report_draft(*, actor: User, licence: Licence, year: int) -> AnnualReport:
    """Start the licence's report for a calendar year (the holder's owners and managers). Refused
    for a year outside the licence's term or still to come (ValidationError) and when the year
    already has one (TransitionError)."""
    require_applicant(actor, licence.holder_id)
    if year not in reportable_years(licence, timezone.localdate()):
        raise ValidationError({"year": [_("There is no report to make for this year under this licence.")]})
    try:
        with transaction.atomic():
            report = AnnualReport.objects.create(licence=licence, year=year)
            record_event(actor=actor, type="report.drafted", subject=licence, report=report.pk, year=year)
    except IntegrityError as exc:
        raise TransitionError(_("The report for this year is already started.")) from exc
    return report


def _percent(value: Decimal | None, field: str, errors: dict[str, list[str]]) -> None:
    if value is not None and not Decimal(0) <= value <= Decimal(100):
        errors.setdefault(field, []).append(_("A share is between 0 and 100 %."))


def report_update(
    *,
    actor: User,
    report: AnnualReport,
    work_done: str,
    expenditure: dict[str, Decimal | None],
    kazakh_staff_percent: Decimal | None,
    local_goods_percent: Decimal | None,
    training_spend_kzt: Decimal | None,
    in_country_processing: bool | None,
    processing_text: str,
) -> AnnualReport:
    """Save what the report says (a draft may be incomplete; lodging checks it is whole).
    Negative amounts and shares outside 0–100 are refused (ValidationError), nothing saved."""
    errors: dict[str, list[str]] = {}
    _percent(kazakh_staff_percent, "kazakh_staff_percent", errors)
    _percent(local_goods_percent, "local_goods_percent", errors)
    for field, amount in [("training_spend_kzt", training_spend_kzt), *expenditure.items()]:
        if amount is not None and amount < 0:
            errors.setdefault(field, []).append(_("An amount cannot be negative."))
    unknown = set(expenditure) - set(ExpenditureCategory.values)
    if unknown:
        errors.setdefault("expenditure", []).append(_("Unknown expenditure category."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        report = _holder_edit(actor, report)
        report.work_done = work_done.strip()
        report.kazakh_staff_percent = kazakh_staff_percent
        report.local_goods_percent = local_goods_percent
        report.training_spend_kzt = training_spend_kzt
        report.in_country_processing = in_country_processing
        report.processing_text = processing_text.strip()
        report.save(update_fields=[*FIGURES])
        report.expenditure.all().delete()
        ReportExpenditure.objects.bulk_create(
            ReportExpenditure(report=report, category=category, amount_kzt=amount.quantize(Decimal("0.01")))
            for category, amount in expenditure.items()
            if amount is not None
        )
        record_event(actor=actor, type="report.updated", subject=report.licence, report=report.pk, year=report.year)
    return report


def report_document_add(*, actor: User, report: AnnualReport, role: str, upload: UploadedFile) -> ReportDocument:
    """Attach a file through documents/ (its checks apply): the geological report or support."""
    if role not in DOCUMENT_KINDS:
        raise ValidationError({"role": [_("Choose what the document is.")]})
    with transaction.atomic():
        report = _holder_edit(actor, report)
        document = document_upload(actor=actor, upload=upload, kind=DOCUMENT_KINDS[role], owner=report)
        attached = ReportDocument.objects.create(report=report, role=role, document=document)
        record_event(
            actor=actor,
            type="report.document_added",
            subject=report.licence,
            report=report.pk,
            role=role,
            document=str(document.uuid),
        )
    return attached


def report_problems(report: AnnualReport) -> list[str]:
    """What stops the report from being lodged, in the holder's words (empty: it may be lodged)."""
    problems = []
    if not report.work_done:
        problems.append(_("Describe the work done in the year."))
    categories = {row.category for row in report.expenditure.all()}
    if categories != set(ExpenditureCategory.values):
        problems.append(_("Give the expenditure for every category (0 where nothing was spent)."))
    if None in (report.kazakh_staff_percent, report.local_goods_percent, report.training_spend_kzt):
        problems.append(_("Give the shares of Kazakh staff and of local goods and services, and the training spend."))
    if report.in_country_processing is None:
        problems.append(_("Say whether minerals were processed in Kazakhstan."))
    if not any(d.role == ReportDocument.Role.GEOLOGICAL for d in report.documents.all()):
        problems.append(_("Attach the geological report."))
    return problems


def report_lodge(*, actor: User, report: AnnualReport, confirmed: bool) -> AnnualReport:
    """Lodge the report for review, once it is whole (ValidationError with what is missing) and
    the person confirmed it is true and complete."""
    with transaction.atomic():
        report = _holder_edit(actor, report)
        problems = report_problems(report)
        if not confirmed:
            problems.append(_("Confirm that the report is true and complete."))
        if problems:
            raise ValidationError(problems)
        report.state = ReportState.LODGED
        report.lodged_at = timezone.now()
        report.lodged_by = actor
        report.save(update_fields=["state", "lodged_at", "lodged_by"])
        record_event(actor=actor, type="report.lodged", subject=report.licence, report=report.pk, year=report.year)
    return report


def _official_review(actor: User, report: AnnualReport) -> AnnualReport:
    require(works_cases(actor), _("Only officials review annual reports."))
    return _locked(report, (ReportState.LODGED,))


def _year_obligations(report: AnnualReport) -> dict[str, LicenceObligation]:
    rows = LicenceObligation.objects.select_related("licence").filter(
        licence=report.licence, licence_year=licence_year_of(report.licence, report.year)
    )
    return {o.kind: o for o in rows}


def minimum_kzt(obligation: LicenceObligation) -> Decimal | None:
    """The minimum expenditure in tenge at the MCI of the year it falls due (the ledger's rule)."""
    if obligation.amount_mci is None:
        return obligation.amount_kzt
    mci = rules.mci_of(obligation.due_on.year, mci_table()).kzt
    return (obligation.amount_mci * mci).quantize(Decimal("0.01")) if mci is not None else obligation.amount_kzt


def report_accept(*, actor: User, report: AnnualReport) -> AnnualReport:
    """An official accepts a lodged report: the year's work and local-content report obligations
    are met; the expenditure obligation is met when the reported total reaches the minimum, and
    a breach (expenditure shortfall, with its notice to remedy) opens when it does not."""
    with transaction.atomic():
        report = _official_review(actor, report)
        now = timezone.now()
        report.state, report.reviewed_at, report.reviewed_by = ReportState.ACCEPTED, now, actor
        report.save(update_fields=["state", "reviewed_at", "reviewed_by"])
        duties = _year_obligations(report)
        for kind in (ObligationKind.WORK_REPORT, ObligationKind.LOCAL_CONTENT_REPORT):
            duty = duties.get(kind)
            if duty is not None and duty.met_at is None and duty.waived_at is None:
                services.obligation_meet(actor=actor, obligation=duty)
        spent = sum((row.amount_kzt for row in report.expenditure.all()), Decimal(0))
        spending = duties.get(ObligationKind.EXPENDITURE)
        shortfall = None
        if spending is not None and spending.met_at is None and spending.waived_at is None:
            minimum = minimum_kzt(spending) or Decimal(0)
            if spent < minimum:
                shortfall = minimum - spent
                breaches.breach_open(
                    obligation=spending,
                    kind=BreachKind.EXPENDITURE_SHORTFALL,
                    today=timezone.localdate(now),
                    shortfall_kzt=shortfall,
                    actor=actor,
                )
            else:
                services.obligation_meet(actor=actor, obligation=spending)
        record_event(
            actor=actor,
            type="report.accepted",
            subject=report.licence,
            report=report.pk,
            year=report.year,
            spent_kzt=str(spent),
            shortfall_kzt=str(shortfall) if shortfall is not None else None,
        )
    return report


def report_request_correction(*, actor: User, report: AnnualReport, reasons: str) -> AnnualReport:
    """An official sends a lodged report back with reasons; the holder has the working days of an
    information request (settings.LICENSING_INFO_WORKING_DAYS, Kazakh calendar) to correct it."""
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the correction.")]})
    with transaction.atomic():
        report = _official_review(actor, report)
        today = timezone.localdate()
        report.state, report.reviewed_at, report.reviewed_by = ReportState.CORRECTION_REQUESTED, timezone.now(), actor
        report.reasons = reasons
        report.correction_due_on = add_working_days(today, settings.LICENSING_INFO_WORKING_DAYS)
        report.save(update_fields=["state", "reviewed_at", "reviewed_by", "reasons", "correction_due_on"])
        record_event(
            actor=actor,
            type="report.correction_requested",
            subject=report.licence,
            report=report.pk,
            year=report.year,
            reasons=reasons,
            due_on=report.correction_due_on.isoformat(),
        )
    return report
