"""Filters for the messages of licence notices, whose event payloads hold stored values (an
obligation's kind, a reminder step, ISO dates, amounts as strings): shown in the reader's words."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django import template
from django.template.defaultfilters import floatformat

from licensing.domain import grid
from licensing.models import ObligationKind, ReminderStep

register = template.Library()


@register.filter
def obligation_kind(value: str) -> str:
    return str(ObligationKind(value).label) if value in ObligationKind.values else value


@register.filter
def reminder_step(value: str) -> str:
    return str(ReminderStep(value).label) if value in ReminderStep.values else value


@register.filter
def as_date(value: object) -> date | object:
    """An ISO date as the payload stores it, as a date (for `|date`)."""
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        return value


@register.filter
def money(value: object) -> str:
    """An amount with two decimals and the active locale's separators ("" for none)."""
    if value in (None, ""):
        return ""
    try:
        return floatformat(Decimal(str(value)), "2g")
    except InvalidOperation:
        return ""


@register.filter
def block_code_list(value: list[int] | None) -> str:
    """Block ids (a relinquishment's, as stored) as their codes, space-separated."""
    try:
        return " ".join(grid.code(int(b)) for b in sorted(value or []))
    except (TypeError, ValueError):
        return ""
