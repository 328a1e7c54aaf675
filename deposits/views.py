import re

from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_safe

from deposits import open_data, selectors
from deposits.caching import cached_disclosure
from deposits.filters import DepositFilter
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


@require_safe
def open_data_deposits_geojson(request: HttpRequest) -> HttpResponse:
    """The published deposits as points, as last built (licensing.licences.publication)."""
    return open_data.stored_response(request, "deposits.geojson", "application/geo+json")


@require_safe
def open_data_deposits_csv(request: HttpRequest) -> HttpResponse:
    return open_data.stored_response(request, "deposits.csv", "text/csv; charset=utf-8", "attachment")


@require_safe
def open_data_index(request: HttpRequest) -> HttpResponse:
    context = {
        "files": open_data.catalogue(),
        "licence_url": open_data.LICENCE_URL,
        "licence_name": open_data.LICENCE_NAME,
        "publisher": open_data.PUBLISHER_ON_PAGES,
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
