"""The working-day calendar with the government's overrides read from the database, office
hours and deemed receipt, in the time zone of the settings (TIME_ZONE, Astana's)."""

from datetime import date, datetime, time, timedelta
from itertools import zip_longest

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from licensing.domain.workdays import WorkingCalendar
from licensing.models import CalendarDay, WorkingDay

# The numbered working days (WorkingDay) run at least from this day to the end of next year.
NUMBERED_FROM = date(2000, 1, 1)


def calendar_span(start: date, end: date) -> WorkingCalendar:
    """The working days from `start` to `end`, read once: the government's overrides are one query."""
    return WorkingCalendar(
        dict(CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day"))
    )


def calendar_for(start: date, working_days: int = 0) -> WorkingCalendar:
    # Generous: two calendar weeks per working week plus the longest holiday run.
    return calendar_span(start - timedelta(days=7), start + timedelta(days=working_days * 2 + 30))


def add_working_days(start: date, days: int) -> date:
    return calendar_for(start, days).add(start, days)


def working_day_on_or_after(day: date) -> date:
    """`day` if it is a working day, else the next working day: a period counted in calendar
    days that would end on a weekend or holiday ends on the next working day instead."""
    return calendar_for(day).next_working_day(day)


def working_days_between(start: date, end: date) -> int:
    lo, hi = sorted((start, end))
    return calendar_span(lo, hi).between(start, end)


def opening_time(day: date) -> datetime:
    return datetime.combine(day, time(settings.LICENSING_OFFICE_OPENS), tzinfo=timezone.get_default_timezone())


def received_at(moment: datetime) -> datetime:
    """When a lodgement at `moment` is deemed received: then, in office hours of a working
    day; otherwise at the opening of the next working day."""
    here = timezone.localtime(moment)
    calendar = calendar_for(here.date())
    opens, closes = time(settings.LICENSING_OFFICE_OPENS), time(settings.LICENSING_OFFICE_CLOSES)
    if calendar.is_working_day(here.date()) and opens <= here.time() < closes:
        return moment
    day = here.date() if here.time() < opens else here.date() + timedelta(days=1)
    return opening_time(calendar.next_working_day(day))


def next_opening(moment: datetime, *, notice_working_days: int) -> datetime:
    """09:00 Astana time on the working day `notice_working_days` after `moment`."""
    day = timezone.localdate(moment)
    return opening_time(add_working_days(day, notice_working_days))


def working_days_refresh(*, cover: tuple[date, date] | None = None) -> int:
    """Make the numbered working days match the calendar: from NUMBERED_FROM (or the earliest
    of the table's first day, the government's first override and `cover`) to the end of next
    year (or the latest of those). Rewrites the table from the first day that differs, so a
    changed day renumbers the days after it; returns how many rows it wrote (0: up to date).

    The statistics call it when their query finds a day missing or an override the table was
    not numbered with; the beat calls it daily, for the turn of the year and a new release of
    the `holidays` package. Concurrent calls take turns (on PostgreSQL, a table lock)."""
    with transaction.atomic():
        if connection.vendor == "postgresql":  # SQLite writers already take turns
            with connection.cursor() as cursor:
                cursor.execute(f"LOCK TABLE {WorkingDay._meta.db_table} IN SHARE ROW EXCLUSIVE MODE")
        stored = list(WorkingDay.objects.order_by("date").values_list("date", "is_working_day", "number", "override"))
        overrides = dict(CalendarDay.objects.values_list("date", "is_working_day"))
        bounds = [NUMBERED_FROM, date(timezone.localdate().year + 1, 12, 31), *overrides, *(cover or ())]
        if stored:
            bounds += [stored[0][0], stored[-1][0]]
        start, end = min(bounds), max(bounds)
        calendar = WorkingCalendar(overrides)
        wanted, number, day = [], 0, start
        while day <= end:
            working = calendar.is_working_day(day)
            number += working
            wanted.append((day, working, number, overrides.get(day)))
            day += timedelta(days=1)
        changed = next((i for i, (was, now) in enumerate(zip_longest(stored, wanted)) if was != now), None)
        if changed is None:
            return 0
        WorkingDay.objects.filter(date__gte=wanted[changed][0]).delete()
        WorkingDay.objects.bulk_create(
            (
                WorkingDay(date=day, is_working_day=working, number=number, override=override)
                for day, working, number, override in wanted[changed:]
            ),
            batch_size=2000,
        )
        return len(wanted) - changed
