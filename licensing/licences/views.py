"""The public licence register, a licence's page and verification, its certificate, the
published licence types, and the open data of licences (GeoJSON and CSV)."""

import csv
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from deposits.models import Commodity, Region
from deposits.views import _csv_safe
from licensing.domain import grid
from licensing.licences import certificates, selectors
from licensing.licences.certificates import pdf_response
from licensing.licences.selectors import (
    RegisterQuery,
    holder_language,
    is_current,
    licence_for,
    licence_history,
    licence_numbered,
    licence_public,
    licences_queryset,
    register_licences,
)
from licensing.models import Licence, LicenceStatus, LicenceType
from licensing.permissions import may_see_licence

PAGE_SIZE = 25


MAP_CODES_LIMIT = 2000  # blocks drawn on the register's map; beyond that the map would be unreadable


OPEN_DATA_MAX_AGE = 300  # seconds: the files are computed afresh on each request, proxies may keep them briefly


def _row(licence: Licence) -> dict[str, Any]:
    blocks = certificates.held_blocks(licence)
    return {"licence": licence, "blocks": blocks, "area": grid.total_area_km2(blocks)}


# Pages ---------------------------------------------------------------------------------


def _choices() -> dict[str, list[tuple[str, str]]]:
    return {
        "licence_type": [(t.code, t.name) for t in LicenceType.objects.all()],
        "status": [(str(v), str(label)) for v, label in LicenceStatus.choices],
        "region": [(str(v), str(label)) for v, label in Region.choices],
        "commodity": [(c.code, f"{c.name} ({c.code})") for c in Commodity.objects.all()],
    }


@require_safe
def licence_register(request: HttpRequest) -> HttpResponse:
    choices = _choices()
    values = {name: request.GET.get(name, "").strip() for name in choices}
    for name, value in values.items():
        if value and value not in {v for v, _label in choices[name]}:
            message = _("Unknown filter value: %(value)s") % {"value": value[:40]}
            return render(request, "400.html", {"message": message}, status=400)
    query = RegisterQuery(q=request.GET.get("q", "").strip()[:100], **values)
    page = Paginator(register_licences(query), PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [_row(licence) for licence in page]
    codes = [grid.code(b) for row in rows for b in row["blocks"]][:MAP_CODES_LIMIT]
    params = request.GET.copy()
    params.pop("page", None)
    context = {"page": page, "rows": rows, "query": query, "choices": choices, "codes": codes}
    return render(request, "licensing/register_licences.html", {**context, "params": params.urlencode()})


@require_safe
def licence_detail(request: HttpRequest, number: str) -> HttpResponse:
    licence = licence_public(number)
    blocks = certificates.held_blocks(licence)
    held = set(blocks)
    ended = [t for t in licence.tenures.all() if not t.is_active and t.block not in held]
    context = {
        "licence": licence,
        "codes": [grid.code(b) for b in blocks],
        "area": grid.total_area_km2(blocks),
        "ended": [{"code": grid.code(t.block), "ended_at": t.ended_at} for t in ended],
        "history": licence_history(licence),
        "is_current": is_current(licence),
        "may_download": request.user.is_authenticated and may_see_licence(request.user, licence.holder_id),
    }
    return render(request, "licensing/register_licence.html", context)


@require_safe
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """Anyone holding a certificate checks it here: 200 with what the register says, 404 if unknown."""
    licence = licence_numbered(number)
    if licence is None:
        context = {"number": number[:40], "message": _("No licence with this number.")}
        return render(request, "licensing/verify.html", context, status=404)
    blocks = certificates.held_blocks(licence)
    context = {
        "licence": licence,
        "codes": [grid.code(b) for b in blocks],
        "area": grid.total_area_km2(blocks),
        "is_current": is_current(licence),
    }
    return render(request, "licensing/verify.html", context)


@login_required
@require_safe
def certificate(request: HttpRequest, number: str) -> HttpResponse:
    licence = licence_for(request.user, number)
    content = certificates.licence_certificate_pdf(licence, holder_language(licence.holder))
    return pdf_response(content, f"{licence.number}.pdf")


# Open data -----------------------------------------------------------------------------


def _properties(request: HttpRequest, licence: Licence, blocks: list[int]) -> dict[str, Any]:
    url = request.build_absolute_uri(reverse("licensing:register-licence", args=[licence.number]))
    return {**selectors.licence_facts(licence, blocks), "url": url}


def _open_data_rows(request: HttpRequest) -> list[tuple[Licence, list[int], dict[str, Any]]]:
    rows = []
    for licence in licences_queryset().order_by("number"):
        blocks = certificates.held_blocks(licence)
        rows.append((licence, blocks, _properties(request, licence, blocks)))
    return rows


@require_safe
@cache_control(max_age=OPEN_DATA_MAX_AGE, public=True)
def licences_geojson(request: HttpRequest) -> JsonResponse:
    """Every licence as a feature: the blocks it holds (or held when it ended) and its register facts."""
    features = [
        {"type": "Feature", "id": licence.number, "geometry": grid.outline(blocks), "properties": properties}
        for licence, blocks, properties in _open_data_rows(request)
    ]
    response = JsonResponse({"type": "FeatureCollection", "features": features}, content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


CSV_COLUMNS = [
    "number",
    "holder",
    "holder_country",
    "licence_type",
    "status",
    "region",
    "granted_at",
    "starts_on",
    "expires_on",
    "block_count",
    "area_km2",
    "blocks",
    "url",
]


@require_safe
@cache_control(max_age=OPEN_DATA_MAX_AGE, public=True)
def licences_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="licences.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response.write("\ufeff")  # a byte-order mark, so that spreadsheets read Cyrillic names as UTF-8
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for _licence, _blocks, properties in _open_data_rows(request):
        row = {**properties, "blocks": " ".join(properties["blocks"])}
        writer.writerow({k: _csv_safe(row[k]) for k in CSV_COLUMNS})
    return response


@require_safe
def licence_types(request: HttpRequest) -> HttpResponse:
    return render(request, "licensing/licence_types.html", {"types": selectors.licence_types()})
