"""What each kind of document may be: configuration as data."""

from dataclasses import dataclass
from enum import Enum

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
CSV = "text/csv"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ZIP = "application/zip"
GEOJSON = "application/geo+json"

# The file name endings each content type may carry; a name that says otherwise lies.
EXTENSIONS = {
    PDF: {".pdf"},
    PNG: {".png"},
    JPEG: {".jpg", ".jpeg"},
    CSV: {".csv"},
    XLSX: {".xlsx"},
    ZIP: {".zip"},
    GEOJSON: {".geojson", ".json"},
}


class ActiveContent(Enum):
    """What to do with a PDF that acts when opened (JavaScript, launch actions, embedded files…)."""

    REJECT = "reject"  # the document is rejected with the reason
    FLAG = "flag"  # accepted; facts["active_content"] says what it holds, for the reviewer


@dataclass(frozen=True)
class Kind:
    label: Promise
    content_types: frozenset[str]
    shapefile: bool = False  # a ZIP of this kind must hold a shapefile
    # Every kind reaches due-diligence, application or objection files, read by officials and
    # some by the public: none accepts active content. FLAG is for a kind only officials upload.
    active_content: ActiveContent = ActiveContent.REJECT


KINDS: dict[str, Kind] = {
    "report": Kind(_("Report (PDF)"), frozenset({PDF})),
    "map": Kind(_("Map (PDF, PNG or JPEG)"), frozenset({PDF, PNG, JPEG})),
    "dataset": Kind(_("Dataset (CSV or XLSX)"), frozenset({CSV, XLSX})),
    "boundary": Kind(_("Boundary (shapefile ZIP or GeoJSON)"), frozenset({ZIP, GEOJSON}), shapefile=True),
    "certificate": Kind(_("Certificate or legal document (PDF)"), frozenset({PDF})),
    "chart": Kind(_("Chart or diagram (PDF, PNG or JPEG)"), frozenset({PDF, PNG, JPEG})),
    "financial": Kind(_("Financial statements (PDF or XLSX)"), frozenset({PDF, XLSX})),
}


def kind_choices() -> list[tuple[str, Promise]]:
    return [(key, kind.label) for key, kind in KINDS.items()]
