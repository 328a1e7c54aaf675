"""Dates, date-times and amounts as people read them, the same on every page, notification,
email and certificate.

One format for dates and one for date-times, per language, from config/formats/<language>/:
"2 December 2026", "2 декабря 2026", "2026 жылғы 2 желтоқсан"; never an all-numeric date,
which reads differently in different countries. Times are Astana time (settings.TIME_ZONE);
where the time is what counts (a receipt, a deadline) it says so: "2 December 2026, 14:05
(Astana time)". Machine-readable outputs (the API, open data, `<time datetime>`) stay ISO 8601.

Values may be dates, aware date-times, or the ISO strings event payloads store.

It lives here, beside accounts.pagination, and not in config: every app renders dates, and the
layers contract lets no app import config.
"""

from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import formats, timezone
from django.utils.translation import gettext


def as_datetime(value: object) -> datetime | None:
    """A date-time in Astana time, from an aware date-time or an ISO 8601 string."""
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        return None
    if timezone.is_naive(value):
        value = timezone.make_aware(value)
    return timezone.localtime(value)


def as_date(value: object) -> date | None:
    """A calendar date: a date; a date-time's day in Astana time; an ISO 8601 string of either."""
    if isinstance(value, datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        try:
            return date.fromisoformat(value)
        except ValueError:
            moment = as_datetime(value)
            return moment.date() if moment else None
    return None


def format_day(value: object) -> str:
    """The date in the active language's one date format ("" when there is none)."""
    day = as_date(value)
    return formats.date_format(day, "DATE_FORMAT") if day else ""


def format_moment(value: object, *, zone: bool = False) -> str:
    """The date-time in Astana time in the active language's one date-time format; with
    `zone`, followed by "(Astana time)" ("" when there is none)."""
    moment = as_datetime(value)
    if moment is None:
        return format_day(value)
    text = formats.date_format(moment, "DATETIME_FORMAT")
    return with_zone(text) if zone else text


def with_zone(text: str) -> str:
    """A time followed by the zone it is in."""
    return gettext("%(time)s (Astana time)") % {"time": text}


def format_number(value: object, places: int | None = None) -> str:
    """A number with the active language's separators, grouped ("" for none)."""
    if value in (None, ""):
        return ""
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return formats.number_format(number, places, use_l10n=True, force_grouping=True)


def format_kzt(value: object) -> str:
    """An amount in tenge: two decimals, the language's separators and the currency
    ("4,325,000.00 KZT", "4 325 000,00 KZT"; "" for none)."""
    number = format_number(value, 2)
    return gettext("%(kzt)s KZT") % {"kzt": number} if number else ""
