"""Processing statistics: outcomes and working days from lodgement to decision, by licence type
and by investor country, and the backlog by stage over time, rebuilt from the event log.

`processing_statistics` and `headline_figures` are the selectors: each runs a fixed number of
queries whatever the number of applications. The public page (server-rendered SVG charts with
the same numbers in tables) and the API endpoint show what `processing_statistics` returns.

On PostgreSQL the database does the counting (`licensing.statistics.in_database`); elsewhere
(SQLite, for `make run`) Python does it over the rows, here (`_numbers_in_python`). The tests
hold the two to the same numbers. The answers are kept in the shared cache.

Definitions, as the page and the API state them:
- working days are Kazakh working days (`licensing.calendar`) after the day an application was
  deemed received, up to and including the day it was decided;
- the median is the middle value (the mean of the two middle ones for an even count); the 90th
  percentile is the nearest rank: the smallest value that at least 90 % of the decisions reach;
- a decision is within the target time when no stage of the application ran past its published
  service time (`Application.late_stages` is 0 when it was decided)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from django.core.cache import cache
from django.db import connection
from django.db.models import CharField, Count, Q
from django.db.models.functions import Cast
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_countries import countries

from events.models import Event
from licensing.calendar import calendar_span
from licensing.models import OPEN_STATES, Application, LicenceType
from licensing.statistics import in_database
from licensing.statistics.figures import (
    DEFAULT_WEEKS,
    MAX_WEEKS,
    OUTCOME_LABELS,
    OUTCOMES,
    STAGES,
    BacklogPoint,
    OutcomeRow,
    ProcessingStatistics,
    S,
    backlog_moments,
    median,
    nearest_rank,
    start_of,
)

__all__ = [  # the definitions, for the views, charts and tests that read them here
    "DEFAULT_WEEKS",
    "MAX_WEEKS",
    "OUTCOMES",
    "OUTCOME_LABELS",
    "STAGES",
    "BacklogPoint",
    "OutcomeRow",
    "ProcessingStatistics",
    "median",
    "nearest_rank",
]

# The answers are cached in the shared cache (Redis when REDIS_URL is set), keyed by the last
# event: any change of an application, the calendar or a licence type records one, so a change
# shows at once. The lifetime only lets the entries of past events go.
CACHE_SECONDS = 600


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


def _outcome_rows_in_python(
    since: date | None, until: date
) -> tuple[OutcomeRow, dict[str, OutcomeRow], dict[str, OutcomeRow]]:
    """Applications received in the window, tallied in total, by licence type and by country:
    one query for the applications and one for the calendar."""
    received = Q(received_at__lt=start_of(until + timedelta(days=1)), received_at__isnull=False)
    if since is not None:
        received &= Q(received_at__gte=start_of(since))
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


def _backlog_in_python(*, until: date, weeks: int = DEFAULT_WEEKS) -> list[BacklogPoint]:
    """The open applications in each stage at the end of `until` and of each of the `weeks` - 1
    weeks before it, rebuilt from the state changes in the event log: one query."""
    days, moments = backlog_moments(until, weeks)
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


def _numbers_in_python(since: date | None, until: date, weeks: int) -> ProcessingStatistics:
    """Three queries: applications, calendar, events."""
    total, by_type, by_country = _outcome_rows_in_python(since, until)
    return ProcessingStatistics(
        since=since,
        until=until,
        weeks=weeks,
        total=total,
        by_licence_type=sorted(by_type.values(), key=lambda row: row.key),
        by_country=sorted(by_country.values(), key=lambda row: row.key),
        backlog=_backlog_in_python(until=until, weeks=weeks),
    )


def _numbers_in_database(since: date | None, until: date, weeks: int) -> ProcessingStatistics:
    """Two queries: outcomes, backlog."""
    total, by_type, by_country = in_database.outcome_rows(since, until)
    return ProcessingStatistics(
        since=since,
        until=until,
        weeks=weeks,
        total=total,
        by_licence_type=by_type,
        by_country=by_country,
        backlog=in_database.backlog(until=until, weeks=weeks),
    )


def _numbers(since: date | None, until: date, weeks: int) -> ProcessingStatistics:
    if connection.vendor == "postgresql":
        return _numbers_in_database(since, until, weeks)
    return _numbers_in_python(since, until, weeks)


def backlog(*, until: date, weeks: int = DEFAULT_WEEKS) -> list[BacklogPoint]:
    """The open applications in each stage at the end of `until` and of each of the `weeks` - 1
    weeks before it: one query."""
    if connection.vendor == "postgresql":
        return in_database.backlog(until=until, weeks=weeks)
    return _backlog_in_python(until=until, weeks=weeks)


def statistics_cache_key(*, since: date | None, until: date, weeks: int) -> str:
    """The shared cache's key for a window in the current language, under the last event
    recorded. Read before the numbers: a change that commits while they are computed has a
    later event, so the next reader misses this entry and counts again."""
    last_event = Event.objects.order_by("-pk").values_list("pk", flat=True).first()
    return f"licensing:statistics:{last_event}:{translation.get_language()}:{since}:{until}:{weeks}"


def processing_statistics(
    *, since: date | None = None, until: date | None = None, weeks: int = DEFAULT_WEEKS, cached: bool = True
) -> ProcessingStatistics:
    """Outcomes and working days of the applications received from `since` (or the start) to
    `until` (or today), by licence type (every type, in its published order) and by investor
    country (most applications first), and the backlog by stage for `weeks` weeks up to `until`.

    Cached whole, labels included, in the shared cache (`statistics_cache_key`: the window, the
    language and the last event) for CACHE_SECONDS: one query then, for the last event. Counted
    afresh, whatever the number of applications: three queries on PostgreSQL (outcomes, backlog,
    licence types), four elsewhere (applications, calendar, events, licence types), plus the
    last event when caching."""
    until = until or timezone.localdate()
    if not cached:
        return _labelled(_numbers(since, until, weeks))
    key = statistics_cache_key(since=since, until=until, weeks=weeks)
    stats = cache.get(key)
    if stats is None:
        stats = replace(_labelled(_numbers(since, until, weeks)), revision=key)
        cache.set(key, stats, CACHE_SECONDS)
    return stats


def _labelled(numbers: ProcessingStatistics) -> ProcessingStatistics:
    """Every licence type in its published order, and the names in the current language."""
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
