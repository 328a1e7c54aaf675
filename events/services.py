"""The append-only event log (a transactional outbox) and the delivery of its events.

`record_event` appends an event inside the caller's transaction and, once that commits,
asks Celery to dispatch it. Dispatching creates one `Delivery` per recipient and channel
(a unique key, so never two) and sends them. A periodic sweeper dispatches whatever was
never enqueued (the broker was down) or never finished (the worker died), and retries
failed deliveries with exponential backoff and jitter until they succeed or go dead.
"""

import base64
import hashlib
import json
import logging
import math
import random
import secrets
from collections import deque
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from datetime import timezone as fixed_offset
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import IntegrityError, models, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.errors import TransitionError
from accounts.models import User
from events import catalogue, reactions, routing
from events.models import (
    GENESIS_HASH,
    HASH_SCHEME,
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
    """The payload as it will read back from the JSON column: Decimals, dates and UUIDs become
    strings, tuples lists, keys strings. NaN and infinities are refused (no database keeps them)."""
    return json.loads(json.dumps(payload, cls=DjangoJSONEncoder, allow_nan=False))


def _as_stored(moment: datetime) -> datetime:
    """The moment as the database gives it back: aware, in UTC, to the microsecond."""
    if timezone.is_naive(moment):  # Django stores a naive value as the default time zone's
        moment = timezone.make_aware(moment)
    return moment.astimezone(UTC)


def _canonical_number(number: int | float) -> str:
    """One spelling per number, whichever way the database reads it back: PostgreSQL's jsonb
    keeps numbers as decimals and gives 1e16 back as the integer 10000000000000000 and -0.0 as
    0.0. Digits without trailing zeros and an exponent: 1.5 is 15e-1, 1e16 and 10**16 are 1e16."""
    if isinstance(number, float):
        if not math.isfinite(number):
            raise ValueError("an event payload cannot hold NaN or infinity")
        value = Decimal(repr(number))  # the shortest spelling, the one written to the column
    else:
        value = Decimal(number)
    if value.is_zero():
        return "0"
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)
    kept = list(digits)
    while kept[-1] == 0:
        kept.pop()
        exponent += 1
    return f"{'-' if sign else ''}{''.join(map(str, kept))}e{exponent}"


def _canonical_json(value: Any) -> str:
    """Canonical JSON of a value as read back from a JSON column: keys sorted by code point, no
    spaces, ASCII only (escapes are the same on every database), numbers as _canonical_number."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return _canonical_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=True)
    if isinstance(value, list | tuple):
        return "[" + ",".join(_canonical_json(item) for item in value) + "]"
    if isinstance(value, dict):
        if not all(isinstance(key, str) for key in value):
            raise TypeError("canonical JSON needs string keys (a payload after its round trip has them)")
        members = (f"{json.dumps(key, ensure_ascii=True)}:{_canonical_json(value[key])}" for key in sorted(value))
        return "{" + ",".join(members) + "}"
    raise TypeError(f"{type(value).__name__} is not a JSON value")


def _legacy_hash(*, prev_hash: str, event: Event, occurred_at: datetime) -> str:
    """Scheme 1, kept to check chains recorded before scheme 2: `occurred_at` was hashed in the
    zone it was recorded in, which the database does not keep."""
    content = {
        "type": event.type,
        "occurred_at": occurred_at.isoformat(),
        "actor": event.actor_id,
        "subject_type": event.subject_label,
        "subject_id": event.subject_id,
        "payload": event.payload,
    }
    canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256((prev_hash + canonical).encode()).hexdigest()


def event_hash(*, prev_hash: str, event: Event) -> str:
    """The hash that chains `event` to the one before it, under the event's hash scheme. Under
    scheme 2 it depends only on what the database gives back: `occurred_at` in UTC to the
    microsecond, the payload in canonical JSON, and the scheme itself."""
    if event.hash_scheme == 1:
        return _legacy_hash(prev_hash=prev_hash, event=event, occurred_at=event.occurred_at)
    if event.hash_scheme != HASH_SCHEME:
        raise ValueError(f"unknown hash scheme {event.hash_scheme}")
    content = {
        "scheme": event.hash_scheme,
        "type": event.type,
        "occurred_at": _as_stored(event.occurred_at).replace(tzinfo=None).isoformat(timespec="microseconds") + "Z",
        "actor": event.actor_id,
        "subject_type": event.subject_label,
        "subject_id": event.subject_id,
        "payload": event.payload,
    }
    return hashlib.sha256((prev_hash + _canonical_json(content)).encode("ascii")).hexdigest()


def record_event(*, actor: User | None, type: str, subject: models.Model | None = None, **payload: Any) -> Event:
    """Append an event to the chain. Call it inside the transaction of the change it records:
    the event exists if and only if the change commits, and is dispatched after the commit.
    Raises catalogue.UndeclaredEventType for a type the catalogue does not declare."""
    catalogue.get(type)
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("record_event must run inside the transaction of the change it records")
    head = ChainHead.objects.select_for_update().get(pk=1)
    event = Event(
        type=type,
        occurred_at=_as_stored(timezone.now()),
        actor=actor if actor is not None and actor.is_authenticated else None,
        subject_type=ContentType.objects.get_for_model(subject) if subject is not None else None,
        subject_id=str(subject.pk) if subject is not None else "",
        payload=_canonical_payload(payload),
        prev_hash=head.last_hash,
        hash_scheme=HASH_SCHEME,
    )
    event.hash = event_hash(prev_hash=head.last_hash, event=event)
    event.save()
    head.last_hash = event.hash
    head.save(update_fields=["last_hash"])
    transaction.on_commit(lambda: _enqueue_dispatch(event.pk))
    if due := reactions.reactions_to(type):
        transaction.on_commit(lambda: reactions.react(event, due))
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


# Scheme 1 hashed `occurred_at` in the zone it was recorded in (the demo's history: Astana).
# The instant is kept, its zone is not, so a scheme-1 row is checked at every UTC offset in use
# (quarter hours from -12:00 to +14:00): the same instant, never a different one.
_LEGACY_OFFSETS = [fixed_offset(timedelta(minutes=m)) for m in dict.fromkeys([0, 300, *range(-720, 841, 15)])]
# How far back a link may point and still be recognised as skipping inserted rows.
_INSERTION_WINDOW = 1000


@dataclass(frozen=True)
class ChainProblem:
    """One thing wrong with one row of the chain (`event_id` None: the chain head itself)."""

    event_id: int | None
    kind: str  # changed, relinked, removed_before, inserted, missing_tail, old_scheme, no_head
    detail: dict[str, Any] = field(default_factory=dict)

    @property
    def message(self) -> str:
        messages = {
            "changed": _("event %(event)s was changed after it was recorded"),
            "relinked": _("event %(event)s: its link to the event before it (prev_hash) was changed"),
            "removed_before": _(
                "event %(event)s does not follow the event before it (%(previous)s): events between them were removed"
            ),
            "inserted": _("event %(event)s was inserted: the chain skips over it"),
            "missing_tail": _(
                "event %(event)s is the last one, but the chain head names a later event: the last events were removed"
            ),
            "old_scheme": _(
                "event %(event)s and %(more)s after it are sealed under the old hash scheme %(scheme)s: "
                "run manage.py event_chain_reseal once"
            ),
            "no_head": _("the chain head is missing"),
        }
        return messages[self.kind] % {"event": self.event_id, "previous": "-", "more": 0, **self.detail}

    def as_data(self) -> dict[str, Any]:
        return {"event": self.event_id, "kind": self.kind, **self.detail}


@dataclass
class ChainReport:
    checked: int
    problems: list[ChainProblem]

    @property
    def ok(self) -> bool:
        return not self.problems


def _seals(*, prev_hash: str, event: Event) -> tuple[bool, set[str]]:
    """Whether the event's stored hash is its hash on `prev_hash`, and the hashes it may have
    been recorded with (what the next event's prev_hash may name)."""
    if event.hash_scheme != 1:
        expected = event_hash(prev_hash=prev_hash, event=event)
        return expected == event.hash, {expected}
    candidates = set()
    for offset in _LEGACY_OFFSETS:
        expected = _legacy_hash(prev_hash=prev_hash, event=event, occurred_at=event.occurred_at.astimezone(offset))
        if expected == event.hash:
            return True, {expected}
        candidates.add(expected)
    return False, candidates


def event_chain_verify() -> ChainReport:
    """Walk the whole chain in order and report every row that is wrong: changed after it was
    recorded, relinked, preceded by removed rows, inserted, or sealed under an old scheme, and
    whether the last events are missing. Each tampered row is reported at that row; one row
    changed does not make the rows after it look changed."""
    problems: list[ChainProblem] = []
    # Each row seen: its id and the hashes the next row's prev_hash may name (stored, recomputed).
    recent: deque[tuple[int | None, set[str]]] = deque([(None, {GENESIS_HASH})], maxlen=_INSERTION_WINDOW)
    old_scheme: list[int] = []
    checked = 0
    rows = Event.objects.select_related("subject_type").order_by("id")
    for event in rows.iterator(chunk_size=2000):
        checked += 1
        previous_id, previous = recent[-1]
        sealed, recomputed = _seals(prev_hash=event.prev_hash, event=event)
        if event.prev_hash in previous:
            if not sealed:
                problems.append(ChainProblem(event.pk, "changed"))
        elif not sealed and any(_seals(prev_hash=p, event=event)[0] for p in previous):
            problems.append(ChainProblem(event.pk, "relinked"))
        else:
            skipped = _skipped_since(recent, event.prev_hash)
            if skipped:
                problems.extend(ChainProblem(pk, "inserted") for pk in skipped)
            else:
                problems.append(ChainProblem(event.pk, "removed_before", {"previous": previous_id or "-"}))
            if not sealed:
                problems.append(ChainProblem(event.pk, "changed"))
        recent.append((event.pk, {event.hash} | recomputed))
        if event.hash_scheme < HASH_SCHEME:
            old_scheme.append(event.pk)
    head = ChainHead.objects.filter(pk=1).first()
    last_id, last = recent[-1]
    if head is None:
        problems.append(ChainProblem(None, "no_head"))
    elif head.last_hash not in last:
        skipped = _skipped_since(recent, head.last_hash)
        if skipped:
            problems.extend(ChainProblem(pk, "inserted") for pk in skipped)
        else:
            problems.append(ChainProblem(last_id, "missing_tail"))
    if old_scheme:
        problems.append(ChainProblem(old_scheme[0], "old_scheme", {"more": len(old_scheme) - 1, "scheme": 1}))
    return ChainReport(checked=checked, problems=problems)


def _skipped_since(recent: deque[tuple[int | None, set[str]]], link: str) -> list[int]:
    """The rows after the one `link` names (when it is recent), which the chain skipped over."""
    for index in range(len(recent) - 2, -1, -1):
        if link in recent[index][1]:
            return [pk for pk, _hashes in list(recent)[index + 1 :] if pk is not None]
    return []


class ChainResealRefused(Exception):
    """The chain was not re-sealed; the message says why."""


@dataclass
class ChainReseal:
    events: int
    old_head: str
    accepted: list[ChainProblem]


def event_chain_reseal(*, actor: User | None, accept_broken: bool = False) -> ChainReseal:
    """Recompute every event's hash under the current scheme, once, under the chain lock, and
    record `event_chain.resealed` with the number of rows, the old head hash (which pins the old
    chain: anyone with a backup can check it) and the schemes. Refuses when nothing is sealed
    under an old scheme (re-sealing a current chain would only hide a break), and when the old
    chain does not verify, unless `accept_broken`: then the problems are recorded in the event."""
    with transaction.atomic():
        head = ChainHead.objects.select_for_update().get(pk=1)
        if not Event.objects.filter(hash_scheme__lt=HASH_SCHEME).exists():
            raise ChainResealRefused(
                _(
                    "Every event is already sealed under hash scheme %(scheme)s: there is nothing to re-seal. "
                    "Run manage.py verify_event_chain to check the chain."
                )
                % {"scheme": HASH_SCHEME}
            )
        problems = [p for p in event_chain_verify().problems if p.kind != "old_scheme"]
        if problems and not accept_broken:
            lines = "\n".join(f"  {p.message}" for p in problems[:50])
            raise ChainResealRefused(
                ngettext(
                    "The chain does not verify under its old scheme (%(count)s problem), so re-sealing it would "
                    "hide it:\n%(lines)s\nInvestigate first; to re-seal anyway and record the problem in the "
                    "re-seal event, run it again with --accept-broken.",
                    "The chain does not verify under its old scheme (%(count)s problems), so re-sealing it would "
                    "hide them:\n%(lines)s\nInvestigate first; to re-seal anyway and record these problems in the "
                    "re-seal event, run it again with --accept-broken.",
                    len(problems),
                )
                % {"count": len(problems), "lines": lines}
            )
        old_head, prev, count, last_id = head.last_hash, GENESIS_HASH, 0, 0
        while batch := list(Event.objects.select_related("subject_type").filter(pk__gt=last_id).order_by("id")[:1000]):
            for event in batch:
                event.hash_scheme, event.prev_hash = HASH_SCHEME, prev
                event.hash = prev = event_hash(prev_hash=prev, event=event)
            Event.objects.bulk_update(batch, ["hash_scheme", "prev_hash", "hash"])
            count, last_id = count + len(batch), batch[-1].pk
        head.last_hash = prev
        head.save(update_fields=["last_hash"])
        record_event(
            actor=actor,
            type="event_chain.resealed",
            events=count,
            old_head=old_head,
            from_scheme=1,
            to_scheme=HASH_SCHEME,
            accepted_problem_count=len(problems),
            accepted_problems=[p.as_data() for p in problems[:1000]],
        )
    return ChainReseal(events=count, old_head=old_head, accepted=problems)


def event_chain_check() -> ChainReport:
    """Verify the chain; when it is broken, record one `event_chain.broken` event, which
    reaches the administrators (in-app and email), and log the break."""
    report = event_chain_verify()
    if not report.ok:
        logger.error("The event chain is broken: %s", "; ".join(p.message for p in report.problems[:20]))
        with transaction.atomic():
            record_event(
                actor=None,
                type="event_chain.broken",
                checked=report.checked,
                problem_count=len(report.problems),
                problems=[p.as_data() for p in report.problems[:50]],
            )
    return report


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
            # Only partner-visible types, whatever the stored list names (it may predate the checks).
            if catalogue.subscribed(endpoint.event_types, event.type):
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
        return _mark_failed(delivery_id, str(exc), forbidden=isinstance(exc, channels.DeliveryForbidden))
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


def _mark_failed(delivery_id: int, error: str, *, forbidden: bool = False) -> DeliveryStatus:
    with transaction.atomic():
        delivery = Delivery.objects.select_for_update(of=("self",)).select_related("endpoint").get(pk=delivery_id)
        delivery.last_error = error[:2000]
        if delivery.channel == Channel.WEBHOOK:
            give_up = timezone.now() - delivery.created_at >= timedelta(seconds=settings.WEBHOOK_RETRY_FOR_SECONDS)
        else:
            give_up = delivery.attempts >= MAX_ATTEMPTS[Channel(delivery.channel)]
        if give_up or forbidden:
            delivery.status, delivery.next_attempt_at = DeliveryStatus.DEAD, None
        else:
            delivery.status = DeliveryStatus.RETRYING
            delivery.next_attempt_at = timezone.now() + _backoff(delivery.attempts)
        delivery.sending_since = None
        delivery.save(update_fields=["status", "next_attempt_at", "last_error", "sending_since"])
        if delivery.endpoint_id and not forbidden:  # the endpoint did nothing wrong
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


# A delivery on its way (queued, or in a worker's hands) is not sent again on request: it would
# go out twice at once.
NOT_RETRYABLE = (DeliveryStatus.PENDING, DeliveryStatus.SENDING)


@transaction.atomic
def delivery_retry(*, actor: User | None, delivery: Delivery) -> Delivery:
    """Send a dead, unknown, retrying or sent delivery again (an official's or the endpoint's
    owner's decision, recorded). Raises TransitionError for one still pending or sending."""
    delivery = Delivery.objects.select_for_update().get(pk=delivery.pk)
    if delivery.status in NOT_RETRYABLE:
        raise TransitionError(
            _("This delivery is %(status)s already: wait until it is sent or fails.")
            % {"status": DeliveryStatus(delivery.status).label.lower()}
        )
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
        # Wait for a row another transaction holds (a claim, a redelivered task looking at it:
        # each holds it for an instant); PostgreSQL checks the conditions again once it has the
        # lock, so a delivery finished meanwhile is left alone. Skipping locked rows instead would
        # leave a stuck email in SENDING whenever a redelivered task glanced at it during a sweep.
        emails = list(stuck.filter(channel=Channel.EMAIL).select_for_update().values_list("id", flat=True))
        webhooks = list(stuck.filter(channel=Channel.WEBHOOK).select_for_update().values_list("id", flat=True))
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


def notification_preference_set(*, actor: User, kind: str, channel: Channel, enabled: bool) -> bool:
    """Turn one kind of event on one channel on or off for the actor; see
    notification_preferences_save."""
    return notification_preferences_save(actor=actor, choices={(kind, channel): enabled})


def notification_preferences_save(*, actor: User, choices: dict[tuple[str, Channel], bool]) -> bool:
    """Save the actor's choices of channel per kind of event (kinds and channels not named are
    left as they are). Records one `notification_preferences.changed` event listing what
    changed, and none when nothing did; returns whether anything changed."""
    choices = {(kind, Channel(channel)): enabled for (kind, channel), enabled in choices.items()}
    kinds = set(routing.kinds())
    for kind, channel in choices:
        if kind not in kinds:
            raise ValueError(f"unknown kind of notification: {kind}")
        if channel not in (Channel.IN_APP, Channel.EMAIL):
            raise ValueError(f"notifications are not sent by {channel}")
    with transaction.atomic():
        rows = NotificationPreference.objects.select_for_update().filter(user=actor)
        current = {(row.kind, row.channel): row for row in rows}
        changes = []
        for (kind, channel), enabled in sorted(choices.items()):
            row = current.get((kind, channel.value))
            if (row.enabled if row is not None else True) == enabled:  # without a row, the channel is on
                continue
            changes.append({"kind": kind, "channel": channel.value, "enabled": enabled})
            if row is not None:
                row.enabled = enabled
                row.save(update_fields=["enabled"])
                continue
            try:
                with transaction.atomic():
                    NotificationPreference.objects.create(user=actor, kind=kind, channel=channel, enabled=enabled)
            except IntegrityError:  # a concurrent first save of the same preference: the last one wins
                NotificationPreference.objects.filter(user=actor, kind=kind, channel=channel).update(enabled=enabled)
        if changes:
            record_event(actor=actor, type="notification_preferences.changed", subject=actor, changes=changes)
    return bool(changes)


def webhook_endpoint_save(
    *, actor: User | None, endpoint: WebhookEndpoint, changed_fields: list[str]
) -> WebhookEndpoint:
    """Register or change a partner's endpoint. Enabling it again clears its failure state."""
    from events.channels import webhook_url_problem

    problem = webhook_url_problem(endpoint.url)
    if problem:
        raise ValidationError({"url": problem})
    problems = catalogue.subscription_problems(endpoint.event_types)
    if problems:
        raise ValidationError({"event_types": problems})
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


def webhook_secret_new() -> str:
    """A new signing secret in the Standard Webhooks form: whsec_ and 24 random bytes in base64."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(24)).decode()


def webhook_endpoint_change(
    *, actor: User | None, endpoint: WebhookEndpoint, url: str | None = None, event_types: list[str] | None = None
) -> WebhookEndpoint:
    """Change the endpoint's URL or event types (None: leave it), checked as on registration;
    records `webhook_endpoint.changed` naming the fields that changed, and nothing when none did."""
    changed = []
    if url is not None and url != endpoint.url:
        endpoint.url, changed = url, [*changed, "url"]
    if event_types is not None and event_types != endpoint.event_types:
        endpoint.event_types, changed = event_types, [*changed, "event_types"]
    if not changed:
        return endpoint
    return webhook_endpoint_save(actor=actor, endpoint=endpoint, changed_fields=changed)


def webhook_endpoint_pause(*, actor: User | None, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Stop sending to the endpoint: events recorded while it is paused are not delivered to it,
    then or later (deliveries already made keep their course). TransitionError if inactive."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if not endpoint.is_active:
            raise TransitionError(_("This endpoint is not active: it is %(status)s.") % {"status": endpoint.status})
        endpoint.is_active = False
        endpoint.save(update_fields=["is_active"])
        record_event(actor=actor, type="webhook_endpoint.paused", subject=endpoint, url=endpoint.url)
    return endpoint


def webhook_endpoint_resume(*, actor: User | None, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Send to the endpoint again (paused, or disabled after failures: its failure state is
    cleared), from the next event on. TransitionError if it is active."""
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if endpoint.is_active:
            raise TransitionError(_("This endpoint is active already."))
        was = endpoint.status
        endpoint.is_active, endpoint.failing_since, endpoint.disabled_at = True, None, None
        endpoint.save(update_fields=["is_active", "failing_since", "disabled_at"])
        record_event(actor=actor, type="webhook_endpoint.resumed", subject=endpoint, url=endpoint.url, was=was)
    return endpoint


def webhook_endpoint_rotate_secret(
    *, actor: User | None, endpoint: WebhookEndpoint, grace: timedelta | None = None
) -> tuple[WebhookEndpoint, str]:
    """A new signing secret, returned once. For `grace` (settings.WEBHOOK_SECRET_GRACE_HOURS by
    default) every webhook carries a signature by the previous secret too, so the receiver may
    switch at any moment without losing an event; a secret older than that stops at once."""
    grace = grace if grace is not None else timedelta(hours=settings.WEBHOOK_SECRET_GRACE_HOURS)
    secret = webhook_secret_new()
    with transaction.atomic():
        endpoint = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        now = timezone.now()
        endpoint.previous_secret, endpoint.previous_secret_expires_at = endpoint.secret, now + grace
        endpoint.secret, endpoint.secret_rotated_at = secret, now
        endpoint.save(update_fields=["previous_secret", "previous_secret_expires_at", "secret", "secret_rotated_at"])
        record_event(
            actor=actor,
            type="webhook_endpoint.secret_rotated",
            subject=endpoint,
            previous_signs_until=endpoint.previous_secret_expires_at,
        )
    return endpoint, secret


@transaction.atomic
def notification_mark_read(*, actor: User, notification_ids: list[int] | None = None) -> int:
    """Mark the actor's notifications read (all of them when no ids are given); returns how many
    changed. Ids of other people's notifications are ignored. Reading is not a domain event:
    nothing is recorded in the event log (`read_at` on the row says when)."""
    unread = Notification.objects.filter(user=actor, read_at__isnull=True)
    if notification_ids is not None:
        unread = unread.filter(pk__in=notification_ids)
    return unread.update(read_at=timezone.now())
