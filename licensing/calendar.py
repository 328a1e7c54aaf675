"""The working-day calendar with the government's overrides read from the database, office
hours and deemed receipt, in the time zone of the settings (TIME_ZONE, Astana's)."""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.utils import timezone

from licensing.domain.workdays import WorkingCalendar
from licensing.models import CalendarDay


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
