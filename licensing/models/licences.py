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
        # The expiry beat (active, past their term) and the release calendar (active, expiring
        # in the coming weeks) read by both. The register and the holder's list page newest grant
        # first: read backwards, the grant index gives a page without sorting the register.
        indexes = [
            models.Index(fields=["status", "expires_on"], name="licence_status_expiry_idx"),
            models.Index(fields=["granted_at", "id"], name="licence_granted_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class ObligationKind(models.TextChoices):
    RENT = "rent", _("Area fee")
    EXPENDITURE = "expenditure", _("Minimum work expenditure")
    WORK_REPORT = "work_report", _("Annual work report")
    LOCAL_CONTENT_REPORT = "local_content_report", _("Local-content report")
    RELINQUISHMENT = "relinquishment", _("Relinquishment")


class ObligationStatus(models.TextChoices):
    """Where an obligation stands on a given day; derived (licensing.domain.ledger), never stored."""

    UPCOMING = "upcoming", pgettext_lazy("obligation status", "Upcoming")
    DUE = "due", pgettext_lazy("obligation status", "Due")
    MET = "met", pgettext_lazy("obligation status", "Met")
    LATE = "late", pgettext_lazy("obligation status", "Late")
    WAIVED = "waived", pgettext_lazy("obligation status", "Waived")


class LicenceObligation(models.Model):
    """One duty of a licence in one licence year, due by a date: what the licence-life checks enforce.
    It is met when what it asks is done (an invoice paid in full, a report accepted, blocks given
    up), or waived by an official's decision with its reasons; its status on a day is derived."""

    licence = models.ForeignKey(Licence, on_delete=models.CASCADE, related_name="obligations")
    kind = models.CharField(_("obligation"), max_length=24, choices=ObligationKind.choices)
    licence_year = models.PositiveSmallIntegerField(_("licence year"))
    due_on = models.DateField(_("due"))
    amount_mci = models.DecimalField(_("MCI"), max_digits=14, decimal_places=2, null=True, blank=True)
    amount_kzt = models.DecimalField(_("KZT"), max_digits=16, decimal_places=2, null=True, blank=True)
    percent = models.DecimalField(_("share of blocks, %"), max_digits=5, decimal_places=2, null=True, blank=True)
    met_at = models.DateTimeField(_("met"), null=True, blank=True)
    waived_at = models.DateTimeField(_("waived"), null=True, blank=True)
    waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    waiver_reason = models.TextField(_("reasons for the waiver"), blank=True)

    class Meta:
        verbose_name = _("licence obligation")
        verbose_name_plural = _("licence obligations")
        ordering = ["licence", "due_on", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["licence", "kind", "licence_year"], name="obligation_once_per_year"),
            models.CheckConstraint(
                condition=Q(waived_at__isnull=True) | (Q(waived_by__isnull=False) & ~Q(waiver_reason="")),
                name="obligation_waiver_has_decision",
                violation_error_message=_("A waiver names the official who decided it and the reasons."),
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="obligation_due_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.kind}:{self.licence_year}"

    def get_absolute_url(self) -> str:
        # The holder's page of the licence, where its obligations are listed (the reminders'
        # link). A path, not a URL name: that page is the licence ledger's.
        return f"/investor/licences/{self.licence.number}/"


class ReminderStep(models.TextChoices):
    """When an obligation's reminders go out: days before it is due, and the day it is late."""

    DAYS_90 = "d90", _("90 days before")
    DAYS_60 = "d60", _("60 days before")
    DAYS_30 = "d30", _("30 days before")
    DAYS_7 = "d7", _("7 days before")
    LATE = "late", _("On the day it is late")


class ObligationReminder(models.Model):
    """That one step of an obligation's reminders went out (as one event, which reaches every
    recipient once through the event's deliveries). The unique key makes a second impossible,
    whatever the beat does."""

    obligation = models.ForeignKey(LicenceObligation, on_delete=models.CASCADE, related_name="reminders")
    step = models.CharField(_("step"), max_length=8, choices=ReminderStep.choices)
    sent_at = models.DateTimeField(_("sent"))

    class Meta:
        verbose_name = _("obligation reminder")
        verbose_name_plural = _("obligation reminders")
        constraints = [models.UniqueConstraint(fields=["obligation", "step"], name="reminder_once_per_step")]

    def __str__(self) -> str:
        return f"{self.obligation_id}:{self.step}"


class NoticeContact(models.Model):
    """A further person of the holder who receives licence notices (reminders, invoices, notices
    to remedy), beside its owners and managers: no single point of failure."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="notice_contacts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence notice contact")
        verbose_name_plural = _("licence notice contacts")
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="notice_contact_once")]

    def __str__(self) -> str:
        return f"{self.organisation_id}:{self.user_id}"


class InvoiceKind(models.TextChoices):
    AREA_FEE = "area_fee", _("Area fee (Tax Code, Art. 563)")
    SIGNATURE_BONUS = "signature_bonus", _("Signature bonus (Tax Code, Art. 727)")


class Invoice(models.Model):
    """What a holder owes for one fee, in tenge at the MCI of the year it falls due; paid by one
    or more payments. Over- and under-payment show in the difference, never absorbed."""

    number = models.CharField(_("number"), max_length=32, unique=True)
    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="invoices")
    obligation = models.OneToOneField(
        LicenceObligation, null=True, blank=True, on_delete=models.PROTECT, related_name="invoice"
    )
    kind = models.CharField(_("kind"), max_length=24, choices=InvoiceKind.choices)
    amount_mci = models.DecimalField(_("amount, MCI"), max_digits=14, decimal_places=2)
    mci_year = models.PositiveSmallIntegerField(_("MCI of the year"))
    mci_kzt = models.DecimalField(_("MCI, KZT"), max_digits=10, decimal_places=2)
    amount_kzt = models.DecimalField(_("amount, KZT"), max_digits=16, decimal_places=2)
    payment_reference = models.CharField(_("payment reference"), max_length=32, unique=True)
    budget_code = models.CharField(
        _("budget classification code"), max_length=16, blank=True, help_text=_("Empty where no source gives it.")
    )
    due_on = models.DateField(_("due"))
    issued_at = models.DateTimeField(_("issued"))
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)

    class Meta:
        verbose_name = _("invoice")
        verbose_name_plural = _("invoices")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_kzt__gte=0) & Q(amount_mci__gte=0), name="invoice_not_negative")
        ]
        indexes = [
            models.Index(fields=["licence", "due_on"], name="invoice_licence_due_idx"),
            # Officials' list of every invoice, a page at a time in this order.
            models.Index(fields=["due_on", "id"], name="invoice_due_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class PaymentSource(models.TextChoices):
    REGISTRAR = "registrar", _("Recorded by a registrar (bank statement)")
    PARTNER = "partner", _("Notified by a bank or the treasury (API)")


class Payment(models.Model):
    """Money received against an invoice. The payer's reference is unique: a repeated notice of
    the same payment records nothing twice."""

    invoice = models.ForeignKey(Invoice, on_delete=models.PROTECT, related_name="payments")
    reference = models.CharField(_("payment reference of the bank"), max_length=64, unique=True)
    amount_kzt = models.DecimalField(_("amount, KZT"), max_digits=16, decimal_places=2)
    paid_on = models.DateField(_("paid on"))
    source = models.CharField(_("source"), max_length=16, choices=PaymentSource.choices)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"), auto_now_add=True)
    statement_line = models.TextField(_("bank statement line"), blank=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount_kzt__gt=0), name="payment_positive")]

    def __str__(self) -> str:
        return self.reference


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
    EXTENSION = "extension", pgettext_lazy("certificate reason", "Extension of term")
    RELINQUISHMENT = "relinquishment", pgettext_lazy("certificate reason", "Relinquishment")
    TRANSFER = "transfer", pgettext_lazy("certificate reason", "Transfer")
    SURRENDER = "surrender", pgettext_lazy("certificate reason", "Surrender")
    REVOCATION = "revocation", pgettext_lazy("certificate reason", "Revocation")
    CONVERSION = "conversion", pgettext_lazy("certificate reason", "Conversion")


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
        # /verify/ finds an uploaded file's version by its fingerprint alone.
        indexes = [models.Index(fields=["sha256"], name="certificate_sha256_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id} v{self.version}"


class LicenceOutline(models.Model):
    """The outline of the blocks a licence holds (once ended: held when it ended), as a GeoJSON
    MultiPolygon (None: no blocks). Written with each certificate, in the transaction of the
    change of title, so the open-data files read it rather than dissolving blocks on every build;
    `manage.py licence_outlines` writes them all again."""

    licence = models.OneToOneField(
        Licence, verbose_name=_("licence"), on_delete=models.CASCADE, primary_key=True, related_name="outline"
    )
    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("licence outline")
        verbose_name_plural = _("licence outlines")

    def __str__(self) -> str:
        return str(self.licence_id)


class OpenDataBuild(models.Model):
    """The one row that coalesces builds of the open-data files: a register change sets
    `requested_at` and queues a build only when none is queued (`queued_at` empty, or so old the
    build was lost), so a burst of changes queues one. The build empties `queued_at` as it starts
    (a change during the build queues the next) and sets `built_at` to the moment it started."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    requested_at = models.DateTimeField(_("requested"), null=True, blank=True)
    queued_at = models.DateTimeField(_("queued"), null=True, blank=True)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    built_at = models.DateTimeField(_("built"), null=True, blank=True)

    class Meta:
        verbose_name = _("open-data build")
        verbose_name_plural = _("open-data builds")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="open_data_build_single_row")]

    def __str__(self) -> str:
        return f"open data built {self.built_at}"
