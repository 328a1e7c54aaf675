"""Stamp every page of a PDF with who opened it and when, as it is served from the data room."""

import io
from typing import BinaryIO

import font_source_sans_pro as face  # type: ignore[import-untyped]
from pypdf import PdfReader, PdfWriter
from reportlab.lib.colors import Color
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas

# A face with Cyrillic and Kazakh letters (Helvetica has none): a person's name is often written in them.
FONT = "AshyqKenStamp"


def _font() -> str:
    if FONT not in pdfmetrics.getRegisteredFontNames():
        pdfmetrics.registerFont(TTFont(FONT, face.font_files_ttf["SourceSansPro"]))
    return FONT


def _stamp_page(text: str, width: float, height: float) -> PdfReader:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=(width, height))
    sheet.setFillColor(Color(0.7, 0.1, 0.1, alpha=0.85))
    sheet.setFont(_font(), 8)
    sheet.drawString(18, 10, text)
    sheet.drawRightString(width - 18, height - 14, text)
    sheet.save()
    buffer.seek(0)
    return PdfReader(buffer)


def stamp_pdf(source: BinaryIO, text: str) -> bytes:
    """A copy of the PDF with `text` at the foot and head of every page, in any script."""
    writer = PdfWriter(clone_from=PdfReader(source))
    stamps: dict[tuple[float, float], object] = {}
    for page in writer.pages:
        size = (float(page.mediabox.width), float(page.mediabox.height))
        if size not in stamps:
            stamps[size] = _stamp_page(text, *size).pages[0]
        page.merge_page(stamps[size])  # type: ignore[arg-type]
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()
