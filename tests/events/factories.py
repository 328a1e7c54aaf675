"""Rows of the events app that tests set up directly: partners' webhook endpoints, and
notifications and deliveries of events recorded through `events.services.record_event`."""

import factory

from events.models import Channel, Delivery, Notification, WebhookEndpoint
from tests.accounts.factories import UserFactory


class WebhookEndpointFactory(factory.django.DjangoModelFactory):
    """An active endpoint of a partner, subscribed to every partner-visible type."""

    class Meta:
        model = WebhookEndpoint

    owner = factory.SubFactory(UserFactory)
    partner = "Bank"
    url = factory.Sequence(lambda n: f"https://partner{n}.example/hook")
    event_types = factory.LazyFunction(lambda: ["*"])
    secret = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


class NotificationFactory(factory.django.DjangoModelFactory):
    """An in-app notification of `event` (required: record it through the services)."""

    class Meta:
        model = Notification

    kind = factory.LazyAttribute(lambda notification: notification.event.type)
    title = "Something happened"
    body = ""


class DeliveryFactory(factory.django.DjangoModelFactory):
    """A queued delivery of `event` (required) to `endpoint` (required for a webhook)."""

    class Meta:
        model = Delivery

    channel = Channel.WEBHOOK
    recipient = factory.LazyAttribute(lambda delivery: f"endpoint:{delivery.endpoint.pk}")
