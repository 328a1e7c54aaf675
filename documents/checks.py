"""Checks of uploaded files: cheap ones at upload (answered at once), deep ones in Celery.

Every check answers with reasons a person can act on. The content type is sniffed from
the bytes, never taken from the file name or the browser.
"""

import csv
import io
import json
import math
import re
import zipfile
from pathlib import PurePosixPath
from typing import IO, Any, NoReturn

import puremagic
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from documents.kinds import CSV, EXTENSIONS, GEOJSON, JPEG, KINDS, PDF, PNG, XLSX, ZIP, ActiveContent
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
    if b"%PDF-" in head[:1024] and not head.startswith(b"%PDF-"):
        # PDF readers look for the header in the first kilobyte; what comes before it is for another reader.
        raise CheckFailed(_("The file holds a PDF after other content (HTML or another format); upload the PDF alone."))
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


# Names that make a PDF act when it is opened or shown, as a reader spells them.
ACTIVE_PDF_NAMES = {
    "/JavaScript": "javascript",
    "/JS": "javascript",
    "/OpenAction": "open_action",
    "/AA": "actions",
    "/Launch": "launch",
    "/EmbeddedFile": "embedded",
    "/EmbeddedFiles": "embedded",
    "/RichMedia": "rich_media",
    "/XFA": "xfa",
}
PDF_MAX_OBJECTS = 200_000
MARKUP = re.compile(rb"<(?:html|script|!doctype\s+html|iframe)\b", re.IGNORECASE)
PDF_NAME = re.compile(rb"/((?:[A-Za-z0-9_.+-]|#[0-9A-Fa-f]{2})+)")
PDF_STREAM = re.compile(rb"stream\r?\n.*?endstream", re.DOTALL)


def _active_content_words(code: str) -> str:
    return {
        "javascript": _("JavaScript"),
        "open_action": _("an action run when it is opened"),
        "actions": _("actions run when it is viewed or printed"),
        "launch": _("an action that starts a program"),
        "embedded": _("embedded files"),
        "rich_media": _("rich media (Flash or video)"),
        "xfa": _("an XFA form"),
    }[code]


def _pdf_active_by_walk(reader: Any) -> set[str]:
    """What the PDF's objects hold of ACTIVE_PDF_NAMES, walking from the trailer (compressed
    object streams included), at most PDF_MAX_OBJECTS objects."""
    from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

    found: set[str] = set()
    seen: set[tuple[int, int]] = set()
    todo: list[Any] = [reader.trailer]
    budget = PDF_MAX_OBJECTS
    while todo:
        budget -= 1
        if budget < 0:
            raise CheckFailed(_("The PDF has too many objects to check (more than %(n)s).") % {"n": PDF_MAX_OBJECTS})
        item = todo.pop()
        if isinstance(item, IndirectObject):
            if (item.idnum, item.generation) in seen:
                continue
            seen.add((item.idnum, item.generation))
            item = item.get_object()
        if isinstance(item, DictionaryObject):
            for key, value in item.items():
                if key == "/OpenAction":  # a page to open at is harmless; an action other than GoTo is not
                    action = value.get_object()
                    if isinstance(action, DictionaryObject) and action.get("/S") not in ("/GoTo", None):
                        found.add("open_action")
                elif key in ACTIVE_PDF_NAMES:
                    found.add(ACTIVE_PDF_NAMES[key])
            todo.extend(item.values())
        elif isinstance(item, ArrayObject):
            todo.extend(item)
        elif isinstance(item, NameObject) and item in ACTIVE_PDF_NAMES and item != "/OpenAction":
            found.add(ACTIVE_PDF_NAMES[item])
    return found


def _pdf_active_by_bytes(raw: bytes) -> set[str]:
    """ACTIVE_PDF_NAMES written outside streams, where a lenient reader may find them though the
    walk did not (objects outside the cross-reference table); a name spelt with #xx escapes
    (/J#61vaScript) counts even for /OpenAction, as no honest writer escapes letters."""
    found: set[str] = set()
    for match in PDF_NAME.finditer(PDF_STREAM.sub(b" ", raw)):
        written = match.group(1)
        name = "/" + re.sub(rb"#([0-9A-Fa-f]{2})", lambda m: bytes([int(m.group(1), 16)]), written).decode("latin-1")
        if name in ACTIVE_PDF_NAMES and (name != "/OpenAction" or b"#" in written):
            found.add(ACTIVE_PDF_NAMES[name])
    return found


def check_pdf(path: str, *, kind: str | None = None) -> dict[str, object]:
    """A PDF that opens, has pages, is not encrypted and is not also HTML; active content
    (JavaScript, launch actions, embedded files…) refused or flagged as the kind says."""
    from pypdf import PdfReader
    from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError

    with open(path, "rb") as handle:
        raw = handle.read()
    markup = MARKUP.search(raw)
    if markup:
        raise CheckFailed(
            _("The PDF also holds HTML or a script (%(marker)s), which a browser could run; we do not accept it.")
            % {"marker": markup.group(0).decode("latin-1")}
        )
    try:
        reader = PdfReader(io.BytesIO(raw), strict=False)
        if reader.is_encrypted:
            raise CheckFailed(_("The PDF is encrypted or password-protected; upload it without protection."))
        pages = len(reader.pages)
        active = _pdf_active_by_walk(reader) | _pdf_active_by_bytes(raw)
    except CheckFailed:
        raise
    except (FileNotDecryptedError, DependencyError) as exc:
        raise CheckFailed(_("The PDF is encrypted or password-protected; upload it without protection.")) from exc
    except (PdfReadError, ValueError, KeyError, TypeError, OSError, RecursionError) as exc:
        raise CheckFailed(_("The PDF cannot be read: %(error)s") % {"error": exc.__class__.__name__}) from exc
    if pages == 0:
        raise CheckFailed(_("The PDF has no pages."))
    facts: dict[str, object] = {"pages": pages}
    if active:
        words = sorted(_active_content_words(code) for code in active)
        if kind is None or KINDS[kind].active_content == ActiveContent.REJECT:
            raise CheckFailed(
                *(_("The PDF contains %(what)s, which we do not accept.") % {"what": word} for word in words)
            )
        facts["active_content"] = words
    return facts


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


# The first bytes of archive formats: an archive inside an archive is refused, whatever its name.
ARCHIVE_MAGIC = (b"PK\x03\x04", b"\x1f\x8b", b"7z\xbc\xaf\x27\x1c", b"Rar!", b"BZh", b"\xfd7zXZ\x00")
ARCHIVE_SUFFIXES = {".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar", ".jar", ".kmz"}
# Below this, a high compression ratio is harmless (a short run of zeros packs a thousandfold).
RATIO_APPLIES_FROM = 1024 * 1024


def _escapes(name: str) -> bool:
    path = name.replace("\\", "/")
    return path.startswith("/") or ".." in PurePosixPath(path).parts or (len(path) > 1 and path[1] == ":")


def zip_members(archive: zipfile.ZipFile, *, max_total: int | None = None) -> list[zipfile.ZipInfo]:
    """The members of an archive that keeps the ZIP limits, checked from its directory before
    anything is unpacked: at most DOCUMENTS_ZIP_MAX_ENTRIES members, each at most
    DOCUMENTS_ZIP_MAX_MEMBER_BYTES and all together at most DOCUMENTS_ZIP_MAX_UNCOMPRESSED
    (or `max_total`, if lower), no compression ratio above DOCUMENTS_ZIP_MAX_RATIO, no name
    that leaves the folder, no archive inside. Raises CheckFailed with the reason.

    The sizes a directory declares bound what `zip_read` returns: zipfile stops at the declared
    size and a member that holds more fails its CRC."""
    entries = archive.infolist()
    if len(entries) > settings.DOCUMENTS_ZIP_MAX_ENTRIES:
        raise CheckFailed(
            _("The ZIP holds %(n)s files; the limit is %(limit)s.")
            % {"n": len(entries), "limit": settings.DOCUMENTS_ZIP_MAX_ENTRIES}
        )
    limit = min(settings.DOCUMENTS_ZIP_MAX_UNCOMPRESSED, max_total or settings.DOCUMENTS_ZIP_MAX_UNCOMPRESSED)
    total = sum(e.file_size for e in entries)
    packed = sum(e.compress_size for e in entries) or 1
    bomb = total > limit or (total > RATIO_APPLIES_FROM and total / packed > settings.DOCUMENTS_ZIP_MAX_RATIO)
    for entry in entries:
        if "\x00" in entry.filename or _escapes(entry.filename):
            raise CheckFailed(_("The ZIP holds a path outside its folder: %(name)s") % {"name": entry.filename})
        ratio = entry.file_size / max(entry.compress_size, 1)
        bomb = bomb or entry.file_size > settings.DOCUMENTS_ZIP_MAX_MEMBER_BYTES
        bomb = bomb or (entry.file_size > RATIO_APPLIES_FROM and ratio > settings.DOCUMENTS_ZIP_MAX_RATIO)
    if bomb:
        raise CheckFailed(
            _("The ZIP expands to %(size)s, far more than it weighs or than we accept: it is refused as a ZIP bomb.")
            % {"size": filesizeformat(total)}
        )
    for entry in entries:
        if entry.is_dir():
            continue
        nested = PurePosixPath(entry.filename).suffix.lower() in ARCHIVE_SUFFIXES
        if not nested and entry.file_size:
            with archive.open(entry) as member:
                nested = member.read(8).startswith(ARCHIVE_MAGIC)
        if nested:
            raise CheckFailed(
                _("The ZIP holds another archive inside (%(name)s); upload the files themselves.")
                % {"name": entry.filename}
            )
    return entries


def zip_read(archive: zipfile.ZipFile, entry: zipfile.ZipInfo, *, limit: int, chunk: int = 64 * 1024) -> bytes:
    """A member's bytes, read in chunks and never more than `limit` (CheckFailed beyond)."""
    out = bytearray()
    with archive.open(entry) as member:
        while block := member.read(chunk):
            out += block
            if len(out) > limit:
                raise CheckFailed(
                    _("%(name)s inside the ZIP is larger than %(limit)s.")
                    % {"name": entry.filename, "limit": filesizeformat(limit)}
                )
    return bytes(out)


def check_zip(path: str, *, shapefile: bool) -> dict[str, object]:
    """Refuse ZIP bombs, nested archives and entries that would escape a folder (`zip_members`);
    a boundary ZIP must hold a whole shapefile."""
    try:
        with zipfile.ZipFile(path) as archive:
            entries = zip_members(archive)
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


# GeoJSON needs six levels (a collection, its features, a feature, its geometry, rings,
# positions); twice that is generous, and a walk to that depth cannot exhaust the stack.
JSON_MAX_DEPTH = 12
GEOJSON_MAX_POINTS = 200_000


def _nested_too_deeply(depth: int) -> CheckFailed:
    return CheckFailed(_("The JSON is nested too deeply (more than %(n)s levels).") % {"n": depth})


def _not_a_number(text: str) -> NoReturn:
    raise CheckFailed(_("The file holds a coordinate that is not a number (%(value)s).") % {"value": text[:20]})


def _finite(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):  # 1e999 parses as infinity
        _not_a_number(text)
    return value


def json_load(raw: bytes | str, *, max_depth: int = JSON_MAX_DEPTH) -> Any:
    """JSON as Python objects, refusing (CheckFailed) what the json module lets through: NaN and
    Infinity, numbers too large for a float, and nesting deeper than `max_depth` (the parser
    itself would recurse until RecursionError). ValueError for text that is not JSON."""
    try:
        data = json.loads(raw, parse_constant=_not_a_number, parse_float=_finite)
    except RecursionError as exc:
        raise _nested_too_deeply(max_depth) from exc
    todo = [(data, 1)]
    while todo:  # without recursion, so that a deep document cannot exhaust the stack
        value, depth = todo.pop()
        if depth > max_depth:
            raise _nested_too_deeply(max_depth)
        if isinstance(value, dict):
            todo.extend((v, depth + 1) for v in value.values())
        elif isinstance(value, list):
            todo.extend((v, depth + 1) for v in value)
    return data


def geojson_geometries(data: Any) -> list[dict[str, Any]]:
    """The geometries of a GeoJSON object (a FeatureCollection, Feature, GeometryCollection or
    a geometry), in order and at most DOCUMENTS_GEOJSON_MAX_FEATURES; CheckFailed otherwise."""
    limit = settings.DOCUMENTS_GEOJSON_MAX_FEATURES
    found: list[dict[str, Any]] = []
    todo = [data]
    while todo:
        item = todo.pop()
        kind = item.get("type") if isinstance(item, dict) else None
        if kind == "FeatureCollection":
            features = item.get("features") or []
            if not isinstance(features, list):
                raise CheckFailed(_("The GeoJSON's features are not a list."))
            todo.extend(reversed(features))
        elif kind == "Feature":
            if item.get("geometry"):
                todo.append(item["geometry"])
        elif kind == "GeometryCollection":
            geometries = item.get("geometries") or []
            if not isinstance(geometries, list):
                raise CheckFailed(_("The GeoJSON's geometries are not a list."))
            todo.extend(reversed(geometries))
        elif isinstance(item, dict):
            found.append(item)
        else:
            raise CheckFailed(_("The GeoJSON holds something that is neither a feature nor a geometry."))
        if len(found) + len(todo) > limit:
            raise CheckFailed(_("The GeoJSON holds more than %(limit)s features or geometries.") % {"limit": limit})
    return found


def geojson_positions_check(geometries: list[dict[str, Any]], *, max_points: int = GEOJSON_MAX_POINTS) -> int:
    """Every position is a longitude from −180 to 180 and a latitude from −90 to 90 (WGS84
    degrees), and there are at most `max_points`. Returns how many; raises CheckFailed."""
    points = 0
    todo: list[Any] = [g.get("coordinates") for g in geometries]
    while todo:
        value = todo.pop()
        if not isinstance(value, (list, tuple)) or not value:  # tuples from a shapefile's shapes
            raise CheckFailed(_("A geometry in the GeoJSON is not valid."))
        if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in value):
            lon, lat = (*value, None)[:2]
            if lat is None or not (-180 <= lon <= 180 and -90 <= lat <= 90):  # NaN is in no range
                raise CheckFailed(
                    _("The coordinates must be WGS84 longitude and latitude in degrees; %(position)s is not.")
                    % {"position": str(list(value))[:60]}
                )
            points += 1
            if points > max_points:
                raise CheckFailed(_("The GeoJSON has more than %(limit)s points.") % {"limit": max_points})
        else:
            todo.extend(value)
    return points


def check_geojson(path: str) -> dict[str, object]:
    try:
        with open(path, "rb") as handle:
            data = json_load(handle.read())
    except ValueError as exc:  # not UTF-8, not JSON
        raise CheckFailed(_("The GeoJSON cannot be parsed.")) from exc
    geometries = geojson_geometries(data)
    if not geometries:
        raise CheckFailed(_("The GeoJSON holds no geometry."))
    geojson_positions_check(geometries)
    for geometry in geometries:
        kind = geometry.get("type")
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
        return check_pdf(path, kind=kind)
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
