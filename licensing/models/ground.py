"""The ground: ground opening for applications, claims of applications on blocks, tenures of
licences on blocks, and the single priority counter."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from accounts.formatting import format_moment
from deposits.models import Region
from licensing.models.applications import Application
from licensing.models.licences import Licence


class OpeningReason(models.TextChoices):
    RELEASED_BY_STATE = "released", _("Opened by the state")
    REFUSED = "refused", _("Freed by a refusal")
    WITHDRAWN = "withdrawn", _("Freed by a withdrawal")
    LAPSED = "lapsed", _("Freed by a lapse")
    SURRENDERED = "surrendered", _("Freed by a surrender")
    EXPIRED = "expired", _("Freed by an expiry")
    RELINQUISHED = "relinquished", _("Freed by a relinquishment")
    REVOKED = "revoked", _("Freed by a revocation")
    CONVERTED = "converted", _("Freed by a conversion to a mining licence")


class GroundOpening(models.Model):
    """Ground that opens for applications at a published time. Applications lodged in the
    month after it opens rank equally; blocks they contest go to an auction."""

    opens_at = models.DateTimeField(_("opens at"))
    window_closes_at = models.DateTimeField(_("equal-ranking window closes at"))
    reason = models.CharField(_("reason"), max_length=16, choices=OpeningReason.choices)
    region = models.CharField(_("region"), max_length=32, blank=True)
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    settled_at = models.DateTimeField(_("settled at"), null=True, blank=True)
    # For the API's `changed_since`: services that change an opening save it.
    updated_at = models.DateTimeField(_("updated"), auto_now=True, db_index=True)

    class Meta:
        verbose_name = _("ground opening")
        verbose_name_plural = _("ground openings")
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(condition=Q(window_closes_at__gt=models.F("opens_at")), name="opening_window")
        ]
        # The release calendar, the API's cursor and the OGC collection read openings by time.
        indexes = [models.Index(fields=["opens_at", "id"], name="opening_time_idx")]

    def __str__(self) -> str:
        # Shown in the admin and as the subject of notifications: Astana time, in words.
        return format_moment(self.opens_at, zone=True)

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
        # Every tenure a block ever had (a block's history, the register's commodity filter):
        # the unique index above covers the active ones only. The licence's own index is the
        # foreign key's.
        indexes = [models.Index(fields=["block"], name="tenure_block_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.block}"


class GroundOutline(models.Model):
    """The outline of blocks fixed when their owner was made, as a GeoJSON MultiPolygon (None:
    no blocks), so that the OGC API's features read it rather than dissolving blocks on every
    request. `manage.py licence_outlines` writes the missing ones."""

    geometry = models.JSONField(_("geometry"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        abstract = True


class ApplicationOutline(GroundOutline):
    """A lodged application's outline: its claims are made once, at lodgement."""

    application = models.OneToOneField(
        Application, verbose_name=_("application"), on_delete=models.CASCADE, primary_key=True, related_name="outline"
    )

    class Meta:
        verbose_name = _("application outline")
        verbose_name_plural = _("application outlines")

    def __str__(self) -> str:
        return str(self.application_id)


class OpeningOutline(GroundOutline):
    """A ground opening's outline: its blocks are published once, when the ground is freed."""

    opening = models.OneToOneField(
        GroundOpening,
        verbose_name=_("ground opening"),
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="outline",
    )

    class Meta:
        verbose_name = _("opening outline")
        verbose_name_plural = _("opening outlines")

    def __str__(self) -> str:
        return str(self.opening_id)
