"""The reminder run on the real services: two runs at once on PostgreSQL send each step once, and
a real Celery worker on Redis delivers it once to each recipient by the channels they chose."""

from datetime import date, timedelta

import pytest
from django.core import mail

from events.models import Channel, Delivery, DeliveryStatus, Event, Notification, NotificationPreference
from events.services import event_chain_verify
from licensing.models import ObligationReminder
from licensing.tasks import send_obligation_reminders
from tests.licensing import factories
from tests.licensing.test_concurrency import at_once
from tests.worker import wait_for

pytestmark = [pytest.mark.django_db(transaction=True, serialized_rollback=True)]
DUE = date(2027, 3, 1)


@pytest.mark.postgres
def test_two_runs_at_once_send_each_reminder_once(make_user, crew) -> None:
    from licensing.licences.reminders import obligation_reminders_send

    holder = factories.notice_holder(make_user, crew.registrar)
    obligations = [factories.obligation(holder.licence, DUE, licence_year=year) for year in range(1, 6)]
    today = DUE - timedelta(days=30)
    first, second = at_once([lambda: obligation_reminders_send(today=today)] * 2)
    assert not isinstance(first, Exception) and not isinstance(second, Exception), (first, second)
    assert sorted(first + second) == sorted(o.pk for o in obligations)  # each by one run or the other
    assert ObligationReminder.objects.count() == 5
    assert Event.objects.filter(type="obligation.reminder_due").count() == 5
    assert event_chain_verify().ok


@pytest.mark.redis
def test_the_worker_delivers_the_reminder_once_in_app_and_by_email_to_each_recipient(
    celery_worker, make_user, crew, time_machine
) -> None:
    holder = factories.notice_holder(make_user, crew.registrar)
    # The manager wants reminders in the portal only.
    NotificationPreference.objects.create(
        user=holder.manager, kind="obligation.reminder_due", channel=Channel.EMAIL, enabled=False
    )
    obligation = factories.obligation(holder.licence, DUE)
    time_machine.move_to(DUE - timedelta(days=7))
    send_obligation_reminders.delay()  # as beat sends it (no result backend: watch the database)
    wait_for(lambda: ObligationReminder.objects.filter(obligation=obligation).exists(), "run the reminders")
    event = Event.objects.get(type="obligation.reminder_due")
    wait_for(lambda: Delivery.objects.filter(event=event, status=DeliveryStatus.SENT).count() == 5, "deliver it")
    assert send_obligation_reminders() == []  # the same day again: nothing new

    in_app = {n.user_id for n in Notification.objects.filter(event=event)}
    assert in_app == {holder.owner.pk, holder.manager.pk, holder.contact.pk}
    reminders = [m for m in mail.outbox if m.extra_headers.get("X-AshyqKen-Event") == "obligation.reminder_due"]
    assert sorted(m.to[0] for m in reminders) == sorted([holder.owner.email, holder.contact.email])
    assert all(holder.licence.number in m.subject and "4,325,000.00 KZT" in m.body for m in reminders)
    notification = Notification.objects.get(user=holder.contact, event=event)
    assert holder.licence.number in notification.title
    assert notification.url.endswith(f"/investor/licences/{holder.licence.number}/")
    assert not Notification.objects.filter(user=holder.bystander, event=event).exists()
    assert Delivery.objects.filter(event=event).count() == 5
