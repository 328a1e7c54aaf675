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
