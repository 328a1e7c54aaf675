"""Licence types and their schedules (configuration as data), the working-day calendar,
applications with their claims on blocks, ground openings and auctions, licences and tenures.

The database holds the rules it can: one priority number per lodgement, one claim per block
per application, and one active tenure per block, whatever the code above it does."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from deposits.models import LocalisedName, Region
from documents.kinds import kind_choices
from documents.models import Document
from investors.models import Organisation


class LicenceKind(models.TextChoices):
    EXPLORATION = "exploration", _("Exploration")
    MINING = "mining", _("Mining")
    PROSPECTING = "prospecting", _("Prospecting")


class LicenceType(LocalisedName):
    """A kind of licence with its limits, term, schedules and service times, as officials set them."""

    code = models.SlugField(_("code"), max_length=32, unique=True)
    kind = models.CharField(_("kind"), max_length=16, choices=LicenceKind.choices)
    number_prefix = models.CharField(
        _("licence number prefix"), max_length=8, help_text=_("As in KZ-EXP-2026-000123: EXP.")
    )
    min_blocks = models.PositiveIntegerField(_("fewest blocks"), default=1)
    max_blocks = models.PositiveIntegerField(_("most blocks"))
    must_be_contiguous = models.BooleanField(_("blocks must be contiguous"), default=True)
    term_years = models.PositiveSmallIntegerField(_("term, years"))
    extension_max_count = models.PositiveSmallIntegerField(_("extensions allowed"), default=0)
    extension_max_years = models.PositiveSmallIntegerField(
        _("longest extension, years"), null=True, blank=True, help_text=_("Empty: as long as the original term.")
    )
    extension_rule = models.TextField(_("extension rule"), blank=True)
    application_fee_mci = models.DecimalField(_("application fee, MCI"), max_digits=10, decimal_places=2, default=0)
    objection_days = models.PositiveSmallIntegerField(
        _("objection period, calendar days"), default=30, help_text=_("Counted from the day the notice is published.")
    )
    source = models.TextField(_("source of the figures"), blank=True)
    is_placeholder = models.BooleanField(
        _("placeholder figures"), default=False, help_text=_("Some figures are not yet confirmed from a published act.")
    )
    is_open = models.BooleanField(_("open for applications"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("licence type")
        verbose_name_plural = _("licence types")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(min_blocks__gte=1) & Q(max_blocks__gte=models.F("min_blocks")),
                name="licence_type_block_limits",
                violation_error_message=_("The most blocks must be at least the fewest, and the fewest at least 1."),
            ),
            models.CheckConstraint(condition=Q(term_years__gte=1), name="licence_type_term_positive"),
        ]

    def get_absolute_url(self) -> str:
        return reverse("licensing:licence-types")


class RateKind(models.TextChoices):
    RENT = "rent", _("Rent per block")
    EXPENDITURE = "expenditure", _("Minimum work expenditure per block")


class Rate(models.Model):
    """What a licence costs or obliges per block in MCI for a run of licence years."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(_("kind"), max_length=16, choices=RateKind.choices)
    from_year = models.PositiveSmallIntegerField(_("from licence year"))
    to_year = models.PositiveSmallIntegerField(_("to licence year"))
    mci_per_block = models.DecimalField(_("MCI per block per year"), max_digits=10, decimal_places=2)

    class Meta:
        verbose_name = _("rate")
        verbose_name_plural = _("rates")
        ordering = ["licence_type", "kind", "from_year"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_year__gte=1) & Q(to_year__gte=models.F("from_year")),
                name="rate_years_in_order",
                violation_error_message=_("A rate runs from a licence year to the same or a later one."),
            ),
            models.CheckConstraint(condition=Q(mci_per_block__gte=0), name="rate_not_negative"),
            models.UniqueConstraint(fields=["licence_type", "kind", "from_year"], name="rate_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.from_year}-{self.to_year}: {self.mci_per_block}"


class RelinquishmentRule(models.Model):
    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="relinquishments")
    after_year = models.PositiveSmallIntegerField(_("at the end of licence year"))
    percent = models.DecimalField(_("share of the blocks to give up, %"), max_digits=5, decimal_places=2)

    class Meta:
        verbose_name = _("relinquishment rule")
        verbose_name_plural = _("relinquishment rules")
        ordering = ["licence_type", "after_year"]
        constraints = [
            models.CheckConstraint(condition=Q(percent__gt=0) & Q(percent__lte=100), name="relinquishment_percent"),
            models.UniqueConstraint(fields=["licence_type", "after_year"], name="relinquishment_once_per_year"),
        ]

    def __str__(self) -> str:
        return f"{self.after_year}: {self.percent}%"


class RequiredDocument(models.Model):
    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="required_documents")
    code = models.SlugField(_("code"), max_length=40)
    document_kind = models.CharField(_("file kind"), max_length=32, choices=kind_choices())
    label_en = models.CharField(_("label (English)"), max_length=200)
    label_ru = models.CharField(_("label (Russian)"), max_length=200, blank=True)
    label_kk = models.CharField(_("label (Kazakh)"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("required document")
        verbose_name_plural = _("required documents")
        ordering = ["licence_type", "id"]
        constraints = [models.UniqueConstraint(fields=["licence_type", "code"], name="required_document_once")]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        from django.utils import translation

        lang = (translation.get_language() or "en")[:2]
        return getattr(self, f"label_{lang}", "") or self.label_en


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    LODGED = "lodged", pgettext_lazy("application state", "Lodged")
    UNDER_REVIEW = "under_review", pgettext_lazy("application state", "Under review")
    INFO_REQUESTED = "info_requested", pgettext_lazy("application state", "Information requested")
    OBJECTION_PERIOD = "objection_period", pgettext_lazy("application state", "Objection period")
    ASSESSMENT = "assessment", pgettext_lazy("application state", "Assessment")
    SCREENING = "screening", pgettext_lazy("application state", "Screening")
    RECOMMENDED = "recommended", pgettext_lazy("application state", "Recommended")
    GRANTED = "granted", pgettext_lazy("application state", "Granted")
    REFUSED = "refused", pgettext_lazy("application state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")
    LAPSED = "lapsed", pgettext_lazy("application state", "Lapsed")


CLOSED_STATES = frozenset(
    {ApplicationState.GRANTED, ApplicationState.REFUSED, ApplicationState.WITHDRAWN, ApplicationState.LAPSED}
)
OPEN_STATES = frozenset(set(ApplicationState) - CLOSED_STATES - {ApplicationState.DRAFT})


class StageTarget(models.Model):
    """How many working days a stage should take for this licence type (the published service time)."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="stage_targets")
    stage = models.CharField(_("stage"), max_length=20, choices=ApplicationState.choices)
    working_days = models.PositiveSmallIntegerField(_("working days"))

    class Meta:
        verbose_name = _("service time")
        verbose_name_plural = _("service times")
        ordering = ["licence_type", "id"]
        constraints = [models.UniqueConstraint(fields=["licence_type", "stage"], name="stage_target_once")]

    def __str__(self) -> str:
        return f"{self.stage}: {self.working_days}"


class MciValue(models.Model):
    """The monthly calculation index for a calendar year, in tenge, as the budget law sets it."""

    year = models.PositiveSmallIntegerField(_("year"), unique=True)
    value_kzt = models.DecimalField(_("value, KZT"), max_digits=10, decimal_places=2)
    source = models.CharField(_("source"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("MCI value")
        verbose_name_plural = _("MCI values")
        ordering = ["-year"]
        constraints = [models.CheckConstraint(condition=Q(value_kzt__gt=0), name="mci_positive")]

    def __str__(self) -> str:
        return f"{self.year}: {self.value_kzt}"


class CalendarDay(models.Model):
    """A day the government declared off, or a weekend day it moved work to; it overrides the
    public-holiday calendar of the `holidays` package."""

    date = models.DateField(_("date"), unique=True)
    is_working_day = models.BooleanField(_("working day"), help_text=_("Ticked: work moved to this day."))
    name = models.CharField(_("reason"), max_length=200)

    class Meta:
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.name}"


class OpeningReason(models.TextChoices):
    RELEASED_BY_STATE = "released", _("Opened by the state")
    REFUSED = "refused", _("Freed by a refusal")
    WITHDRAWN = "withdrawn", _("Freed by a withdrawal")
    LAPSED = "lapsed", _("Freed by a lapse")
    SURRENDERED = "surrendered", _("Freed by a surrender")
    EXPIRED = "expired", _("Freed by an expiry")


class GroundOpening(models.Model):
    """Ground that opens for applications at a published time. Applications lodged in the
    month after it opens rank equally; blocks they contest go to an auction."""

    opens_at = models.DateTimeField(_("opens at"))
    window_closes_at = models.DateTimeField(_("equal-ranking window closes at"))
    reason = models.CharField(_("reason"), max_length=16, choices=OpeningReason.choices)
    region = models.CharField(_("region"), max_length=32, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)

    class Meta:
        verbose_name = _("ground opening")
        verbose_name_plural = _("ground openings")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(window_closes_at__gt=models.F("opens_at")), name="opening_window")
        ]

    def __str__(self) -> str:
        return f"{self.opens_at:%Y-%m-%d %H:%M}"

    @property
    def region_label(self) -> str:
        return str(Region(self.region).label) if self.region in Region.values else ""


class OpeningBlock(models.Model):
    opening = models.ForeignKey(GroundOpening, on_delete=models.CASCADE, related_name="blocks")
    block = models.BigIntegerField(_("block"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["opening", "block"], name="opening_block_once")]
        indexes = [models.Index(fields=["block"], name="opening_block_idx")]

    def __str__(self) -> str:
        return f"{self.opening_id}:{self.block}"


class PriorityCounter(models.Model):
    """One row: the last priority number given. Lodgements and grants lock it, so they are
    settled one after another in the order the database grants the lock."""

    last_number = models.BigIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(id=1), name="priority_counter_single_row")]

    def __str__(self) -> str:
        return str(self.last_number)


class Application(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("licence type"), on_delete=models.PROTECT, related_name="applications"
    )
    title = models.CharField(_("name of the project"), max_length=200)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, editable=False
    )
    blocks = models.JSONField(_("blocks"), default=list, blank=True, help_text=_("Block ids, as drafted."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Local-content commitments, scored in assessment and reported on every year.
    kazakh_staff_percent = models.DecimalField(
        _("Kazakh staff (share of the workforce, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    local_goods_percent = models.DecimalField(
        _("local goods and services (share of purchases, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    in_country_processing = models.BooleanField(_("processing in Kazakhstan"), default=False)
    processing_plan = models.TextField(_("processing plan"), blank=True)
    training_spend_kzt = models.DecimalField(
        _("training spend per year, KZT"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    # Lodgement: set once, in the transaction that lodges.
    priority_number = models.BigIntegerField(_("priority number"), null=True, blank=True, unique=True, editable=False)
    lodged_at = models.DateTimeField(_("lodged"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(
        _("deemed received"), null=True, blank=True, editable=False, help_text=_("Out of hours: the next opening.")
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The clock of the current stage, in working days.
    stage_started_at = models.DateTimeField(_("stage started"), null=True, blank=True, editable=False)
    stage_due_on = models.DateField(_("stage due"), null=True, blank=True, editable=False)
    clock_remaining = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    resume_state = models.CharField(max_length=20, blank=True, editable=False)
    objection_closes_on = models.DateField(_("objections close"), null=True, blank=True, editable=False)
    screening_required = models.BooleanField(_("screening required"), default=False, editable=False)
    recommendation = models.CharField(_("recommendation"), max_length=8, blank=True, editable=False)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    reasons = models.TextField(_("reasons"), blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    late_stages = models.PositiveSmallIntegerField(_("stages finished after their target"), default=0, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-priority_number", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT) | Q(priority_number__isnull=False, lodged_at__isnull=False),
                name="application_lodged_has_priority",
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.GRANTED) | ~Q(decided_by=models.F("recommended_by")),
                name="application_four_eyes",
                violation_error_message=_("The person who recommended cannot decide."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 100}) | Q(**{f"{f}__isnull": True}),
                    name=f"application_{f}_percent",
                    violation_error_message=_("A share is between 0 and 100 percent."),
                )
                for f in ("kazakh_staff_percent", "local_goods_percent")
            ],
        ]
        indexes = [models.Index(fields=["state", "stage_due_on"], name="application_queue_idx")]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("licensing:application-detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        if self.priority_number:
            return f"A-{self.priority_number:06d}"
        return _("Draft %(id)s") % {"id": self.pk}

    @property
    def state_label(self) -> str:
        return str(ApplicationState(self.state).label)


class ClaimStatus(models.TextChoices):
    LIVE = "live", _("Pending")
    GRANTED = "granted", _("Granted")
    EXCISED = "excised", _("Excised")
    RELEASED = "released", _("Released")


class Claim(models.Model):
    """A lodged application's claim on one block. Among live claims on a block, the lowest
    rank is first; rank is the priority number, or the auction's order for an opening window."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="claims")
    block = models.BigIntegerField(_("block"))
    rank = models.BigIntegerField(_("rank"))
    status = models.CharField(_("status"), max_length=10, choices=ClaimStatus.choices, default=ClaimStatus.LIVE)
    conditional = models.BooleanField(_("conditional at lodgement"), default=False)
    opening = models.ForeignKey(GroundOpening, null=True, blank=True, on_delete=models.PROTECT, related_name="claims")
    contested = models.BooleanField(_("contested in the opening window"), default=False)

    class Meta:
        verbose_name = _("claim")
        verbose_name_plural = _("claims")
        constraints = [models.UniqueConstraint(fields=["application", "block"], name="claim_once_per_block")]
        indexes = [
            models.Index(fields=["block", "rank"], condition=Q(status="live"), name="claim_live_idx"),
            models.Index(fields=["block"], name="claim_block_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.block}"


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


class Tenure(models.Model):
    """A licence's hold on one block. One active tenure per block: the database refuses a second."""

    licence = models.ForeignKey(Licence, on_delete=models.PROTECT, related_name="tenures")
    block = models.BigIntegerField(_("block"))
    is_active = models.BooleanField(_("active"), default=True)
    started_at = models.DateTimeField(_("from"))
    ended_at = models.DateTimeField(_("until"), null=True, blank=True)

    class Meta:
        verbose_name = _("tenure")
        verbose_name_plural = _("tenures")
        constraints = [
            models.UniqueConstraint(
                fields=["block"],
                condition=Q(is_active=True),
                name="tenure_one_active_per_block",
                violation_error_message=_("This block is already held under another licence."),
            ),
            models.CheckConstraint(
                condition=Q(is_active=True, ended_at__isnull=True) | Q(is_active=False, ended_at__isnull=False),
                name="tenure_active_has_no_end",
            ),
        ]
        indexes = [models.Index(fields=["licence"], name="tenure_licence_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.block}"


class WorkProgrammeYear(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="programme")
    year = models.PositiveSmallIntegerField(_("licence year"))
    activities = models.TextField(_("planned work"))
    expenditure_kzt = models.DecimalField(_("planned expenditure, KZT"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("year of the work programme")
        verbose_name_plural = _("work programme")
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="programme_year_once"),
            models.CheckConstraint(condition=Q(year__gte=1), name="programme_year_positive"),
            models.CheckConstraint(condition=Q(expenditure_kzt__gte=0), name="programme_expenditure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.year}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_id}"


class InformationRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    message = models.TextField(_("what is needed"))
    due_on = models.DateField(_("answer due"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(answered_at__isnull=True), name="one_open_information_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.due_on}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    grounds = models.TextField(_("grounds"))
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    response = models.TextField(_("the reviewer's response"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.pk}"


class AuctionStatus(models.TextChoices):
    OPEN = "open", _("Taking sealed bids")
    DECIDED = "decided", _("Bids opened")


class Auction(models.Model):
    """The sealed-bid auction among applications that ranked equally in an opening window."""

    opening = models.OneToOneField(GroundOpening, on_delete=models.PROTECT, related_name="auction")
    status = models.CharField(_("status"), max_length=10, choices=AuctionStatus.choices, default=AuctionStatus.OPEN)
    bids_close_at = models.DateTimeField(_("bids close"))
    opened_at = models.DateTimeField(_("bids opened"), null=True, blank=True)
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    draw_seed = models.CharField(_("draw seed"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("auction")
        verbose_name_plural = _("auctions")

    def __str__(self) -> str:
        return f"{self.opening_id}"


class Bid(models.Model):
    auction = models.ForeignKey(Auction, on_delete=models.PROTECT, related_name="bids")
    application = models.ForeignKey(Application, on_delete=models.PROTECT, related_name="bids")
    amount_kzt = models.DecimalField(_("amount, KZT"), max_digits=16, decimal_places=2, null=True, blank=True)
    placed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT)
    placed_at = models.DateTimeField(_("placed"), null=True, blank=True)
    draw = models.PositiveIntegerField(_("draw number"), null=True, blank=True)
    position = models.PositiveIntegerField(_("place"), null=True, blank=True)

    class Meta:
        verbose_name = _("bid")
        verbose_name_plural = _("bids")
        ordering = ["auction", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["auction", "application"], name="bid_once_per_application"),
            models.CheckConstraint(condition=Q(amount_kzt__gt=0) | Q(amount_kzt__isnull=True), name="bid_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.auction_id}:{self.application_id}"


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


class Assessment(models.Model):
    """The reviewer's assessment: adequacy of the work programme, financial capacity, and the
    local-content score from the published rubric (licensing.rubric)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assessment")
    programme_adequate = models.BooleanField(_("work programme technically adequate"))
    financially_capable = models.BooleanField(_("financially capable"))
    local_content_score = models.DecimalField(_("local-content score"), max_digits=5, decimal_places=2)
    score_breakdown = models.JSONField(_("score by criterion"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_content_score__gte=0) & Q(local_content_score__lte=100), name="assessment_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.local_content_score}"


class CaseNote(models.Model):
    """An official's internal note on an application; never shown to the applicant or the public."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.pk}"
