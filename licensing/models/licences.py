"""Licences and the obligations they carry."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from investors.models import Organisation
from licensing.models.applications import Application
from licensing.models.catalogue import LicenceType


class LicenceStatus(models.TextChoices):
    ACTIVE = "active", pgettext_lazy("licence status", "Active")
    SURRENDERED = "surrendered", pgettext_lazy("licence status", "Surrendered")
    EXPIRED = "expired", pgettext_lazy("licence status", "Expired")
    REVOKED = "revoked", pgettext_lazy("licence status", "Revoked")


class Licence(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    holder = models.ForeignKey(
        Organisation, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="licences"
    )
    licence_type = models.ForeignKey(LicenceType, verbose_name=_("licence type"), on_delete=models.PROTECT)
    application = models.OneToOneField(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="licence"
    )
    status = models.CharField(_("status"), max_length=12, choices=LicenceStatus.choices, default=LicenceStatus.ACTIVE)
    granted_at = models.DateTimeField(_("granted"))
    starts_on = models.DateField(_("starts"))
    expires_on = models.DateField(_("expires"))

    class Meta:
        verbose_name = _("licence")
        verbose_name_plural = _("licences")
        ordering = ["-granted_at"]
        constraints = [models.CheckConstraint(condition=Q(expires_on__gt=models.F("starts_on")), name="licence_term")]

    def __str__(self) -> str:
        return self.number


class ObligationKind(models.TextChoices):
    RENT = "rent", _("Rent")
    EXPENDITURE = "expenditure", _("Minimum work expenditure")
    WORK_REPORT = "work_report", _("Annual work report")
    LOCAL_CONTENT_REPORT = "local_content_report", _("Local-content report")
    RELINQUISHMENT = "relinquishment", _("Relinquishment")


class LicenceObligation(models.Model):
    """One duty of a licence in one licence year, due by a date: what the licence-life checks enforce."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("obligation"), max_length=24, choices=ObligationKind.choices)
    licence_year = models.PositiveSmallIntegerField(_("licence year"))
    due_on = models.DateField(_("due"))
    amount_mci = models.DecimalField(_("MCI"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_kzt = models.DecimalField(_("KZT"), max_digits=16, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(_("share of blocks, %"), max_digits=5, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("licence obligation")
        verbose_name_plural = _("licence obligations")
        ordering = ["licence", "due_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "kind", "licence_year"], name="obligation_once_per_year")
        ]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.kind}:{self.licence_year}"
