"""The open-data files: their licence, their publisher, and the description of every field,
read by the `/open-data/` page and written into the files that can carry it (GeoJSON's
foreign members, BODS's publication details).

The catalogue names files that licensing builds too: it holds only their names and words,
so that the page describing them stays here, with the other open data, without importing
licensing (which depends on this app, not the other way)."""

import csv
import json
import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.http import FileResponse, HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.functional import Promise
from django.utils.http import http_date
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from deposits import selectors

LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
LICENCE_NAME = "CC BY 4.0"
# In the files, which are read by programs in every country, the publisher is named in English;
# on the pages, in the reader's language.
PUBLISHER = "AshyqKen — Ministry of Industry and Construction of the Republic of Kazakhstan"
PUBLISHER_ON_PAGES = _("AshyqKen — Ministry of Industry and Construction of the Republic of Kazakhstan")


@dataclass(frozen=True)
class Field:
    name: str
    description: Promise | str


@dataclass(frozen=True)
class OpenDataFile:
    name: str  # what the reader downloads, e.g. licences.csv
    url: str  # a path: these are the public contract (DESIGN.md), reversing them would import licensing
    media_type: str
    description: Promise | str
    fields: list[Field] = field(default_factory=list)
    fields_caption: Promise | str = ""


def licensed(response: HttpResponse, generated_at: datetime) -> HttpResponse:
    """Say the file's licence (RFC 8288 link, relation "license") and when it was generated."""
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Last-Modified"] = http_date(generated_at.timestamp())
    return response


def geojson_members(name: str, fields: list[Field], generated_at: datetime, index_url: str) -> dict[str, Any]:
    """Foreign members (RFC 7946 §6.1) of a FeatureCollection: licence, date, publisher, fields."""
    return {
        "name": name,
        "license": LICENCE_URL,
        "license_name": LICENCE_NAME,
        "publisher": PUBLISHER,
        "generated_at": generated_at.isoformat(),
        "documentation": index_url,
        "fields": {f.name: str(f.description) for f in fields},
    }


_URL = Field("url", _("Address of the public page."))

DEPOSITS_FIELDS = [
    Field("slug", _("Identifier of the deposit, as in its page address.")),
    Field("name_en", _("Name in English.")),
    Field("name_ru", _("Name in Russian.")),
    Field("name_kk", _("Name in Kazakh.")),
    Field("region", _("Region (oblast) code.")),
    Field("district", _("District.")),
    Field("latitude", _("Latitude of the deposit's point, WGS 84 decimal degrees (CSV; GeoJSON: the geometry).")),
    Field("longitude", _("Longitude of the deposit's point, WGS 84 decimal degrees (CSV; GeoJSON: the geometry).")),
    Field("deposit_type", _("Geological type of the deposit.")),
    Field("stage", _("Stage of study or development.")),
    Field("commodities", _("Commodity codes, the main one first (CSV: separated by semicolons).")),
    Field("colour", _("Map colour of the main commodity (GeoJSON only).")),
    _URL,
    Field("updated_at", _("When the disclosure was last changed (ISO 8601, Astana time).")),
]

# EITI Requirement 2.3(b): holder, coordinates, application date, award date, duration, commodity.
LICENCES_FIELDS = [
    Field("number", _("Licence number.")),
    Field("holder", _("Holder: the organisation's legal name in Latin script (EITI 2.3: licence holder).")),
    Field("holder_country", _("Holder's country of incorporation (ISO 3166-1 alpha-2).")),
    Field("holder_registration_number", _("Holder's registration number in its country of incorporation.")),
    Field("licence_type", _("Licence type code: exploration, mining or prospecting.")),
    Field("status", _("Status: active, expired, surrendered or revoked.")),
    Field("region", _("Region (oblast) code of the application.")),
    Field(
        "application_lodged_at",
        _("When the application was lodged (ISO 8601, Astana time; EITI 2.3: date of application)."),
    ),
    Field("granted_at", _("When the licence was granted (ISO 8601, Astana time; EITI 2.3: date of award).")),
    Field("starts_on", _("First day of the term.")),
    Field("expires_on", _("Last day of the term, extensions included (EITI 2.3: duration).")),
    Field("term_years", _("Term granted, in years (EITI 2.3: duration).")),
    Field(
        "commodities",
        _(
            "Codes of the commodities of published deposits lying in the licence's blocks (EITI 2.3: "
            "commodity; CSV: separated by semicolons)."
        ),
    ),
    Field("block_count", _("Number of blocks held (once ended: held when it ended).")),
    Field("area_km2", _("Area of those blocks, km².")),
    Field("blocks", _("Block codes (CSV: separated by spaces).")),
    Field(
        "outline_wkt",
        _(
            "Outline of the blocks as WKT MULTIPOLYGON, longitude latitude, WGS 84 (CSV only; GeoJSON: "
            "the geometry; EITI 2.3: coordinates)."
        ),
    ),
    _URL,
]

BODS_FIELDS = [
    Field("statementId", _("Identifier of the statement; the same content keeps the same identifier.")),
    Field("recordId", _("Stable identifier of the organisation, owner or ownership relationship.")),
    Field("recordType", _("entity (an organisation or a legal-person owner), person or relationship.")),
    Field("declarationSubject", _("recordId of the organisation whose ownership is declared.")),
    Field("statementDate", _("When the organisation's declaration was last submitted or verified.")),
    Field("recordDetails.name", _("Entities: legal name; alternateNames: the name in Latin script.")),
    Field("recordDetails.jurisdiction", _("Entities: country of incorporation.")),
    Field("recordDetails.identifiers", _("Organisations: registration number in their country.")),
    Field(
        "recordDetails.entityType",
        _("registeredEntity, or stateBody for an owner declared as a state or a body a state controls."),
    ),
    Field("recordDetails.names", _("Persons: full name.")),
    Field("recordDetails.nationalities", _("Persons: country of citizenship.")),
    Field("recordDetails.politicalExposure", _("Persons: whether declared a politically exposed person.")),
    Field(
        "recordDetails.interests",
        _(
            "Relationships: shareholding with the exact share in percent; direct (of the organisation, or "
            "of the legal person it is held through) or indirect (of the organisation, through that chain)."
        ),
    ),
    Field("publicationDetails", _("Publication date, BODS version 0.4, publisher and licence.")),
    Field("source", _("Declared by the organisation; verified when the registry has checked it.")),
]


def catalogue() -> list[OpenDataFile]:
    """Every open-data file, in the order the page lists them."""
    return [
        OpenDataFile(
            "deposits.csv",
            "/open-data/deposits.csv",
            "text/csv",
            _("Published deposits, one row each."),
            DEPOSITS_FIELDS,
            _("Columns of deposits.csv and properties of deposits.geojson"),
        ),
        OpenDataFile(
            "deposits.geojson",
            "/open-data/deposits.geojson",
            "application/geo+json",
            _("Published deposits as points; the properties are the columns of deposits.csv."),
        ),
        OpenDataFile(
            "licences.csv",
            "/open-data/licences.csv",
            "text/csv",
            _("The licence register to EITI Requirement 2.3: every licence, one row each."),
            LICENCES_FIELDS,
            _("Columns of licences.csv and properties of licences.geojson"),
        ),
        OpenDataFile(
            "licences.geojson",
            "/open-data/licences.geojson",
            "application/geo+json",
            _("Every licence with the outline of its blocks; the properties are the columns of licences.csv."),
        ),
        OpenDataFile(
            "beneficial-ownership.json",
            "/open-data/beneficial-ownership.json",
            "application/json",
            _(
                "Beneficial owners of the organisations that hold a licence or have lodged an application, in "
                "the Beneficial Ownership Data Standard 0.4 (EITI Requirement 2.5). Names, countries, shares, "
                "registration numbers and politically exposed status only: never dates of birth, addresses or "
                "contact details."
            ),
            BODS_FIELDS,
            _("Fields of beneficial-ownership.json"),
        ),
        OpenDataFile(
            "OGC API – Features",
            "/ogc/",
            "application/json",
            _(
                "Deposits, licences, applications and openings as OGC API – Features collections, for GIS "
                "tools such as QGIS; the licence properties are those of licences.geojson."
            ),
        ),
    ]


# Stored files ----------------------------------------------------------------------------
#
# Every open-data file is built ahead into settings.OPEN_DATA_ROOT (licensing.licences.publication
# builds them all: licensing reads this app, not the other way) and served from there as stored:
# no query, no row in memory, whatever the size of the register.

OPEN_DATA_MAX_AGE = 300  # seconds proxies may keep a file; after that they revalidate by ETag
RETRY_AFTER_SECONDS = 60  # a first build at demo size takes seconds, at register size minutes

_WHEN_MISSING: list[Callable[[], None]] = []


def when_missing(ask_for_build: Callable[[], None]) -> None:
    """Call `ask_for_build()` when a file is asked for before it was ever built (the app that
    builds the files registers it in its AppConfig.ready())."""
    if ask_for_build not in _WHEN_MISSING:
        _WHEN_MISSING.append(ask_for_build)


def stored_path(name: str) -> Path:
    return Path(settings.OPEN_DATA_ROOT) / name


@contextmanager
def replacing(name: str, generated_at: datetime) -> Iterator[IO[str]]:
    """A text stream to write the file into, beside its final place. On leaving, the file is
    stamped with the moment it was generated (its Last-Modified and ETag) and renamed into
    place: a reader gets the previous file or the new one, never half of one. On an error the
    previous file stays."""
    path = stored_path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        with temporary.open("w", encoding="utf-8", newline="") as stream:
            yield stream
        nanoseconds = int(generated_at.timestamp() * 1_000_000) * 1000
        os.utime(temporary, ns=(nanoseconds, nanoseconds))
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)


def _not_built_yet(name: str) -> HttpResponse:
    for ask_for_build in _WHEN_MISSING:
        ask_for_build()
    message = gettext("%(name)s is being prepared. Please try again in a minute.") % {"name": name}
    response = HttpResponse(message + "\n", status=503, content_type="text/plain; charset=utf-8")
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, no_store=True)
    return response


def stored_response(request: HttpRequest, name: str, content_type: str, disposition: str = "") -> HttpResponse:
    """The stored file `name`, with its licence, its date (Last-Modified) and an ETag; 304 when
    the reader holds it already; 503 with Retry-After (and a build asked for) before the first
    build. `disposition`: "attachment", "inline" or "" (no Content-Disposition)."""
    path = stored_path(name)
    try:
        stream = path.open("rb")
    except FileNotFoundError:
        return _not_built_yet(name)
    stat = os.fstat(stream.fileno())
    etag = f'"{stat.st_mtime_ns:x}-{stat.st_size:x}"'
    modified = int(stat.st_mtime)
    response: HttpResponse
    not_modified = get_conditional_response(request, etag=etag, last_modified=modified)
    if not_modified is not None:
        stream.close()
        response = not_modified
    else:
        response = FileResponse(stream, content_type=content_type)
        if disposition:
            response["Content-Disposition"] = f'{disposition}; filename="{name}"'
        else:
            del response["Content-Disposition"]
    response["ETag"] = etag
    response["Link"] = f'<{LICENCE_URL}>; rel="license"'
    response["Last-Modified"] = http_date(modified)
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=OPEN_DATA_MAX_AGE)
    return response


# The deposits' files -----------------------------------------------------------------------


def _deposit_properties(base_url: str, deposit: Any) -> dict[str, Any]:
    return {**selectors.deposit_facts(deposit), "url": base_url + deposit.get_absolute_url()}


def deposits_geojson_write(stream: IO[str], *, base_url: str, generated_at: datetime) -> None:
    """Published deposits as a FeatureCollection of points, written feature by feature."""
    index_url = base_url + reverse("deposits:open-data")
    members = geojson_members("deposits", DEPOSITS_FIELDS, generated_at, index_url)
    header = json.dumps({"type": "FeatureCollection", **members}, cls=DjangoJSONEncoder, ensure_ascii=False)
    stream.write(header[:-1] + ', "features": [')
    for n, deposit in enumerate(selectors.deposit_list_public().iterator(chunk_size=500)):
        feature = {
            "type": "Feature",
            "id": deposit.slug,
            "geometry": {"type": "Point", "coordinates": [float(deposit.longitude), float(deposit.latitude)]},
            "properties": _deposit_properties(base_url, deposit),
        }
        stream.write(("," if n else "") + json.dumps(feature, cls=DjangoJSONEncoder, ensure_ascii=False))
    stream.write("]}")


DEPOSITS_CSV_COLUMNS = [f.name for f in DEPOSITS_FIELDS if f.name != "colour"]


def csv_safe(value: Any) -> Any:
    """Keep spreadsheets from running a cell as a formula (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value


def deposits_csv_write(stream: IO[str], *, base_url: str, generated_at: datetime) -> None:
    stream.write("\ufeff")  # a byte-order mark, so that spreadsheets read the Cyrillic names as UTF-8
    writer = csv.DictWriter(stream, fieldnames=DEPOSITS_CSV_COLUMNS)
    writer.writeheader()
    for deposit in selectors.deposit_list_public().iterator(chunk_size=500):
        row = _deposit_properties(base_url, deposit)
        row.update(latitude=deposit.latitude, longitude=deposit.longitude, commodities=";".join(row["commodities"]))
        writer.writerow({k: csv_safe(row[k]) for k in DEPOSITS_CSV_COLUMNS})
