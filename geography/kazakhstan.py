"""Kazakhstan's outline, from Natural Earth (npm package `world-atlas`, public domain).

The package ships TopoJSON; `kazakhstan_outline()` decodes Kazakhstan's feature into a
GeoJSON geometry once per process, and `in_kazakhstan()` tests a point against it.
No tile server is reached: the map draws this outline itself.
"""

import json
from functools import cache
from typing import Any

from django.conf import settings
from shapely.errors import ShapelyError
from shapely.geometry import Point, shape
from shapely.geometry.base import BaseGeometry
from shapely.prepared import PreparedGeometry, prep

KAZAKHSTAN_ISO_NUMERIC = "398"
TOPOLOGY_FILE = "world-atlas/countries-50m.json"

Position = list[float]


def decode_arcs(topology: dict[str, Any]) -> list[list[Position]]:
    """Quantised, delta-encoded TopoJSON arcs as absolute longitude/latitude positions."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        positions = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            positions.append([round(x * sx + tx, 5), round(y * sy + ty, 5)])
        decoded.append(positions)
    return decoded


def ring(arc_indexes: list[int], arcs: list[list[Position]]) -> list[Position]:
    """A TopoJSON ring or line (a list of arc indexes) as positions."""
    line: list[Position] = []
    for index in arc_indexes:
        # A negative index ~i means arc i walked backwards; consecutive arcs share an end point.
        positions = arcs[index] if index >= 0 else arcs[~index][::-1]
        line.extend(positions[1:] if line else positions)
    return line


@cache
def kazakhstan_outline() -> dict[str, Any]:
    """Kazakhstan as a GeoJSON MultiPolygon geometry (WGS84)."""
    path = settings.NODE_MODULES / TOPOLOGY_FILE
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make setup` (npm ci) to install the map data.")
    topology = json.loads(path.read_text())
    arcs = decode_arcs(topology)
    geometry = next(g for g in topology["objects"]["countries"]["geometries"] if g.get("id") == KAZAKHSTAN_ISO_NUMERIC)
    polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
    return {
        "type": "MultiPolygon",
        "coordinates": [[ring(r, arcs) for r in polygon] for polygon in polygons],
    }


@cache
def _kazakhstan_shape() -> tuple[BaseGeometry, PreparedGeometry]:
    geometry = shape(kazakhstan_outline())
    return geometry, prep(geometry)


def in_kazakhstan(*, longitude: float, latitude: float) -> bool:
    """Whether the point lies on Kazakhstan's territory (Natural Earth 1:50m outline)."""
    return _kazakhstan_shape()[1].covers(Point(float(longitude), float(latitude)))


def points_in_kazakhstan(longitudes: list[float], latitudes: list[float]) -> list[bool]:
    """`in_kazakhstan` for many points at once (one vectorised call)."""
    import shapely

    geometry = _kazakhstan_shape()[0]
    shapely.prepare(geometry)
    return [bool(x) for x in shapely.intersects_xy(geometry, longitudes, latitudes)]


def polygon_in_kazakhstan(geojson: dict[str, Any]) -> bool:
    """Whether a GeoJSON polygon lies within Kazakhstan (a 1 km tolerance for the outline's scale).
    Raises ValueError for anything that is not a valid GeoJSON (Multi)Polygon."""
    if not isinstance(geojson, dict) or geojson.get("type") not in ("Polygon", "MultiPolygon"):
        raise ValueError("not a GeoJSON Polygon or MultiPolygon")
    try:
        polygon = shape(geojson)
    except (ShapelyError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ValueError(str(exc)) from exc
    if polygon.is_empty or not polygon.is_valid:
        raise ValueError("the polygon is empty or self-intersecting")
    return bool(_kazakhstan_shape()[0].buffer(0.01).covers(polygon))
