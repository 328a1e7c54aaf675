"""The backbone with a real Celery worker on Redis."""

import pytest
from django.core import mail
from django.db import transaction

from accounts.roles import Role
from config.celery import app
from events import services
from events.models import Delivery, DeliveryStatus, Event, Notification
from events.tasks import sweep
from tests.events.factories import WebhookEndpointFactory
from tests.events.receiver import webhook_receiver
from tests.worker import use_broker, wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _record(type: str, **payload: object) -> Event:
    with transaction.atomic():
        return services.record_event(actor=None, type=type, **payload)


def test_the_worker_delivers_an_event_once_on_every_channel(celery_worker, make_user, route_to, registrar) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    with webhook_receiver(SECRET) as receiver:
        WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["test.happened"], secret=SECRET
        )
        event = _record("test.happened", n=1)
        wait_for(lambda: Delivery.objects.filter(event=event, status=DeliveryStatus.SENT).count() == 3, "deliver it")
        sweep.delay()  # a sweep finds nothing left to do and sends nothing again
        wait_for(lambda: Event.objects.filter(pk=event.pk, dispatched_at__isnull=False).exists(), "dispatch it")
    assert Notification.objects.filter(user=user, event=event).count() == 1
    assert [m.to for m in mail.outbox] == [[user.email]]
    assert receiver.verified == [True]


def test_an_event_recorded_while_the_broker_is_down_is_delivered_by_the_sweeper(
    celery_worker, make_user, route_to, settings
) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    settings.EVENTS_SWEEP_AFTER_SECONDS = 0
    working = app.conf.broker_url
    use_broker("redis://127.0.0.1:1/0")  # nothing listens there
    try:
        event = _record("test.happened", n=2)  # committed; the enqueue fails and is logged
    finally:
        use_broker(working)
    assert Event.objects.get(pk=event.pk).dispatched_at is None
    assert not Notification.objects.exists()
    sweep.delay()
    wait_for(lambda: Notification.objects.filter(user=user, event=event).exists(), "deliver it after the sweep")
    wait_for(lambda: len(mail.outbox) == 1, "send the email")


def test_a_receiver_that_fails_twice_gets_the_event_on_the_third_try(celery_worker, registrar, settings) -> None:
    settings.EVENTS_RETRY_BASE_SECONDS = 0.01
    settings.EVENTS_RETRY_MAX_SECONDS = 0.05
    with webhook_receiver(SECRET, fail_first=2) as receiver:
        WebhookEndpointFactory(owner=registrar, partner="Bank", url=receiver.url, event_types=["*"], secret=SECRET)
        event = _record("deposit.published", slug="boguty")
        delivery = lambda: Delivery.objects.filter(event=event).first()  # noqa: E731

        def sent_after_sweeps() -> bool:
            # Beat would run the sweeper every minute; here each poll runs it while a retry is due.
            current = delivery()
            if current is not None and current.status == DeliveryStatus.RETRYING:
                sweep.delay()
            return current is not None and current.status == DeliveryStatus.SENT

        wait_for(sent_after_sweeps, "deliver on the third try", interval=0.2)
    assert receiver.requests == 3 and receiver.verified == [True]
