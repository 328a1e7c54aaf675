"""Processing statistics: outcomes and working days from lodgement to decision, by licence type
and by investor country, and the backlog by stage over time, rebuilt from the event log.

`processing_statistics` and `headline_figures` are the selectors: each runs a fixed number of
queries whatever the number of applications. The public page (server-rendered SVG charts with
the same numbers in tables) and the API endpoint show what `processing_statistics` returns.

Definitions, as the page and the API state them:
- working days are Kazakh working days (`licensing.calendar`) after the day an application was
  deemed received, up to and including the day it was decided;
- the median is the middle value (the mean of the two middle ones for an even count); the 90th
  percentile is the nearest rank: the smallest value that at least 90 % of the decisions reach;
- a decision is within the target time when no stage of the application ran past its published
  service time (`Application.late_stages` is 0 when it was decided)."""

import math
import statistics
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta

from django.core.cache import cache
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django_countries import countries

from events.models import Event
from licensing.calendar import calendar_span
from licensing.models import OPEN_STATES, Application, ApplicationState, LicenceType

S = ApplicationState


CACHE_SECONDS = 60


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


def median(values: Sequence[int]) -> float | None:
    return float(statistics.median(values)) if values else None


def nearest_rank(values: Sequence[int], percent: int) -> int | None:
    """The smallest value that at least `percent` % of the values are less than or equal to."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(math.ceil(len(ordered) * percent / 100), 1) - 1]


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=timezone.get_default_timezone())


@dataclass
class _Tally:
    outcomes: Counter[str] = field(default_factory=Counter)
    days: list[int] = field(default_factory=list)
    within_target: int = 0

    def row(self, key: str) -> OutcomeRow:
        return OutcomeRow(
            key=key,
            lodged=sum(self.outcomes.values()),
            within_target=self.within_target,
            median_days=median(self.days),
            p90_days=nearest_rank(self.days, 90),
            **{name: self.outcomes[name] for name in OUTCOMES},
        )


def _outcome(state: str) -> str:
    return state if state in OUTCOMES else "pending"


def _working_day_numbers(start: date, end: date) -> dict[date, int]:
    """Each day of the span with the number of working days from `start` to it: the working
    days between two days are the difference of their numbers. One calendar, one query."""
    calendar = calendar_span(start, end)
    numbers, count, day = {}, 0, start
    while day <= end:
        count += calendar.is_working_day(day)
        numbers[day] = count
        day += timedelta(days=1)
    return numbers


def _outcome_rows(since: date | None, until: date) -> tuple[OutcomeRow, dict[str, OutcomeRow], dict[str, OutcomeRow]]:
    """Applications received in the window, tallied in total, by licence type and by country:
    one query for the applications and one for the calendar."""
    received = Q(received_at__lt=_start_of(until + timedelta(days=1)), received_at__isnull=False)
    if since is not None:
        received &= Q(received_at__gte=_start_of(since))
    rows = list(
        Application.objects.filter(received)
        .exclude(state=S.DRAFT)
        .values_list("licence_type__code", "organisation__country", "state", "received_at", "decided_at", "late_stages")
    )
    decided = [
        (timezone.localdate(got), timezone.localdate(done))
        for _type, _country, state, got, done, _late in rows
        if state in (S.GRANTED, S.REFUSED) and done is not None
    ]
    today = timezone.localdate()
    first = min((got for got, _done in decided), default=today)
    numbers = _working_day_numbers(first, max((done for _got, done in decided), default=first))
    total, by_type, by_country = _Tally(), defaultdict(_Tally), defaultdict(_Tally)
    for code, country, state, got, done, late in rows:
        tallies = (total, by_type[code], by_country[str(country or "")])
        for tally in tallies:
            tally.outcomes[_outcome(state)] += 1
        if state in (S.GRANTED, S.REFUSED) and done is not None:
            days = numbers[timezone.localdate(done)] - numbers[timezone.localdate(got)]
            for tally in tallies:
                tally.days.append(days)
                tally.within_target += late == 0
    return (
        total.row(""),
        {code: tally.row(code) for code, tally in by_type.items()},
        {country: tally.row(country) for country, tally in by_country.items()},
    )


def backlog(*, until: date, weeks: int = DEFAULT_WEEKS) -> list[BacklogPoint]:
    """The open applications in each stage at the end of `until` and of each of the `weeks` - 1
    weeks before it, rebuilt from the state changes in the event log: one query."""
    days = [until - timedelta(weeks=n) for n in reversed(range(weeks))]
    moments = [_start_of(day + timedelta(days=1)) for day in days]
    # Only applications that may have been open at one of the moments: lodged before the last
    # one and still open, or changed (so closed, if closed) after the first.
    candidates = (
        Application.objects.filter(lodged_at__lt=moments[-1])
        .filter(Q(state__in=OPEN_STATES) | Q(updated_at__gte=moments[0]))
        .annotate(subject=Cast("pk", CharField()))
        .values("subject")
    )
    changes = (
        Event.objects.filter(
            subject_type__app_label="licensing",
            subject_type__model="application",
            subject_id__in=candidates,
            type__startswith="application.",
            occurred_at__lt=moments[-1],
        )
        .filter(Q(type="application.lodged") | Q(payload__has_key="state"))
        .order_by("occurred_at", "id")
        .values_list("subject_id", "occurred_at", "type", "payload__state")
    )
    state_of: dict[str, str] = {}
    open_now: Counter[str] = Counter()
    points: list[BacklogPoint] = []

    def snapshot(day: date) -> None:
        points.append(BacklogPoint(as_at=day, by_state={s.value: open_now[s] for s in STAGES}))

    pending = iter(zip(days, moments, strict=True))
    day, moment = next(pending)
    for subject, occurred_at, kind, state in changes:
        while occurred_at >= moment:
            snapshot(day)
            day, moment = next(pending)
        state = S.LODGED if kind == "application.lodged" else state
        previous = state_of.get(subject)
        if previous in OPEN_STATES:
            open_now[previous] -= 1
        if state in OPEN_STATES:
            open_now[state] += 1
        state_of[subject] = state
    snapshot(day)
    for day, _moment in pending:
        snapshot(day)
    return points


def _numbers(since: date | None, until: date, weeks: int) -> ProcessingStatistics:
    total, by_type, by_country = _outcome_rows(since, until)
    return ProcessingStatistics(
        since=since,
        until=until,
        weeks=weeks,
        total=total,
        by_licence_type=list(by_type.values()),
        by_country=list(by_country.values()),
        backlog=backlog(until=until, weeks=weeks),
    )


def processing_statistics(
    *, since: date | None = None, until: date | None = None, weeks: int = DEFAULT_WEEKS, cached: bool = True
) -> ProcessingStatistics:
    """Outcomes and working days of the applications received from `since` (or the start) to
    `until` (or today), by licence type (every type, in its published order) and by investor
    country (most applications first), and the backlog by stage for `weeks` weeks up to `until`.

    The numbers are cached for a minute (they do not depend on the language); the labels are
    added for the current language on every call. Four queries, whatever the number of
    applications: applications, calendar, events, licence types (and none but the licence
    types when cached)."""
    until = until or timezone.localdate()
    key = f"licensing:statistics:{since}:{until}:{weeks}"
    numbers = cache.get(key) if cached else None
    if numbers is None:
        numbers = _numbers(since, until, weeks)
        cache.set(key, numbers, CACHE_SECONDS)
    by_code = {row.key: row for row in numbers.by_licence_type}
    by_type = [
        replace(by_code.get(t.code, OutcomeRow(key=t.code)), label=t.name)
        for t in LicenceType.objects.order_by("sort_order", "code")
    ]
    by_country = sorted(
        (replace(row, label=countries.name(row.key) or _("Not stated")) for row in numbers.by_country),
        key=lambda row: (-row.lodged, row.label),
    )
    return replace(
        numbers,
        total=replace(numbers.total, label=_("All applications")),
        by_licence_type=by_type,
        by_country=by_country,
    )


@dataclass(frozen=True)
class Headline:
    """The home page's figures: applications in progress now, and the last 12 months."""

    in_progress: int
    lodged: int
    granted: int
    decided: int
    within_target: int

    @property
    def within_target_percent(self) -> float | None:
        return self.within_target * 100 / self.decided if self.decided else None


def headline_figures() -> Headline:
    """One query: applications open now; lodged, granted, decided, and decided with no stage
    past its target, in the last 365 days."""
    year_ago = timezone.now() - timedelta(days=365)
    decided = Q(state__in=[S.GRANTED, S.REFUSED], decided_at__gte=year_ago)
    figures = Application.objects.aggregate(
        in_progress=Count("pk", filter=Q(state__in=OPEN_STATES)),
        lodged=Count("pk", filter=Q(received_at__gte=year_ago)),
        granted=Count("pk", filter=Q(state=S.GRANTED, decided_at__gte=year_ago)),
        decided=Count("pk", filter=decided),
        within_target=Count("pk", filter=decided & Q(late_stages=0)),
    )
    return Headline(**figures)
