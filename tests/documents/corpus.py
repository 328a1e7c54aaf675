"""Hostile uploads, built in memory by the tests (no binary file is committed).

Each case is a name, the bytes, and words the answer must contain (the refusal's reason, at
upload or after the deep check). `boundary` cases are what a boundary file may hold; `document`
cases what a document upload may hold (a PDF is the type every document surface accepts).
"""

import io
import json
import zipfile
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile

from tests.documents import files


@dataclass(frozen=True)
class Case:
    id: str
    name: str
    content: bytes
    expect: str  # a pattern the reason matches
    document_expect: str | None = None  # the reason as the document checks word it, if not `expect`
    max_bytes: int | None = None  # DOCUMENTS_MAX_BYTES for this case


def upload(case: Case) -> "SimpleUploadedFile":
    return files.upload(case.name, case.content)


def active_pdf(key: str = "/JavaScript") -> bytes:
    """A one-page PDF whose catalogue runs JavaScript when opened."""
    from pypdf import PdfWriter
    from pypdf.generic import DictionaryObject, NameObject, TextStringObject

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    action = DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject("app.alert('hello')"),
        }
    )
    writer._root_object[NameObject("/OpenAction")] = writer._add_object(action)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def obfuscated_pdf() -> bytes:
    """Names spelt with #xx escapes (/J#61vaScript is /JavaScript), which a reader decodes."""
    return (
        active_pdf()
        .replace(b"/JavaScript", b"/J#61vaScript")
        .replace(b"/OpenAction", b"/Open#41ction")
        .replace(b"/JS", b"/J#53")
    )


def embedded_file_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    writer.add_attachment("payload.exe", b"MZ\x90\x00")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def html_polyglot() -> bytes:
    """A PDF that a browser also renders as a page running a script."""
    return files.pdf() + b"\n<html><script>alert(document.cookie)</script></html>\n"


def html_first_polyglot() -> bytes:
    """HTML first, then a PDF: PDF readers look for %PDF- in the first kilobyte."""
    return b"<html><script>alert(1)</script><!--\n" + files.pdf() + b"-->"


def zip_bomb(megabytes: int = 100) -> bytes:
    """One member of zeros: about 100 KB on disk per 100 MB inside."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("zeros.txt", "w", force_zip64=True) as member,
    ):
        for _ in range(megabytes):
            member.write(b"\x00" * (1024 * 1024))
    return out.getvalue()


def nested_zip() -> bytes:
    return files.zip_of({"inner.zip": files.zip_of({"a.shp": b"x", "a.shx": b"x", "a.dbf": b"x"}), "a.txt": b"x"})


def traversal_zip() -> bytes:
    return files.zip_of({"../x.shp": b"x", "a.shx": b"x", "a.dbf": b"x"})


def _shapefile(polygons: list[list[list[float]]]) -> tuple[bytes, bytes, bytes]:
    import shapefile

    shp, shx, dbf = io.BytesIO(), io.BytesIO(), io.BytesIO()
    with shapefile.Writer(shp=shp, shx=shx, dbf=dbf, shapeType=shapefile.POLYGON) as writer:
        writer.field("name", "C")
        for ring in polygons:
            writer.poly([ring])
            writer.record("area")
    return shp.getvalue(), shx.getvalue(), dbf.getvalue()


SQUARE = [[70.0, 48.0], [70.1, 48.0], [70.1, 48.1], [70.0, 48.1], [70.0, 48.0]]


def shapefile_zip(polygons: list[list[list[float]]] | None = None) -> bytes:
    shp, shx, dbf = _shapefile(polygons or [SQUARE])
    return files.zip_of({"area.shp": shp, "area.shx": shx, "area.dbf": dbf})


def shapefile_bomb(megabytes: int = 400) -> bytes:
    """A real shapefile whose .shp is padded with `megabytes` of zeros: about 400 KB zipped."""
    shp, shx, dbf = _shapefile([SQUARE])
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        with archive.open("area.shp", "w", force_zip64=True) as member:
            member.write(shp)
            chunk = b"\x00" * (1024 * 1024)
            for _ in range(megabytes):
                member.write(chunk)
        archive.writestr("area.shx", shx)
        archive.writestr("area.dbf", dbf)
    return out.getvalue()


def shapefile_many_points(points: int) -> bytes:
    """One polygon with `points` vertices on a small circle inside Kazakhstan."""
    import math

    ring = [
        [70.05 + 0.04 * math.cos(2 * math.pi * i / points), 48.05 + 0.04 * math.sin(2 * math.pi * i / points)]
        for i in range(points)
    ]
    ring.append(ring[0])
    return shapefile_zip([ring])


def deep_json(depth: int = 100_000) -> bytes:
    return b'{"type": "FeatureCollection", "features": ' + b"[" * depth + b"]" * depth + b"}"


def deep_geometry_collection(depth: int = 5000) -> bytes:
    """Nested GeometryCollections: valid JSON that a recursive walk cannot finish."""
    # json.dumps itself recurses: the text is built by hand.
    head = b'{"type": "GeometryCollection", "geometries": [' * depth
    return head + json.dumps({"type": "Polygon", "coordinates": [SQUARE]}).encode() + b"]}" * depth


def polygon(ring: list[list[float]]) -> bytes:
    return json.dumps({"type": "Polygon", "coordinates": [ring]}).encode()


NAN_POLYGON = b'{"type": "Polygon", "coordinates": [[[70, 48], [NaN, 48], [70.1, 48.1], [70, 48]]]}'
INFINITY_POLYGON = b'{"type": "Polygon", "coordinates": [[[70, 48], [Infinity, 48], [70.1, 1e999], [70, 48]]]}'
POLE_POLYGON = polygon([[70, 95], [70.1, 95], [70.1, 95.1], [70, 95]])
TASHKENT_POLYGON = polygon([[69.2, 41.3], [69.3, 41.3], [69.3, 41.4], [69.2, 41.3]])


def many_features(count: int) -> bytes:
    feature = {"type": "Feature", "properties": {}, "geometry": {"type": "Polygon", "coordinates": [SQUARE]}}
    return json.dumps({"type": "FeatureCollection", "features": [feature] * count}).encode()


def encrypted_pdf() -> bytes:
    return files.pdf(password="secret")


def renamed_zip() -> bytes:
    return files.zip_of({"a.txt": b"hello"})


def document_cases() -> list[Case]:
    """Every hostile file a document upload (of a PDF kind) may meet."""
    return [
        Case("empty", "report.pdf", b"", "empty"),
        Case("oversized", "report.pdf", files.pdf() + b" " * 4000, "the limit is", max_bytes=3000),
        Case("wrong-type", "report.pdf", b"MZ\x90\x00 a Windows program", "not one of the types allowed"),
        Case("renamed", "report.pdf", renamed_zip(), "not one of the types allowed"),
        Case("polyglot-after", "report.pdf", html_polyglot(), "HTML"),
        Case("polyglot-before", "report.pdf", html_first_polyglot(), "HTML"),
        Case("encrypted", "report.pdf", encrypted_pdf(), "encrypted"),
        Case("javascript", "report.pdf", active_pdf(), "JavaScript"),
        Case("obfuscated-javascript", "report.pdf", obfuscated_pdf(), "JavaScript"),
        Case("embedded-file", "report.pdf", embedded_file_pdf(), "embedded files"),
        Case("zip-bomb-named-pdf", "report.pdf", zip_bomb(5), "not one of the types allowed"),
    ]


def boundary_cases() -> list[Case]:
    """Every hostile file a boundary (a zipped shapefile or GeoJSON) may meet."""
    return [
        Case("empty", "area.geojson", b"", "empty"),
        Case(
            "wrong-type",
            "area.geojson",
            b"MZ\x90\x00 a Windows program",
            "neither GeoJSON nor a zipped shapefile",
            document_expect="not one of the types allowed",
        ),
        Case("zip-bomb", "area.zip", zip_bomb(50), "ZIP bomb"),
        Case("nested-zip", "area.zip", nested_zip(), "archive inside"),
        Case("path-traversal", "area.zip", traversal_zip(), "outside its folder"),
        Case("shapefile-bomb", "area.zip", shapefile_bomb(400), "ZIP bomb"),
        Case("deep-json", "area.geojson", deep_json(), "nested too deeply"),
        Case("deep-geometry-collection", "area.geojson", deep_geometry_collection(), "nested too deeply"),
        Case("nan", "area.geojson", NAN_POLYGON, "not a number"),
        Case("infinity", "area.geojson", INFINITY_POLYGON, "not a number"),
        Case("beyond-the-pole", "area.geojson", POLE_POLYGON, "longitude and latitude"),
        Case("outside-kazakhstan", "area.geojson", TASHKENT_POLYGON, "outside Kazakhstan"),
        Case("too-many-features", "area.geojson", many_features(2000), "features"),
    ]
