from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from accounts.languages import InLanguage, in_each_language
from geography.kazakhstan import in_kazakhstan, polygon_in_kazakhstan

# Kazakhstan's bounding box; the exact outline is checked in Python (geography.kazakhstan).
KZ_LAT_MIN, KZ_LAT_MAX = Decimal("40.5"), Decimal("55.5")
KZ_LON_MIN, KZ_LON_MAX = Decimal("46.4"), Decimal("87.4")


class Region(models.TextChoices):
    """Kazakhstan's regions (oblys) after the 2022 reform."""

    ABAI = "abai", _("Abai Region")
    AKMOLA = "akmola", _("Akmola Region")
    AKTOBE = "aktobe", _("Aktobe Region")
    ALMATY = "almaty", _("Almaty Region")
    ATYRAU = "atyrau", _("Atyrau Region")
    EAST_KAZAKHSTAN = "east_kazakhstan", _("East Kazakhstan Region")
    JAMBYL = "jambyl", _("Jambyl Region")
    JETISU = "jetisu", _("Jetisu Region")
    KARAGANDA = "karaganda", _("Karaganda Region")
    KOSTANAY = "kostanay", _("Kostanay Region")
    KYZYLORDA = "kyzylorda", _("Kyzylorda Region")
    MANGYSTAU = "mangystau", _("Mangystau Region")
    NORTH_KAZAKHSTAN = "north_kazakhstan", _("North Kazakhstan Region")
    PAVLODAR = "pavlodar", _("Pavlodar Region")
    TURKISTAN = "turkistan", _("Turkistan Region")
    ULYTAU = "ulytau", _("Ulytau Region")
    WEST_KAZAKHSTAN = "west_kazakhstan", _("West Kazakhstan Region")


class DepositType(models.TextChoices):
    PEGMATITE = "pegmatite", _("Pegmatite")
    GREISEN = "greisen", _("Greisen")
    SKARN = "skarn", _("Skarn")
    STOCKWORK = "stockwork", _("Stockwork")
    PORPHYRY = "porphyry", _("Porphyry")
    VEIN = "vein", _("Vein")
    CARBONATITE = "carbonatite", _("Carbonatite")
    WEATHERING_CRUST = "weathering_crust", _("Weathering crust")
    PLACER = "placer", _("Placer")
    BRINE = "brine", _("Brine")
    SEDIMENTARY = "sedimentary", _("Sedimentary")
    OTHER = "other", _("Other")


class Stage(models.TextChoices):
    OCCURRENCE = "occurrence", _("Occurrence")
    EXPLORATION = "exploration", _("Exploration")
    EVALUATED = "evaluated", _("Evaluated")
    DEVELOPMENT = "development", _("Development")
    PRODUCTION = "production", _("Production")
    CLOSED = "closed", _("Closed")


class ReportingCode(models.TextChoices):
    KAZRC = "kazrc", _("KAZRC")
    JORC = "jorc", _("JORC")
    NI43101 = "ni43101", _("NI 43-101")
    STATE_BALANCE = "state_balance", _("State balance (GKZ)")


class Category(models.TextChoices):
    MEASURED = "measured", _("Measured")
    INDICATED = "indicated", _("Indicated")
    INFERRED = "inferred", _("Inferred")
    PROVED = "proved", _("Proved")
    PROBABLE = "probable", _("Probable")
    A = "A", "A"
    B = "B", "B"
    C1 = "C1", "C1"
    C2 = "C2", "C2"
    P1 = "P1", "P1"
    P2 = "P2", "P2"
    P3 = "P3", "P3"


# Which categories each reporting code uses; the database holds this as a constraint.
CRIRSCO_CODES = [ReportingCode.KAZRC, ReportingCode.JORC, ReportingCode.NI43101]
CRIRSCO_CATEGORIES = [Category.PROVED, Category.PROBABLE, Category.MEASURED, Category.INDICATED, Category.INFERRED]
STATE_BALANCE_CATEGORIES = [Category.A, Category.B, Category.C1, Category.C2, Category.P1, Category.P2, Category.P3]
CATEGORY_ORDER = CRIRSCO_CATEGORIES + STATE_BALANCE_CATEGORIES


class EstimateClass(models.TextChoices):
    """How a category is summed: reserves, resources and prognostic resources never mix."""

    RESERVE = "reserve", _("Reserves")
    RESOURCE = "resource", _("Resources")
    PROGNOSTIC = "prognostic", _("Prognostic resources")


CATEGORY_CLASS = {
    Category.PROVED: EstimateClass.RESERVE,
    Category.PROBABLE: EstimateClass.RESERVE,
    Category.MEASURED: EstimateClass.RESOURCE,
    Category.INDICATED: EstimateClass.RESOURCE,
    Category.INFERRED: EstimateClass.RESOURCE,
    Category.A: EstimateClass.RESERVE,
    Category.B: EstimateClass.RESERVE,
    Category.C1: EstimateClass.RESERVE,
    Category.C2: EstimateClass.RESOURCE,
    Category.P1: EstimateClass.PROGNOSTIC,
    Category.P2: EstimateClass.PROGNOSTIC,
    Category.P3: EstimateClass.PROGNOSTIC,
}


class GradeUnit(models.TextChoices):
    LI2O = "% Li2O", "% Li₂O"
    WO3 = "% WO3", "% WO₃"
    TREO = "% TREO", "% TREO"
    TA2O5 = "% Ta2O5", "% Ta₂O₅"
    NB2O5 = "% Nb2O5", "% Nb₂O₅"
    MO = "% Mo", "% Mo"
    SN = "% Sn", "% Sn"
    BEO = "% BeO", "% BeO"
    PPM = "ppm", "ppm"
    G_T = "g/t", "g/t"


class DocumentVisibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    DATA_ROOM = "data_room", _("Data room")


class DocumentKind(models.TextChoices):
    REPORT = "report", _("Report")
    RESOURCE_STATEMENT = "resource_statement", _("Resource statement")
    MAP = "map", _("Map")
    DATASET = "dataset", _("Dataset")
    OTHER = "other", _("Other")


class LocalisedName(models.Model):
    """A name kept in English, Russian and Kazakh; `name` answers in the active language."""

    name_en = models.CharField(_("name (English)"), max_length=200)
    name_ru = models.CharField(_("name (Russian)"), max_length=200, blank=True)
    name_kk = models.CharField(_("name (Kazakh)"), max_length=200, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    name = InLanguage()


class Commodity(LocalisedName):
    code = models.CharField(_("code"), max_length=8, unique=True, help_text=_("Element symbol, e.g. Li, W, REE."))
    is_critical = models.BooleanField(_("critical"), default=False)
    is_strategic = models.BooleanField(_("strategic"), default=False)
    colour = models.CharField(_("map colour"), max_length=7, default="#555555")
    sort_order = models.PositiveSmallIntegerField(_("order"), default=100)

    class Meta:
        verbose_name = _("commodity")
        verbose_name_plural = _("commodities")
        ordering = ["sort_order", "code"]
        constraints = [
            models.CheckConstraint(
                condition=Q(colour__regex=r"^#[0-9a-fA-F]{6}$"),
                name="commodity_colour_hex",
                violation_error_message=_("The map colour must be written like #1f5fa8."),
            )
        ]


class Deposit(LocalisedName):
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    district_en, district_ru, district_kk = in_each_language(models.CharField, _("district"), max_length=120)
    district = InLanguage()
    latitude = models.DecimalField(_("latitude"), max_digits=8, decimal_places=5)
    longitude = models.DecimalField(_("longitude"), max_digits=8, decimal_places=5)
    outline = models.JSONField(_("outline (GeoJSON polygon)"), null=True, blank=True)
    deposit_type = models.CharField(_("deposit type"), max_length=32, choices=DepositType.choices)
    stage = models.CharField(_("development stage"), max_length=32, choices=Stage.choices)
    commodities = models.ManyToManyField(Commodity, through="DepositCommodity", related_name="deposits")
    summary_en = models.TextField(_("summary (English)"), blank=True)
    summary_ru = models.TextField(_("summary (Russian)"), blank=True)
    summary_kk = models.TextField(_("summary (Kazakh)"), blank=True)
    summary = InLanguage()
    geology_en, geology_ru, geology_kk = in_each_language(models.TextField, _("geology"))
    geology = InLanguage()
    history_en, history_ru, history_kk = in_each_language(models.TextField, _("history"))
    history = InLanguage()
    rail_km = models.DecimalField(_("distance to rail, km"), max_digits=7, decimal_places=1, null=True, blank=True)
    road_km = models.DecimalField(_("distance to road, km"), max_digits=7, decimal_places=1, null=True, blank=True)
    power_km = models.DecimalField(
        _("distance to power line, km"), max_digits=7, decimal_places=1, null=True, blank=True
    )
    water_km = models.DecimalField(_("distance to water, km"), max_digits=7, decimal_places=1, null=True, blank=True)
    # Strategic ground is data, not a rule per commodity: only where this is set does the state's
    # pre-emptive right bind a transfer of a licence whose blocks touch the deposit.
    preemptive_right = models.BooleanField(
        _("the state's pre-emptive right applies (Subsoil Code Art. 43)"), default=False
    )
    is_published = models.BooleanField(_("published"), default=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)
    is_illustrative = models.BooleanField(
        _("illustrative figures"), default=False, help_text=_("Demo data: figures from public sources, not verified.")
    )
    import_fingerprint = models.CharField(
        _("import fingerprint"),
        max_length=64,
        blank=True,
        editable=False,
        help_text=_("Hash of the record last imported, so that re-importing it changes nothing."),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last updated"), auto_now=True)

    class Meta:
        verbose_name = _("deposit")
        verbose_name_plural = _("deposits")
        ordering = ["name_en"]
        constraints = [
            models.CheckConstraint(
                condition=Q(latitude__gte=KZ_LAT_MIN, latitude__lte=KZ_LAT_MAX), name="deposit_latitude_in_kazakhstan"
            ),
            models.CheckConstraint(
                condition=Q(longitude__gte=KZ_LON_MIN, longitude__lte=KZ_LON_MAX),
                name="deposit_longitude_in_kazakhstan",
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{field}__gte": 0}) | Q(**{f"{field}__isnull": True}),
                    name=f"deposit_{field}_non_negative",
                    violation_error_message=_("Distances cannot be negative."),
                )
                for field in ("rail_km", "road_km", "power_km", "water_km")
            ],
            models.CheckConstraint(
                condition=Q(is_published=False) | Q(published_at__isnull=False), name="deposit_published_has_date"
            ),
        ]
        indexes = [models.Index(fields=["is_published", "name_en"], name="deposit_public_idx")]

    def get_absolute_url(self) -> str:
        return reverse("deposits:deposit-detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.latitude is None or self.longitude is None:
            return
        if not in_kazakhstan(longitude=float(self.longitude), latitude=float(self.latitude)):
            raise ValidationError(
                {
                    "latitude": _("The location %(lat)s, %(lon)s is not in Kazakhstan.")
                    % {"lat": self.latitude, "lon": self.longitude}
                }
            )
        if self.outline is not None:
            try:
                inside = polygon_in_kazakhstan(self.outline)
            except ValueError as exc:
                raise ValidationError({"outline": _("The outline is not a valid GeoJSON polygon.")}) from exc
            if not inside:
                raise ValidationError({"outline": _("The outline must lie within Kazakhstan.")})

    # Labels by enum lookup: Django's get_FOO_display hashes every (lazy) choice on each call.
    @property
    def region_label(self) -> str:
        return str(Region(self.region).label)

    @property
    def stage_label(self) -> str:
        return str(Stage(self.stage).label)

    @property
    def deposit_type_label(self) -> str:
        return str(DepositType(self.deposit_type).label)


class DepositCommodity(models.Model):
    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="deposit_commodities")
    commodity = models.ForeignKey(Commodity, verbose_name=_("commodity"), on_delete=models.PROTECT, related_name="+")
    is_primary = models.BooleanField(_("main commodity"), default=False)

    class Meta:
        verbose_name = _("commodity of the deposit")
        verbose_name_plural = _("commodities of the deposit")
        constraints = [
            models.UniqueConstraint(fields=["deposit", "commodity"], name="deposit_commodity_once"),
            models.UniqueConstraint(
                fields=["deposit"],
                condition=Q(is_primary=True),
                name="deposit_one_primary_commodity",
                violation_error_message=_("A deposit has one main commodity."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deposit_id}:{self.commodity_id}"


class Source(models.Model):
    """A public source the deposit's figures are taken from."""

    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="sources")
    title = models.CharField(_("title"), max_length=300)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    url = models.URLField(_("link"), max_length=500, blank=True)

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(year__gte=1900) & Q(year__lte=2100) | Q(year__isnull=True),
                name="source_year_sane",
                violation_error_message=_("The year must be between 1900 and 2100."),
            )
        ]

    def __str__(self) -> str:
        return self.title


class ResourceEstimate(models.Model):
    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="estimates")
    commodity = models.ForeignKey(Commodity, verbose_name=_("commodity"), on_delete=models.PROTECT, related_name="+")
    code = models.CharField(_("reporting code"), max_length=16, choices=ReportingCode.choices)
    category = models.CharField(_("category"), max_length=16, choices=Category.choices)
    tonnage_t = models.DecimalField(_("ore, tonnes"), max_digits=16, decimal_places=0, null=True, blank=True)
    grade = models.DecimalField(_("grade"), max_digits=12, decimal_places=4, null=True, blank=True)
    grade_unit = models.CharField(_("grade unit"), max_length=16, choices=GradeUnit.choices)
    contained_t = models.DecimalField(_("contained, tonnes"), max_digits=16, decimal_places=1, null=True, blank=True)
    cutoff = models.DecimalField(_("cut-off grade"), max_digits=12, decimal_places=4, null=True, blank=True)
    effective_date = models.DateField(_("effective date"))
    competent_person_en, competent_person_ru, competent_person_kk = in_each_language(
        models.CharField, _("competent person or organisation"), max_length=300
    )
    competent_person = InLanguage()
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    note_en, note_ru, note_kk = in_each_language(models.CharField, _("note"), max_length=300)
    note = InLanguage()

    class Meta:
        verbose_name = _("resource estimate")
        verbose_name_plural = _("resource estimates")
        ordering = ["id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(code__in=CRIRSCO_CODES, category__in=CRIRSCO_CATEGORIES)
                | Q(code=ReportingCode.STATE_BALANCE, category__in=STATE_BALANCE_CATEGORIES),
                name="estimate_category_valid_for_code",
                violation_error_message=_(
                    "This category does not belong to the reporting code: JORC, KAZRC and NI 43-101 use Measured, "
                    "Indicated, Inferred, Proved and Probable; the state balance uses A, B, C1, C2 and P1–P3."
                ),
            ),
            models.CheckConstraint(
                condition=Q(tonnage_t__gte=0) | Q(tonnage_t__isnull=True),
                name="estimate_tonnage_non_negative",
                violation_error_message=_("The ore tonnage cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(grade__gte=0) | Q(grade__isnull=True),
                name="estimate_grade_non_negative",
                violation_error_message=_("The grade cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(contained_t__gte=0) | Q(contained_t__isnull=True),
                name="estimate_contained_non_negative",
                violation_error_message=_("The contained metal cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(cutoff__gte=0) | Q(cutoff__isnull=True),
                name="estimate_cutoff_non_negative",
                violation_error_message=_("The cut-off grade cannot be negative."),
            ),
            models.CheckConstraint(
                condition=Q(tonnage_t__isnull=False) | Q(contained_t__isnull=False),
                name="estimate_has_a_quantity",
                violation_error_message=_("Give the ore tonnage, the contained metal, or both."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_code_display()} {self.get_category_display()} {self.commodity_id}"

    def clean(self) -> None:
        if self.code and self.category and (self.code in CRIRSCO_CODES) != (self.category in CRIRSCO_CATEGORIES):
            raise ValidationError(
                {
                    "category": _("%(category)s is not a category of %(code)s.")
                    % {"category": self.get_category_display(), "code": self.get_code_display()}
                }
            )

    @property
    def tonnage_mt(self) -> Decimal | None:
        return None if self.tonnage_t is None else self.tonnage_t / Decimal(1_000_000)

    @property
    def estimate_class(self) -> EstimateClass:
        return CATEGORY_CLASS[Category(self.category)]


class DepositDocument(models.Model):
    """A document about the deposit: public, or for the data room (opened by verified investors)."""

    deposit = models.ForeignKey(Deposit, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    kind = models.CharField(_("kind"), max_length=32, choices=DocumentKind.choices, default=DocumentKind.REPORT)
    visibility = models.CharField(
        _("visibility"), max_length=16, choices=DocumentVisibility.choices, default=DocumentVisibility.PUBLIC
    )
    url = models.URLField(_("link"), max_length=500, blank=True)
    file = models.ForeignKey(
        "documents.Document", verbose_name=_("file"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    published_on = models.DateField(_("published on"), null=True, blank=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["visibility", "title"]

    def __str__(self) -> str:
        return self.title


class DisclosureRevision(models.Model):
    """One row counting changes to what the public sees; every deposits service bumps it in its
    transaction, so cached public answers keyed by it are never served after a change commits."""

    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("disclosure revision")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="disclosure_revision_singleton")]

    def __str__(self) -> str:
        return str(self.number)


class RegionBoundary(models.Model):
    """A region's (oblast's) administrative boundary, loaded by a registrar from the state's own
    GeoJSON (deposits.services.region_boundary_load checks it): the maps' regions layer."""

    region = models.CharField(_("region"), max_length=32, choices=Region.choices, unique=True)
    geometry = models.JSONField(_("boundary"), help_text=_("A GeoJSON MultiPolygon in WGS84 longitude and latitude."))
    source = models.CharField(_("source"), max_length=300)
    loaded_at = models.DateTimeField(_("loaded at"))
    loaded_by = models.ForeignKey(
        "accounts.User", verbose_name=_("loaded by"), null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("region boundary")
        verbose_name_plural = _("region boundaries")
        ordering = ["region"]

    def __str__(self) -> str:
        return str(self.get_region_display())
