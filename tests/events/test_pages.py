import datetime

import pytest
from django.db import transaction

from accounts.roles import Role
from events import services
from events.models import Channel, Notification, NotificationPreference
from tests.events.factories import NotificationFactory

pytestmark = pytest.mark.django_db


def _notify(user, title: str = "Your document was checked") -> Notification:
    with transaction.atomic():
        event = services.record_event(actor=None, type="test.happened")
    return NotificationFactory(user=user, event=event, kind=event.type, title=title, body="All good.")


def test_the_inbox_is_for_signed_in_users_only(client) -> None:
    for url in ("/notifications/", "/notifications/bell/", "/notifications/settings/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_the_inbox_lists_my_notifications_and_marks_them_read(client, make_user) -> None:
    me, other = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    mine = _notify(me, "Mine")
    theirs = _notify(other, "Theirs")
    client.force_login(me)
    page = client.get("/notifications/").content.decode()
    assert "Mine" in page and "Theirs" not in page
    assert "1 unread" in client.get("/notifications/bell/").content.decode()
    client.post("/notifications/read/", {"notification": [theirs.pk]})  # someone else's: ignored
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert client.post("/notifications/read/", {"notification": [mine.pk]}).status_code == 302
    mine.refresh_from_db()
    assert mine.read_at is not None
    assert "none unread" in client.get("/notifications/bell/").content.decode()
    assert client.post("/notifications/read/", {"notification": ["x"]}).status_code == 400


def test_preferences_turn_email_off_for_a_kind(client, make_user) -> None:
    me = make_user(Role.INVESTOR)
    client.force_login(me)
    page = client.get("/notifications/settings/").content.decode()
    assert "webhook_endpoint.disabled" in page
    client.post("/notifications/settings/", {"webhook_endpoint.disabled:in_app": "on"})
    pref = NotificationPreference.objects.get(user=me, kind="webhook_endpoint.disabled", channel=Channel.EMAIL)
    assert pref.enabled is False


def test_the_api_lists_only_my_notifications(client, make_user) -> None:
    me, other = make_user(Role.INVESTOR), make_user(Role.INVESTOR)
    _notify(me, "Mine")
    theirs = _notify(other, "Theirs")
    assert client.get("/api/v1/notifications/").status_code == 403
    client.force_login(me)
    body = client.get("/api/v1/notifications/").json()
    assert [n["title"] for n in body["results"]] == ["Mine"]
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    response = client.post("/api/v1/notifications/mark-read/", {"ids": [theirs.pk]}, content_type="application/json")
    assert response.json() == {"marked_read": 0}
    assert client.post("/api/v1/notifications/mark-read/", {}, content_type="application/json").json() == {
        "marked_read": 1
    }
    bad = client.post("/api/v1/notifications/mark-read/", {"ids": ["x"]}, content_type="application/json")
    assert bad.status_code == 400


def test_officials_see_dead_letters_and_can_send_them_again(client, make_user, route_to) -> None:
    from events.models import Delivery, DeliveryStatus

    admin = make_user(Role.ADMIN)
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    with transaction.atomic():
        event = services.record_event(actor=None, type="test.happened")
    services.event_dispatch(event_id=event.pk)
    Delivery.objects.filter(event=event).update(status=DeliveryStatus.DEAD, last_error="refused")
    client.force_login(admin)
    ids = list(Delivery.objects.filter(event=event).values_list("pk", flat=True))
    listing = client.get("/admin/events/delivery/?status__exact=dead")
    assert listing.status_code == 200 and f"test.happened #{event.pk}" in listing.content.decode()
    response = client.post("/admin/events/delivery/", {"action": "retry", "_selected_action": ids}, follow=True)
    assert "2 delivery(ies) queued again." in response.content.decode()
    assert set(Delivery.objects.filter(event=event).values_list("status", flat=True)) == {DeliveryStatus.PENDING}


def test_officials_see_emails_whose_worker_stopped_while_sending_and_can_send_them_again(
    client, make_user, route_to
) -> None:
    from events.models import Delivery, DeliveryStatus

    admin = make_user(Role.ADMIN)
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    with transaction.atomic():
        event = services.record_event(actor=None, type="test.happened")
    services.event_dispatch(event_id=event.pk)
    email = Delivery.objects.get(event=event, channel=Channel.EMAIL)
    Delivery.objects.filter(pk=email.pk).update(status=DeliveryStatus.SENDING, sending_since=None)
    assert services.delivery_recover_stuck(older_than=datetime.timedelta(0)) == []
    client.force_login(admin)
    listing = client.get("/admin/events/delivery/?dead_letters=yes").content.decode()
    assert "Unknown: the worker stopped while sending" in listing
    assert f"test.happened #{event.pk}" in listing and "may or may not have gone out" in listing
    response = client.post(
        "/admin/events/delivery/?dead_letters=yes", {"action": "retry", "_selected_action": [email.pk]}, follow=True
    )
    assert "1 delivery(ies) queued again." in response.content.decode()
    email.refresh_from_db()
    assert email.status == DeliveryStatus.PENDING


def test_investors_cannot_open_the_event_admin(client, investor) -> None:
    client.force_login(investor)
    assert client.get("/admin/events/delivery/").status_code == 302
