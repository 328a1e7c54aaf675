"""Faults with a real `celery worker` subprocess (prefork) on a Redis of the test's own: the
broker goes away while events are recorded, and pool children are killed mid-delivery."""

import datetime
import os
import signal
import time
from collections import Counter
from collections.abc import Iterator

import pytest
import time_machine
from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from config.celery import app
from events import routing, services
from events.models import Channel, Delivery, DeliveryStatus, Event, Notification
from events.tasks import sweep
from tests.events.factories import WebhookEndpointFactory
from tests.events.mailbox import delivery_ids
from tests.events.receiver import webhook_receiver
from tests.worker import RedisServer, celery_worker_process, redis_server, use_broker, wait_for

pytestmark = [
    pytest.mark.redis,
    pytest.mark.postgres,
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
# A worker subprocess starts in seconds on a loaded machine, and reconnects to a broker that
# came back with Celery's own backoff.
SLOW = 90.0


@pytest.fixture
def broker() -> Iterator[RedisServer]:
    working = app.conf.broker_url
    with redis_server() as server:
        use_broker(server.url)
        try:
            yield server
        finally:
            use_broker(working)


# The worker is another process: only the installed apps' routes exist there, so the events are
# of a routed, partner-visible test type (tests/catalogue_app), told to the owner of the endpoint
# they are about.
KIND = "test.owned"


def _record_for(user: User, n: int) -> Event:
    """An event that reaches `user` in-app and by email, and the partner's receiver by webhook."""
    about = WebhookEndpointFactory(
        owner=user, partner=f"Old {n}", url=f"https://old{n}.example/hook", secret=SECRET, is_active=False
    )
    with transaction.atomic():
        return services.record_event(actor=None, type=KIND, subject=about, url=about.url)


def _all_sent() -> bool:
    return not Delivery.objects.exclude(status=DeliveryStatus.SENT).exists()


def test_events_recorded_while_the_broker_is_down_return_fast_and_are_delivered_once_after(
    broker, client, make_user, registrar, settings, tmp_path
) -> None:
    first, second = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    env = {"DJANGO_SETTINGS_MODULE": "tests.events.worker_settings", "ASHYQKEN_TEST_MAIL_DIR": str(tmp_path)}
    with (
        webhook_receiver(SECRET) as receiver,
        celery_worker_process(broker_url=broker.url, env=env),
    ):
        WebhookEndpointFactory(owner=registrar, partner="Bank", url=receiver.url, event_types=[KIND], secret=SECRET)
        # A real page that records an event (one per save that changes something).
        client.force_login(first)
        everything_on = {f"{kind}:{channel}": "on" for kind in routing.kinds() for channel in ("in_app", "email")}
        one_off = dict(list(everything_on.items())[1:])
        started = time.monotonic()
        assert client.post("/notifications/settings/", one_off).status_code == 302
        page_time_up = time.monotonic() - started

        broker.stop()
        timings, outage = [], []
        for n, user in enumerate([first, second, first, second]):
            started = time.monotonic()
            outage.append(_record_for(user, n))  # the service, committed; the enqueue fails
            timings.append(time.monotonic() - started)
        started = time.monotonic()
        assert client.post("/notifications/settings/", everything_on).status_code == 302
        page_time_down = time.monotonic() - started
        page_events = Event.objects.filter(type="notification_preferences.changed").count()
        assert page_events == 2  # one per save, each a change
        # Each enqueue waited about 6 s before (kombu's connection retries): 6 s per event.
        assert max(timings) < 1.0, timings
        assert page_time_down - page_time_up < 2.0, (page_time_up, page_time_down, page_events)
        assert not Event.objects.filter(pk__in=[e.pk for e in outage], dispatched_at__isnull=False).exists()

        broker.start()
        settings.EVENTS_SWEEP_AFTER_SECONDS = 0

        def swept() -> bool:
            sweep.run()  # what beat does every minute
            return not Event.objects.filter(dispatched_at__isnull=True).exists()

        wait_for(swept, "dispatch the events once the broker is back", timeout=SLOW, interval=0.5)
        wait_for(_all_sent, "send every delivery", timeout=SLOW)

    for event, user in zip(outage, [first, second, first, second], strict=True):
        assert Notification.objects.filter(event=event, user=user).count() == 1
        assert Delivery.objects.get(event=event, channel=Channel.EMAIL).user == user
    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    assert Counter(delivery_ids(str(tmp_path))) == Counter(dict.fromkeys(emails.values_list("pk", flat=True), 1))
    assert Counter(r["headers"]["webhook-id"] for r in receiver.received) == Counter(
        {f"evt_{event.pk}": 1 for event in outage}
    )
    assert all(receiver.verified)


def test_killing_worker_children_mid_delivery_sends_no_email_twice_and_every_webhook(
    broker, make_user, registrar, settings, tmp_path
) -> None:
    users = [make_user(Role.INVESTOR), make_user(Role.INVESTOR)]
    mail_dir = tmp_path / "mail"
    mail_dir.mkdir()
    hang = tmp_path / "hang-once"
    env = {
        "DJANGO_SETTINGS_MODULE": "tests.events.worker_settings",
        "ASHYQKEN_TEST_MAIL_DIR": str(mail_dir),
        "ASHYQKEN_TEST_MAIL_HANG_ONCE": str(hang),
    }
    with (
        webhook_receiver(SECRET, hold_first=True) as receiver,
        celery_worker_process(broker_url=broker.url, env=env, concurrency=2) as worker,
    ):
        WebhookEndpointFactory(owner=registrar, partner="Bank", url=receiver.url, event_types=[KIND], secret=SECRET)
        events = [_record_for(users[n % 2], n) for n in range(4)]
        # One child is inside the mail server's silence, the other inside the partner's: both
        # deliveries are claimed (SENDING) and neither will finish.
        wait_for(lambda: hang.exists() and receiver.holding.is_set(), "start both deliveries", timeout=SLOW)
        children = worker.children()
        assert len(children) == 2
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        receiver.release.set()

        def settled() -> bool:
            # The killed tasks come back (acks_late) and find their deliveries still sending.
            statuses = Counter(Delivery.objects.values_list("status", flat=True))
            return (
                not Event.objects.filter(dispatched_at__isnull=True).exists()
                and Delivery.objects.filter(event__in=events).count() == len(events) * 3  # in-app, email, webhook
                and set(statuses) == {DeliveryStatus.SENT, DeliveryStatus.SENDING}
                and statuses[DeliveryStatus.SENDING] == 2
            )

        wait_for(settled, "finish all but the two deliveries of the killed children", timeout=SLOW)
        stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING)
        assert sorted(stuck.values_list("channel", flat=True)) == [Channel.EMAIL, Channel.WEBHOOK]
        unknown_email = stuck.get(channel=Channel.EMAIL)
        bound = datetime.timedelta(seconds=settings.EVENTS_SENDING_STUCK_AFTER_SECONDS, minutes=1)
        with time_machine.travel(datetime.datetime.now(tz=datetime.UTC) + bound):
            sweep.run()  # beat's sweep, once the deliveries are stuck for longer than any task runs
        wait_for(
            lambda: not Delivery.objects.filter(channel=Channel.WEBHOOK).exclude(status=DeliveryStatus.SENT).exists(),
            "send the webhook again",
            timeout=SLOW,
        )
        sweep.run()  # a later sweep sends no email
        unknown_email.refresh_from_db()
        assert unknown_email.status == DeliveryStatus.UNKNOWN

    emails = Delivery.objects.filter(channel=Channel.EMAIL)
    # Every email was handed to the mail server exactly once, the one whose worker died too.
    assert Counter(delivery_ids(str(mail_dir))) == Counter(dict.fromkeys(emails.values_list("pk", flat=True), 1))
    assert set(emails.exclude(pk=unknown_email.pk).values_list("status", flat=True)) == {DeliveryStatus.SENT}
    # Every webhook arrived (the held one twice, with the same webhook-id: at least once).
    ids = Counter(r["headers"]["webhook-id"] for r in receiver.received)
    assert set(ids) == {f"evt_{event.pk}" for event in events}
    assert sorted(ids.values()) == [1, 1, 1, 2]
    assert all(receiver.verified)
