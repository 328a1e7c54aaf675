"""The event types of partner clients: all internal (credentials are nobody else's business)."""

from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare

CLIENT = "partners.partnerclient"

declare(
    "partners",
    EventType("partner_client.created", _("Partner client registered"), Audience.INTERNAL, CLIENT),
    EventType("partner_client.changed", _("Partner client's scopes or limits changed"), Audience.INTERNAL, CLIENT),
    EventType("partner_client.secret_rotated", _("Partner client's secret rotated"), Audience.INTERNAL, CLIENT),
    EventType("partner_client.revoked", _("Partner client revoked"), Audience.INTERNAL, CLIENT),
)
