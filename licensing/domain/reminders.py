"""When an obligation's reminders go out: 90, 60, 30 and 7 days before it is due, and on the day
it becomes late (the day after the due date). Pure: the service asks, for each unsettled
obligation, which step is due today, given the steps already sent.

Catch-up: the beat may be down for days. Only the latest step whose day has come is sent, and
only if it was not sent already: a holder back from an outage gets one reminder that says where
things stand now, never a burst of stale 90- and 60-day notices. The same rule gives an
obligation created inside a window (a licence granted 20 days before its first fee) only the
current step. A met or waived obligation is never reminded, least of all as late.
"""

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date, timedelta

# The values of licensing.models.ReminderStep (the domain imports no models).
D90, D60, D30, D7, LATE = "d90", "d60", "d30", "d7", "late"


@dataclass(frozen=True)
class Step:
    name: str
    # Days from the due date to the step's day: negative before it, 1 the day after (late).
    offset: int

    def day(self, due_on: date) -> date:
        return due_on + timedelta(days=self.offset)


# In the order they fall.
STEPS = (Step(D90, -90), Step(D60, -60), Step(D30, -30), Step(D7, -7), Step(LATE, 1))
# The earliest day a step can fall on, counted back from today: obligations due further away
# than this have nothing due, so the service need not look at them.
LOOKAHEAD_DAYS = -STEPS[0].offset


def step_due(*, due_on: date, today: date, settled: bool, sent: Collection[str] = ()) -> str | None:
    """The step to send today for an obligation due on `due_on`, or None. `settled`: it is met
    or waived; `sent`: the steps already sent for it."""
    if settled:
        return None
    reached = [step for step in STEPS if step.day(due_on) <= today]
    if not reached:
        return None
    latest = reached[-1].name
    return None if latest in sent else latest


def is_late(step: str) -> bool:
    return step == LATE
