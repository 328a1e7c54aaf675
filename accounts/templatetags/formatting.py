"""Built-in filters (no `{% load %}`): dates, date-times and amounts in one format everywhere
(see accounts.formatting).

On an HTML page a date is wrapped in `<time datetime="…">` with its ISO 8601 value; in plain
text (emails, notifications: rendered without autoescaping) it is the words alone.

    {{ licence.expires_on|day }}          2 December 2026
    {{ note.created_at|moment }}          2 December 2026, 14:05
    {{ application.received_at|astana }}  2 December 2026, 14:05 (Astana time)
    {{ invoice.amount_kzt|kzt }}          129,750.00 KZT
"""

from django import template
from django.utils.html import format_html

from accounts import formatting

register = template.Library()


@register.filter(needs_autoescape=True)
def day(value: object, autoescape: bool = True) -> str:
    text = formatting.format_day(value)
    if not text or not autoescape:
        return text
    return format_html('<time datetime="{}">{}</time>', formatting.as_date(value).isoformat(), text)


def _moment(value: object, autoescape: bool, zone: bool) -> str:
    moment = formatting.as_datetime(value)
    if moment is None:
        return day(value, autoescape)
    text = formatting.format_moment(moment)
    if not autoescape:
        return formatting.with_zone(text) if zone else text
    html = format_html('<time datetime="{}">{}</time>', moment.isoformat(), text)
    if not zone:
        return html
    # The translated label around the element: "<time …>…</time> (Astana time)".
    before, _marker, after = formatting.with_zone("\x00").partition("\x00")
    return format_html("{}{}{}", before, html, after)


@register.filter(needs_autoescape=True)
def moment(value: object, autoescape: bool = True) -> str:
    return _moment(value, autoescape, zone=False)


@register.filter(needs_autoescape=True)
def astana(value: object, autoescape: bool = True) -> str:
    """A date-time that counts (a receipt, a deadline), with its zone stated."""
    return _moment(value, autoescape, zone=True)


@register.filter
def kzt(value: object) -> str:
    return formatting.format_kzt(value)
