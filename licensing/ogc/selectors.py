"""The features of the OGC API's collections, one page at a time.

Every filter runs in the database: a box becomes a range of latitude and longitude for
deposits (points), and for ground (licences, applications, openings) a range of grid rows
(a range of block ids, since id = row * 21600 + column) and of columns (id modulo 21600) on
the tenures, claims or opening blocks, whose distinct parents are then paged with LIMIT and
OFFSET. A page costs a constant number of queries: a count, the page, one for its blocks."""

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.db.models.functions import Mod
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deposits.models import KZ_LAT_MAX, KZ_LAT_MIN, KZ_LON_MAX, KZ_LON_MIN, Deposit, DepositCommodity
from deposits.selectors import deposit_facts, deposit_list_public
from licensing.domain import grid
from licensing.ground import outlines
from licensing.licences.selectors import held_tenures, held_tenures_of_page, licence_facts
from licensing.models import Application, Claim, GroundOpening, Licence, OpeningBlock
from licensing.review.selectors import REGISTER_STATES

DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
# Past this an offset names no page of ours; it also keeps OFFSET inside PostgreSQL's bigint.
MAX_OFFSET = 10_000_000

# The extent every collection declares: Kazakhstan's box, as the deposits' constraints bound it.
KAZAKHSTAN_BBOX = [float(KZ_LON_MIN), float(KZ_LAT_MIN), float(KZ_LON_MAX), float(KZ_LAT_MAX)]

Box = tuple[float, float, float, float]  # west, south, east, north (CRS84)


class QueryError(ValueError):
    """A request the collection cannot answer; the message says why (answered 400)."""


@dataclass(frozen=True)
class Query:
    box: Box | None = None
    since: datetime | None = None
    until: datetime | None = None
    equals: dict[str, str] = field(default_factory=dict)
    offset: int = 0
    limit: int = DEFAULT_LIMIT
    hits_only: bool = False


@dataclass(frozen=True)
class Page:
    matched: int
    features: list[dict[str, Any]]


@dataclass(frozen=True)
class Layer:
    """One collection: where its rows come from and how a box, a time and a property narrow them."""

    id: str
    title: Any
    description: Any
    keywords: list[str]
    rows: Callable[[], QuerySet[Any]]
    in_box: Callable[[QuerySet[Any], Box], QuerySet[Any]]
    time_field: str
    filters: dict[str, Callable[[str], Q]]
    fields: dict[str, dict[str, Any]]
    lookup: Callable[[str], Q | None]
    feature: Callable[[Any, str], dict[str, Any]]
    # What a page of rows needs beyond their query, read for the whole page at once.
    attach: Callable[[list[Any]], None] = lambda rows: None


# Filters -------------------------------------------------------------------------------


def _ground_in_box(parents: QuerySet[Any], children: QuerySet[Any], parent: str, box: Box) -> QuerySet[Any]:
    """Parents with at least one child block (a tenure, claim or opening block) in the box."""
    rows, runs = grid.bbox_span(*box)
    columns = Q()
    for run in runs:
        if run:
            columns |= Q(column__gte=run.start, column__lte=run.stop - 1)
    if not rows or not columns:
        return parents.none()
    inside = (
        children.alias(column=Mod("block", grid.MINUTES_LON))
        .filter(block__gte=rows.start * grid.MINUTES_LON, block__lt=rows.stop * grid.MINUTES_LON)
        .filter(columns)
    )
    return parents.filter(pk__in=inside.values(parent))


def _deposits_in_box(deposits: QuerySet[Deposit], box: Box) -> QuerySet[Deposit]:
    west, south, east, north = (Decimal(repr(v)) for v in box)
    deposits = deposits.filter(latitude__gte=south, latitude__lte=north)
    if west <= east:
        return deposits.filter(longitude__gte=west, longitude__lte=east)
    return deposits.filter(Q(longitude__gte=west) | Q(longitude__lte=east))  # across the antimeridian


def _equals(lookup: str) -> Callable[[str], Q]:
    return lambda value: Q(**{lookup: value})


def _number(prefix: str) -> Callable[[str], Q | None]:
    """An identifier like A-000123 (or 17 for no prefix) as a lookup on the number; None if it is not one."""

    def lookup(identifier: str) -> Q | None:
        digits = identifier.removeprefix(prefix)
        if not (digits.isascii() and digits.isdigit()) or len(digits) > 15:
            return None
        return Q(priority_number=int(digits)) if prefix else Q(pk=int(digits))

    return lookup


# Features ------------------------------------------------------------------------------


def _when(value: datetime | None) -> str | None:
    return timezone.localtime(value).isoformat() if value else None


def _deposit(deposit: Deposit, site: str) -> dict[str, Any]:
    properties = {**deposit_facts(deposit), "url": site + deposit.get_absolute_url()}
    point = {"type": "Point", "coordinates": [float(deposit.longitude), float(deposit.latitude)]}
    return {"type": "Feature", "id": deposit.slug, "geometry": point, "properties": properties}


def _blocks_of(rows: QuerySet[Any], parent: str) -> Callable[[list[Any]], None]:
    """An `attach` giving each row of a page its `page_blocks` from `rows` (claims, opening blocks,
    held tenures) as (parent, block) pairs: a thousand licences hold some 20,000 blocks, too many
    to make a model of each."""

    def attach(page: list[Any]) -> None:
        blocks: dict[int, list[int]] = defaultdict(list)
        for parent_id, block in rows.filter(**{f"{parent}__in": [row.pk for row in page]}).values_list(parent, "block"):
            blocks[parent_id].append(block)
        for row in page:
            row.page_blocks = sorted(blocks[row.pk])

    return attach


# What `licence_facts` and the outline read: a page of a thousand licences parses nothing else.
LICENCE_FIELDS = (
    *("number", "status", "granted_at", "starts_on", "expires_on", "outline__geometry"),
    *("holder__legal_name", "holder__legal_name_latin", "holder__country", "holder__registration_number"),
    *("licence_type__code", "licence_type__term_years", "application__region", "application__lodged_at"),
)


def _licence(licence: Licence, site: str) -> dict[str, Any]:
    blocks = licence.page_blocks  # type: ignore[attr-defined]
    url = site + reverse("licensing:register-licence", args=[licence.number])
    properties = {**licence_facts(licence, blocks), "url": url}
    geometry = outlines.stored(licence, blocks)
    return {"type": "Feature", "id": licence.number, "geometry": geometry, "properties": properties}


def _application(application: Application, site: str) -> dict[str, Any]:
    blocks = application.page_blocks  # type: ignore[attr-defined]
    properties = {
        "reference": application.reference,
        "applicant": application.organisation.legal_name_latin or application.organisation.legal_name,
        "licence_type": application.licence_type.code,
        "state": application.state,
        "region": application.region,
        "lodged_at": _when(application.lodged_at),
        "block_count": len(blocks),
        "area_km2": round(grid.total_area_km2(blocks), 3),
        "blocks": [grid.code(b) for b in blocks],
        "url": site + reverse("licensing:register-application", args=[application.reference]),
    }
    return {
        "type": "Feature",
        "id": application.reference,
        "geometry": outlines.stored(application, blocks),
        "properties": properties,
    }


def _opening(opening: GroundOpening, site: str) -> dict[str, Any]:
    blocks = opening.page_blocks  # type: ignore[attr-defined]
    properties = {
        "opens_at": _when(opening.opens_at),
        "window_closes_at": _when(opening.window_closes_at),
        "reason": opening.reason,
        "region": opening.region,
        "settled_at": _when(opening.settled_at),
        "block_count": len(blocks),
        "area_km2": round(grid.total_area_km2(blocks), 3),
        "blocks": [grid.code(b) for b in blocks],
    }
    return {"type": "Feature", "id": opening.pk, "geometry": outlines.stored(opening, blocks), "properties": properties}


# The collections -----------------------------------------------------------------------

STRING = {"type": "string"}
STRINGS = {"type": "array", "items": STRING}
INTEGER = {"type": "integer"}
NUMBER = {"type": "number"}
MOMENT = {"type": "string", "format": "date-time"}
DAY = {"type": "string", "format": "date"}

GROUND_FIELDS = {"block_count": INTEGER, "area_km2": NUMBER, "blocks": STRINGS}

LAYERS = {
    layer.id: layer
    for layer in (
        Layer(
            id="deposits",
            title=gettext_lazy("Deposits"),
            description=gettext_lazy("Published mineral deposits: location, commodities, type and stage."),
            keywords=["deposits", "critical minerals", "Kazakhstan"],
            rows=lambda: deposit_list_public().order_by("slug"),
            in_box=_deposits_in_box,
            time_field="published_at",
            filters={
                "region": _equals("region"),
                "deposit_type": _equals("deposit_type"),
                "stage": _equals("stage"),
                "commodities": lambda code: Q(
                    pk__in=DepositCommodity.objects.filter(commodity__code=code).values("deposit_id")
                ),
            },
            fields={
                "slug": STRING,
                "name_en": STRING,
                "name_ru": STRING,
                "name_kk": STRING,
                "region": STRING,
                "district": STRING,
                "deposit_type": STRING,
                "stage": STRING,
                "commodities": STRINGS,
                "colour": STRING,
                "updated_at": MOMENT,
                "url": STRING,
            },
            lookup=lambda slug: Q(slug=slug),
            feature=_deposit,
        ),
        Layer(
            id="licences",
            title=gettext_lazy("Licences"),
            description=gettext_lazy(
                "The licence register: number, holder, type, status, dates and the blocks held "
                "(or held when the licence ended)."
            ),
            keywords=["licences", "register", "mineral titles"],
            rows=lambda: (
                Licence.objects.select_related("holder", "licence_type", "application", "outline")
                .only(*LICENCE_FIELDS)
                .order_by("number")
            ),
            in_box=lambda licences, box: _ground_in_box(licences, held_tenures(), "licence_id", box),
            time_field="granted_at",
            filters={
                "number": _equals("number"),
                "licence_type": _equals("licence_type__code"),
                "status": _equals("status"),
                "region": _equals("application__region"),
                "holder_country": _equals("holder__country"),
            },
            fields={
                "number": STRING,
                "holder": STRING,
                "holder_country": STRING,
                "holder_registration_number": STRING,
                "licence_type": STRING,
                "status": STRING,
                "region": STRING,
                "application_lodged_at": MOMENT,
                "granted_at": MOMENT,
                "starts_on": DAY,
                "expires_on": DAY,
                "term_years": INTEGER,
                **GROUND_FIELDS,
                "url": STRING,
            },
            lookup=lambda number: Q(number=number),
            feature=_licence,
            attach=_blocks_of(held_tenures_of_page(), "licence_id"),
        ),
        Layer(
            id="applications",
            title=gettext_lazy("Applications"),
            description=gettext_lazy(
                "The public register of lodged applications: reference, applicant, type, state, "
                "date of lodgement and the blocks applied for. Drafts are never shown."
            ),
            keywords=["applications", "register", "priority"],
            rows=lambda: (
                Application.objects.filter(state__in=REGISTER_STATES)
                .select_related("organisation", "licence_type", "outline")
                .order_by("priority_number")
            ),
            in_box=lambda applications, box: _ground_in_box(applications, Claim.objects.all(), "application_id", box),
            time_field="lodged_at",
            filters={
                "licence_type": _equals("licence_type__code"),
                "state": _equals("state"),
                "region": _equals("region"),
            },
            fields={
                "reference": STRING,
                "applicant": STRING,
                "licence_type": STRING,
                "state": STRING,
                "region": STRING,
                "lodged_at": MOMENT,
                **GROUND_FIELDS,
                "url": STRING,
            },
            lookup=_number("A-"),
            feature=_application,
            attach=_blocks_of(Claim.objects.all(), "application_id"),
        ),
        Layer(
            id="openings",
            title=gettext_lazy("Ground openings"),
            description=gettext_lazy(
                "The release calendar: ground that opens for applications at a published time, "
                "and the month in which applications rank equally."
            ),
            keywords=["openings", "release calendar", "free ground"],
            rows=lambda: GroundOpening.objects.select_related("outline").order_by("-opens_at", "-id"),
            in_box=lambda openings, box: _ground_in_box(openings, OpeningBlock.objects.all(), "opening_id", box),
            time_field="opens_at",
            filters={"reason": _equals("reason"), "region": _equals("region")},
            fields={
                "opens_at": MOMENT,
                "window_closes_at": MOMENT,
                "reason": STRING,
                "region": STRING,
                "settled_at": MOMENT,
                **GROUND_FIELDS,
            },
            lookup=_number(""),
            feature=_opening,
            attach=_blocks_of(OpeningBlock.objects.all(), "opening_id"),
        ),
    )
}


# Reads ---------------------------------------------------------------------------------


def _moment(text: str, *, end: bool) -> datetime | None:
    """One end of a `datetime` interval: an RFC 3339 date-time, a date (its whole day), or '..'."""
    text = text.strip()
    if text in ("", ".."):
        return None
    try:
        moment = parse_datetime(text)
        if moment is None:
            day = parse_date(text)
            if day is None:
                raise ValueError(text)
            moment = datetime.combine(day, time.max if end else time.min)
    except (ValueError, OverflowError) as exc:
        raise QueryError(_("datetime must be an RFC 3339 date-time, a date or an interval of them.")) from exc
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.get_default_timezone())


def interval(text: str | None) -> tuple[datetime | None, datetime | None]:
    """The `datetime` parameter as (since, until): an instant, or `start/end` with '..' for open."""
    if not text:
        return None, None
    parts = text.split("/")
    if len(parts) == 1:
        return _moment(parts[0], end=False), _moment(parts[0], end=True)
    if len(parts) != 2 or parts == ["..", ".."]:
        raise QueryError(_("datetime must be an RFC 3339 date-time, a date or an interval of them."))
    since, until = _moment(parts[0], end=False), _moment(parts[1], end=True)
    if since and until and since > until:
        raise QueryError(_("datetime's interval ends before it starts."))
    return since, until


def _narrowed(layer: Layer, query: Query) -> QuerySet[Any]:
    rows = layer.rows()
    for name, value in query.equals.items():
        if name not in layer.filters:
            raise QueryError(_("This collection cannot be filtered by %(name)s.") % {"name": name[:40]})
        rows = rows.filter(layer.filters[name](value))
    if query.since:
        rows = rows.filter(**{f"{layer.time_field}__gte": query.since})
    if query.until:
        rows = rows.filter(**{f"{layer.time_field}__lte": query.until})
    if query.box:
        try:
            rows = layer.in_box(rows, query.box)
        except grid.GridError as exc:
            raise QueryError(_("bbox must be west,south,east,north in degrees on the Earth.")) from exc
    return rows


def features_page(layer: Layer, query: Query, *, site: str) -> Page:
    """The features matching the query, with how many match in all: a count, the page and its blocks."""
    if not 0 <= query.offset <= MAX_OFFSET:
        raise QueryError(_("offset must be a whole number from 0 to %(max)s.") % {"max": MAX_OFFSET})
    if not 1 <= query.limit <= MAX_LIMIT:
        raise QueryError(_("limit must be a whole number from 1 to %(max)s.") % {"max": MAX_LIMIT})
    rows = _narrowed(layer, query)
    matched = rows.count()
    if query.hits_only or query.offset >= matched:
        return Page(matched=matched, features=[])
    page = list(rows[query.offset : query.offset + query.limit])
    layer.attach(page)
    return Page(matched=matched, features=[layer.feature(row, site) for row in page])


def feature(layer: Layer, identifier: str, *, site: str) -> dict[str, Any] | None:
    lookup = layer.lookup(identifier)
    row = layer.rows().filter(lookup).first() if lookup is not None else None
    if row is None:
        return None
    layer.attach([row])
    return layer.feature(row, site)
