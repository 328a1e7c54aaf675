from django.http import HttpRequest

from events.selectors import notification_unread_count


def notifications(request: HttpRequest) -> dict[str, int]:
    """The unread count for the header bell (one query, signed-in users only)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"notifications_unread": notification_unread_count(user=user)}
