"""What the licence's PDF documents share (the certificate, the refusal letter, the invoice):
the faces' names, the colours, the languages of a certificate's parts, plain text as paragraph
markup, locale numbers and the ruled table. The faces are registered in `certificates`."""

from collections.abc import Sequence
from decimal import Decimal
from xml.sax.saxutils import escape

from django.conf import settings
from django.utils import formats
from reportlab.lib import colors
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph, Table, TableStyle

FONT = "SourceSansPro"


FONT_BOLD = "SourceSansPro-Bold"


STATE_LANGUAGE = "kk"


OFFICIAL_LANGUAGE = "ru"  # Russian, used officially alongside Kazakh (Constitution, Art. 7)


INK = colors.HexColor("#1b1f24")


RULE = colors.HexColor("#d0d7de")


def _text(value: object) -> str:
    """Paragraph markup for plain text: escaped, line breaks kept."""
    return escape(str(value)).replace("\n", "<br/>")


def certificate_languages(language: str) -> list[str]:
    """The parts to write: the given language (if the site speaks it) and Kazakh, Kazakh last."""
    known = {code for code, _name in settings.LANGUAGES}
    first = language if language in known else settings.LANGUAGE_CODE
    return [first] if first == STATE_LANGUAGE else [first, STATE_LANGUAGE]


def _number(value: float | Decimal, places: int = 2) -> str:
    return formats.number_format(value, places, use_l10n=True, force_grouping=True)


def _grid_table(rows: list[list[str]], widths: Sequence[float], *, header: bool) -> Table:
    """Plain-text cells in a ruled table that splits across pages, repeating its header row."""
    cell = ParagraphStyle("grid", fontName=FONT, fontSize=8.5, leading=10.5, textColor=INK)
    head = ParagraphStyle("grid-head", parent=cell, fontName=FONT_BOLD)
    data = [
        [Paragraph(_text(value), head if header and i == 0 else cell) for value in row] for i, row in enumerate(rows)
    ]
    table = Table(data, colWidths=widths, repeatRows=1 if header else 0, hAlign="LEFT")
    style = [
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("GRID", (0, 0), (-1, -1), 0.25, RULE),
        ("TOPPADDING", (0, 0), (-1, -1), 2),
        ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#f6f8fa")))
    table.setStyle(TableStyle(style))
    return table
