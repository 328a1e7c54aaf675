"""The daily run of obligation reminders (beat: licensing.tasks.send_obligation_reminders).

Which step is due is the domain's rule (licensing.domain.reminders); this module finds the
obligations that may have one, writes the `ObligationReminder` and records its one event in the
same transaction. The event reaches the holder's owners, managers and notice contacts through
routing (licensing.recipients.licence_notice_recipients), each by the channels they chose, and
the partners subscribed to it.
"""

from collections.abc import Iterator
from datetime import date, timedelta

from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.utils import timezone

from events.services import record_event
from licensing.domain import reminders as rule
from licensing.models import LicenceObligation, LicenceStatus, ObligationReminder, ReminderStep

# Obligations read per query: the run's memory stays the same however many licences there are.
CHUNK = 500


def _candidates(today: date) -> QuerySet[LicenceObligation]:
    """Unsettled obligations of active licences that may have a step due today: due within the
    first step's reach, and not already reminded as late (after that nothing is left to send,
    so obligations long overdue are not read again every day)."""
    late_sent = ObligationReminder.objects.filter(obligation=OuterRef("pk"), step=ReminderStep.LATE)
    return (
        LicenceObligation.objects.filter(
            due_on__lte=today + timedelta(days=rule.LOOKAHEAD_DAYS),
            met_at__isnull=True,
            waived_at__isnull=True,
            licence__status=LicenceStatus.ACTIVE,
        )
        .exclude(Exists(late_sent))
        .select_related("licence")
        .prefetch_related(Prefetch("reminders", queryset=ObligationReminder.objects.only("obligation_id", "step")))
        .order_by("due_on", "pk")
    )


def _chunks(today: date) -> Iterator[list[LicenceObligation]]:
    """The candidates in chunks walked by (due date, id) along `obligation_due_idx`: each chunk
    one query and its prefetch, whatever the size of the register."""
    after: tuple[date, int] | None = None
    while True:
        queryset = _candidates(today)
        if after is not None:
            due_on, pk = after
            queryset = queryset.filter(due_on__gte=due_on).exclude(due_on=due_on, pk__lte=pk)
        chunk = list(queryset[:CHUNK])
        if not chunk:
            return
        yield chunk
        after = (chunk[-1].due_on, chunk[-1].pk)


def _payload(obligation: LicenceObligation, step: str) -> dict[str, object]:
    return {
        "licence": obligation.licence.number,
        "kind": obligation.kind,
        "licence_year": obligation.licence_year,
        "due_on": obligation.due_on,
        "step": step,
        # For the holder's message only (not partner fields, see licensing/events.py).
        "amount_kzt": obligation.amount_kzt,
        "amount_mci": obligation.amount_mci,
    }


def _send(obligation: LicenceObligation, step: str) -> bool:
    """Write the reminder and its event in one transaction; False when another run wrote it
    first (the unique key decides, inside a savepoint so the run goes on)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                ObligationReminder.objects.create(obligation=obligation, step=step, sent_at=timezone.now())
        except IntegrityError:
            return False
        event_type = "obligation.late" if rule.is_late(step) else "obligation.reminder_due"
        record_event(actor=None, type=event_type, subject=obligation, **_payload(obligation, step))
    return True


def obligation_reminders_send(*, today: date) -> list[int]:
    """Send today's reminders: for every unmet, unwaived obligation of an active licence whose
    step is due (the domain's rule, catch-up included), one `ObligationReminder` and one event
    (`obligation.reminder_due`, or `obligation.late` the day after the due date). Safe to run
    twice or at once on several workers: each (obligation, step) is sent once. Returns the ids
    of the obligations reminded by this run."""
    reminded = []
    for chunk in _chunks(today):
        for obligation in chunk:
            sent = {reminder.step for reminder in obligation.reminders.all()}
            step = rule.step_due(due_on=obligation.due_on, today=today, settled=False, sent=sent)
            if step is not None and _send(obligation, step):
                reminded.append(obligation.pk)
    return reminded
