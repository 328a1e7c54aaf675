"""Reads on deposits, shaped for their pages and endpoints, with visibility applied here."""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from deposits.models import (
    CATEGORY_ORDER,
    Category,
    Commodity,
    Deposit,
    DepositCommodity,
    DepositDocument,
    DocumentVisibility,
    EstimateClass,
    ReportingCode,
    ResourceEstimate,
)

_COMMODITIES = Prefetch(
    "deposit_commodities",
    queryset=DepositCommodity.objects.select_related("commodity").order_by("-is_primary", "commodity__sort_order"),
)


def commodity_list() -> QuerySet[Commodity]:
    return Commodity.objects.all()


def _may_preview(user: User | None) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("deposits.change_deposit"))


def deposit_list_public() -> QuerySet[Deposit]:
    """Published deposits with their commodities (main one first), for lists and open data."""
    return Deposit.objects.filter(is_published=True).prefetch_related(_COMMODITIES)


def deposit_facts(deposit: Deposit) -> dict[str, Any]:
    """What the open data says of a published deposit (its CSV and GeoJSON, and the OGC API).
    Reads the commodities `deposit_list_public` prefetched."""
    commodities = [dc.commodity for dc in deposit.deposit_commodities.all()]
    return {
        "slug": deposit.slug,
        "name_en": deposit.name_en,
        "name_ru": deposit.name_ru,
        "name_kk": deposit.name_kk,
        "region": deposit.region,
        "district": deposit.district_en,
        "deposit_type": deposit.deposit_type,
        "stage": deposit.stage,
        "commodities": [c.code for c in commodities],
        "colour": commodities[0].colour if commodities else "#555555",
        "updated_at": timezone.localtime(deposit.updated_at).isoformat(),
    }


def deposit_detail_for(*, user: User | None, slug: str) -> Deposit:
    """The deposit with everything its disclosure page shows. Unpublished deposits are
    visible only to those who may edit them; anyone else gets 404."""
    queryset = Deposit.objects.prefetch_related(
        _COMMODITIES,
        Prefetch("estimates", queryset=ResourceEstimate.objects.select_related("commodity", "source")),
        "sources",
        Prefetch("documents", queryset=DepositDocument.objects.select_related("file")),
    )
    if not _may_preview(user):
        queryset = queryset.filter(is_published=True)
    deposit = queryset.filter(slug=slug).first()
    if deposit is None:
        raise Http404("No such deposit.")
    return deposit


def deposit_headline_figures() -> dict[str, object]:
    """Counts for the home page: published deposits in all and per commodity."""
    published = Q(deposits__is_published=True)
    commodities = Commodity.objects.annotate(n=Count("deposits", filter=published, distinct=True)).filter(n__gt=0)
    return {
        "deposits": Deposit.objects.filter(is_published=True).count(),
        "commodities": list(commodities),
    }


@dataclass
class EstimateGroup:
    """The estimates of one reporting code, in category order, with contained totals."""

    code: ReportingCode
    estimates: list[ResourceEstimate]
    # (estimate class, commodity) -> (contained tonnes, grade unit); reserves and resources never summed together.
    totals: list[tuple[EstimateClass, Commodity, Decimal, str]] = field(default_factory=list)


def deposit_resource_table(deposit: Deposit) -> list[EstimateGroup]:
    """The resource and reserve table of a deposit (from its prefetched estimates)."""
    order = {c: i for i, c in enumerate(CATEGORY_ORDER)}
    by_code: dict[str, list[ResourceEstimate]] = defaultdict(list)
    for estimate in deposit.estimates.all():
        by_code[estimate.code].append(estimate)
    groups = []
    for code in ReportingCode:
        estimates = sorted(by_code.get(code, []), key=lambda e: (order[Category(e.category)], e.commodity.sort_order))
        if not estimates:
            continue
        sums: dict[tuple[EstimateClass, int], Decimal] = defaultdict(Decimal)
        seen: dict[tuple[EstimateClass, int], tuple[Commodity, str]] = {}
        for e in estimates:
            if e.contained_t is None:
                continue
            key = (e.estimate_class, e.commodity_id)
            sums[key] += e.contained_t
            seen[key] = (e.commodity, e.grade_unit)
        class_order = list(EstimateClass)
        totals = [
            (klass, seen[(klass, cid)][0], total, seen[(klass, cid)][1])
            for (klass, cid), total in sorted(sums.items(), key=lambda kv: (class_order.index(kv[0][0]), kv[0][1]))
        ]
        groups.append(EstimateGroup(code=code, estimates=estimates, totals=totals))
    return groups


def deposit_public_documents(deposit: Deposit) -> dict[str, list]:
    """The deposit's documents split into public and data-room (the latter listed, opened later)."""
    documents = list(deposit.documents.all())
    return {
        "public": [d for d in documents if d.visibility == DocumentVisibility.PUBLIC],
        "data_room": [d for d in documents if d.visibility == DocumentVisibility.DATA_ROOM],
    }


REGIONS_CACHE_KEY = "deposits:region-boundaries"
# Dropped when a boundary is loaded; the timeout bounds a reader that rebuilt it from the rows
# just before that load committed.
REGIONS_CACHE_SECONDS = 300


def region_boundaries_geojson() -> bytes:
    """The loaded region boundaries as GeoJSON bytes, each named in the three languages; kept
    in the shared cache until a registrar loads one (deposits.services.region_boundary_load),
    five minutes at most."""
    import json

    from django.core.cache import cache
    from django.utils import translation

    from deposits.models import RegionBoundary

    body = cache.get(REGIONS_CACHE_KEY)
    if body is None:
        features = []
        for boundary in RegionBoundary.objects.only("region", "geometry", "source"):
            names = {}
            for lang in ("en", "ru", "kk"):
                with translation.override(lang):
                    names[f"name_{lang}"] = str(boundary.get_region_display())
            properties = {"region": boundary.region, **names, "source": boundary.source}
            features.append({"type": "Feature", "geometry": boundary.geometry, "properties": properties})
        body = json.dumps({"type": "FeatureCollection", "features": features}, ensure_ascii=False).encode()
        cache.set(REGIONS_CACHE_KEY, body, timeout=REGIONS_CACHE_SECONDS)
    return body


def region_of_area(geometry: dict[str, Any]) -> str | None:
    """The region whose loaded boundary holds the largest part of `geometry` (GeoJSON, WGS84);
    None when no boundary is loaded or none meets it. Boundaries are few (one per oblast)."""
    from shapely.geometry import shape

    from deposits.models import RegionBoundary

    area = shape(geometry)
    best, best_share = None, 0.0
    for boundary in RegionBoundary.objects.only("region", "geometry"):
        share = shape(boundary.geometry).intersection(area).area
        if share > best_share:
            best, best_share = boundary.region, share
    return best


def region_boundaries_loaded() -> bool:
    from deposits.models import RegionBoundary

    return RegionBoundary.objects.exists()


def deposits_within(*, west: float, south: float, east: float, north: float) -> list[Deposit]:
    """Published deposits whose location lies in the box (for checking an area's region)."""
    return list(
        Deposit.objects.filter(
            is_published=True,
            longitude__gte=west,
            longitude__lte=east,
            latitude__gte=south,
            latitude__lte=north,
        ).only("name_en", "name_ru", "name_kk", "slug", "region", "longitude", "latitude")
    )
