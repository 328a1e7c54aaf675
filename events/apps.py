from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and notifications")

    def ready(self) -> None:
        from accounts.signals import user_access_changed
        from events import routing
        from events.receivers import record_access_change

        user_access_changed.connect(record_access_change, dispatch_uid="events.record_access_change")

        routing.describe("user.access_changed", _("Roles or staff access changed"))
        routing.register(
            "webhook_endpoint.disabled", routing.subject_owner, _("A webhook endpoint of mine was disabled")
        )
        routing.register(
            "event_chain.broken", routing.administrators, _("The event log's hash chain is broken (administrators)")
        )
        routing.describe("event_chain.resealed", _("Event log re-sealed under a new hash scheme"))
