"""Kazakh working days: Monday to Friday and not a public holiday of the `holidays` package's
Kazakhstan calendar, unless the government's own table says otherwise (a declared day off, or
a weekend day that work was moved to). Pure: the overrides are given; `licensing.calendar`
reads them from the database."""

from datetime import date, timedelta
from functools import cache

import holidays


@cache
def public_holidays(year: int) -> frozenset[date]:
    return frozenset(holidays.country_holidays("KZ", years=year))


class WorkingCalendar:
    """The working days of a span, given the government's overrides for it (day -> working or not)."""

    def __init__(self, overrides: dict[date, bool]) -> None:
        self.overrides = overrides

    def is_working_day(self, day: date) -> bool:
        if day in self.overrides:
            return self.overrides[day]
        return day.weekday() < 5 and day not in public_holidays(day.year)

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
