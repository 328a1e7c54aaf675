"""Sealed-bid auctions for blocks contested in an opening window."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from licensing.models.applications import Application
from licensing.models.ground import GroundOpening


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
