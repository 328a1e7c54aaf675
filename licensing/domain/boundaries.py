"""Blocks from an uploaded boundary: a GeoJSON file or a zipped shapefile, in WGS84
longitude/latitude. The shape is turned into the blocks whose centre it contains.

The file is read in the web process, so everything it may make us hold is bounded before it
is read: the upload's size, the ZIP's members (the documents app's limits, `zip_members`, with
a lower total), the shapes and points of a shapefile, GeoJSON's depth, features and points."""

import io
import struct
import zipfile
from typing import IO, Any

import shapefile
from django.utils.translation import gettext as _
from shapely.errors import ShapelyError
from shapely.geometry import mapping, shape
from shapely.ops import unary_union

from documents.checks import CheckFailed, geojson_geometries, geojson_positions_check, json_load, zip_members, zip_read
from geography.kazakhstan import polygon_in_kazakhstan
from licensing.domain import grid

MAX_BYTES = 5 * 1024 * 1024
# A licence area's outline needs thousands of points, not millions: 16 bytes a point in a .shp.
MAX_SHAPES = 1000
MAX_POINTS = 100_000
MAX_UNCOMPRESSED = 4 * 1024 * 1024
MAX_SIDECAR_BYTES = 1024 * 1024  # .prj, .dbf, .shx


class BoundaryError(ValueError):
    """A file that does not describe an area on the WGS84 grid; the message says why."""


def _polygons_of_geojson(data: Any) -> list[dict[str, Any]]:
    geometries = geojson_geometries(data)
    if any(g.get("type") not in ("Polygon", "MultiPolygon") for g in geometries):
        raise BoundaryError(_("The file must hold polygons (a Polygon, MultiPolygon, Feature or FeatureCollection)."))
    geojson_positions_check(geometries, max_points=MAX_POINTS)
    return geometries


def _shapefile_geometries(raw: bytes) -> list[dict[str, Any]]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(raw))
        entries = zip_members(archive, max_total=MAX_UNCOMPRESSED)
        members = {
            e.filename.lower().rsplit(".", 1)[-1]: e
            for e in entries
            if "." in e.filename and not e.filename.startswith("__")
        }
        if "shp" not in members or "shx" not in members:
            raise BoundaryError(_("The ZIP must hold a shapefile (.shp with its .shx and .dbf)."))

        def read(ext: str, limit: int = MAX_SIDECAR_BYTES) -> io.BytesIO:
            return io.BytesIO(zip_read(archive, members[ext], limit=limit))

        prj = read("prj").getvalue().decode("latin-1") if "prj" in members else ""
        if prj.strip().upper().startswith("PROJCS"):  # projected metres, not degrees
            raise BoundaryError(_("The shapefile must be in WGS84 longitude/latitude (its .prj says otherwise)."))
        reader = shapefile.Reader(
            shp=read("shp", MAX_UNCOMPRESSED), shx=read("shx"), dbf=read("dbf") if "dbf" in members else None
        )
        if len(reader) > MAX_SHAPES:
            raise BoundaryError(_("The shapefile holds more than %(n)s shapes.") % {"n": MAX_SHAPES})
        geometries, points = [], 0
        for found in reader.iterShapes():
            points += len(found.points)
            if points > MAX_POINTS:
                raise BoundaryError(_("The shapefile has more than %(n)s points.") % {"n": MAX_POINTS})
            if found.shapeTypeName.upper().startswith("POLYGON"):
                geometries.append(found.__geo_interface__)
    except CheckFailed as exc:
        raise BoundaryError(" ".join(exc.reasons)) from exc
    except (zipfile.BadZipFile, shapefile.ShapefileException, KeyError, struct.error, EOFError) as exc:
        raise BoundaryError(_("The ZIP is not a readable shapefile.")) from exc
    try:
        geojson_positions_check(geometries, max_points=MAX_POINTS)
    except CheckFailed as exc:
        raise BoundaryError(" ".join(exc.reasons)) from exc
    return geometries


def blocks_from_boundary(file: IO[bytes], name: str) -> list[int]:
    """The blocks an uploaded boundary covers; raises BoundaryError with the reason."""
    raw = file.read(MAX_BYTES + 1)
    if not raw:
        raise BoundaryError(_("The file is empty."))
    if len(raw) > MAX_BYTES:
        raise BoundaryError(_("The file is larger than 5 MB."))
    if raw[:4] == b"PK\x03\x04":
        geometries = _shapefile_geometries(raw)
    else:
        try:
            geometries = _polygons_of_geojson(json_load(raw.decode("utf-8-sig")))
        except CheckFailed as exc:
            raise BoundaryError(" ".join(exc.reasons)) from exc
        except BoundaryError:
            raise
        except ValueError as exc:  # not UTF-8, not JSON
            raise BoundaryError(_("The file is neither GeoJSON nor a zipped shapefile.")) from exc
    if not geometries:
        raise BoundaryError(_("The file holds no polygon."))
    try:
        outline = unary_union([shape(g) for g in geometries])
        inside = polygon_in_kazakhstan(mapping(outline))
    except (ValueError, TypeError, KeyError, AttributeError, IndexError, ShapelyError) as exc:
        raise BoundaryError(_("The polygons are not valid.")) from exc
    if not inside:
        raise BoundaryError(_("The boundary lies outside Kazakhstan (or crosses its border)."))
    try:
        return grid.blocks_in_shape(mapping(outline), limit=2000)
    except grid.GridError as exc:
        raise BoundaryError(_("The area is too large or not a valid polygon.")) from exc
