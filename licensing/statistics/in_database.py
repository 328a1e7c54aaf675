"""The processing statistics counted by PostgreSQL: working days as the difference of the
numbered working days (`WorkingDay`), the median and the 90th percentile with `percentile_cont`
and `percentile_disc`, the backlog as the running sum of the state changes bucketed by week.
The same numbers as the Python count in `licensing.statistics.selectors`, which SQLite uses; the
tests hold the two to it."""

from collections import Counter, defaultdict
from datetime import date, timedelta

from django.db import connection
from django.db.models import Count
from django.utils import timezone

from licensing.calendar import working_days_refresh
from licensing.models import Application, BacklogSnapshot
from licensing.statistics.figures import STAGES, BacklogPoint, OutcomeRow, backlog_moments, start_of

# One row for all applications, one a licence type and one a country (GROUPING SETS); the
# working days of a decision are the difference of the numbers of its two days, in the local
# time zone. `uncovered` counts the decisions on a day the numbered calendar lacks, and `stale`
# says the government's overrides changed since it was numbered: either way it is refreshed
# and the query runs again.
OUTCOMES_SQL = """
WITH received AS (
    SELECT t.code AS licence_type, COALESCE(o.country, '') AS country, a.state, a.late_stages,
           a.state IN ('granted', 'refused') AND a.decided_at IS NOT NULL AS decided,
           (a.received_at AT TIME ZONE %(zone)s)::date AS received_on,
           (a.decided_at AT TIME ZONE %(zone)s)::date AS decided_on,
           done.number - got.number AS days
    FROM licensing_application a
    LEFT JOIN licensing_licencetype t ON t.id = a.licence_type_id
    LEFT JOIN investors_organisation o ON o.id = a.organisation_id
    LEFT JOIN licensing_workingday got ON got.date = (a.received_at AT TIME ZONE %(zone)s)::date
    LEFT JOIN licensing_workingday done ON done.date = (a.decided_at AT TIME ZONE %(zone)s)::date
    WHERE a.received_at IS NOT NULL AND a.received_at < %(before)s
      AND (%(since)s::timestamptz IS NULL OR a.received_at >= %(since)s) AND a.state <> 'draft'
)
SELECT GROUPING(licence_type), GROUPING(country), licence_type, country,
       count(*) FILTER (WHERE state = 'granted'),
       count(*) FILTER (WHERE state = 'refused'),
       count(*) FILTER (WHERE state = 'withdrawn'),
       count(*) FILTER (WHERE state = 'lapsed'),
       count(*) FILTER (WHERE state NOT IN ('granted', 'refused', 'withdrawn', 'lapsed')),
       count(*) FILTER (WHERE decided AND late_stages = 0),
       percentile_cont(0.5) WITHIN GROUP (ORDER BY days) FILTER (WHERE decided),
       percentile_disc(0.9) WITHIN GROUP (ORDER BY days) FILTER (WHERE decided),
       count(*) FILTER (WHERE decided AND days IS NULL),
       min(received_on) FILTER (WHERE decided), max(decided_on) FILTER (WHERE decided),
       (SELECT EXISTS (SELECT FROM licensing_calendarday c LEFT JOIN licensing_workingday w ON w.date = c.date
                       WHERE w.override IS DISTINCT FROM c.is_working_day)
            OR EXISTS (SELECT FROM licensing_workingday w WHERE w.override IS NOT NULL AND NOT EXISTS (
                       SELECT FROM licensing_calendarday c WHERE c.date = w.date)))
FROM received
GROUP BY GROUPING SETS ((), (licence_type), (country))
"""


def outcome_rows(since: date | None, until: date) -> tuple[OutcomeRow, list[OutcomeRow], list[OutcomeRow]]:
    """The applications received in the window, tallied by the database: one query (two, and a
    refresh of the numbered calendar, when it lacks a day or the government changed one)."""
    params = {
        "zone": timezone.get_current_timezone_name(),
        "since": None if since is None else start_of(since),
        "before": start_of(until + timedelta(days=1)),
    }
    for attempt in range(2):
        with connection.cursor() as cursor:
            cursor.execute(OUTCOMES_SQL, params)
            rows = cursor.fetchall()
        total_row = next((row for row in rows if row[0] and row[1]), None)
        uncovered, first, last, stale = total_row[12:16] if total_row else (0, None, None, False)
        if attempt or not (uncovered or stale):
            break
        working_days_refresh(cover=(first, last) if uncovered else None)
    total, by_type, by_country = OutcomeRow(key=""), [], []
    for by_all_types, by_all_countries, code, country, *counts in rows:
        outcome = OutcomeRow(
            key=(country if by_all_types else code) if by_all_types != by_all_countries else "",
            lodged=sum(counts[:5]),
            granted=counts[0],
            refused=counts[1],
            withdrawn=counts[2],
            lapsed=counts[3],
            pending=counts[4],
            within_target=counts[5],
            median_days=counts[6],
            p90_days=counts[7],
        )
        if by_all_types and by_all_countries:
            total = outcome
        elif by_all_countries:
            by_type.append(outcome)
        else:
            by_country.append(outcome)
    return total, sorted(by_type, key=lambda row: row.key), sorted(by_country, key=lambda row: row.key)


# The open stages entered and left by each state change, bucketed by the backlog moment they
# come before (width_bucket: how many moments are at or before the change); the running sum of
# the buckets is the backlog at each moment. Same events as the Python count
# (`licensing.statistics.selectors._backlog_in_python`).
BACKLOG_SQL = """
WITH changes AS (
    SELECT e.id, e.subject_id, e.occurred_at,
           CASE WHEN e.type = 'application.lodged' THEN 'lodged' ELSE e.payload ->> 'state' END AS state
    FROM events_event e JOIN django_content_type ct ON ct.id = e.subject_type_id
    WHERE ct.app_label = 'licensing' AND ct.model = 'application'
      AND e.subject_id IN (
          SELECT a.id::varchar FROM licensing_application a
          WHERE a.lodged_at < %(last)s AND (a.state = ANY(%(open)s) OR a.updated_at >= %(first)s))
      AND e.type LIKE 'application.%%' AND e.occurred_at < %(last)s
      AND (e.type = 'application.lodged' OR e.payload ? 'state')
), steps AS (
    SELECT occurred_at, state, lag(state) OVER (PARTITION BY subject_id ORDER BY occurred_at, id) AS previous
    FROM changes
)
SELECT width_bucket(occurred_at, %(moments)s::timestamptz[]), stage, sum(change)
FROM (
    SELECT occurred_at, state AS stage, 1 AS change FROM steps WHERE state = ANY(%(open)s)
    UNION ALL
    SELECT occurred_at, previous, -1 FROM steps WHERE previous = ANY(%(open)s)
) AS moves
GROUP BY 1, 2
"""


def backlog(*, until: date, weeks: int) -> list[BacklogPoint]:
    """As `_backlog_in_python`, counted by the database. A day already over is read from its
    snapshot (BacklogSnapshot): it never changes. If the window lacks one, one query counts the
    whole window and the days over are kept; a day not yet over is the open applications now."""
    days, moments = backlog_moments(until, weeks)
    now = timezone.now()
    over = [day for day, end in zip(days, moments, strict=True) if end <= now]
    stored = dict(BacklogSnapshot.objects.filter(as_at__in=over).values_list("as_at", "by_state"))
    if len(stored) < len(over):
        points = _backlog_counted(days, moments)
        missing = set(over) - set(stored)
        BacklogSnapshot.objects.bulk_create(
            [BacklogSnapshot(as_at=p.as_at, by_state=p.by_state) for p in points if p.as_at in missing],
            ignore_conflicts=True,  # another request may have kept the same day meanwhile
        )
        return points
    points = [BacklogPoint(as_at=day, by_state={s.value: stored[day].get(s.value, 0) for s in STAGES}) for day in over]
    if len(over) < len(days):
        # Every event so far comes before the end of a day not yet over: the state now.
        counts = dict(
            Application.objects.filter(state__in=[s.value for s in STAGES])
            .values_list("state")
            .annotate(n=Count("pk"))
            .values_list("state", "n")
        )
        now_open = {s.value: counts.get(s.value, 0) for s in STAGES}
        points += [BacklogPoint(as_at=day, by_state=dict(now_open)) for day in days[len(over) :]]
    return points


def _backlog_counted(days: list[date], moments: list) -> list[BacklogPoint]:
    """The backlog at each moment, from the state changes: one query."""
    params = {"first": moments[0], "last": moments[-1], "moments": moments, "open": [s.value for s in STAGES]}
    with connection.cursor() as cursor:
        cursor.execute(BACKLOG_SQL, params)
        moves = cursor.fetchall()
    by_moment: dict[int, Counter[str]] = defaultdict(Counter)
    for bucket, stage, change in moves:
        by_moment[bucket][stage] += int(change)
    open_now: Counter[str] = Counter()
    points = []
    for n, day in enumerate(days):
        open_now.update(by_moment[n])
        points.append(BacklogPoint(as_at=day, by_state={s.value: open_now[s] for s in STAGES}))
    return points
