"""The public release calendar, `/register/openings/`: ground coming free, when and why."""

from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from deposits.models import Commodity, Region
from licensing.domain import grid
from licensing.licences import release_calendar
from licensing.licences.release_calendar import MAX_WEEKS, CalendarQuery

PAGE_SIZE = 25
CODES_SHOWN = 12  # block codes listed per opening; the rest are counted


def _bad(request: HttpRequest, value: str) -> HttpResponse:
    message = _("Unknown filter value: %(value)s") % {"value": value[:40]}
    return render(request, "400.html", {"message": message}, status=400)


@require_safe
def register_openings(request: HttpRequest) -> HttpResponse:
    choices = {
        "region": [(str(v), str(label)) for v, label in Region.choices],
        "commodity": [(c.code, f"{c.name} ({c.code})") for c in Commodity.objects.all()],
    }
    values = {name: request.GET.get(name, "").strip() for name in choices}
    for name, value in values.items():
        if value and value not in {v for v, _label in choices[name]}:
            return _bad(request, value)
    weeks = request.GET.get("weeks", "").strip()
    if weeks and not (weeks.isdigit() and 1 <= int(weeks) <= MAX_WEEKS):
        return _bad(request, weeks)
    query = CalendarQuery(**values, **({"weeks": int(weeks)} if weeks else {}))
    now = timezone.now()
    openings = Paginator(release_calendar.calendar_openings(query, now), PAGE_SIZE).get_page(
        request.GET.get("openings_page")
    )
    expiring = Paginator(release_calendar.expiring_licences(query, timezone.localdate()), PAGE_SIZE).get_page(
        request.GET.get("expiring_page")
    )
    expected = release_calendar.expected_openings([licence.expires_on for licence in expiring])
    deciding = Paginator(release_calendar.changes_being_decided(query), PAGE_SIZE).get_page(
        request.GET.get("deciding_page")
    )
    params = request.GET.copy()
    for name in ("openings_page", "expiring_page", "deciding_page"):
        params.pop(name, None)
    context = {
        "query": query,
        "choices": choices,
        "now": now,
        "openings": openings,
        "opening_rows": [
            {"opening": o, "codes": [grid.code(b.block) for b in o.blocks.all()[:CODES_SHOWN]]} for o in openings
        ],
        "expiring": expiring,
        "expiring_rows": [{"licence": licence, "expected": expected[licence.expires_on]} for licence in expiring],
        "deciding": deciding,
        "deciding_rows": [{"change": c, "blocks": release_calendar.freed_count(c)} for c in deciding],
        "params": params.urlencode(),
        "max_weeks": MAX_WEEKS,
    }
    return render(request, "licensing/register_openings.html", context)
