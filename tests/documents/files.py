"""Real files of every kind, good and bad, made in memory."""

import io
import json
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile


def pdf(pages: int = 2, password: str | None = None) -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(width=595, height=842)
    if password:
        writer.encrypt(password)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image(fmt: str = "PNG", size: tuple[int, int] = (40, 30)) -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", size, (0, 88, 107)).save(out, fmt)
    return out.getvalue()


def zip_of(entries: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    return out.getvalue()


def shapefile_zip() -> bytes:
    return zip_of(
        {"blocks.shp": b"\x00\x00\x27\x0a" + b"\x00" * 96, "blocks.shx": b"\x00" * 100, "blocks.dbf": b"\x03" * 40}
    )


def xlsx() -> bytes:
    return zip_of({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})


def geojson(geometry: dict) -> bytes:
    return json.dumps(
        {"type": "FeatureCollection", "features": [{"type": "Feature", "geometry": geometry, "properties": {}}]}
    ).encode()


SQUARE_IN_KAZAKHSTAN = {"type": "Polygon", "coordinates": [[[70, 48], [70.1, 48], [70.1, 48.1], [70, 48.1], [70, 48]]]}
TASHKENT = {"type": "Point", "coordinates": [69.28, 41.31]}


def upload(name: str, content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type="application/octet-stream")
