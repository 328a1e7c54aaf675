"""The event types deposits records."""

from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare

INTERNAL, PARTIES, PUBLIC = Audience.INTERNAL, Audience.PARTIES, Audience.PUBLIC
DEPOSIT = "deposits.deposit"

declare(
    "deposits",
    # Drafts and edits may concern a deposit not yet published: the public learns of a deposit
    # when it is published, and reads its parts in the API.
    EventType("deposit.created", _("Deposit created"), INTERNAL, DEPOSIT),
    EventType("deposit.updated", _("Deposit changed"), INTERNAL, DEPOSIT),
    EventType("deposit.imported", _("Deposit imported"), INTERNAL, DEPOSIT),
    EventType("deposit.published", _("Deposit published"), PUBLIC, DEPOSIT, ("slug",)),
    EventType("deposit.unpublished", _("Deposit taken off the public pages"), PUBLIC, DEPOSIT, ("slug",)),
    # Changes of a deposit's parts reach the investors who follow it (the parties); a deposit
    # may be unpublished, so they never leave by webhook.
    EventType("deposit.estimate_changed", _("Resource estimate changed"), PARTIES, DEPOSIT),
    EventType("deposit.estimate_removed", _("Resource estimate removed"), PARTIES, DEPOSIT),
    EventType("deposit.document_added", _("Deposit document added"), PARTIES, DEPOSIT),
    EventType("deposit.document_changed", _("Deposit document changed"), PARTIES, DEPOSIT),
    EventType("deposit.document_removed", _("Deposit document removed"), PARTIES, DEPOSIT),
    EventType("deposit.source_changed", _("Deposit source changed"), PARTIES, DEPOSIT),
    EventType("deposit.source_removed", _("Deposit source removed"), PARTIES, DEPOSIT),
    EventType("deposit.commodities_changed", _("Deposit commodities changed"), PARTIES, DEPOSIT),
    EventType("commodity.saved", _("Commodity configured"), INTERNAL, "deposits.commodity"),  # configuration
    EventType("region.boundary_loaded", _("Region boundary loaded"), INTERNAL, "deposits.regionboundary"),
)
