"""Event types that only the tests record (installed by config.test_settings, so a worker
subprocess knows them too)."""

from django.apps import AppConfig


class TestCatalogueConfig(AppConfig):
    name = "tests.catalogue_app"
    label = "test_catalogue"

    def ready(self) -> None:
        from events import routing
        from events.catalogue import Audience, EventType, declare

        declare(
            "tests",
            EventType("test.happened", "Test event", Audience.PUBLIC, "", ("number", "n")),
            # Told to the owner of its subject, and partner-visible: for the fault tests' workers.
            EventType("test.owned", "Owned test event", Audience.PUBLIC, "events.webhookendpoint", ("url",)),
            EventType("test.internal", "Internal test event", Audience.INTERNAL),
        )
        routing.register("test.owned", routing.subject_owner)
