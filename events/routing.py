"""Who is told about which kind of event.

Apps register, in their AppConfig.ready(), a function per event type that names the
users to notify; this lower layer never imports the apps above it. Webhook endpoints
choose their event types themselves.
"""

from collections.abc import Callable, Iterable

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role
from events import catalogue
from events.models import Event

Recipients = Callable[[Event], Iterable[User]]
_ROUTES: dict[str, list[Recipients]] = {}
_LABELS: dict[str, object] = {}


def register(event_type: str, recipients: Recipients, label: object = None) -> None:
    """Notify the users `recipients(event)` returns of every event of `event_type`;
    `label` (a lazy translation) names the kind on the notification settings page."""
    _ROUTES.setdefault(event_type, [])
    if label is not None:
        _LABELS[event_type] = label
    if recipients not in _ROUTES[event_type]:
        _ROUTES[event_type].append(recipients)


def kinds() -> list[str]:
    """The kinds of event users can be notified of (and so may turn on or off)."""
    return sorted(_ROUTES)


def label(event_type: str) -> object:
    """How the notification settings name the kind; a kind nobody is notified of is named by
    the catalogue."""
    return _LABELS.get(event_type) or catalogue.label(event_type)


def users_for(event: Event) -> list[User]:
    """The active users to notify of this event, each once."""
    seen: dict[int, User] = {}
    for recipients in _ROUTES.get(event.type, []):
        for user in recipients(event):
            if user is not None and user.is_active:
                seen.setdefault(user.pk, user)
    return list(seen.values())


def subject_owner(event: Event) -> list[User]:
    """The user who owns the event's subject: its `owner` when that is a person, else who
    uploaded it (a document owned by an organisation is reported to its uploader)."""
    if event.subject_type is None:
        return []
    subject = event.subject_type.get_object_for_this_type(pk=event.subject_id)
    for attribute in ("owner", "uploaded_by"):
        person = getattr(subject, attribute, None)
        if isinstance(person, User):
            return [person]
    return []


def administrators(event: Event) -> list[User]:
    """Superusers and holders of the admin role."""
    return list(User.objects.filter(Q(is_superuser=True) | Q(groups__name=Role.ADMIN.value), is_active=True).distinct())
