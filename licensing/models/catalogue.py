"""The catalogue officials configure: licence types with their rates, relinquishment rules,
required documents and service times; the MCI table and the government's working-day calendar."""

from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.languages import InLanguage, in_each_language
from deposits.models import LocalisedName
from documents.kinds import kind_choices
from licensing.models.states import ApplicationState


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
    extension_rule_en, extension_rule_ru, extension_rule_kk = in_each_language(models.TextField, _("extension rule"))
    extension_rule = InLanguage()
    # The conditions of an extension (licensing.titles.extension), measured against the blocks
    # the licence held at its grant.
    extension_min_blocks = models.PositiveIntegerField(
        _("fewest blocks for an extension"), default=0, help_text=_("Counted at the grant. Zero: no minimum.")
    )
    extension_min_relinquished_percent = models.PositiveSmallIntegerField(
        _("share relinquished before an extension, %"),
        default=0,
        help_text=_("Of the blocks held at the grant, the share given up by the time of the extension. Zero: none."),
    )
    application_fee_mci = models.DecimalField(_("application fee, MCI"), max_digits=10, decimal_places=2, default=0)
    # Invoiced once, at the grant (licensing.licences.money). Zero: no bonus is invoiced.
    signature_bonus_mci = models.DecimalField(
        _("signature bonus, MCI"),
        max_digits=10,
        decimal_places=2,
        default=0,
        help_text=_("Tax Code, Art. 727: paid once, when the licence is issued. Zero: none."),
    )
    objection_days = models.PositiveSmallIntegerField(
        _("objection period, calendar days"), default=30, help_text=_("Counted from the day the notice is published.")
    )
    source_en, source_ru, source_kk = in_each_language(models.TextField, _("source of the figures"))
    source = InLanguage()
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
            models.CheckConstraint(
                condition=Q(extension_min_relinquished_percent__lte=100),
                name="licence_type_extension_percent_at_most_100",
            ),
        ]

    def get_absolute_url(self) -> str:
        return reverse("licensing:licence-types")


class RateKind(models.TextChoices):
    RENT = "rent", _("Area fee per block")
    EXPENDITURE = "expenditure", _("Minimum work expenditure per block")


class RateUnit(models.TextChoices):
    BLOCK = "block", _("per block")
    KM2 = "km2", _("per km²")


class Rate(models.Model):
    """What a licence costs or obliges in MCI a year, per block or per km² of its area, for a run
    of licence years (Tax Code, Art. 563: exploration per block, mining 450 MCI per km²)."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="rates")
    kind = models.CharField(_("kind"), max_length=16, choices=RateKind.choices)
    from_year = models.PositiveSmallIntegerField(_("from licence year"))
    to_year = models.PositiveSmallIntegerField(_("to licence year"))
    # Named for the per-block rates it first held (the API field keeps the name); `unit` says
    # whether it is MCI per block or per km² of the licence's area.
    mci_per_block = models.DecimalField(_("MCI per unit per year"), max_digits=10, decimal_places=2)
    unit = models.CharField(_("unit"), max_length=8, choices=RateUnit.choices, default=RateUnit.BLOCK)

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
        return f"{self.kind} {self.from_year}-{self.to_year}: {self.mci_per_block}/{self.unit}"


class ExpenditureTier(models.Model):
    """The minimum annual work expenditure by block count, for a run of licence years, as the
    Subsoil Code sets it in tiers: `mci` a year for a licence of `from_blocks` to `to_blocks`
    blocks. An open-ended tier (`to_blocks` empty) adds `mci_per_block_above` for each block
    from `from_blocks` on (years 1-3: 2,300 MCI for 6-10 blocks "plus 120 per block above 10" is
    the tier from 11 blocks: 2,300 + 120 each). Where a type has tiers they replace its
    per-block expenditure rates."""

    licence_type = models.ForeignKey(LicenceType, on_delete=models.CASCADE, related_name="expenditure_tiers")
    from_year = models.PositiveSmallIntegerField(_("from licence year"))
    to_year = models.PositiveSmallIntegerField(_("to licence year"))
    from_blocks = models.PositiveIntegerField(_("from blocks"))
    to_blocks = models.PositiveIntegerField(_("to blocks"), null=True, blank=True, help_text=_("Empty: and above."))
    mci = models.DecimalField(_("MCI"), max_digits=10, decimal_places=2)
    mci_per_block_above = models.DecimalField(
        _("MCI per block above the tier's first"), max_digits=10, decimal_places=2, default=0
    )
    source_en, source_ru, source_kk = in_each_language(models.CharField, _("source"), max_length=300)
    source = InLanguage()

    class Meta:
        verbose_name = _("minimum expenditure tier")
        verbose_name_plural = _("minimum expenditure tiers")
        ordering = ["licence_type", "from_year", "from_blocks"]
        constraints = [
            models.CheckConstraint(
                condition=Q(from_year__gte=1) & Q(to_year__gte=models.F("from_year")), name="tier_years_in_order"
            ),
            models.CheckConstraint(
                condition=Q(from_blocks__gte=1)
                & (Q(to_blocks__isnull=True) | Q(to_blocks__gte=models.F("from_blocks"))),
                name="tier_blocks_in_order",
            ),
            models.UniqueConstraint(fields=["licence_type", "from_year", "from_blocks"], name="tier_once_per_start"),
        ]

    def __str__(self) -> str:
        return f"{self.from_year}-{self.to_year} {self.from_blocks}-{self.to_blocks or '…'}: {self.mci}"


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


class WorkingDay(models.Model):
    """One day of the working-day calendar as `licensing.calendar` reckons it (weekends, the
    `holidays` package's public holidays, the government's overrides), numbered: `number` counts
    the working days from the table's first day up to and including this one. The working days
    after one day up to and including another are the difference of their numbers, so the
    statistics count them in SQL. Derived from `CalendarDay` and the `holidays` package, never
    edited: `licensing.calendar.working_days_refresh` rewrites it."""

    date = models.DateField(_("date"), primary_key=True)
    is_working_day = models.BooleanField(_("working day"))
    number = models.PositiveIntegerField(_("working days so far"))
    # The government's override the day was numbered with (None: none); a calendar day that no
    # longer matches it shows the table is out of date.
    override = models.BooleanField(_("override"), null=True)

    class Meta:
        verbose_name = _("numbered working day")
        verbose_name_plural = _("numbered working days")
        ordering = ["date"]

    def __str__(self) -> str:
        return f"{self.date}: {self.number}"


class BacklogSnapshot(models.Model):
    """The open applications by stage at the end of one past day (the start of the next, in
    Astana), as the processing statistics count them from the state changes. A past day's
    backlog never changes (events are only appended), so it is counted once and kept: the
    statistics then count afresh only the day not yet over. Derived, never edited: the beat
    fills yesterday's each night; a statistics request fills any it lacks."""

    as_at = models.DateField(_("as at"), primary_key=True)
    by_state = models.JSONField(_("open applications by state"))
    counted_at = models.DateTimeField(_("counted"), auto_now_add=True)

    class Meta:
        verbose_name = _("backlog snapshot")
        verbose_name_plural = _("backlog snapshots")
        ordering = ["as_at"]

    def __str__(self) -> str:
        return str(self.as_at)
