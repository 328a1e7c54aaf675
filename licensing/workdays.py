"""Kazakh working days and office hours, for service-time clocks and deemed receipt.

A working day is Monday to Friday and not a public holiday of the `holidays` package's
Kazakhstan calendar, unless the government's own table (CalendarDay) says otherwise:
a declared day off, or a weekend day that work was moved to."""

from datetime import date, datetime, time, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import holidays
from django.conf import settings

from licensing.models import CalendarDay

ASTANA = ZoneInfo("Asia/Almaty")  # Astana keeps Almaty's time (UTC+5 since March 2024)


@cache
def _public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


class WorkingCalendar:
    """The working days of a span, read once: the government's overrides are one query."""

    def __init__(self, start: date, end: date) -> None:
        self.overrides = dict(
            CalendarDay.objects.filter(date__gte=start, date__lte=end).values_list("date", "is_working_day")
        )

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in _public_holidays(day.year)

    def add(self, start: date, days: int) -> date:
        """The working day `days` working days after `start` (the start day itself not counted)."""
        day = start
        while days > 0:
            day += timedelta(days=1)
            if self.is_working_day(day):
                days -= 1
        return day

    def between(self, start: date, end: date) -> int:
        """Working days after `start` up to and including `end`; negative if `end` is earlier."""
        if end < start:
            return -self.between(end, start)
        return sum(1 for n in range(1, (end - start).days + 1) if self.is_working_day(start + timedelta(days=n)))

    def next_working_day(self, day: date) -> date:
        """`day` itself if it is a working day, else the next one."""
        while not self.is_working_day(day):
            day += timedelta(days=1)
        return day


def calendar_for(start: date, working_days: int = 0) -> WorkingCalendar:
    # Generous: two calendar weeks per working week plus the longest holiday run.
    return WorkingCalendar(start - timedelta(days=7), start + timedelta(days=working_days * 2 + 30))


def add_working_days(start: date, days: int) -> date:
    return calendar_for(start, days).add(start, days)


def working_days_between(start: date, end: date) -> int:
    lo, hi = sorted((start, end))
    return WorkingCalendar(lo, hi).between(start, end)


def local(moment: datetime) -> datetime:
    return moment.astimezone(ASTANA)


def opening_time(day: date) -> datetime:
    return datetime.combine(day, time(settings.LICENSING_OFFICE_OPENS), tzinfo=ASTANA)


def received_at(moment: datetime) -> datetime:
    """When a lodgement at `moment` is deemed received: then, in office hours of a working
    day; otherwise at the opening of the next working day."""
    here = local(moment)
    calendar = calendar_for(here.date())
    opens, closes = time(settings.LICENSING_OFFICE_OPENS), time(settings.LICENSING_OFFICE_CLOSES)
    if calendar.is_working_day(here.date()) and opens <= here.time() < closes:
        return moment
    day = here.date() if here.time() < opens else here.date() + timedelta(days=1)
    return opening_time(calendar.next_working_day(day))


def next_opening(moment: datetime, *, notice_working_days: int) -> datetime:
    """09:00 Astana time on the working day `notice_working_days` after `moment`."""
    day = local(moment).date()
    return opening_time(add_working_days(day, notice_working_days))
