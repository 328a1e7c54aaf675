"""Licence certificates and refusal letters as PDF, drawn with reportlab.

A certificate is written in the holder's language and in Kazakh, the state language: one part
per language, each complete (facts, map of the blocks, block list, obligations, verification
QR code), so either can be read, printed or filed alone. When the holder's language is Kazakh,
the Kazakh part is the whole certificate. The caller chooses the holder's language (see
`licensing.licences.selectors.holder_language`): the certificate is the holder's document, so it reads the
same whoever downloads it.

The text face is Source Sans Pro from the `font-source-sans-pro` wheel (SIL Open Font Licence).
reportlab's own faces are Latin only (the Type 1 standard fonts and Bitstream Vera), so they
would print Cyrillic as blanks; Source Sans Pro covers Russian and the Kazakh letters
(ә ғ қ ң ө ұ ү һ і), comes as TrueType (which reportlab embeds; it cannot embed CFF OpenType),
and installs from PyPI as a pure wheel with no dependencies, so a fresh machine and CI need no
system font package.

Each part names the issuing authority and the official who decided (name and title) in the
holder's language, Kazakh and Russian, and lists the corners of the licence area. The file
made here is unsigned: `licensing.licences.signing` adds the registry's PAdES signature when a
version is issued (`services.certificate_issue`)."""

import io
import math
import threading
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from xml.sax.saxutils import escape

import segno
from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.http import content_disposition_header
from django.utils.translation import get_language_info, ngettext, pgettext
from django.utils.translation import gettext as _
from reportlab.graphics.shapes import Drawing, Line, Polygon, Rect, String
from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import (
    Flowable,
    Image,
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from accounts.models import User
from investors.models import Organisation
from licensing.domain import grid
from licensing.licences import certificate_sections, signing
from licensing.licences.pdf_base import (
    FONT,
    FONT_BOLD,
    INK,
    RULE,
    _grid_table,
    _number,
    _text,
    certificate_languages,
)
from licensing.models import Licence, LicenceObligation, ObligationKind


def pdf_response(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = content_disposition_header(True, filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


MUTED = colors.HexColor("#57606a")


HELD = colors.HexColor("#b2182b")


CODES_PER_ROW = 6


MAP_SIZE = 250  # points: the map is a square box on the page


KM_PER_DEGREE = 2 * math.pi * grid.EARTH_RADIUS_KM / 360


_fonts_lock = threading.Lock()
_fonts_registered = False


def _register_fonts() -> None:
    """Register the faces with reportlab, once per process, before anything is drawn.

    Every public function here calls it first: a Paragraph looks its font family up when it
    is made, not when the page is drawn, so registering in the final build is too late.
    The flag is set only once both faces and their family are in place, and read again under
    the lock, so a second thread never draws with half a registration and the font files
    are read once."""
    global _fonts_registered
    if _fonts_registered:
        return
    with _fonts_lock:
        if _fonts_registered:
            return
        import font_source_sans_pro as face  # type: ignore[import-untyped]
        from reportlab.lib.fonts import addMapping

        pdfmetrics.registerFont(TTFont(FONT, face.font_files_ttf["SourceSansPro"]))
        pdfmetrics.registerFont(TTFont(FONT_BOLD, face.font_files_ttf["SourceSansProBold"]))
        for bold, italic, name in ((0, 0, FONT), (1, 0, FONT_BOLD), (0, 1, FONT), (1, 1, FONT_BOLD)):
            addMapping(FONT, bold, italic, name)
        _fonts_registered = True


def _styles() -> dict[str, ParagraphStyle]:
    body = ParagraphStyle("body", fontName=FONT, fontSize=10, leading=13, textColor=INK)
    return {
        "body": body,
        "small": ParagraphStyle("small", parent=body, fontSize=8, leading=10, textColor=MUTED),
        "cell": ParagraphStyle("cell", parent=body, fontSize=9, leading=11),
        "label": ParagraphStyle("label", parent=body, fontSize=9, leading=11, textColor=MUTED),
        "language": ParagraphStyle("language", parent=body, fontSize=9, textColor=MUTED, alignment=TA_CENTER),
        "title": ParagraphStyle("title", parent=body, fontName=FONT_BOLD, fontSize=18, leading=22, alignment=TA_CENTER),
        "number": ParagraphStyle("number", parent=body, fontName=FONT_BOLD, fontSize=13, alignment=TA_CENTER),
        "h2": ParagraphStyle("h2", parent=body, fontName=FONT_BOLD, fontSize=12, leading=15, spaceBefore=8),
    }


def _date(value: date | None) -> str:
    return formats.date_format(value) if value else "—"


def _local(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


def _absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def verify_url(licence: Licence) -> str:
    """The public page that confirms the licence, as printed and encoded on the certificate."""
    return _absolute(reverse("licensing:verify", kwargs={"number": licence.number}))


def held_blocks(licence: Licence) -> list[int]:
    """The blocks the licence holds; once it has ended, those it held when it ended.
    Reads `licence.tenures.all()`, so a prefetch serves it without a query."""
    tenures = list(licence.tenures.all())
    active = [t.block for t in tenures if t.is_active]
    if active or not tenures:
        return sorted(active)
    last = max(t.ended_at for t in tenures if t.ended_at)
    return sorted(t.block for t in tenures if t.ended_at == last)


def _facts(rows: Sequence[tuple[str, str]], styles: dict[str, ParagraphStyle]) -> Table:
    data = [[Paragraph(_text(label), styles["label"]), Paragraph(value, styles["cell"])] for label, value in rows]
    table = Table(data, colWidths=[45 * mm, None], hAlign="LEFT")
    table.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return table


def _block_table(blocks: Iterable[int]) -> Table:
    """The block codes in rows of six, south to north and west to east."""
    codes = [grid.code(b) for b in blocks]
    rows = [codes[i : i + CODES_PER_ROW] for i in range(0, len(codes), CODES_PER_ROW)] or [["—"]]
    rows[-1] += [""] * (len(rows[0]) - len(rows[-1]))
    return _grid_table(rows, [27 * mm] * len(rows[0]), header=False)


def _nice_km(km: float) -> float:
    """The largest of 1, 2 or 5 times a power of ten that is at most `km`."""
    power = 10 ** math.floor(math.log10(km))
    return max(step * power for step in (1, 2, 5) if step * power <= km)


def _map(blocks: Sequence[int]) -> Drawing:
    """The blocks' outlines to scale in a square box, with a north arrow and a scale bar.
    Longitudes are shortened by the cosine of the middle latitude, so the cells keep their shape."""
    drawing = Drawing(MAP_SIZE, MAP_SIZE)
    drawing.add(Rect(0, 0, MAP_SIZE, MAP_SIZE, strokeColor=RULE, strokeWidth=0.5, fillColor=colors.white))
    if not blocks:
        return drawing
    rings = [grid.ring(b) for b in blocks]
    west = min(x for ring in rings for x, _y in ring)
    east = max(x for ring in rings for x, _y in ring)
    south = min(y for ring in rings for _x, y in ring)
    north = max(y for ring in rings for _x, y in ring)
    shrink = math.cos(math.radians((south + north) / 2))
    margin, top = 16.0, 34.0  # room for the scale bar below and the north arrow above
    span = max((east - west) * shrink, north - south)
    scale = (MAP_SIZE - 2 * margin - top) / span  # points per degree of latitude
    left = (MAP_SIZE - (east - west) * shrink * scale) / 2
    bottom = margin + 12 + (MAP_SIZE - 2 * margin - top - (north - south) * scale) / 2
    for ring in rings:
        points = [v for x, y in ring[:-1] for v in (left + (x - west) * shrink * scale, bottom + (y - south) * scale)]
        drawing.add(Polygon(points, fillColor=HELD, fillOpacity=0.35, strokeColor=HELD, strokeWidth=0.4))
    # North arrow, top right.
    x, y = MAP_SIZE - 18, MAP_SIZE - 30
    drawing.add(Polygon([x - 5, y, x + 5, y, x, y + 16], fillColor=INK, strokeColor=INK, strokeWidth=0.5))
    drawing.add(String(x, y - 10, pgettext("compass point", "N"), fontName=FONT_BOLD, fontSize=9, textAnchor="middle"))
    # Scale bar, bottom left: about a quarter of the box, rounded to 1, 2 or 5 × 10ⁿ km.
    km = _nice_km(MAP_SIZE / 4 * KM_PER_DEGREE / scale)
    length = km / KM_PER_DEGREE * scale
    drawing.add(Line(margin, margin, margin + length, margin, strokeColor=INK, strokeWidth=2))
    for end in (margin, margin + length):
        drawing.add(Line(end, margin - 3, end, margin + 3, strokeColor=INK, strokeWidth=0.75))
    label = _("%(km)s km") % {"km": _number(km, 0 if km >= 1 else 1)}
    drawing.add(String(margin + length + 5, margin - 3, label, fontName=FONT, fontSize=8, fillColor=INK))
    return drawing


def _qr(url: str) -> Image:
    """The URL as a QR code image (PNG, four pixels a module, with the quiet zone)."""
    png = io.BytesIO()
    segno.make(url, error="m", micro=False).save(png, kind="png", scale=4, border=4)
    png.seek(0)
    return Image(png, width=32 * mm, height=32 * mm, hAlign="LEFT")


def _amount(obligation: LicenceObligation) -> str:
    if obligation.kind == ObligationKind.RELINQUISHMENT and obligation.percent is not None:
        return _("%(percent)s%% of the blocks") % {"percent": _number(obligation.percent, 0)}
    if obligation.amount_mci is not None:
        text = _("%(mci)s MCI") % {"mci": _number(obligation.amount_mci)}
        if obligation.amount_kzt is not None:
            text += " (" + _("%(kzt)s KZT") % {"kzt": _number(obligation.amount_kzt)} + ")"
        return text
    return "—"


def _obligation_table(obligations: Sequence[LicenceObligation]) -> Table:
    header = [_("Licence year"), _("Obligation"), _("Due"), _("Amount")]
    rows = [[str(o.licence_year), o.get_kind_display(), _date(o.due_on), _amount(o)] for o in obligations]
    return _grid_table([header, *rows], [26 * mm, 52 * mm, 36 * mm, 60 * mm], header=True)


def _holder(organisation: Organisation) -> str:
    legal, latin = organisation.legal_name, organisation.legal_name_latin
    name = _text(legal) + (f" ({_text(latin)})" if latin and latin != legal else "")
    return name + "<br/>" + _text(organisation.country.name)


def _language_heading(language: str, styles: dict[str, ParagraphStyle]) -> Paragraph:
    # The language's own name (Қазақ, Русский): Django's, so it needs no catalogue entry.
    return Paragraph(_text(get_language_info(language)["name_local"]), styles["language"])


def _licence_part(
    licence: Licence,
    blocks: list[int],
    obligations: list[LicenceObligation],
    url: str,
    language: str,
    *,
    official: User | None = None,
    decision_in: Sequence[str] = (),
    signer: certificate_sections.SignatureInfo | None = None,
) -> list[Flowable]:
    with translation.override(language):
        styles = _styles()
        area = grid.total_area_km2(blocks)
        facts = [
            (_("Licence number"), _text(licence.number)),
            (_("Holder"), _holder(licence.holder)),
            (_("Licence type"), _text(licence.licence_type.name)),
            (_("Status"), _text(licence.get_status_display())),
            (pgettext("date", "Granted"), _date(timezone.localdate(licence.granted_at))),
            (_("Term"), _text(f"{_date(licence.starts_on)} – {_date(licence.expires_on)}")),
            (
                _("Blocks"),
                _text(
                    ngettext("%(count)s block, %(area)s km²", "%(count)s blocks, %(area)s km²", len(blocks))
                    % {"count": len(blocks), "area": _number(area)}
                ),
            ),
        ]
        verification = Table(
            [
                [
                    _qr(url),
                    [
                        Paragraph(_text(_("Check this licence online:")), styles["body"]),
                        Paragraph(f'<link href="{escape(url)}">{_text(url)}</link>', styles["body"]),
                        Spacer(1, 4),
                        Paragraph(
                            _text(_("The page shows the licence as the register holds it today.")),
                            styles["small"],
                        ),
                    ],
                ]
            ],
            colWidths=[36 * mm, None],
            hAlign="LEFT",
        )
        verification.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "MIDDLE")]))
        return [
            _language_heading(language, styles),
            Paragraph(_text(_("Republic of Kazakhstan")), styles["language"]),
            Spacer(1, 6),
            Paragraph(_text(_("Subsoil use licence")), styles["title"]),
            Paragraph(_text(licence.number), styles["number"]),
            Spacer(1, 8),
            _facts(facts, styles),
            Paragraph(_text(_("Map of the blocks")), styles["h2"]),
            _map(blocks),
            Paragraph(
                _text(_("Each block is a cell of 1 minute of latitude by 1 minute of longitude (WGS 84)."))
                + " "
                + _text(_("The south-west corner of a block names it: N4910E08110 is 49°10′N 81°10′E.")),
                styles["small"],
            ),
            Paragraph(_text(_("Corners of the licence area")), styles["h2"]),
            certificate_sections.corner_table(blocks),
            Paragraph(
                _text(
                    _("Coordinates in WGS 84, each contour clockwise from its north-western corner.")
                    + " "
                    + _("Holes are not part of the area.")
                ),
                styles["small"],
            ),
            Paragraph(_text(_("Blocks")), styles["h2"]),
            _block_table(blocks),
            Paragraph(_text(_("Obligations")), styles["h2"]),
            _obligation_table(obligations),
            Paragraph(
                _text(_("Amounts in tenge use the monthly calculation index known on the day of the grant.")),
                styles["small"],
            ),
            Paragraph(_text(_("Issued by")), styles["h2"]),
            certificate_sections.issuer_table(official, decision_in or [language], language),
            Paragraph(_text(_("Verification")), styles["h2"]),
            KeepTogether([verification]),
            *(
                [Spacer(1, 4), Paragraph(_text(certificate_sections.signature_note(signer)), styles["small"])]
                if signer
                else []
            ),
        ]


def _render(story: list[Flowable], *, title: str, footer: str) -> bytes:
    buffer = io.BytesIO()

    def decorate(canvas: Canvas, document: SimpleDocTemplate) -> None:
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(MUTED)
        canvas.drawString(document.leftMargin, 12 * mm, footer)
        canvas.drawRightString(A4[0] - document.rightMargin, 12 * mm, str(canvas.getPageNumber()))
        canvas.restoreState()

    document = SimpleDocTemplate(
        buffer,
        pagesize=A4,
        leftMargin=18 * mm,
        rightMargin=18 * mm,
        topMargin=16 * mm,
        bottomMargin=20 * mm,
        title=title,
        author="AshyqKen",
        # The same licence gives the same bytes (no creation time, no random document id) before
        # signing; the signature (with its time) is added after, and the stored signed file is
        # the one whose fingerprint /verify/ compares.
        invariant=1,
    )
    document.build(story, onFirstPage=decorate, onLaterPages=decorate)
    return buffer.getvalue()


def licence_certificate_pdf(
    licence: Licence,
    language: str,
    *,
    official: User | None = None,
    signer: certificate_sections.SignatureInfo | None = None,
) -> bytes:
    """The certificate in `language` and in Kazakh (once, if `language` is Kazakh), unsigned
    (`licensing.licences.signing.sign` adds the signature). Each part names the issuing
    authority and `official` (who decided; by default who decided the grant) in the holder's
    language, Kazakh and Russian, and `signer`, the key that will sign it (the registry's).
    Reads the licence's holder, type, tenures and obligations: prefetch them to save queries."""
    if official is None and licence.application_id is not None:
        official = licence.application.decided_by
    if signer is None:
        key = signing.signing_key()
        signer = certificate_sections.SignatureInfo(subject=key.subject, fingerprint=key.fingerprint, demo=key.demo)
    _register_fonts()
    blocks = held_blocks(licence)
    obligations = sorted(licence.obligations.all(), key=lambda o: (o.licence_year, o.due_on, o.kind))
    url = verify_url(licence)
    story: list[Flowable] = []
    for index, part in enumerate(certificate_languages(language)):
        if index:
            story.append(PageBreak())
        story += _licence_part(
            licence,
            blocks,
            obligations,
            url,
            part,
            official=official,
            decision_in=certificate_sections.decision_languages(language),
            signer=signer,
        )
    return _render(story, title=licence.number, footer=f"{licence.number} · {url}")
