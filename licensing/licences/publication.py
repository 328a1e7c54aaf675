"""The open-data files, built ahead rather than in the request: the licence register (GeoJSON and
CSV, to EITI Requirement 2.3), beneficial ownership (BODS 0.4) and the deposits (CSV and
GeoJSON), written into settings.OPEN_DATA_ROOT and served as stored (deposits.open_data).

- A licence's outline (its blocks dissolved into one MultiPolygon) is kept in `LicenceOutline`,
  written with each certificate, in the transaction of the change of title: a build reads it
  rather than dissolving two million blocks again.
- A register change asks for a build after its commit (an event reaction, licensing.apps). The
  one `OpenDataBuild` row coalesces them: a build is queued only when none is queued, after
  OPEN_DATA_BUILD_DELAY_SECONDS, so a burst of changes queues one build. A nightly beat entry
  builds again whatever happened (licensing-open-data, 01:15).
- A build streams the rows in chunks into a temporary file renamed into place: the memory it
  uses does not grow with the register, and a reader never sees half a file. Two builds at once
  (the beat and a change) each write whole files; the later rename wins.
"""

import csv
import json
import logging
from datetime import datetime, timedelta
from typing import IO, Any

import shapely
from celery import current_app
from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import timezone
from shapely.geometry import shape

from deposits import open_data
from events.models import Event
from investors.bods import StatementWriter, bods_statements
from licensing.domain import grid
from licensing.ground import outlines
from licensing.ground import selectors as ground_selectors
from licensing.licences import certificates
from licensing.licences.open_data import CHUNK as BODS_CHUNK
from licensing.licences.open_data import bods_organisations
from licensing.licences.selectors import licence_facts, licences_queryset
from licensing.models import Licence, LicenceOutline, OpenDataBuild, Tenure

logger = logging.getLogger(__name__)

CHUNK = 2000  # licences read per query, with their tenures and outline: memory stays bounded
# A build asked for but not started within this long was lost (the broker was down, the worker
# died): the next change queues another.
QUEUED_STALE_AFTER = timedelta(minutes=15)

# What a change to which invalidates the files: licences and their ground, holders and their
# owners, applicants (BODS names those who lodged), deposits and commodities.
REACTS_TO = (
    "licence.",
    "title_change.approved",
    "revocation.effective",
    "application.lodged",
    "organisation.",
    "owner.",
    "deposit.",
    "commodity.",
)

FILES = ["licences.geojson", "licences.csv", "beneficial-ownership.json", "deposits.geojson", "deposits.csv"]


# Outlines ------------------------------------------------------------------------------


def licence_outline_write(*, licence: Licence) -> LicenceOutline:
    """Store the outline of the blocks the licence holds (once ended: held when it ended). Reads
    `licence.tenures.all()` (prefetch it); call it in the transaction that changed them."""
    geometry = grid.outline(certificates.held_blocks(licence))
    outline, _created = LicenceOutline.objects.update_or_create(licence=licence, defaults={"geometry": geometry})
    return outline


def licence_outlines_fill(*, chunk_size: int = CHUNK) -> int:
    """Write every licence's outline again (after a migration, or to repair), a chunk of
    licences per statement; returns how many."""
    count = 0
    now = timezone.now()
    tenures = Prefetch("tenures", queryset=Tenure.objects.only("licence", "block", "is_active", "ended_at"))
    licences = Licence.objects.only("pk").prefetch_related(tenures).order_by("pk")
    batch: list[LicenceOutline] = []
    for licence in licences.iterator(chunk_size=chunk_size):
        geometry = grid.outline(certificates.held_blocks(licence))
        batch.append(LicenceOutline(licence_id=licence.pk, geometry=geometry, updated_at=now))
        if len(batch) == chunk_size:
            count += _outlines_save(batch)
    return count + _outlines_save(batch)


def _outlines_save(batch: list[LicenceOutline]) -> int:
    saved = len(batch)
    LicenceOutline.objects.bulk_create(
        batch, update_conflicts=True, unique_fields=["licence"], update_fields=["geometry", "updated_at"]
    )
    batch.clear()
    return saved


# Asking for a build ----------------------------------------------------------------------


def _state() -> OpenDataBuild:
    state, _created = OpenDataBuild.objects.get_or_create(pk=1)
    return state


# Queued by name: licensing.tasks imports every feature package, which this one may not.
BUILD_TASK = "licensing.tasks.build_open_data"


def _enqueue() -> None:
    try:
        current_app.send_task(BUILD_TASK, countdown=settings.OPEN_DATA_BUILD_DELAY_SECONDS, retry=False)
    except Exception:
        logger.warning("Could not queue the open-data build; the nightly build will do it", exc_info=True)


def open_data_request(*, now: datetime | None = None) -> bool:
    """Ask for the open-data files to be built again. Queues a build unless one is queued and
    not yet started (then the change is in it); returns whether this call queued one."""
    now = now or timezone.now()
    _state()
    stale = now - QUEUED_STALE_AFTER
    ask = OpenDataBuild.objects.filter(Q(queued_at__isnull=True) | Q(queued_at__lt=stale), pk=1)
    if ask.update(queued_at=now, requested_at=now):
        transaction.on_commit(_enqueue)
        return True
    OpenDataBuild.objects.filter(pk=1).update(requested_at=now)
    return False


def open_data_changed(event: Event) -> None:
    """The reaction to a register change (after its commit)."""
    open_data_request()


# Building --------------------------------------------------------------------------------


def _wkt(outline: dict[str, Any] | None) -> str:
    # The outline is already on a millimetre grid: nine decimals print it exactly, trimmed.
    return shapely.to_wkt(shape(outline), rounding_precision=9, trim=True) if outline else ""


LICENCES_CSV_COLUMNS = [f.name for f in open_data.LICENCES_FIELDS]


def _licence_rows(base_url: str) -> Any:
    """Each licence with its stored outline (dissolved here only if none is stored yet) and its
    properties, read in chunks."""
    commodities = ground_selectors.commodities_by_block()
    # The register page's address, with the number in place of a placeholder: one reverse().
    url = base_url + reverse("licensing:register-licence", args=["NUMBER"])
    head, tail = url.split("NUMBER")
    rows = licences_queryset().select_related("outline").order_by("number")
    for licence in rows.iterator(chunk_size=CHUNK):
        blocks = certificates.held_blocks(licence)
        outline = outlines.stored(licence, blocks)
        covered = sorted({code for b in blocks for code in commodities.get(b, ())})
        properties = {**licence_facts(licence, blocks, commodities=covered), "url": head + licence.number + tail}
        yield licence, outline, properties


def licences_write(geojson: IO[str], table: IO[str], *, base_url: str, generated_at: datetime) -> int:
    """Both licence files in one pass over the register; returns the number of licences."""
    index_url = base_url + reverse("deposits:open-data")
    members = open_data.geojson_members("licences", open_data.LICENCES_FIELDS, generated_at, index_url)
    header = json.dumps({"type": "FeatureCollection", **members}, cls=DjangoJSONEncoder, ensure_ascii=False)
    geojson.write(header[:-1] + ', "features": [')
    table.write("\ufeff")  # a byte-order mark, so that spreadsheets read Cyrillic names as UTF-8
    writer = csv.DictWriter(table, fieldnames=LICENCES_CSV_COLUMNS)
    writer.writeheader()
    count = 0
    for count, (licence, outline, properties) in enumerate(_licence_rows(base_url), start=1):
        feature = {"type": "Feature", "id": licence.number, "geometry": outline, "properties": properties}
        geojson.write(("," if count > 1 else "") + json.dumps(feature, cls=DjangoJSONEncoder, ensure_ascii=False))
        row = {
            **properties,
            "blocks": " ".join(properties["blocks"]),
            "commodities": ";".join(properties["commodities"]),
            "outline_wkt": _wkt(outline),
        }
        writer.writerow({k: open_data.csv_safe(row[k]) for k in LICENCES_CSV_COLUMNS})
    geojson.write("]}")
    return count


def bods_write(stream: IO[str], *, base_url: str, generated_at: datetime) -> None:
    """A JSON array of BODS 0.4 statements, written statement by statement."""
    writer = StatementWriter(
        published=generated_at.date(),
        publisher=open_data.PUBLISHER,
        publisher_url=base_url + reverse("deposits:open-data"),
        licence_url=open_data.LICENCE_URL,
    )
    stream.write("[")
    organisations = bods_organisations().iterator(chunk_size=BODS_CHUNK)
    for n, statement in enumerate(bods_statements(organisations, writer)):
        stream.write(("," if n else "") + "\n" + json.dumps(statement, ensure_ascii=False))
    stream.write("\n]\n")


def open_data_build(*, now: datetime | None = None) -> dict[str, Any]:
    """Build every open-data file afresh from the register as it stands, each written beside
    its place and renamed into it. Returns the files built and the number of licences."""
    started = now or timezone.now()
    _state()
    # From here a change queues the next build: this one may have read before it.
    OpenDataBuild.objects.filter(pk=1).update(queued_at=None, started_at=started)
    generated_at = timezone.localtime(started)
    base_url = settings.SITE_URL.rstrip("/")
    with (
        open_data.replacing("licences.geojson", generated_at) as geojson,
        open_data.replacing("licences.csv", generated_at) as table,
    ):
        licences = licences_write(geojson, table, base_url=base_url, generated_at=generated_at)
    with open_data.replacing("beneficial-ownership.json", generated_at) as stream:
        bods_write(stream, base_url=base_url, generated_at=generated_at)
    with open_data.replacing("deposits.geojson", generated_at) as stream:
        open_data.deposits_geojson_write(stream, base_url=base_url, generated_at=generated_at)
    with open_data.replacing("deposits.csv", generated_at) as stream:
        open_data.deposits_csv_write(stream, base_url=base_url, generated_at=generated_at)
    OpenDataBuild.objects.filter(pk=1).update(built_at=started)
    return {"files": FILES, "licences": licences, "generated_at": generated_at.isoformat()}
