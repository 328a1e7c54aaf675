"""Checks of uploaded files: cheap ones at upload (answered at once), deep ones in Celery.

Every check answers with reasons a person can act on. The content type is sniffed from
the bytes, never taken from the file name or the browser.
"""

import csv
import json
import zipfile
from pathlib import PurePosixPath
from typing import IO

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from documents.kinds import CSV, EXTENSIONS, GEOJSON, JPEG, KINDS, PDF, PNG, XLSX, ZIP
from geography.kazakhstan import in_kazakhstan, polygon_in_kazakhstan

HEAD_BYTES = 8192


class CheckFailed(Exception):
    """The file is refused; `reasons` say why."""

    def __init__(self, *reasons: str) -> None:
        super().__init__("; ".join(reasons))
        self.reasons = list(reasons)


def _looks_like_text(head: bytes) -> str | None:
    try:
        text = head.decode("utf-8-sig")
    except UnicodeDecodeError:
        # A multi-byte character may be cut at the end of the head.
        try:
            text = head[:-3].decode("utf-8-sig")
        except UnicodeDecodeError:
            return None
    return text if "\x00" not in text else None


def sniff(head: bytes) -> str | None:
    """The content type the bytes say, or None."""
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return XLSX if b"[Content_Types].xml" in head or b"xl/" in head else ZIP
    text = _looks_like_text(head)
    if text is not None:
        stripped = text.lstrip()
        if stripped.startswith("{"):
            return GEOJSON
        if stripped and "," in stripped.splitlines()[0]:
            return CSV
    try:
        guess = puremagic.from_string(head, mime=True)
    except puremagic.PureError:
        return None
    return guess or None


def safe_name(name: str) -> str:
    """The original name without any path, control characters or odd punctuation."""
    base = PurePosixPath(name.replace("\\", "/")).name
    cleaned = "".join(c if c.isalnum() or c in " ._-()" else "_" for c in base).strip(" .")
    return cleaned[:150] or "document"


def precheck(*, file: IO[bytes], name: str, size: int, kind: str) -> str:
    """The cheap checks, answered at upload. Returns the sniffed content type or raises CheckFailed."""
    if kind not in KINDS:
        raise CheckFailed(_("Unknown kind of document."))
    if size == 0:
        raise CheckFailed(_("The file is empty."))
    if size > settings.DOCUMENTS_MAX_BYTES:
        raise CheckFailed(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(settings.DOCUMENTS_MAX_BYTES)}
        )
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    content_type = sniff(head)
    allowed = KINDS[kind].content_types
    if content_type not in allowed:
        raise CheckFailed(
            _("This file's content is not one of the types allowed for %(kind)s.") % {"kind": KINDS[kind].label}
        )
    extension = PurePosixPath(safe_name(name)).suffix.lower()
    if extension not in EXTENSIONS[content_type]:
        raise CheckFailed(
            _("The file name ends in “%(ext)s” but its content is %(type)s.")
            % {"ext": extension or _("nothing"), "type": content_type}
        )
    return content_type


# Deep checks ------------------------------------------------------------------------------


def check_pdf(path: str) -> dict[str, object]:
    from pypdf import PdfReader
    from pypdf.errors import PdfReadError

    try:
        reader = PdfReader(path, strict=False)
        if reader.is_encrypted:
            raise CheckFailed(_("The PDF is encrypted or password-protected; upload it without protection."))
        pages = len(reader.pages)
    except CheckFailed:
        raise
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CheckFailed(_("The PDF cannot be read: %(error)s") % {"error": exc.__class__.__name__}) from exc
    if pages == 0:
        raise CheckFailed(_("The PDF has no pages."))
    return {"pages": pages}


def check_image(path: str) -> dict[str, object]:
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(path) as image:
            width, height = image.size
            if width * height > settings.DOCUMENTS_MAX_IMAGE_PIXELS:
                raise CheckFailed(_("The image is too large (%(w)s × %(h)s pixels).") % {"w": width, "h": height})
            image.verify()
        with Image.open(path) as image:
            image.load()  # verify() does not decode the pixels
    except CheckFailed:
        raise
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise CheckFailed(_("The image cannot be decoded: %(error)s") % {"error": exc.__class__.__name__}) from exc
    return {"width": width, "height": height}


def check_zip(path: str, *, shapefile: bool) -> dict[str, object]:
    """Refuse ZIP bombs (too many entries, too much uncompressed, too high a ratio) and
    entries that would escape a folder; a boundary ZIP must hold a whole shapefile."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = archive.infolist()
            if len(entries) > settings.DOCUMENTS_ZIP_MAX_ENTRIES:
                raise CheckFailed(
                    _("The ZIP holds %(n)s files; the limit is %(limit)s.")
                    % {"n": len(entries), "limit": settings.DOCUMENTS_ZIP_MAX_ENTRIES}
                )
            total = sum(e.file_size for e in entries)
            packed = sum(e.compress_size for e in entries) or 1
            if total > settings.DOCUMENTS_ZIP_MAX_UNCOMPRESSED or total / packed > settings.DOCUMENTS_ZIP_MAX_RATIO:
                raise CheckFailed(
                    _("The ZIP expands to %(size)s, far more than it weighs: it is refused as a ZIP bomb.")
                    % {"size": filesizeformat(total)}
                )
            for entry in entries:
                parts = PurePosixPath(entry.filename).parts
                if entry.filename.startswith("/") or ".." in parts:
                    raise CheckFailed(_("The ZIP holds a path outside its folder: %(name)s") % {"name": entry.filename})
            bad = archive.testzip()
            if bad is not None:
                raise CheckFailed(_("The ZIP is damaged at %(name)s.") % {"name": bad})
            names = {PurePosixPath(e.filename).suffix.lower() for e in entries}
    except zipfile.BadZipFile as exc:
        raise CheckFailed(_("The ZIP cannot be opened.")) from exc
    if shapefile and not {".shp", ".shx", ".dbf"} <= names:
        raise CheckFailed(_("A shapefile ZIP must hold the .shp, .shx and .dbf files."))
    return {"entries": len(entries)}


def check_xlsx(path: str) -> dict[str, object]:
    facts = check_zip(path, shapefile=False)
    with zipfile.ZipFile(path) as archive:
        if "xl/workbook.xml" not in archive.namelist():
            raise CheckFailed(_("The file is a ZIP but not an Excel workbook."))
    return facts


def check_csv(path: str) -> dict[str, object]:
    try:
        with open(path, encoding="utf-8-sig", newline="") as handle:
            rows = sum(1 for _ in csv.reader(handle))
    except (UnicodeDecodeError, csv.Error) as exc:
        raise CheckFailed(_("The CSV must be UTF-8 text: %(error)s") % {"error": exc.__class__.__name__}) from exc
    if rows < 2:
        raise CheckFailed(_("The CSV needs a header row and at least one row of data."))
    return {"rows": rows}


def _geometries(data: dict) -> list[dict]:
    kind = data.get("type")
    if kind == "FeatureCollection":
        return [g for f in data.get("features", []) for g in _geometries(f)]
    if kind == "Feature":
        return [data["geometry"]] if data.get("geometry") else []
    if kind == "GeometryCollection":
        return [g for sub in data.get("geometries", []) for g in _geometries(sub)]
    return [data]


def check_geojson(path: str) -> dict[str, object]:
    try:
        with open(path, encoding="utf-8-sig") as handle:
            data = json.load(handle)
        geometries = _geometries(data)
    except (UnicodeDecodeError, json.JSONDecodeError, AttributeError, TypeError) as exc:
        raise CheckFailed(_("The GeoJSON cannot be parsed.")) from exc
    if not geometries:
        raise CheckFailed(_("The GeoJSON holds no geometry."))
    for geometry in geometries:
        kind = geometry.get("type") if isinstance(geometry, dict) else None
        try:
            if kind == "Point":
                lon, lat = geometry["coordinates"][:2]
                inside = in_kazakhstan(longitude=lon, latitude=lat)
            elif kind in ("Polygon", "MultiPolygon"):
                inside = polygon_in_kazakhstan(geometry)
            else:
                raise CheckFailed(_("Only points and polygons are accepted, not %(type)s.") % {"type": kind})
        except (ValueError, TypeError, KeyError, IndexError) as exc:
            raise CheckFailed(_("A geometry in the GeoJSON is not valid.")) from exc
        if not inside:
            raise CheckFailed(_("The GeoJSON has a geometry outside Kazakhstan."))
    return {"geometries": len(geometries)}


def deep_check(*, path: str, content_type: str, kind: str) -> dict[str, object]:
    """The deep check of a stored file; returns facts (page count, size…) or raises CheckFailed."""
    if content_type == PDF:
        return check_pdf(path)
    if content_type in (PNG, JPEG):
        return check_image(path)
    if content_type == XLSX:
        return check_xlsx(path)
    if content_type == ZIP:
        return check_zip(path, shapefile=KINDS[kind].shapefile)
    if content_type == CSV:
        return check_csv(path)
    if content_type == GEOJSON:
        return check_geojson(path)
    raise CheckFailed(_("No check exists for %(type)s.") % {"type": content_type})
