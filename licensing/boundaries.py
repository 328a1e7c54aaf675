"""Blocks from an uploaded boundary: a GeoJSON file or a zipped shapefile, in WGS84
longitude/latitude. The shape is turned into the blocks whose centre it contains."""

import io
import json
import struct
import zipfile
from typing import IO, Any

import shapefile
from django.utils.translation import gettext as _
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from licensing import grid

MAX_BYTES = 5 * 1024 * 1024


class BoundaryError(ValueError):
    """A file that does not describe an area on the WGS84 grid; the message says why."""


def _geometries_of_geojson(data: Any) -> list[dict[str, Any]]:
    kind = data.get("type") if isinstance(data, dict) else None
    if kind == "FeatureCollection":
        return [g for f in data.get("features") or [] for g in _geometries_of_geojson(f)]
    if kind == "Feature":
        return _geometries_of_geojson(data.get("geometry"))
    if kind in ("Polygon", "MultiPolygon"):
        return [data]
    raise BoundaryError(_("The file must hold polygons (a Polygon, MultiPolygon, Feature or FeatureCollection)."))


def _shapefile_geometries(raw: bytes) -> list[dict[str, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        names = {n.lower().rsplit(".", 1)[-1]: n for n in archive.namelist() if "." in n and not n.startswith("__")}
        if "shp" not in names or "shx" not in names:
            raise BoundaryError(_("The ZIP must hold a shapefile (.shp with its .shx and .dbf)."))
        prj = archive.read(names["prj"]).decode("latin-1") if "prj" in names else ""
        if prj.strip().upper().startswith("PROJCS"):  # projected metres, not degrees
            raise BoundaryError(_("The shapefile must be in WGS84 longitude/latitude (its .prj says otherwise)."))
        reader = shapefile.Reader(
            shp=io.BytesIO(archive.read(names["shp"])),
            shx=io.BytesIO(archive.read(names["shx"])),
            dbf=io.BytesIO(archive.read(names["dbf"])) if "dbf" in names else None,
        )
        return [s.__geo_interface__ for s in reader.shapes() if s.shapeTypeName.upper().startswith("POLYGON")]
    except (zipfile.BadZipFile, shapefile.ShapefileException, KeyError, struct.error) as exc:
        raise BoundaryError(_("The ZIP is not a readable shapefile.")) from exc


def blocks_from_boundary(file: IO[bytes], name: str) -> list[int]:
    """The blocks an uploaded boundary covers; raises BoundaryError with the reason."""
    raw = file.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise BoundaryError(_("The file is larger than 5 MB."))
    if raw[:4] == b"PK\x03\x04":
        geometries = _shapefile_geometries(raw)
    else:
        try:
            geometries = _geometries_of_geojson(json.loads(raw.decode("utf-8")))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise BoundaryError(_("The file is neither GeoJSON nor a zipped shapefile.")) from exc
    if not geometries:
        raise BoundaryError(_("The file holds no polygon."))
    try:
        outline = unary_union([shape(g) for g in geometries])
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise BoundaryError(_("The polygons are not valid.")) from exc
    west, south, east, north = outline.bounds
    if west < -180 or east > 180 or south < -90 or north > 90:
        raise BoundaryError(_("The coordinates must be WGS84 longitude and latitude in degrees."))
    try:
        return grid.blocks_in_shape(mapping(outline), limit=2000)
    except grid.GridError as exc:
        raise BoundaryError(_("The area is too large or not a valid polygon.")) from exc
