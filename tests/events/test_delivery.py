import datetime

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.test import override_settings

from accounts.roles import Role
from events import services
from events.channels import webhook_url_problem
from events.models import Channel, Delivery, DeliveryStatus, Event, Notification
from tests.events.factories import WebhookEndpointFactory
from tests.events.receiver import webhook_receiver

pytestmark = pytest.mark.django_db
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _event(type: str = "test.happened", **payload: object) -> Event:
    with transaction.atomic():
        return services.record_event(actor=None, type=type, **payload)


def _deliver(event: Event) -> None:
    for delivery_id in services.event_dispatch(event_id=event.pk):
        services.delivery_send(delivery_id=delivery_id)


def test_a_routed_event_reaches_the_inbox_and_the_mailbox_once(make_user, route_to) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    event = _event()
    _deliver(event)
    _deliver(event)  # a second dispatch (a retried task) adds nothing
    assert Notification.objects.filter(user=user).count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [user.email]
    assert Delivery.objects.filter(event=event).count() == 2
    assert set(Delivery.objects.values_list("status", flat=True)) == {DeliveryStatus.SENT}


def test_email_is_written_in_the_recipients_language(make_user, route_to) -> None:
    user = make_user(Role.INVESTOR)
    user.preferred_language = "ru"
    user.save()
    route_to("webhook_endpoint.disabled", [user])
    _deliver(_event("webhook_endpoint.disabled", url="https://partner.example/hook"))
    message = mail.outbox[0]
    assert "отключ" in message.subject.lower()
    html = message.alternatives[0][0]
    assert '<html lang="ru">' in html and "https://partner.example/hook" in message.body


def test_a_channel_turned_off_is_not_used(make_user, route_to) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    services.notification_preference_set(actor=user, kind="test.happened", channel=Channel.EMAIL, enabled=False)
    _deliver(_event())
    assert not mail.outbox
    assert Notification.objects.filter(user=user).count() == 1


class CrashAfterSending:
    """An email backend that hands the message over, then dies like a killed worker."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        mail.outbox.extend(messages)
        raise SystemExit("worker killed after sending")


def test_a_worker_killed_after_sending_an_email_never_sends_it_again(make_user, route_to, settings) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    event = _event()
    email = Delivery.objects.get(
        pk=next(
            i for i in services.event_dispatch(event_id=event.pk) if Delivery.objects.get(pk=i).channel == Channel.EMAIL
        )
    )
    settings.EMAIL_BACKEND = "tests.events.test_delivery.CrashAfterSending"
    with pytest.raises(SystemExit):
        services.delivery_send(delivery_id=email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.delivery_send(delivery_id=email.pk) == DeliveryStatus.SENDING  # the retry sends nothing
    from events.tasks import sweep

    sweep.run()
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_is_retried_then_dead_lettered(make_user, route_to, settings) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    settings.EMAIL_BACKEND = "tests.events.test_delivery.RefusingBackend"
    event = _event()
    services.event_dispatch(event_id=event.pk)
    email = Delivery.objects.get(event=event, channel=Channel.EMAIL)
    start = datetime.datetime(2026, 11, 23, 9, 0, tzinfo=datetime.UTC)
    with time_machine.travel(start, tick=False) as clock:
        for _ in range(services.MAX_ATTEMPTS[Channel.EMAIL]):
            services.delivery_send(delivery_id=email.pk)
            clock.shift(datetime.timedelta(hours=2))
    email.refresh_from_db()
    assert email.status == DeliveryStatus.DEAD and "refused" in email.last_error
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    services.delivery_retry(actor=None, delivery=email)
    services.delivery_send(delivery_id=email.pk)
    email.refresh_from_db()
    assert email.status == DeliveryStatus.SENT and len(mail.outbox) == 1


class RefusingBackend:
    def __init__(self, *args: object, **kwargs: object) -> None:
        pass

    def send_messages(self, messages: list) -> int:
        raise ConnectionRefusedError("connection refused by the mail server")


def test_a_webhook_is_signed_and_verifies(registrar) -> None:
    with webhook_receiver(SECRET) as receiver:
        WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["deposit.published"], secret=SECRET
        )
        event = _event("deposit.published", slug="boguty")
        _deliver(event)
    assert receiver.verified == [True]
    body = receiver.received[0]["body"]
    assert body["type"] == "deposit.published" and body["data"]["slug"] == "boguty"
    assert receiver.received[0]["headers"]["webhook-id"] == f"evt_{event.pk}"


def test_a_receiver_that_fails_twice_gets_it_on_the_third_try(registrar) -> None:
    with webhook_receiver(SECRET, fail_first=2) as receiver:
        endpoint = WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["*"], secret=SECRET
        )
        event = _event("deposit.published")
        (delivery_id,) = services.event_dispatch(event_id=event.pk)
        with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
            for _ in range(3):
                services.delivery_send(delivery_id=delivery_id)
                clock.shift(datetime.timedelta(hours=2))
    delivery = Delivery.objects.get(pk=delivery_id)
    assert delivery.status == DeliveryStatus.SENT and delivery.attempts == 3
    assert [a.status_code for a in delivery.attempts_log.order_by("id")] == [503, 503, 204]
    assert receiver.verified == [True]
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


def test_an_endpoint_failing_for_a_day_is_disabled_and_its_owner_told(registrar) -> None:
    with webhook_receiver(SECRET, fail_first=1000) as receiver:
        endpoint = WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["*"], secret=SECRET
        )
        (delivery_id,) = services.event_dispatch(event_id=_event("deposit.published").pk)
        with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
            for _ in range(30):
                services.delivery_send(delivery_id=delivery_id)
                clock.shift(datetime.timedelta(hours=1, minutes=30))
    endpoint.refresh_from_db()
    assert not endpoint.is_active and endpoint.disabled_at is not None
    assert Delivery.objects.get(pk=delivery_id).status == DeliveryStatus.DEAD
    disabled = Event.objects.get(type="webhook_endpoint.disabled")
    _deliver(disabled)
    assert Notification.objects.filter(user=registrar, kind="webhook_endpoint.disabled").count() == 1
    assert mail.outbox[-1].to == [registrar.email]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://example.org/hook", "only https://"),
        ("https://127.0.0.1/hook", "private address"),
        ("https://10.1.2.3/hook", "private address"),
        ("https://169.254.169.254/latest/meta-data", "private address"),
        ("https://[::1]/hook", "private address"),
        ("https://no-such-host.invalid/hook", "cannot be resolved"),
    ],
)
def test_production_refuses_webhook_urls_that_could_reach_inside(url: str, problem: str) -> None:
    assert problem in webhook_url_problem(url, allow_loopback=False)


@override_settings(WEBHOOKS_ALLOW_LOOPBACK=False)
def test_a_delivery_to_a_forbidden_address_is_refused_and_logged(registrar) -> None:
    endpoint = WebhookEndpointFactory(
        owner=registrar, partner="Bank", url="http://127.0.0.1:9/x", event_types=["*"], secret=SECRET
    )
    (delivery_id,) = services.event_dispatch(event_id=_event("deposit.published").pk)
    assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.RETRYING
    assert "only https://" in Delivery.objects.get(pk=delivery_id).attempts_log.get().error
    assert endpoint.deliveries.count() == 1


def test_dispatching_an_unknown_event_does_nothing() -> None:
    assert services.event_dispatch(event_id=987654) == []


def _stuck_after(settings) -> datetime.timedelta:
    return datetime.timedelta(seconds=settings.EVENTS_SENDING_STUCK_AFTER_SECONDS)


def test_a_webhook_whose_worker_died_while_sending_is_sent_again_with_the_same_id(
    registrar, settings, monkeypatch
) -> None:
    import socket

    with webhook_receiver(SECRET) as receiver:
        WebhookEndpointFactory(owner=registrar, partner="Bank", url=receiver.url, event_types=["*"], secret=SECRET)
        event = _event("deposit.published")
        (delivery_id,) = services.event_dispatch(event_id=event.pk)
        real_connect = socket.create_connection

        def killed(*args: object, **kwargs: object) -> None:
            raise SystemExit("worker killed while connecting")

        with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
            monkeypatch.setattr(socket, "create_connection", killed)
            with pytest.raises(SystemExit):
                services.delivery_send(delivery_id=delivery_id)
            monkeypatch.setattr(socket, "create_connection", real_connect)
            # The task comes back (acks_late) to a delivery still marked sending: it sends nothing.
            assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.SENDING
            clock.shift(_stuck_after(settings) - datetime.timedelta(seconds=1))
            assert services.delivery_recover_stuck(older_than=_stuck_after(settings)) == []
            clock.shift(datetime.timedelta(seconds=2))
            assert services.delivery_recover_stuck(older_than=_stuck_after(settings)) == [delivery_id]
            assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.SENT
    assert [r["headers"]["webhook-id"] for r in receiver.received] == [f"evt_{event.pk}"]
    assert receiver.verified == [True]


def test_an_email_whose_worker_died_while_sending_is_unknown_and_never_sent_again(
    make_user, route_to, settings
) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    event = _event()
    services.event_dispatch(event_id=event.pk)
    email = Delivery.objects.get(event=event, channel=Channel.EMAIL)
    with time_machine.travel(datetime.datetime.now(tz=datetime.UTC), tick=False) as clock:
        settings.EMAIL_BACKEND = "tests.events.test_delivery.CrashAfterSending"
        with pytest.raises(SystemExit):
            services.delivery_send(delivery_id=email.pk)
        settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
        clock.shift(_stuck_after(settings) + datetime.timedelta(seconds=1))
        assert services.delivery_recover_stuck(older_than=_stuck_after(settings)) == []  # not for sending
        email.refresh_from_db()
        assert email.status == DeliveryStatus.UNKNOWN and "may or may not have gone out" in email.last_error
        assert email.pk not in services.sweep_targets(older_than=datetime.timedelta(0))[1]
        assert services.delivery_send(delivery_id=email.pk) == DeliveryStatus.UNKNOWN
        clock.shift(datetime.timedelta(days=2))
        services.delivery_recover_stuck(older_than=_stuck_after(settings))
    email.refresh_from_db()
    assert email.status == DeliveryStatus.UNKNOWN
    assert len(mail.outbox) == 1
