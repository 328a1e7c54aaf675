"""The parts of a certificate that make it a legal instrument: who issued it and which
official decided (name and title, in the holder's language, Kazakh and Russian), the corners
of the licence area, and the note on its electronic signature."""

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.conf import settings
from django.utils import translation
from django.utils.translation import get_language_info, pgettext
from django.utils.translation import gettext as _
from reportlab.lib.units import mm
from reportlab.platypus import Table

from accounts.models import User
from accounts.roles import Role
from licensing.domain import grid
from licensing.licences.pdf_base import (
    OFFICIAL_LANGUAGE,
    STATE_LANGUAGE,
    _grid_table,
    _number,
    certificate_languages,
)


def issuing_authority() -> str:
    return _(
        "Ministry of Industry and Construction of the Republic of Kazakhstan, "
        "the competent authority for solid minerals"
    )


def _official_title(official: User) -> str:
    """The official's post in the active language as the admin records it, or else the capacity
    in which they decided: the highest of their licensing roles."""
    written = getattr(official, f"job_title_{(translation.get_language() or '')[:2]}", "")
    if written:
        return written
    roles = official.role_names()
    if official.is_superuser or Role.APPROVER.value in roles:
        return pgettext("official's title", "Approving official, subsoil use licensing")
    if Role.REGISTRAR.value in roles:
        return pgettext("official's title", "Registrar of subsoil use licences")
    if Role.REVIEWER.value in roles:
        return pgettext("official's title", "Reviewing official, subsoil use licensing")
    return pgettext("official's title", "Official of the register")


def _official_name(official: User | None) -> str:
    if official is None:
        return "—"
    return official.get_full_name().strip() or pgettext("official's name", "(name not recorded)")


def decision_languages(language: str) -> list[str]:
    """The languages the issuer and the deciding official are named in: the holder's (`language`),
    Kazakh and Russian, each once."""
    known = {code for code, _name in settings.LANGUAGES}
    ordered = [language, *certificate_languages(language), STATE_LANGUAGE, OFFICIAL_LANGUAGE]
    return [code for i, code in enumerate(ordered) if code in known and code not in ordered[:i]]


def issuer_table(official: User | None, languages: Sequence[str], part_language: str) -> Table:
    """Who issued the licence and who decided it, once per language; the headings in the part's."""
    with translation.override(part_language):
        header = [_("Language"), _("Issuing authority"), _("Decided by")]
        # Each language named in the part's own (Django's names, so no catalogue entry is needed).
        names = {code: str(get_language_info(code)["name_translated"]) for code in languages}
    rows = [header]
    for code in languages:
        with translation.override(code):
            decided = _official_name(official)
            if official is not None:
                decided += ", " + _official_title(official)
            rows.append([names[code], issuing_authority(), decided])
    return _grid_table(rows, [22 * mm, 82 * mm, 70 * mm], header=True)


def _latitude(value: float) -> str:
    """Degrees and whole minutes with the hemisphere: the grid's corners fall on whole minutes."""
    angle = _angle(value)
    if value >= 0:
        return pgettext("north latitude", "%(angle)s N") % {"angle": angle}
    return pgettext("south latitude", "%(angle)s S") % {"angle": angle}


def _longitude(value: float) -> str:
    angle = _angle(value)
    if value >= 0:
        return pgettext("east longitude", "%(angle)s E") % {"angle": angle}
    return pgettext("west longitude", "%(angle)s W") % {"angle": angle}


def _angle(value: float) -> str:
    total = round(abs(value) * 60)
    return f"{total // 60}°{total % 60:02d}′"


def _degrees(value: float) -> str:
    """Decimal degrees to six places (about 0.1 m), rounded from the whole minutes of the corner."""
    exact = Decimal(round(value * 60)) / 60
    return _number(exact.quantize(Decimal("0.000001"), rounding=ROUND_HALF_UP), 6)


def _clockwise_from_north_west(ring: list[list[float]]) -> list[list[float]]:
    """A ring's corners (without the closing repeat) clockwise, from its north-western corner."""
    corners = ring[:-1]
    twice_area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(corners, corners[1:] + corners[:1], strict=True))
    if twice_area > 0:  # counter-clockwise
        corners = corners[::-1]
    start = min(range(len(corners)), key=lambda i: (-corners[i][1], corners[i][0]))
    return corners[start:] + corners[:start]


def corner_rows(blocks: Sequence[int]) -> list[list[str]]:
    """The corners of the licence area's outline (its blocks dissolved, straight edges joined),
    contour by contour, each clockwise from its north-western corner; a contour's holes follow it."""
    outline = grid.outline(blocks)
    if outline is None:
        return []
    rows: list[list[str]] = []
    point = 0
    for number, polygon in enumerate(outline["coordinates"], start=1):
        for index, ring in enumerate(polygon):
            contour = str(number) if index == 0 else _("%(area)s, hole %(hole)s") % {"area": number, "hole": index}
            for longitude, latitude in _clockwise_from_north_west(ring):
                point += 1
                rows.append(
                    [
                        contour,
                        str(point),
                        _latitude(latitude),
                        _longitude(longitude),
                        _degrees(latitude),
                        _degrees(longitude),
                    ]
                )
    return rows


def corner_table(blocks: Sequence[int]) -> Table:
    header = [
        _("Contour"),
        _("Point"),
        _("Latitude"),
        _("Longitude"),
        _("Latitude, degrees"),
        _("Longitude, degrees"),
    ]
    rows = corner_rows(blocks) or [["—"] * len(header)]
    return _grid_table([header, *rows], [20 * mm, 14 * mm, 30 * mm, 32 * mm, 38 * mm, 40 * mm], header=True)


@dataclass(frozen=True)
class SignatureInfo:
    """What the certificate says of the key that signs it (see `licensing.licences.signing`)."""

    subject: str
    fingerprint: str
    demo: bool


def signature_note(signer: SignatureInfo | None) -> str:
    if signer is None:
        return ""
    text = _(
        "This file is signed electronically by the register (PAdES). A PDF reader shows the signature "
        "and whether the file was changed after signing."
    )
    text += " " + _("Signing certificate: %(subject)s, SHA-256 %(fingerprint)s.") % {
        "subject": signer.subject,
        "fingerprint": signer.fingerprint,
    }
    if signer.demo:
        text += " " + _("Signed with a demo signing key: this copy is not valid as a licence.")
    return text
