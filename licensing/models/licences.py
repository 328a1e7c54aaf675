"""Licences, the obligations they carry, and the certificate versions issued for them."""

from pathlib import Path

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import PrivateStorage
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
    # Partners sync the register incrementally by it (`changed_since`): every service that
    # changes a licence, or what the API shows of it, saves the licence.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

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


class CertificateStorage(PrivateStorage):
    """Certificates live in DOCUMENTS_ROOT/certificates, outside the web root, served only by the
    certificate view after its permission check. Read from settings on each use (tests move it)."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(Path(settings.DOCUMENTS_ROOT) / "certificates")


def certificate_storage() -> CertificateStorage:
    return CertificateStorage()


def _certificate_name(version: "CertificateVersion", filename: str) -> str:
    return f"{version.licence.number}/{filename}"


class CertificateReason(models.TextChoices):
    GRANT = "grant", pgettext_lazy("certificate reason", "Grant")


class CertificateVersion(models.Model):
    """One issued certificate of a licence, kept as issued: the file a holder, a bank or a court
    holds is the file stored here, and its SHA-256 is what `/api/v1/licences/<number>/verify/`
    compares. A change of title issues the next version; earlier ones stay genuine but not current."""

    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="certificate_versions"
    )
    version = models.PositiveIntegerField(_("version"))
    issued_at = models.DateTimeField(_("issued"))
    reason = models.CharField(_("reason"), max_length=24, choices=CertificateReason.choices)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    file = models.FileField(_("file"), storage=certificate_storage, upload_to=_certificate_name, max_length=200)
    languages = models.JSONField(_("languages"), default=list, help_text=_("The languages of its parts, in order."))

    class Meta:
        verbose_name = _("certificate version")
        verbose_name_plural = _("certificate versions")
        ordering = ["licence", "version"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "version"], name="certificate_version_once"),
            models.CheckConstraint(condition=Q(version__gte=1), name="certificate_version_from_one"),
        ]

    def __str__(self) -> str:
        return f"{self.licence_id} v{self.version}"
