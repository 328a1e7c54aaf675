"""The annual report on licence obligations (one per licence and calendar year, as in
Kazakhstan) and the breaches a shortfall opens, each with its notice to remedy."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import Document
from licensing.models.licences import Licence, LicenceObligation


class ReportState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("report state", "Draft")
    LODGED = "lodged", pgettext_lazy("report state", "Lodged")
    CORRECTION_REQUESTED = "correction_requested", pgettext_lazy("report state", "Correction requested")
    ACCEPTED = "accepted", pgettext_lazy("report state", "Accepted")


class ExpenditureCategory(models.TextChoices):
    GEOLOGY = "geology", _("Geological work")
    DRILLING = "drilling", _("Drilling")
    LABORATORY = "laboratory", _("Laboratory analysis")
    OTHER = "other", _("Other work")


class AnnualReport(models.Model):
    """What a holder did in one calendar year under its licence: the work, the money spent by
    category, and the in-country value (reported against the application's commitments)."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="annual_reports")
    year = models.PositiveSmallIntegerField(_("calendar year"))
    state = models.CharField(_("state"), max_length=24, choices=ReportState.choices, default=ReportState.DRAFT)
    work_done = models.TextField(_("work done"), blank=True)
    kazakh_staff_percent = models.DecimalField(
        _("Kazakh staff, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    local_goods_percent = models.DecimalField(
        _("local goods and services, %"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    training_spend_kzt = models.DecimalField(
        _("training spend, KZT"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    in_country_processing = models.BooleanField(_("in-country processing"), null=True, blank=True)
    processing_text = models.TextField(_("in-country processing, described"), blank=True)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    lodged_at = models.DateTimeField(_("lodged"), null=True, blank=True)
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reasons = models.TextField(_("reasons for the correction"), blank=True)
    correction_due_on = models.DateField(_("correction due"), null=True, blank=True)

    class Meta:
        verbose_name = _("annual report")
        verbose_name_plural = _("annual reports")
        ordering = ["licence", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "year"], name="annual_report_once_per_year"),
            models.CheckConstraint(
                condition=(
                    Q(kazakh_staff_percent__isnull=True) | Q(kazakh_staff_percent__gte=0, kazakh_staff_percent__lte=100)
                )
                & (Q(local_goods_percent__isnull=True) | Q(local_goods_percent__gte=0, local_goods_percent__lte=100))
                & (Q(training_spend_kzt__isnull=True) | Q(training_spend_kzt__gte=0)),
                name="annual_report_figures_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.year}"


class ReportExpenditure(models.Model):
    """One category's spend in the year, in tenge."""

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="expenditure")
    category = models.CharField(_("category"), max_length=16, choices=ExpenditureCategory.choices)
    amount_kzt = models.DecimalField(_("amount, KZT"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("report expenditure")
        verbose_name_plural = _("report expenditure")
        ordering = ["report", "category"]
        constraints = [
            models.UniqueConstraint(fields=["report", "category"], name="report_expenditure_once"),
            models.CheckConstraint(condition=Q(amount_kzt__gte=0), name="report_expenditure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.category}"


class ReportDocument(models.Model):
    """A file attached to the report through documents/: the geological report, or support."""

    class Role(models.TextChoices):
        GEOLOGICAL = "geological", _("Geological report")
        SUPPORTING = "supporting", _("Supporting document")

    report = models.ForeignKey(AnnualReport, on_delete=models.CASCADE, related_name="documents")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices)
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("report document")
        verbose_name_plural = _("report documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.report_id}:{self.role}"


class BreachKind(models.TextChoices):
    EXPENDITURE_SHORTFALL = "expenditure_shortfall", _("Expenditure below the minimum")
    REPORT_NOT_LODGED = "report_not_lodged", _("Annual report not lodged")
    FEE_UNPAID = "fee_unpaid", _("Fee unpaid")


class BreachStatus(models.TextChoices):
    OPEN = "open", pgettext_lazy("breach status", "Open")
    REMEDIED = "remedied", pgettext_lazy("breach status", "Remedied")
    REVOCATION_RECOMMENDED = "revocation_recommended", pgettext_lazy("breach status", "Revocation recommended")


class Breach(models.Model):
    """An obligation not kept, with the notice to remedy it by a date. One per obligation: the
    daily run and a report's review may both find it, and open it once."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="breaches")
    obligation = models.OneToOneField(LicenceObligation, on_delete=models.PROTECT, related_name="breach")
    kind = models.CharField(_("breach"), max_length=24, choices=BreachKind.choices)
    status = models.CharField(_("status"), max_length=24, choices=BreachStatus.choices, default=BreachStatus.OPEN)
    opened_at = models.DateTimeField(_("opened"))
    remedy_by = models.DateField(_("remedy by"))
    remedied_at = models.DateTimeField(_("remedied"), null=True, blank=True)
    shortfall_kzt = models.DecimalField(_("shortfall, KZT"), max_digits=16, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("breach")
        verbose_name_plural = _("breaches")
        ordering = ["-opened_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="remedied", remedied_at__isnull=False)
                | (~Q(status="remedied") & Q(remedied_at__isnull=True)),
                name="breach_remedied_has_date",
            )
        ]
        indexes = [models.Index(fields=["licence", "status"], name="breach_licence_status_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.kind}:{self.obligation_id}"
