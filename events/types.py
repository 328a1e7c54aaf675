"""The event types the event log itself records, and accounts' (accounts may not import the
event log, so the types of the changes it announces are declared here)."""

from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare

INTERNAL, PARTIES = Audience.INTERNAL, Audience.PARTIES
WEBHOOK_ENDPOINT = "events.webhookendpoint"

declare(
    "accounts",
    # Roles and staff access: personal data and security configuration.
    EventType("user.access_changed", _("Roles or staff access changed"), INTERNAL, "accounts.user"),
)

declare(
    "events",
    EventType("webhook_endpoint.created", _("Webhook endpoint registered"), INTERNAL, "events.webhookendpoint"),
    EventType("webhook_endpoint.changed", _("Webhook endpoint changed"), INTERNAL, "events.webhookendpoint"),
    EventType("webhook_endpoint.paused", _("Webhook endpoint paused"), INTERNAL, "events.webhookendpoint"),
    EventType("webhook_endpoint.resumed", _("Webhook endpoint resumed"), INTERNAL, "events.webhookendpoint"),
    EventType(
        "webhook_endpoint.secret_rotated", _("Webhook endpoint's signing secret rotated"), INTERNAL, WEBHOOK_ENDPOINT
    ),
    # Its owner is told in-app and by email; the endpoint itself no longer receives anything.
    EventType("webhook_endpoint.disabled", _("Webhook endpoint disabled"), PARTIES, "events.webhookendpoint"),
    EventType("delivery.retried", _("Delivery sent again on request"), INTERNAL, "events.delivery"),
    EventType("event_chain.broken", _("The event log's hash chain is broken"), INTERNAL),
    EventType("event_chain.resealed", _("Event log re-sealed under a new hash scheme"), INTERNAL),
    # Housekeeping: one event per save of the settings page that changed something.
    EventType("notification_preferences.changed", _("Notification settings changed"), INTERNAL, "accounts.user"),
)
