"""Celery tasks for the event log: thin, they call events.services."""

from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from events import services

# Database hiccups are retried with exponential backoff and jitter; acks_late (settings)
# puts a task back on the queue when its worker dies.
RETRY = {
    "autoretry_for": (DatabaseError,),
    "retry_backoff": 2,
    "retry_backoff_max": 600,
    "retry_jitter": True,
    "max_retries": 8,
}


@shared_task(**RETRY)
def dispatch_event(event_id: int) -> int:
    """Create the event's deliveries and queue each; returns how many were queued."""
    due = services.event_dispatch(event_id=event_id)
    for delivery_id in due:
        send_delivery.delay(delivery_id)
    return len(due)


@shared_task(**RETRY)
def send_delivery(delivery_id: int) -> str:
    return services.delivery_send(delivery_id=delivery_id).value


@shared_task
def sweep() -> dict[str, int]:
    """Dispatch events that were never dispatched, send deliveries that are due, and recover
    deliveries whose worker died while sending them."""
    stuck = services.delivery_recover_stuck(older_than=timedelta(seconds=settings.EVENTS_SENDING_STUCK_AFTER_SECONDS))
    events, due = services.sweep_targets(older_than=timedelta(seconds=settings.EVENTS_SWEEP_AFTER_SECONDS))
    deliveries = list(dict.fromkeys(stuck + due))
    for event_id in events:
        dispatch_event.delay(event_id)
    for delivery_id in deliveries:
        send_delivery.delay(delivery_id)
    return {"events": len(events), "deliveries": len(deliveries)}


@shared_task
def verify_chain() -> dict[str, int]:
    """Daily: verify the event chain; a broken chain alerts the administrators once per run."""
    report = services.event_chain_check()
    return {"checked": report.checked, "problems": len(report.problems)}
