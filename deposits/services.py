"""Every write on deposits. Each function is transactional and records its event."""

import hashlib
import json
from datetime import date
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from deposits.models import (
    Commodity,
    Deposit,
    DepositCommodity,
    DepositDocument,
    DisclosureRevision,
    Region,
    RegionBoundary,
    ResourceEstimate,
    Source,
)
from deposits.selectors import REGIONS_CACHE_KEY
from documents.checks import CheckFailed, geojson_geometries, geojson_positions_check
from documents.models import Document
from events.services import record_event


def _revise(deposit: Deposit | None = None) -> None:
    """Mark the public disclosure as changed (in the caller's transaction), touching the
    deposit's "last updated" date when one of its parts changed."""
    DisclosureRevision.objects.filter(pk=1).update(number=F("number") + 1)
    if deposit is not None:
        Deposit.objects.filter(pk=deposit.pk).update(updated_at=timezone.now())


def disclosure_revise_for_document(*, document: Document, **kwargs: Any) -> None:
    """A file finished its checks (documents' `document_checked`, inside that transaction): if
    a deposit lists it, its page now shows it otherwise (a link, its size, its pages), so the
    disclosure is marked as changed. `document.checked` is the event that records it."""
    if DepositDocument.objects.filter(file=document).exists():
        _revise()


# The event a change of each part of a deposit records: watchers follow these.
_PART_EVENTS: dict[type[models.Model], tuple[str, str]] = {
    ResourceEstimate: ("deposit.estimate_changed", "deposit.estimate_removed"),
    DepositDocument: ("deposit.document_added", "deposit.document_removed"),
    Source: ("deposit.source_changed", "deposit.source_removed"),
    DepositCommodity: ("deposit.commodities_changed", "deposit.commodities_changed"),
}


def deposit_save(*, actor: User | None, deposit: Deposit, changed_fields: list[str] | None = None) -> Deposit:
    """Validate (the location must lie in Kazakhstan) and save a deposit; records
    `deposit.created` or `deposit.updated` with the fields that changed."""
    created = deposit.pk is None
    deposit.full_clean()
    with transaction.atomic():
        deposit.save()
        _revise()
        record_event(
            actor=actor,
            type="deposit.created" if created else "deposit.updated",
            subject=deposit,
            slug=deposit.slug,
            fields=sorted(changed_fields or []),
        )
    return deposit


def deposit_part_save(
    *, actor: User | None, part: ResourceEstimate | DepositDocument | Source | DepositCommodity
) -> None:
    """Save one part of a deposit (estimate, document, source, commodity) and record its event."""
    created = part.pk is None
    part.full_clean()
    with transaction.atomic():
        part.save()
        _revise(part.deposit)
        changed_type = _PART_EVENTS[type(part)][0]
        if isinstance(part, DepositDocument) and not created:
            changed_type = "deposit.document_changed"
        record_event(actor=actor, type=changed_type, subject=part.deposit, part_id=part.pk, created=created)


def deposit_part_delete(
    *, actor: User | None, part: ResourceEstimate | DepositDocument | Source | DepositCommodity
) -> None:
    """Delete one part of a deposit and record its event."""
    with transaction.atomic():
        deposit, part_id = part.deposit, part.pk
        part.delete()
        _revise(deposit)
        record_event(actor=actor, type=_PART_EVENTS[type(part)][1], subject=deposit, part_id=part_id)


def deposit_publish(*, actor: User | None, deposit: Deposit) -> Deposit:
    """Make the deposit visible to the public. Raises TransitionError if it already is."""
    with transaction.atomic():
        deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if deposit.is_published:
            raise TransitionError(_("%(name)s is already published.") % {"name": deposit.name_en})
        deposit.is_published, deposit.published_at = True, timezone.now()
        deposit.save(update_fields=["is_published", "published_at", "updated_at"])
        _revise()
        record_event(actor=actor, type="deposit.published", subject=deposit, slug=deposit.slug)
    return deposit


def deposit_unpublish(*, actor: User | None, deposit: Deposit) -> Deposit:
    """Take the deposit off the public pages, API and open data. Raises TransitionError if it is not published."""
    with transaction.atomic():
        deposit = Deposit.objects.select_for_update().get(pk=deposit.pk)
        if not deposit.is_published:
            raise TransitionError(_("%(name)s is not published.") % {"name": deposit.name_en})
        deposit.is_published = False
        deposit.save(update_fields=["is_published", "updated_at"])
        _revise()
        record_event(actor=actor, type="deposit.unpublished", subject=deposit, slug=deposit.slug)
    return deposit


def commodity_ensure(
    *,
    actor: User | None,
    code: str,
    name_en: str,
    name_ru: str,
    name_kk: str,
    colour: str,
    is_critical: bool,
    is_strategic: bool,
    sort_order: int,
) -> Commodity:
    """Create or update a commodity by its code; idempotent (records an event only on change)."""
    values = {
        "name_en": name_en,
        "name_ru": name_ru,
        "name_kk": name_kk,
        "colour": colour,
        "is_critical": is_critical,
        "is_strategic": is_strategic,
        "sort_order": sort_order,
    }
    with transaction.atomic():
        commodity, created = Commodity.objects.select_for_update().get_or_create(code=code, defaults=values)
        changed = [k for k, v in values.items() if getattr(commodity, k) != v]
        if changed:
            for key in changed:
                setattr(commodity, key, values[key])
            commodity.full_clean()
            commodity.save(update_fields=changed)
        if created or changed:
            _revise()
            record_event(actor=actor, type="commodity.saved", subject=commodity, code=code, fields=sorted(changed))
    return commodity


def _decimal(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))


def _in_each_language(record: dict[str, Any], name: str) -> dict[str, str]:
    """A text's columns from a record: `<name>_en`, `_ru`, `_kk`; a bare `<name>` is English."""
    return {
        f"{name}_en": record.get(f"{name}_en", record.get(name, "")),
        f"{name}_ru": record.get(f"{name}_ru", ""),
        f"{name}_kk": record.get(f"{name}_kk", ""),
    }


def deposit_import(*, actor: User | None, record: dict[str, Any], publish: bool, illustrative: bool) -> Deposit:
    """Create or replace a whole deposit (with its commodities, estimates, sources) from a
    record keyed by slug. Importing the same record again changes nothing and records no
    event. Raises ValidationError naming the bad field."""
    fingerprint = hashlib.sha256(
        json.dumps([record, publish, illustrative], sort_keys=True, default=str).encode()
    ).hexdigest()
    unchanged = Deposit.objects.filter(slug=record["slug"], import_fingerprint=fingerprint).first()
    if unchanged is not None:
        return unchanged
    fields = {
        "name_en": record["name_en"],
        "name_ru": record.get("name_ru", ""),
        "name_kk": record.get("name_kk", ""),
        "region": record["region"],
        **_in_each_language(record, "district"),
        "latitude": _decimal(record["latitude"]),
        "longitude": _decimal(record["longitude"]),
        "deposit_type": record["deposit_type"],
        "stage": record["stage"],
        "summary_en": record.get("summary_en", ""),
        "summary_ru": record.get("summary_ru", ""),
        "summary_kk": record.get("summary_kk", ""),
        **_in_each_language(record, "geology"),
        **_in_each_language(record, "history"),
        "outline": record.get("outline"),
        "is_illustrative": illustrative,
        "import_fingerprint": fingerprint,
    }
    infrastructure = record.get("infrastructure") or {}
    for key in ("rail_km", "road_km", "power_km", "water_km"):
        fields[key] = _decimal(infrastructure.get(key))
    commodities = {c.code: c for c in Commodity.objects.filter(code__in=record["commodities"])}
    missing = [code for code in record["commodities"] if code not in commodities]
    if missing:
        raise ValidationError({"commodities": _("Unknown commodity: %(codes)s") % {"codes": ", ".join(missing)}})

    with transaction.atomic():
        deposit = Deposit.objects.select_for_update().filter(slug=record["slug"]).first() or Deposit(
            slug=record["slug"]
        )
        created = deposit.pk is None
        for key, value in fields.items():
            setattr(deposit, key, value)
        if publish and not deposit.is_published:
            deposit.is_published, deposit.published_at = True, timezone.now()
        deposit.full_clean()
        deposit.save()
        deposit.deposit_commodities.all().delete()
        DepositCommodity.objects.bulk_create(
            DepositCommodity(deposit=deposit, commodity=commodities[code], is_primary=(i == 0))
            for i, code in enumerate(record["commodities"])
        )
        deposit.estimates.all().delete()
        deposit.sources.all().delete()
        sources = [
            Source(
                deposit=deposit,
                title=s["title"],
                publisher=s.get("publisher", ""),
                year=s.get("year"),
                url=s.get("url", ""),
            )
            for s in record.get("sources", [])
        ]
        for source in sources:
            source.full_clean(exclude=["deposit"])
        Source.objects.bulk_create(sources)
        estimates = []
        for e in record.get("estimates", []):
            estimate = ResourceEstimate(
                deposit=deposit,
                commodity=commodities.get(e["commodity"]) or Commodity.objects.get(code=e["commodity"]),
                code=e["code"],
                category=e["category"],
                tonnage_t=_decimal(e.get("tonnage_t")),
                grade=_decimal(e.get("grade")),
                grade_unit=e["grade_unit"],
                contained_t=_decimal(e.get("contained_t")),
                cutoff=_decimal(e.get("cutoff")),
                effective_date=date.fromisoformat(e["effective_date"]),
                **_in_each_language(e, "competent_person"),
                **_in_each_language(e, "note"),
                source=sources[0] if sources else None,
            )
            estimate.full_clean(exclude=["deposit"])
            estimates.append(estimate)
        ResourceEstimate.objects.bulk_create(estimates)
        _revise()
        record_event(
            actor=actor,
            type="deposit.imported",
            subject=deposit,
            slug=deposit.slug,
            created=created,
            estimates=len(estimates),
            sources=len(sources),
        )
    return deposit


REGION_BOUNDARY_TOLERANCE_DEGREES = 0.1  # Natural Earth's 1:50m border is coarser than the state's
REGION_OVERLAP_SHARE = 0.01  # neighbours' boundaries may differ by a sliver, not by a district


def region_boundary_geometry(*, region: str, data: Any) -> dict[str, Any]:
    """The boundary in a parsed GeoJSON (a FeatureCollection, Feature or geometry of Polygons
    and MultiPolygons), as one valid GeoJSON MultiPolygon that lies within Kazakhstan and does
    not overlap another region's loaded boundary. Raises ValidationError saying what is wrong."""
    import shapely
    from shapely.geometry import MultiPolygon, mapping, shape

    from geography.kazakhstan import kazakhstan_outline

    try:
        geometries = geojson_geometries(data)
        if not geometries:
            raise CheckFailed(_("The GeoJSON holds no geometry."))
        geojson_positions_check(geometries)
    except CheckFailed as exc:
        raise ValidationError(str(exc)) from exc
    if any(g.get("type") not in ("Polygon", "MultiPolygon") for g in geometries):
        raise ValidationError(_("A region's boundary is made of polygons only; the file has other geometries."))
    try:
        shapes = [shape(g) for g in geometries]
    except (ValueError, TypeError, KeyError, IndexError, AttributeError, shapely.errors.ShapelyError) as exc:
        raise ValidationError(_("A polygon in the GeoJSON is not valid.")) from exc
    if any(s.is_empty or not s.is_valid for s in shapes):
        raise ValidationError(_("A polygon in the GeoJSON is empty or crosses itself."))
    boundary = shapely.union_all(shapes)
    if boundary.geom_type == "Polygon":
        boundary = MultiPolygon([boundary])
    if boundary.geom_type != "MultiPolygon" or boundary.area <= 0:
        raise ValidationError(_("The GeoJSON encloses no area."))
    country = shape(kazakhstan_outline()).buffer(REGION_BOUNDARY_TOLERANCE_DEGREES)
    if not country.covers(boundary):
        raise ValidationError(
            _("The boundary goes beyond Kazakhstan's border: check that it is this region's, in WGS84.")
        )
    for other in RegionBoundary.objects.exclude(region=region).only("region", "geometry"):
        overlap = boundary.intersection(shape(other.geometry)).area
        if overlap > REGION_OVERLAP_SHARE * min(boundary.area, shape(other.geometry).area):
            raise ValidationError(
                _("The boundary overlaps the loaded boundary of %(region)s.") % {"region": other.get_region_display()}
            )
    return dict(mapping(boundary))


def region_boundary_load(*, actor: User | None, region: str, data: Any, source: str) -> RegionBoundary:
    """Load (or replace) a region's administrative boundary from parsed GeoJSON, checked by
    `region_boundary_geometry`; records region.boundary_loaded. The maps' regions layer shows it
    from the next request."""
    from django.core.cache import cache

    if region not in Region.values:
        raise ValidationError(_("Unknown region."))
    if not source.strip():
        raise ValidationError(_("Say where the boundary comes from (the source)."))
    with transaction.atomic():
        geometry = region_boundary_geometry(region=region, data=data)
        boundary, created = RegionBoundary.objects.select_for_update().update_or_create(
            region=region,
            defaults={"geometry": geometry, "source": source.strip(), "loaded_at": timezone.now(), "loaded_by": actor},
        )
        record_event(actor=actor, type="region.boundary_loaded", subject=boundary, region=region, replaced=not created)
        transaction.on_commit(lambda: cache.delete(REGIONS_CACHE_KEY))
    return boundary
