"""The append-only event log (a transactional outbox) and the delivery of its events.

`record_event` appends an event inside the caller's transaction and, once that commits,
asks Celery to dispatch it. Dispatching creates one `Delivery` per recipient and channel
(a unique key, so never two) and sends them. A periodic sweeper dispatches whatever was
never enqueued (the broker was down) or never finished (the worker died), and retries
failed deliveries with exponential backoff and jitter until they succeed or go dead.
"""

import hashlib
import json
import logging
import random
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import User
from events import routing
from events.models import (
    GENESIS_HASH,
    ChainHead,
    Channel,
    Delivery,
    DeliveryStatus,
    Event,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)

logger = logging.getLogger(__name__)

# Email and in-app give up after so many attempts; webhooks after WEBHOOK_RETRY_FOR_SECONDS.
MAX_ATTEMPTS = {Channel.EMAIL: 8, Channel.IN_APP: 8}


def _canonical_payload(payload: dict[str, Any]) -> dict[str, Any]:
    """The payload as it will read back from the JSON column."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder))


def event_hash(*, prev_hash: str, event: Event) -> str:
    """The hash that chains `event` to the one before it."""
    subject_type = f"{event.subject_type.app_label}.{event.subject_type.model}" if event.subject_type_id else ""
    content = {
        "type": event.type,
        "occurred_at": event.occurred_at.isoformat(),
        "actor": event.actor_id,
        "subject_type": subject_type,
        "subject_id": event.subject_id,
        "payload": event.payload,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def record_event(*, actor: User | None, type: str, subject: models.Model | None = None, **payload: Any) -> Event:
    """Append an event to the chain. Call it inside the transaction of the change it records:
    the event exists if and only if the change commits, and is dispatched after the commit."""
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    head = ChainHead.objects.select_for_update().get(pk=1)
    event = Event(
        type=type,
        occurred_at=timezone.now(),
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        payload=_canonical_payload(payload),
        prev_hash=head.last_hash,
    )
    event.hash = event_hash(prev_hash=head.last_hash, event=event)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    transaction.on_commit(lambda: _enqueue_dispatch(event.pk))
    return event


def _enqueue_dispatch(event_id: int) -> None:
    from events.tasks import dispatch_event

    _enqueue(dispatch_event, event_id)


def _enqueue(task: Any, object_id: int) -> None:
    """Publish a task from a web request: once, with no retries, and within the broker's
    connect and socket timeouts (settings.BROKER_FAIL_FAST_OPTIONS), so a broker outage never
    holds the request. What could not be enqueued, the sweeper finds."""
    try:
        task.apply_async(args=[object_id], retry=False)
    except Exception:
        logger.warning("Could not enqueue %s(%s); the sweeper will do it", task.name, object_id, exc_info=True)


def event_chain_verify() -> tuple[int, str | None]:
    """Walk the chain in order. Returns how many events check out and, if the chain is
    broken, a sentence saying where."""
    prev = GENESIS_HASH
    checked = 0
    for event in Event.objects.select_related("subject_type").order_by("id").iterator(chunk_size=2000):
        if event.prev_hash != prev:
            return checked, f"event {event.pk} does not follow the event before it (a row was removed or inserted)"
        if event_hash(prev_hash=prev, event=event) != event.hash:
            return checked, f"event {event.pk} was changed after it was recorded"
        prev = event.hash
        checked += 1
    head = ChainHead.objects.filter(pk=1).first()
    if head is not None and head.last_hash != prev:
        return checked, "the last events of the chain are missing"
    return checked, None


def _channel_enabled(user: User, kind: str, channel: Channel) -> bool:
    pref = NotificationPreference.objects.filter(user=user, kind=kind, channel=channel).first()
    return pref.enabled if pref is not None else True


@transaction.atomic
def event_dispatch(*, event_id: int) -> list[int]:
    """Create the deliveries of an event (idempotent) and mark it dispatched.
    Returns the ids of its deliveries that are due to be sent."""
    event = Event.objects.select_for_update().filter(pk=event_id).first()
    if event is None:  # a message that outlived its database (e.g. a reset development database)
        logger.warning("Event %s does not exist; nothing to dispatch", event_id)
        return []
    if event.dispatched_at is None:
        rows: list[Delivery] = []
        for user in routing.users_for(event):
            for channel in (Channel.IN_APP, Channel.EMAIL):
                if channel == Channel.EMAIL and not user.email:
                    continue
                if _channel_enabled(user, event.type, channel):
                    rows.append(Delivery(event=event, channel=channel, recipient=f"user:{user.pk}", user=user))
        for endpoint in WebhookEndpoint.objects.filter(is_active=True):
            if event.type in endpoint.event_types or "*" in endpoint.event_types:
                rows.append(
                    Delivery(
                        event=event, channel=Channel.WEBHOOK, recipient=f"endpoint:{endpoint.pk}", endpoint=endpoint
                    )
                )
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
        event.dispatched_at = timezone.now()
        event.save(update_fields=["dispatched_at"])
    return list(
        event.deliveries.filter(status__in=[DeliveryStatus.PENDING, DeliveryStatus.RETRYING]).values_list(
            "id", flat=True
        )
    )


def _backoff(attempts: int) -> timedelta:
    """Exponential backoff with full jitter, from settings (seconds)."""
    base = settings.EVENTS_RETRY_BASE_SECONDS
    cap = settings.EVENTS_RETRY_MAX_SECONDS
    return timedelta(seconds=random.uniform(base, min(cap, base * 2**attempts)))  # noqa: S311


def delivery_send(*, delivery_id: int) -> DeliveryStatus:
    """Send one delivery once. An email is claimed (status SENDING, committed) before it is
    handed to the mail server, so a worker that dies after sending never sends it again:
    email is at most once. In-app entries are exactly once (a unique row); webhooks are at
    least once, and receivers drop repeats by their `webhook-id`."""
    from events import channels

    with transaction.atomic():
        delivery = (
            Delivery.objects.select_for_update(of=("self",))
            .select_related("event", "user", "endpoint")
            .get(pk=delivery_id)
        )
        if delivery.status not in (DeliveryStatus.PENDING, DeliveryStatus.RETRYING):
            return DeliveryStatus(delivery.status)
        if delivery.next_attempt_at and delivery.next_attempt_at > timezone.now():
            return DeliveryStatus(delivery.status)
        delivery.attempts += 1
        if delivery.channel == Channel.IN_APP:
            channels.in_app_deliver(delivery)
            return _mark_sent(delivery)
        delivery.status, delivery.sending_since = DeliveryStatus.SENDING, timezone.now()
        delivery.save(update_fields=["status", "attempts", "sending_since"])

    try:
        if delivery.channel == Channel.EMAIL:
            channels.email_send(delivery)
        else:
            channels.webhook_send(delivery)
    except channels.DeliveryFailed as exc:
        return _mark_failed(delivery_id, str(exc))
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update().get(pk=delivery_id)
        return _mark_sent(delivery)


def _mark_sent(delivery: Delivery) -> DeliveryStatus:
    delivery.status, delivery.sent_at, delivery.next_attempt_at = DeliveryStatus.SENT, timezone.now(), None
    delivery.sending_since = None
    delivery.save(update_fields=["status", "sent_at", "next_attempt_at", "attempts", "sending_since"])
    if delivery.endpoint_id:
        WebhookEndpoint.objects.filter(pk=delivery.endpoint_id).update(failing_since=None)
    return DeliveryStatus.SENT


def _mark_failed(delivery_id: int, error: str) -> DeliveryStatus:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery_id)
        delivery.last_error = error[:2000]
        if delivery.channel == Channel.WEBHOOK:
            give_up = timezone.now() - delivery.created_at >= timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
        else:
            give_up = delivery.attempts >= MAX_ATTEMPTS[Channel(delivery.channel)]
        if give_up:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
        delivery.sending_since = None
        delivery.save(update_fields=["status", "next_attempt_at", "last_error", "sending_since"])
        if delivery.endpoint_id:
            _endpoint_failed(delivery.endpoint)
        return DeliveryStatus(delivery.status)


def _endpoint_failed(endpoint: WebhookEndpoint) -> None:
    """Mark the endpoint failing; after a day of failures, disable it and tell its owner."""
    now = timezone.now()
    endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
    if endpoint.failing_since is None:
        endpoint.failing_since = now
        endpoint.save(update_fields=["failing_since"])
    elif endpoint.is_active and now - endpoint.failing_since >= timedelta(
        seconds=settings.WEBHOOK_DISABLE_AFTER_SECONDS
    ):
        endpoint.is_active, endpoint.disabled_at = False, now
        endpoint.save(update_fields=["is_active", "disabled_at"])
        record_event(actor=None, type="webhook_endpoint.disabled", subject=endpoint, url=endpoint.url)


@transaction.atomic
def delivery_retry(*, actor: User | None, delivery: Delivery) -> Delivery:
    """Send a dead, unknown or sent delivery again (an official's decision, recorded)."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    delivery.status, delivery.next_attempt_at, delivery.attempts = DeliveryStatus.PENDING, None, 0
    delivery.sending_since = None
    delivery.save(update_fields=["status", "next_attempt_at", "attempts", "sending_since"])
    record_event(actor=actor, type="delivery.retried", subject=delivery, channel=delivery.channel)
    from events.tasks import send_delivery

    transaction.on_commit(lambda: _enqueue(send_delivery, delivery.pk))
    return delivery


# Whether the worker sent it before it stopped cannot be known.
STUCK_EMAIL_ERROR = "the worker stopped while sending; the email may or may not have gone out"
STUCK_WEBHOOK_ERROR = "the worker stopped while sending; sent again"


def delivery_recover_stuck(*, older_than: timedelta) -> list[int]:
    """Recover the deliveries whose worker died while sending them (SENDING for longer than
    `older_than`, which must exceed the longest a task may run). A webhook goes back to
    PENDING and its id is returned for sending again, with the same `webhook-id` (webhooks
    are at least once). An email becomes UNKNOWN and is never sent again by itself (email is
    at most once): officials see it among the dead letters and may send it again."""
    cutoff = timezone.now() - older_than
    stuck = Delivery.objects.filter(status=DeliveryStatus.SENDING).filter(
        Q(sending_since__lte=cutoff) | Q(sending_since__isnull=True, created_at__lte=cutoff)
    )
    with transaction.atomic():
        # A delivery whose row is locked is being finished right now: not stuck.
        emails = list(
            stuck.filter(channel=Channel.EMAIL).select_for_update(skip_locked=True).values_list("id", flat=True)
        )
        webhooks = list(
            stuck.filter(channel=Channel.WEBHOOK).select_for_update(skip_locked=True).values_list("id", flat=True)
        )
        Delivery.objects.filter(pk__in=emails).update(
            status=DeliveryStatus.UNKNOWN, sending_since=None, next_attempt_at=None, last_error=STUCK_EMAIL_ERROR
        )
        Delivery.objects.filter(pk__in=webhooks).update(
            status=DeliveryStatus.PENDING, sending_since=None, next_attempt_at=None, last_error=STUCK_WEBHOOK_ERROR
        )
    for delivery_id in emails:
        logger.error("Email delivery %s: %s", delivery_id, STUCK_EMAIL_ERROR)
    return webhooks


def sweep_targets(*, older_than: timedelta) -> tuple[list[int], list[int]]:
    """What the sweeper must do: events never dispatched, and deliveries due (pending for
    too long, or retrying and due). Deliveries stuck in SENDING are `delivery_recover_stuck`'s."""
    cutoff = timezone.now() - older_than
    events = list(
        Event.objects.filter(dispatched_at__isnull=True, occurred_at__lte=cutoff).values_list("id", flat=True)[:500]
    )
    due = Q(status=DeliveryStatus.PENDING, created_at__lte=cutoff) | Q(
        status=DeliveryStatus.RETRYING, next_attempt_at__lte=timezone.now()
    )
    deliveries = list(Delivery.objects.filter(due).values_list("id", flat=True)[:500])
    return events, deliveries


def notification_preference_set(*, actor: User, kind: str, channel: Channel, enabled: bool) -> None:
    """Turn one kind of event on one channel on or off for the actor."""
    if kind not in routing.kinds():
        raise ValueError(f"unknown kind of notification: {kind}")
    with transaction.atomic():
        try:
            with transaction.atomic():
                NotificationPreference.objects.update_or_create(
                    user=actor, kind=kind, channel=channel, defaults={"enabled": enabled}
                )
        except IntegrityError:  # a concurrent first save of the same preference: the last one wins
            NotificationPreference.objects.filter(user=actor, kind=kind, channel=channel).update(enabled=enabled)
        record_event(actor=actor, type="notification_preference.changed", kind=kind, channel=channel, enabled=enabled)


def webhook_endpoint_save(
    *, actor: User | None, endpoint: WebhookEndpoint, changed_fields: list[str]
) -> WebhookEndpoint:
    """Register or change a partner's endpoint. Enabling it again clears its failure state."""
    from events.channels import webhook_url_problem

    problem = webhook_url_problem(endpoint.url)
    if problem:
        raise ValidationError({"url": problem})
    created = endpoint.pk is None
    with transaction.atomic():
        if endpoint.is_active and "is_active" in changed_fields:
            endpoint.failing_since = endpoint.disabled_at = None
        endpoint.save()
        record_event(
            actor=actor,
            type="webhook_endpoint.created" if created else "webhook_endpoint.changed",
            subject=endpoint,
            url=endpoint.url,
            fields=sorted(changed_fields),
        )
    return endpoint


@transaction.atomic
def notification_mark_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given); returns how many
    changed. Ids of other people's notifications are ignored."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    count = unread.update(read_at=timezone.now())
    if count:
        record_event(actor=actor, type="notification.read", count=count)
    return count
