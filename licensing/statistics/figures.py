"""What the processing statistics are made of: the outcome rows, the backlog points, and the
definitions both ways of counting them share (`licensing.statistics.selectors` counts in Python,
`licensing.statistics.in_database` in PostgreSQL)."""

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.utils import timezone
from django.utils.translation import pgettext_lazy

from licensing.models import OPEN_STATES, ApplicationState

S = ApplicationState


DEFAULT_WEEKS = 26


MAX_WEEKS = 104


# The open stages in the order an application meets them: the backlog's series.
STAGES = [s for s in ApplicationState if s in OPEN_STATES]


OUTCOMES = ["granted", "refused", "withdrawn", "lapsed", "pending"]


OUTCOME_LABELS = {
    "granted": S.GRANTED.label,
    "refused": S.REFUSED.label,
    "withdrawn": S.WITHDRAWN.label,
    "lapsed": S.LAPSED.label,
    "pending": pgettext_lazy("application outcome", "Pending"),
}


# Numbers ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class OutcomeRow:
    """What became of the applications of one licence type or one country (or of all)."""

    key: str  # the licence type's code, the country's ISO code, or "" for all applications
    label: str = ""
    lodged: int = 0
    granted: int = 0
    refused: int = 0
    withdrawn: int = 0
    lapsed: int = 0
    pending: int = 0
    within_target: int = 0  # decisions with no stage past its published service time
    median_days: float | None = None  # working days from receipt to decision
    p90_days: int | None = None

    @property
    def decided(self) -> int:
        return self.granted + self.refused

    @property
    def within_target_share(self) -> float | None:
        return self.within_target / self.decided if self.decided else None

    @property
    def within_target_percent(self) -> float | None:
        share = self.within_target_share
        return None if share is None else share * 100

    def outcome(self, name: str) -> int:
        return int(getattr(self, name))


@dataclass(frozen=True)
class BacklogPoint:
    """How many applications were open in each stage at the end of one day."""

    as_at: date
    by_state: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_state.values())

    def counts(self) -> list[int]:
        return [self.by_state.get(stage, 0) for stage in STAGES]


@dataclass(frozen=True)
class ProcessingStatistics:
    since: date | None
    until: date
    weeks: int
    total: OutcomeRow
    by_licence_type: list[OutcomeRow] = field(default_factory=list)
    by_country: list[OutcomeRow] = field(default_factory=list)
    backlog: list[BacklogPoint] = field(default_factory=list)
    # The cache key it was kept under ("" when counted afresh uncached): the page caches what it
    # renders from these numbers under the same key.
    revision: str = ""


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The smallest value that at least `percent` % of the values are less than or equal to."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * percent / 100), 1) - 1]


def start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


def backlog_moments(until: date, weeks: int) -> tuple[list[date], list[datetime]]:
    """The days of the backlog, and the moment each ends (the start of the next day)."""
    days = [until - timedelta(weeks=n) for n in reversed(range(weeks))]
    return days, [start_of(day + timedelta(days=1)) for day in days]
