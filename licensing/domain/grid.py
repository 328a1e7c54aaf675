"""The graticular block grid: cells of 1 minute of latitude by 1 minute of longitude (WGS84).

A block is an integer computed from its south-west corner, counted in minutes from
-90° latitude and -180° longitude: ``lat_minute * 21600 + lon_minute``. Its readable code
spells that corner, e.g. ``N4812E08134`` for 48°12′N 81°34′E. All arithmetic on ground
(limits, contiguity, conflicts) is on these integers; polygons are derived for maps only.
Everything here is pure and needs no database."""

import math
import re
from collections.abc import Iterable
from typing import Any

import shapely
from shapely.errors import ShapelyError
from shapely.geometry import Point, Polygon, mapping, shape
from shapely.geometry.polygon import orient
from shapely.ops import unary_union
from shapely.prepared import prep

MINUTES_LON = 360 * 60  # 21600 columns


MINUTES_LAT = 180 * 60  # 10800 rows


BLOCK_COUNT = MINUTES_LON * MINUTES_LAT


# Mean radius of the Earth (IUGG), km: areas are on the sphere, well inside a block's rounding.
EARTH_RADIUS_KM = 6371.0088


CODE_RE = re.compile(r"^([NS])(\d{2})(\d{2})([EW])(\d{3})(\d{2})$", re.ASCII)


class GridError(ValueError):
    """A coordinate, code or shape that does not name blocks of the grid."""


def _minute(value: float) -> int:
    # Rounding first keeps 48.2 * 60 = 2891.9999999999995 on minute 2892, where it belongs.
    return math.floor(round(value * 60, 9))


def block_at(*, longitude: float, latitude: float) -> int:
    """The block containing a point; a point on a boundary belongs to the block north-east of it."""
    if not (-90 <= latitude < 90) or not (-180 <= longitude <= 180):
        raise GridError(f"{latitude}, {longitude} is not a position on the Earth")
    lat_minute = _minute(latitude + 90)
    lon_minute = _minute(longitude + 180) % MINUTES_LON
    return lat_minute * MINUTES_LON + lon_minute


def minutes(block: int) -> tuple[int, int]:
    """(lat_minute, lon_minute) of the south-west corner, counted from -90 and -180."""
    if not 0 <= block < BLOCK_COUNT:
        raise GridError(f"{block} is not a block of the grid")
    return divmod(block, MINUTES_LON)


def south_west(block: int) -> tuple[float, float]:
    """(longitude, latitude) of the block's south-west corner."""
    lat_minute, lon_minute = minutes(block)
    return lon_minute / 60 - 180, lat_minute / 60 - 90


def _half(total_minutes: int, positive: str, negative: str, width: int) -> str:
    sign = positive if total_minutes >= 0 else negative
    degrees, mins = divmod(abs(total_minutes), 60)
    return f"{sign}{degrees:0{width}d}{mins:02d}"


def code(block: int) -> str:
    """The readable code of a block: its south-west corner, e.g. N4812E08134."""
    lat_minute, lon_minute = minutes(block)
    return _half(lat_minute - 90 * 60, "N", "S", 2) + _half(lon_minute - 180 * 60, "E", "W", 3)


def parse(text: str) -> int:
    """The block a code names; raises GridError for anything else."""
    match = CODE_RE.match(text.strip().upper())
    if not match:
        raise GridError(f"{text!r} is not a block code like N4812E08134")
    ns, lat_deg, lat_min, ew, lon_deg, lon_min = match.groups()
    if int(lat_min) >= 60 or int(lon_min) >= 60:
        raise GridError(f"{text!r} has more than 59 minutes")
    lat = int(lat_deg) * 60 + int(lat_min)
    lon = int(lon_deg) * 60 + int(lon_min)
    lat = lat if ns == "N" else -lat
    lon = lon if ew == "E" else -lon
    if not (-90 * 60 <= lat < 90 * 60) or not (-180 * 60 <= lon < 180 * 60):
        raise GridError(f"{text!r} is off the grid")
    return (lat + 90 * 60) * MINUTES_LON + (lon + 180 * 60)


def ring(block: int) -> list[list[float]]:
    """The block's outline as a closed GeoJSON ring (longitude, latitude), counter-clockwise."""
    lat_minute, lon_minute = minutes(block)
    west, south = lon_minute / 60 - 180, lat_minute / 60 - 90
    # From the next minute, not west + 1/60: so an edge is exactly the neighbour's edge, and the
    # last column and row end on 180 and 90 rather than a rounding error beyond them.
    east, north = (lon_minute + 1) / 60 - 180, (lat_minute + 1) / 60 - 90
    return [[west, south], [east, south], [east, north], [west, north], [west, south]]


def polygon(block: int) -> dict[str, Any]:
    return {"type": "Polygon", "coordinates": [ring(block)]}


def outline(blocks: Iterable[int]) -> dict[str, Any] | None:
    """The blocks dissolved into one MultiPolygon (shared edges removed, exterior rings
    counter-clockwise as RFC 7946 asks), so that it is valid for GIS tools; None for no blocks."""
    cells = [Polygon(ring(b)) for b in blocks]
    if not cells:
        return None
    # simplify(0) drops the corners left in the middle of straight edges where blocks met.
    merged = unary_union(cells).simplify(0)
    parts = [merged] if merged.geom_type == "Polygon" else list(merged.geoms)  # type: ignore[attr-defined]
    # Nine decimals (a millimetre) print 50.15 rather than 50.150000000000006.
    rounded = [orient(shapely.set_precision(p, 1e-9), sign=1.0) for p in parts]
    return {"type": "MultiPolygon", "coordinates": [mapping(p)["coordinates"] for p in rounded]}


def feature_collection(blocks: Iterable[int], properties: dict[int, dict[str, Any]] | None = None) -> dict[str, Any]:
    properties = properties or {}
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": code(b),
                "geometry": polygon(b),
                "properties": {"code": code(b), **properties.get(b, {})},
            }
            for b in blocks
        ],
    }


def centre(block: int) -> tuple[float, float]:
    west, south = south_west(block)
    return west + 1 / 120, south + 1 / 120


def area_km2(block: int) -> float:
    """The block's area on the sphere: narrower towards the poles (about 2.3 km² at 48°N)."""
    lat_minute, _ = minutes(block)
    south = math.radians(lat_minute / 60 - 90)
    north = math.radians((lat_minute + 1) / 60 - 90)
    return EARTH_RADIUS_KM**2 * math.radians(1 / 60) * (math.sin(north) - math.sin(south))


def total_area_km2(blocks: Iterable[int]) -> float:
    return sum(area_km2(b) for b in blocks)


def blocks_in_bbox(lon1: float, lat1: float, lon2: float, lat2: float, *, limit: int | None = None) -> list[int]:
    """Every block whose interior meets the box, west to east within south to north rows.
    Raises GridError if the box is not on the Earth, or covers more than `limit` blocks."""
    west, east = sorted((lon1, lon2))
    south, north = sorted((lat1, lat2))
    if south < -90 or north > 90 or west < -180 or east > 180 or west == east or south == north:
        raise GridError("the box must have four different bounds on the Earth")
    row_lo, row_hi = _minute(south + 90), math.ceil(round((north + 90) * 60, 9)) - 1
    col_lo, col_hi = _minute(west + 180), math.ceil(round((east + 180) * 60, 9)) - 1
    row_hi, col_hi = min(row_hi, MINUTES_LAT - 1), min(col_hi, MINUTES_LON - 1)
    count = (row_hi - row_lo + 1) * (col_hi - col_lo + 1)
    if limit is not None and count > limit:
        raise GridError(f"the box covers {count} blocks; at most {limit} at a time")
    return [row * MINUTES_LON + col for row in range(row_lo, row_hi + 1) for col in range(col_lo, col_hi + 1)]


def bbox_span(west: float, south: float, east: float, north: float) -> tuple[range, list[range]]:
    """The rows, and the runs of columns, of every block whose cell (edges included) meets the
    box: the rows and columns a database filters block ids by, without listing the blocks.
    A box whose west is east of its east crosses the antimeridian: two runs of columns.
    Raises GridError if the box is not on the Earth or its south is north of its north."""
    bounds = (west, south, east, north)
    if not all(math.isfinite(v) for v in bounds):
        raise GridError("the box's bounds must be numbers")
    if not (-180 <= west <= 180 and -180 <= east <= 180 and -90 <= south <= north <= 90):
        raise GridError("the box must lie on the Earth, its south not north of its north")

    def cells(low: float, high: float, count: int) -> range:
        # Cell c spans minutes [c, c + 1]: it meets [low, high] when c <= high and c + 1 >= low.
        first = math.ceil(round(low * 60, 9)) - 1
        last = math.floor(round(high * 60, 9))
        return range(max(first, 0), min(last, count - 1) + 1)

    rows = cells(south + 90, north + 90, MINUTES_LAT)
    if west <= east:
        return rows, [cells(west + 180, east + 180, MINUTES_LON)]
    return rows, [cells(west + 180, 360, MINUTES_LON), cells(0, east + 180, MINUTES_LON)]


def blocks_in_shape(geometry: dict[str, Any], *, limit: int = 10_000) -> list[int]:
    """The blocks whose centre lies inside a GeoJSON Polygon or MultiPolygon (a shape drawn
    on the map, or a tenement outline following block edges)."""
    if not isinstance(geometry, dict) or geometry.get("type") not in ("Polygon", "MultiPolygon"):
        raise GridError("the shape must be a GeoJSON Polygon or MultiPolygon")
    try:
        outline = shape(geometry)
    except (ShapelyError, KeyError, TypeError, IndexError, AttributeError, ValueError) as exc:
        raise GridError(f"the shape is not valid GeoJSON: {exc}") from exc
    if outline.is_empty or not outline.is_valid:
        raise GridError("the shape is empty or crosses itself")
    west, south, east, north = outline.bounds
    candidates = blocks_in_bbox(west, south, east, north, limit=limit * 4)
    inside = prep(outline)
    found = [b for b in candidates if inside.contains(Point(*centre(b)))]
    if len(found) > limit:
        raise GridError(f"the shape covers {len(found)} blocks; at most {limit} at a time")
    return found


def neighbours(block: int) -> list[int]:
    """The four blocks sharing an edge with this one (across the antimeridian too)."""
    row, col = minutes(block)
    result = [row * MINUTES_LON + (col - 1) % MINUTES_LON, row * MINUTES_LON + (col + 1) % MINUTES_LON]
    if row > 0:
        result.append(block - MINUTES_LON)
    if row < MINUTES_LAT - 1:
        result.append(block + MINUTES_LON)
    return result


def components(blocks: Iterable[int]) -> list[set[int]]:
    """The set split into groups of blocks joined edge to edge (corners do not join)."""
    remaining = set(blocks)
    groups = []
    while remaining:
        start = remaining.pop()
        group, frontier = {start}, [start]
        while frontier:
            for n in neighbours(frontier.pop()):
                if n in remaining:
                    remaining.remove(n)
                    group.add(n)
                    frontier.append(n)
        groups.append(group)
    return groups


def is_contiguous(blocks: Iterable[int]) -> bool:
    """Whether every block can be reached from every other across shared edges."""
    return len(components(blocks)) <= 1
