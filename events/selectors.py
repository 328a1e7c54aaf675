"""Reads on notifications for the signed-in user."""

from django.db.models import QuerySet

from accounts.models import User
from events import routing
from events.models import Channel, Notification, NotificationPreference


def notification_list_for(*, user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user).order_by("-id")


def notification_unread_count(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).count()


def notification_settings_for(*, user: User) -> list[dict[str, object]]:
    """Every kind of notification with whether each channel is on for this user."""
    chosen = {(p.kind, p.channel): p.enabled for p in NotificationPreference.objects.filter(user=user)}
    channels = [Channel.IN_APP, Channel.EMAIL]
    return [
        {
            "kind": kind,
            "label": routing.label(kind),
            "channels": [(c, chosen.get((kind, c.value), True)) for c in channels],
        }
        for kind in routing.kinds()
    ]
