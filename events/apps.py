from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and notifications")

    def ready(self) -> None:
        from events import routing

        routing.register(
            "webhook_endpoint.disabled", routing.subject_owner, _("A webhook endpoint of mine was disabled")
        )
        routing.register(
            "event_chain.broken", routing.administrators, _("The event log's hash chain is broken (administrators)")
        )
        routing.describe("event_chain.resealed", _("Event log re-sealed under a new hash scheme"))
