from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Events and notifications")

    def ready(self) -> None:
        import events.types  # noqa: F401 (declares this app's and accounts' event types)
        from accounts.signals import user_access_changed
        from events import routing
        from events.receivers import record_access_change

        user_access_changed.connect(record_access_change, dispatch_uid="events.record_access_change")

        routing.register(
            "webhook_endpoint.disabled", routing.subject_owner, _("A webhook endpoint of mine was disabled")
        )
        routing.register(
            "event_chain.broken", routing.administrators, _("The event log's hash chain is broken (administrators)")
        )
