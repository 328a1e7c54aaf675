"""Investor organisations, their people and owners, their due-diligence documents, the data
room's confidentiality agreement and access log, and watchlists."""

import secrets
from decimal import Decimal

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from django_countries.fields import CountryField

from deposits.models import Commodity, Deposit, DepositDocument, Region


class OrganisationStatus(models.TextChoices):
    # With a context: in Russian and Kazakh the words agree with "organisation".
    DRAFT = "draft", pgettext_lazy("organisation status", "Draft")
    SUBMITTED = "submitted", pgettext_lazy("organisation status", "Submitted for verification")
    VERIFIED = "verified", pgettext_lazy("organisation status", "Verified")
    REJECTED = "rejected", pgettext_lazy("organisation status", "Rejected")
    RETURNED = "returned", pgettext_lazy("organisation status", "Returned for correction")
    SUSPENDED = "suspended", pgettext_lazy("organisation status", "Suspended")


class Organisation(models.Model):
    legal_name = models.CharField(_("legal name"), max_length=300)
    legal_name_latin = models.CharField(
        _("legal name in Latin script"), max_length=300, help_text=_("As on the certificate of incorporation.")
    )
    country = CountryField(_("country of incorporation"))
    registration_number = models.CharField(_("registration number"), max_length=64)
    address = models.TextField(_("registered address"))
    website = models.URLField(_("website"), blank=True)
    contact_email = models.EmailField(_("contact email"))
    contact_phone = models.CharField(_("contact phone"), max_length=40, blank=True)
    status = models.CharField(
        _("status"), max_length=16, choices=OrganisationStatus.choices, default=OrganisationStatus.DRAFT
    )
    status_reason = models.TextField(_("reason for the status"), blank=True)
    status_changed_at = models.DateTimeField(_("status changed"), null=True, blank=True)
    # When it was last sent for verification: the registrar's checks count from then on.
    submitted_at = models.DateTimeField(_("sent for verification"), null=True, blank=True)
    ownership_explanation = models.TextField(
        _("why the direct owners do not add up to 100 %"),
        blank=True,
        db_default="",  # rows written outside the ORM (the benchmarks' bulk loads) have none
        help_text=_("Required to send the organisation for verification when the declared direct ownership is short."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("investor organisation")
        verbose_name_plural = _("investor organisations")
        ordering = ["legal_name_latin"]
        constraints = [
            models.UniqueConstraint(
                fields=["country", "registration_number"],
                name="organisation_registration_unique",
                violation_error_message=_("An organisation with this registration number in this country exists."),
            ),
            models.CheckConstraint(
                condition=~Q(status__in=["rejected", "suspended", "returned"]) | ~Q(status_reason=""),
                name="organisation_refusal_has_reason",
                violation_error_message=_("A rejection, suspension or return for correction needs a reason."),
            ),
        ]
        # The registers' search by holder or applicant name, any part, any case (icontains is
        # UPPER(name) LIKE …): pg_trgm's indexes, PostgreSQL only (migration 0003).
        indexes = [
            GinIndex(OpClass(Upper("legal_name"), name="gin_trgm_ops"), name="organisation_name_trgm"),
            GinIndex(OpClass(Upper("legal_name_latin"), name="gin_trgm_ops"), name="organisation_latin_trgm"),
        ]

    def __str__(self) -> str:
        return self.legal_name_latin or self.legal_name

    def get_absolute_url(self) -> str:
        return reverse("investors:organisation-detail", kwargs={"pk": self.pk})

    @property
    def is_foreign(self) -> bool:
        return self.country.code != "KZ"


class MemberRole(models.TextChoices):
    OWNER = "owner", _("Owner")
    MANAGER = "manager", _("Manager")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    joined_at = models.DateTimeField(_("joined"), auto_now_add=True)

    class Meta:
        verbose_name = _("member")
        verbose_name_plural = _("members")
        ordering = ["organisation", "role", "user__email"]
        constraints = [models.UniqueConstraint(fields=["organisation", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} ({self.get_role_display()})"


def _token() -> str:
    return secrets.token_urlsafe(32)


class Invitation(models.Model):
    """An invitation by email to join an organisation with a role; used once, before it expires."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField(_("email address"))
    role = models.CharField(_("role"), max_length=16, choices=MemberRole.choices)
    token = models.CharField(max_length=64, unique=True, default=_token, editable=False)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(accepted_by__isnull=False), name="invitation_accepted_by"
            ),
        ]

    def __str__(self) -> str:
        return self.email

    @property
    def is_open(self) -> bool:
        return self.accepted_at is None and self.revoked_at is None and self.expires_at > timezone.now()

    def get_accept_url(self) -> str:
        return reverse("investors:invitation-accept", kwargs={"token": self.token})


class OwnerKind(models.TextChoices):
    NATURAL = "natural", _("Natural person")
    LEGAL = "legal", _("Legal person")


class BeneficialOwner(models.Model):
    """Who owns the organisation: directly, or through a legal person listed here too."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="owners")
    kind = models.CharField(_("kind"), max_length=16, choices=OwnerKind.choices)
    name = models.CharField(_("name"), max_length=300)
    country = CountryField(_("country"), help_text=_("Of citizenship, or of incorporation."))
    share = models.DecimalField(
        _("share, %"),
        max_digits=6,
        decimal_places=3,
        validators=[MinValueValidator(Decimal("0.001")), MaxValueValidator(Decimal("100"))],
    )
    held_through = models.ForeignKey(
        "self",
        verbose_name=_("held through"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="holders",
        help_text=_("Leave empty for a direct owner; otherwise the legal person listed here that this owner holds."),
    )
    state_owned = models.BooleanField(
        _("state-owned or state-controlled"), default=False, help_text=_("A state, or a body a state controls.")
    )
    politically_exposed = models.BooleanField(_("politically exposed person"), default=False)

    class Meta:
        verbose_name = _("beneficial owner")
        verbose_name_plural = _("beneficial owners")
        ordering = ["organisation", "held_through_id", "-share", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(share__gt=0, share__lte=100),
                name="owner_share_percent",
                violation_error_message=_("A share must be more than 0 and at most 100 percent."),
            ),
            models.CheckConstraint(
                condition=Q(kind="legal") | Q(state_owned=False),
                name="owner_state_is_legal_person",
                violation_error_message=_(
                    "Only a legal person can be state-owned; mark a person as politically exposed."
                ),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.share} %)"


class DueDiligenceKind(models.TextChoices):
    INCORPORATION = "incorporation", _("Certificate of incorporation")
    CHARTER = "charter", _("Charter")
    OWNERSHIP_CHART = "ownership_chart", _("Ownership chart")
    FINANCIAL_STATEMENTS = "financial_statements", _("Audited financial statements")
    AUTHORITY = "authority", _("Letter of authority")


class DocumentDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    RETURNED = "returned", _("Returned")


class OrganisationDocument(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=32, choices=DueDiligenceKind.choices)
    file = models.ForeignKey("documents.Document", verbose_name=_("file"), on_delete=models.PROTECT, related_name="+")
    added_at = models.DateTimeField(_("added"), auto_now_add=True)
    # The registrar's decision on this file: empty until one is recorded.
    decision = models.CharField(
        _("registrar's decision"), max_length=16, choices=DocumentDecision.choices, blank=True, db_default=""
    )
    decision_reason = models.TextField(_("why it was returned"), blank=True, db_default="")
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)

    class Meta:
        verbose_name = _("due-diligence document")
        verbose_name_plural = _("due-diligence documents")
        ordering = ["organisation", "kind", "-added_at"]
        constraints = [
            models.CheckConstraint(
                condition=~Q(decision="returned") | ~Q(decision_reason=""),
                name="document_return_has_reason",
                violation_error_message=_("A returned document needs a reason."),
            ),
            models.CheckConstraint(
                condition=Q(decision="") | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="document_decision_has_who_and_when",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.file}"


class CheckKind(models.TextChoices):
    REGISTER_EXTRACT = "register_extract", _("Company register extract checked")
    SANCTIONS = "sanctions", _("Sanctions lists checked")
    PEP = "pep", _("Politically exposed persons checked")
    # Recorded only when the declared direct ownership is short of 100 %.
    OWNERSHIP_EXPLANATION = "ownership_explanation", _("Explanation of the undeclared ownership accepted")


class VerificationCheck(models.Model):
    """One item of the registrar's checklist for an organisation, with who did it and when. It
    counts for the verification only if done since the organisation was last sent."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(_("check"), max_length=32, choices=CheckKind.choices)
    note = models.TextField(_("note or reference"), blank=True)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    checked_at = models.DateTimeField(_("checked"))

    class Meta:
        verbose_name = _("verification check")
        verbose_name_plural = _("verification checks")
        ordering = ["organisation", "kind"]
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="verification_check_once")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.checked_at:%Y-%m-%d})"


class ConfidentialityAgreement(models.Model):
    """One version of the data room's confidentiality agreement; the newest is in force."""

    version = models.PositiveIntegerField(_("version"), unique=True)
    text_en = models.TextField(_("text in English"))
    text_ru = models.TextField(_("text in Russian"))
    text_kk = models.TextField(_("text in Kazakh"))
    in_force_from = models.DateTimeField(_("in force from"), default=timezone.now)

    class Meta:
        verbose_name = _("confidentiality agreement")
        verbose_name_plural = _("confidentiality agreements")
        ordering = ["-version"]

    def __str__(self) -> str:
        return _("Confidentiality agreement, version %(version)s") % {"version": self.version}

    def text_in(self, language: str) -> str:
        return getattr(self, f"text_{language}", "") or self.text_en


class AgreementAcceptance(models.Model):
    agreement = models.ForeignKey(ConfidentialityAgreement, on_delete=models.PROTECT, related_name="acceptances")
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="acceptances")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    accepted_at = models.DateTimeField(_("accepted"), auto_now_add=True)

    class Meta:
        verbose_name = _("agreement acceptance")
        verbose_name_plural = _("agreement acceptances")
        constraints = [
            models.UniqueConstraint(fields=["agreement", "organisation", "user"], name="acceptance_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} / {self.organisation} / v{self.agreement.version}"


class DataRoomAccess(models.Model):
    """One opening of a data-room document: who, for which organisation, what, when."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="data_room_accesses")
    deposit = models.ForeignKey(Deposit, on_delete=models.PROTECT, related_name="+")
    document = models.ForeignKey(DepositDocument, null=True, on_delete=models.SET_NULL, related_name="+")
    document_title = models.CharField(_("document"), max_length=300)
    agreement = models.ForeignKey(ConfidentialityAgreement, on_delete=models.PROTECT, related_name="+")
    opened_at = models.DateTimeField(_("opened"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("data-room access")
        verbose_name_plural = _("data-room accesses")
        ordering = ["-opened_at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} · {self.document_title}"


class WatchTarget(models.TextChoices):
    DEPOSIT = "deposit", _("Deposit")
    COMMODITY = "commodity", _("Commodity")
    REGION = "region", _("Region")


class Watch(models.Model):
    """A person follows a deposit, a commodity or a region."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watches")
    target = models.CharField(_("follows"), max_length=16, choices=WatchTarget.choices)
    deposit = models.ForeignKey(Deposit, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    commodity = models.ForeignKey(Commodity, null=True, blank=True, on_delete=models.CASCADE, related_name="watches")
    region = models.CharField(_("region"), max_length=32, choices=Region.choices, blank=True)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("watch")
        verbose_name_plural = _("watchlist")
        ordering = ["target", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target="deposit", deposit__isnull=False, commodity__isnull=True, region="")
                    | Q(target="commodity", deposit__isnull=True, commodity__isnull=False, region="")
                    | Q(target="region", deposit__isnull=True, commodity__isnull=True) & ~Q(region="")
                ),
                name="watch_one_target",
            ),
            models.UniqueConstraint(
                fields=["user", "deposit"], condition=Q(target="deposit"), name="watch_deposit_once"
            ),
            models.UniqueConstraint(
                fields=["user", "commodity"], condition=Q(target="commodity"), name="watch_commodity_once"
            ),
            models.UniqueConstraint(fields=["user", "region"], condition=Q(target="region"), name="watch_region_once"),
        ]

    def __str__(self) -> str:
        if self.target == WatchTarget.DEPOSIT:
            return str(self.deposit)
        if self.target == WatchTarget.COMMODITY:
            return str(self.commodity)
        return str(Region(self.region).label)


class PersonalDataConsent(models.Model):
    """A person's consent to the processing of their personal data, given at sign-up (the Law of
    the Republic of Kazakhstan of 21 May 2013 No. 94-V "On personal data and their protection",
    Art. 8: processing with the subject's consent), with the version of the privacy notice they
    were shown and the language they read it in."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    notice_version = models.CharField(_("privacy notice version"), max_length=16)
    language = models.CharField(_("language"), max_length=8)
    given_at = models.DateTimeField(_("given"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to personal-data processing")
        verbose_name_plural = _("consents to personal-data processing")
        ordering = ["-given_at"]

    def __str__(self) -> str:
        return f"{self.user} / {self.notice_version}"
