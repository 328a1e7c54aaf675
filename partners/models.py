"""Partner organisations, their API clients (OAuth2 client credentials, django-oauth-toolkit's
application model, swapped for this one) and the record of POSTs made with an Idempotency-Key."""

from datetime import datetime

from django.contrib.auth.hashers import check_password
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from oauth2_provider.models import AbstractApplication

from partners.scopes import SCOPES


class PartnerKind(models.TextChoices):
    INVESTMENT_AGENCY = "investment_agency", _("Investment agency")
    SCREENING_AGENCY = "screening_agency", _("Foreign-investment and national-security screening agency")
    BANK = "bank", _("Bank")
    TREASURY = "treasury", _("Treasury")
    GEOLOGICAL_SURVEY = "geological_survey", _("Geological survey")
    TRANSPARENCY = "transparency", _("Transparency initiative (EITI)")
    OTHER = "other", _("Other")


class PartnerOrganisation(models.Model):
    """A body whose systems call the API: an agency, a bank, the treasury, the survey, EITI."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=32, choices=PartnerKind.choices, default=PartnerKind.OTHER)
    contact_email = models.EmailField(_("contact email"), blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("partner organisation")
        verbose_name_plural = _("partner organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PartnerClient(AbstractApplication):
    """One partner system's OAuth2 client (client credentials). Its `user` is the client's own
    account, the actor recorded on every event its calls cause; tokens it gets carry no user.
    Its secret is stored hashed; after a rotation the previous secret keeps working until
    `previous_secret_expires_at`, so the partner can switch without downtime."""

    organisation = models.ForeignKey(
        PartnerOrganisation,
        verbose_name=_("partner organisation"),
        on_delete=models.PROTECT,
        related_name="clients",
        null=True,  # django-oauth-toolkit's own tooling may create applications without one
    )
    scopes = models.JSONField(_("scopes"), default=list, blank=True)
    rate_per_minute = models.PositiveIntegerField(
        _("requests per minute"), default=600, help_text=_("Past it, the API answers 429 with Retry-After.")
    )
    previous_secret = models.CharField(_("previous secret (hashed)"), max_length=255, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(
        _("previous secret valid until"), null=True, blank=True, editable=False
    )
    secret_rotated_at = models.DateTimeField(_("secret rotated"), null=True, blank=True, editable=False)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True, editable=False)

    class Meta(AbstractApplication.Meta):
        swappable = "OAUTH2_PROVIDER_APPLICATION_MODEL"
        verbose_name = _("partner client")
        verbose_name_plural = _("partner clients")
        ordering = ["name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(previous_secret="") | Q(previous_secret_expires_at__isnull=False),
                name="partner_previous_secret_expires",
            )
        ]

    def __str__(self) -> str:
        return self.name or self.client_id

    def is_usable(self, request: object) -> bool:
        """A revoked client gets no token, and its tokens stop working at once."""
        return self.revoked_at is None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes and scope in SCOPES

    def previous_secret_accepts(self, provided: str, now: datetime | None = None) -> bool:
        """Whether `provided` is the previous secret, still inside its grace period."""
        if not self.previous_secret or self.previous_secret_expires_at is None:
            return False
        if (now or timezone.now()) >= self.previous_secret_expires_at:
            return False
        return check_password(provided, self.previous_secret)


class IdempotencyRecord(models.Model):
    """A POST made with an Idempotency-Key: while it runs, a second one with the same key waits
    (409); once it answered, a retry gets the same answer and changes nothing."""

    principal = models.CharField(_("caller"), max_length=64, help_text=_("client:<id> or user:<id>"))
    key = models.CharField(_("Idempotency-Key"), max_length=255)
    fingerprint = models.CharField(_("request fingerprint"), max_length=64)
    created_at = models.DateTimeField(_("received"), default=timezone.now)
    completed_at = models.DateTimeField(_("answered"), null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(_("status"), null=True, blank=True)
    content_type = models.CharField(max_length=100, blank=True)
    body = models.BinaryField(default=b"")
    location = models.CharField(max_length=500, blank=True)

    class Meta:
        verbose_name = _("idempotent request")
        verbose_name_plural = _("idempotent requests")
        constraints = [models.UniqueConstraint(fields=["principal", "key"], name="idempotency_key_once")]
        indexes = [models.Index(fields=["created_at"], name="idempotency_created_idx")]

    def __str__(self) -> str:
        return f"{self.principal} {self.key}"


# The client's own account: never signs in (no usable password) and is never mailed (an address
# in the reserved .invalid domain, RFC 2606).
SERVICE_EMAIL_DOMAIN = "partners.ashyqken.invalid"


def service_email(client_id: str) -> str:
    return f"client-{client_id.lower()}@{SERVICE_EMAIL_DOMAIN}"
