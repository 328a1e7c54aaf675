"""A varied processing history, generated rather than lived through the services: applications
lodged at any hour of any day (nights, weekends, public holidays), received as the office deems
them, moving through the stages at any hour and ending in every outcome, or still open.

The statistics tests write it with the ORM and compare the database's aggregation with the Python
one; bench/processing_statistics.py writes 30,000 of them with COPY. Pure: no database here."""

import random
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from licensing.domain.workdays import WorkingCalendar
from licensing.models import ApplicationState

S = ApplicationState


@dataclass
class Path:
    lodged_at: datetime
    received_at: datetime
    state: str = S.LODGED
    decided_at: datetime | None = None
    late_stages: int = 0
    # (event type, when, payload), in order; the payload's "state" is the state entered.
    changes: list[tuple[str, datetime, dict[str, object]]] = field(default_factory=list)

    @property
    def updated_at(self) -> datetime:
        return self.changes[-1][1]


def deemed_receipt(moment: datetime, calendar: WorkingCalendar) -> datetime:
    """As licensing.calendar.received_at, on a calendar read once for the whole history."""
    here = timezone.localtime(moment)
    opens, closes = time(settings.LICENSING_OFFICE_OPENS), time(settings.LICENSING_OFFICE_CLOSES)
    if calendar.is_working_day(here.date()) and opens <= here.time() < closes:
        return moment
    day = here.date() if here.time() < opens else here.date() + timedelta(days=1)
    return datetime.combine(calendar.next_working_day(day), opens, tzinfo=timezone.get_default_timezone())


def paths(*, count: int, start: datetime, end: datetime, calendar: WorkingCalendar, seed: int = 15) -> list[Path]:
    """`count` applications lodged between `start` and `end`; none changes after `end`."""
    rng = random.Random(seed)
    span = (end - start).total_seconds()
    found = []
    for n in range(count):
        lodged = start + timedelta(seconds=rng.uniform(0, span))
        path = Path(lodged_at=lodged, received_at=deemed_receipt(lodged, calendar))
        path.changes.append(("application.lodged", lodged, {"priority_number": n + 1}))
        _walk(path, rng, end)
        found.append(path)
    return found


def _walk(path: Path, rng: random.Random, end: datetime) -> None:
    moment = path.lodged_at

    def step(kind: str, state: str, *, most_days: float = 20) -> bool:
        """Move to `state` some time later, unless that is after `end`; noise events between."""
        nonlocal moment
        moment += timedelta(days=rng.uniform(0.05, most_days))
        if moment >= end:
            return False
        if rng.random() < 0.1:  # an internal note: no state, left out of the backlog
            path.changes.append(("application.note_added", moment - timedelta(hours=1), {}))
        path.changes.append((kind, moment, {"state": state}))
        path.state = state
        return True

    def close(kind: str, state: str) -> None:
        if step(kind, state) and state in (S.GRANTED, S.REFUSED):
            path.decided_at = moment

    path.late_stages = rng.choice([0, 0, 0, 1, 2])
    if rng.random() < 0.06:
        return close("application.withdrawn", S.WITHDRAWN)
    if not step("application.accepted", S.UNDER_REVIEW):
        return None
    if rng.random() < 0.25:
        if not step("application.information_requested", S.INFO_REQUESTED):
            return None
        if rng.random() < 0.2:
            return close("application.lapsed", S.LAPSED)
        if not step("application.answered", S.UNDER_REVIEW):
            return None
    if rng.random() < 0.04:
        return close("application.withdrawn", S.WITHDRAWN)
    if not step("application.notice_published", S.OBJECTION_PERIOD, most_days=5):
        return None
    if not step("application.objections_closed", S.ASSESSMENT, most_days=35):
        return None
    if rng.random() < 0.2:
        if not step("application.referred_to_screening", S.SCREENING):
            return None
        if not step("application.screening_recorded", S.ASSESSMENT):
            return None
    if not step("application.recommended", S.RECOMMENDED):
        return None
    if rng.random() < 0.75:
        return close("application.granted", S.GRANTED)
    return close("application.refused", S.REFUSED)
