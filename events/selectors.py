"""Reads on notifications for the signed-in user, on partners' webhook endpoints and their
deliveries, and the partner event feed."""

from datetime import datetime

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from accounts.models import User
from events import catalogue, routing
from events.models import (
    Channel,
    Delivery,
    Event,
    Notification,
    NotificationPreference,
    WebhookAttempt,
    WebhookEndpoint,
)


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


# Partners' webhook endpoints and the partner event feed --------------------------------------

# The attempts shown with each delivery: the latest ones (a delivery retried for a day has dozens).
ATTEMPTS_SHOWN = 10


def webhook_endpoints_of(*, owner: User) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(owner=owner).order_by("id")


def webhook_endpoint_for(*, owner: User, pk: int | str) -> WebhookEndpoint:
    """The owner's endpoint; 404 for anyone else's, as for one that does not exist."""
    return get_object_or_404(webhook_endpoints_of(owner=owner), pk=pk)


def webhook_deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet[Delivery]:
    """The endpoint's deliveries, newest first, each with its event and its latest attempts
    (`recent_attempts`, newest first): a constant number of queries per page."""
    attempts = WebhookAttempt.objects.order_by("-id")[:ATTEMPTS_SHOWN]
    return (
        Delivery.objects.filter(endpoint=endpoint, channel=Channel.WEBHOOK)
        .select_related("event")
        .prefetch_related(Prefetch("attempts_log", queryset=attempts, to_attr="recent_attempts"))
        .order_by("-id")
    )


def webhook_delivery_for(*, endpoint: WebhookEndpoint, pk: int | str) -> Delivery:
    """One delivery of the endpoint; 404 for another endpoint's."""
    return get_object_or_404(Delivery.objects.filter(endpoint=endpoint, channel=Channel.WEBHOOK), pk=pk)


def partner_events(
    *, types: list[str] | None = None, after: int | None = None, since: datetime | None = None
) -> QuerySet[Event]:
    """The events partners may read (public and partner types only, whatever `types` names),
    oldest first; `types` narrows them (partner-visible names), `after` starts after an event
    id, `since` at a moment."""
    visible = {t.name for t in catalogue.partner_visible()}
    wanted = visible if not types or catalogue.EVERYTHING in types else visible & set(types)
    events = Event.objects.filter(type__in=sorted(wanted)).select_related("subject_type")
    if after is not None:
        events = events.filter(pk__gt=after)
    if since is not None:
        events = events.filter(occurred_at__gte=since)
    return events.order_by("id")
