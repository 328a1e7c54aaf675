import csv
import re
from typing import Any

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from deposits import open_data, selectors
from deposits.caching import cached_disclosure
from deposits.filters import DepositFilter
from deposits.models import Deposit
from geography.context import LAYERS, context_layer_json
from geography.kazakhstan import kazakhstan_outline

PAGE_SIZE = 20
COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


@require_safe
@cached_disclosure
def deposit_list(request: HttpRequest) -> HttpResponse:
    deposit_filter = DepositFilter(request.GET, queryset=selectors.deposit_list_public())
    if not deposit_filter.is_valid():
        context = {"filter": deposit_filter, "page": None, "errors": deposit_filter.errors}
        return render(request, "deposits/list.html", context, status=400)
    page = Paginator(deposit_filter.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {"filter": deposit_filter, "page": page, "query": query.urlencode()}
    return render(request, "deposits/list.html", context)


@require_safe
@cached_disclosure
def deposit_detail(request: HttpRequest, slug: str) -> HttpResponse:
    deposit = selectors.deposit_detail_for(user=request.user, slug=slug)
    context = {
        "deposit": deposit,
        "resource_table": selectors.deposit_resource_table(deposit),
        "documents": selectors.deposit_public_documents(deposit),
    }
    return render(request, "deposits/detail.html", context)


@require_safe
def deposit_map(request: HttpRequest) -> HttpResponse:
    deposits = list(selectors.deposit_list_public())
    main = {dc.commodity for d in deposits for dc in d.deposit_commodities.all() if dc.is_primary}
    legend = sorted(main, key=lambda c: (c.sort_order, c.code))
    return render(request, "deposits/map.html", {"deposits": deposits, "commodities": legend})


@require_safe
@cache_control(max_age=86400, public=True)
def kazakhstan_geojson(request: HttpRequest) -> JsonResponse:
    feature = {"type": "Feature", "properties": {"name": "Kazakhstan"}, "geometry": kazakhstan_outline()}
    return JsonResponse(feature, content_type="application/geo+json")


@require_safe
@cache_control(max_age=86400, public=True)
def context_layer_geojson(request: HttpRequest, layer: str) -> HttpResponse:
    """Towns, rivers, lakes (geography.context) or the loaded regions for the maps' context
    layers, the same in every language: each feature carries its names in all three."""
    if layer == "regions":  # the state's own boundaries, loaded by registrars: may change any time
        response = HttpResponse(selectors.region_boundaries_geojson(), content_type="application/geo+json")
        response["Cache-Control"] = "public, max-age=300"
        return response
    if layer not in LAYERS:
        raise Http404
    return HttpResponse(context_layer_json(layer), content_type="application/geo+json")


def _deposit_properties(request: HttpRequest, deposit: Deposit) -> dict[str, Any]:
    return {**selectors.deposit_facts(deposit), "url": request.build_absolute_uri(deposit.get_absolute_url())}


@require_safe
@cached_disclosure
def open_data_deposits_geojson(request: HttpRequest) -> JsonResponse:
    generated_at = timezone.localtime()
    features = [
        {
            "type": "Feature",
            "id": deposit.slug,
            "geometry": {"type": "Point", "coordinates": [float(deposit.longitude), float(deposit.latitude)]},
            "properties": _deposit_properties(request, deposit),
        }
        for deposit in selectors.deposit_list_public()
    ]
    index_url = request.build_absolute_uri(reverse("deposits:open-data"))
    members = open_data.geojson_members("deposits", open_data.DEPOSITS_FIELDS, generated_at, index_url)
    body = {"type": "FeatureCollection", **members, "features": features}
    response = JsonResponse(body, content_type="application/geo+json")
    response["Access-Control-Allow-Origin"] = "*"
    return open_data.licensed(response, generated_at)


CSV_COLUMNS = [f.name for f in open_data.DEPOSITS_FIELDS if f.name != "colour"]


def _csv_safe(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


@require_safe
@cached_disclosure
def open_data_deposits_csv(request: HttpRequest) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="deposits.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    response.write("\ufeff")  # a byte-order mark, so that spreadsheets read the Cyrillic names as UTF-8
    writer = csv.DictWriter(response, fieldnames=CSV_COLUMNS)
    writer.writeheader()
    for deposit in selectors.deposit_list_public():
        row = _deposit_properties(request, deposit)
        row.update(latitude=deposit.latitude, longitude=deposit.longitude, commodities=";".join(row["commodities"]))
        writer.writerow({k: _csv_safe(row[k]) for k in CSV_COLUMNS})
    return open_data.licensed(response, timezone.localtime())


@require_safe
def open_data_index(request: HttpRequest) -> HttpResponse:
    context = {
        "files": open_data.catalogue(),
        "licence_url": open_data.LICENCE_URL,
        "licence_name": open_data.LICENCE_NAME,
        "publisher": open_data.PUBLISHER,
        "today": timezone.localdate(),
    }
    return render(request, "deposits/open_data.html", context)


@require_safe
@cache_control(max_age=300, public=True)
@cached_disclosure
def commodity_css(request: HttpRequest) -> HttpResponse:
    """Commodity colours (data, editable in the admin) as CSS classes: the CSP forbids inline styles."""
    rules = [
        f".commodity-{slugify(c.code)} {{ --commodity-colour: {c.colour}; }}"
        for c in selectors.commodity_list()
        if COLOUR.fullmatch(c.colour)
    ]
    return HttpResponse("\n".join(rules) + "\n", content_type="text/css; charset=utf-8")
