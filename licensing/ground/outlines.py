"""The outlines of lodged applications and of ground openings, stored once.

An application's claims are made at lodgement and an opening's blocks when the ground is
freed; neither changes after. Their outlines (the blocks dissolved into one MultiPolygon) are
written then, in the same transaction, so that the OGC API's features read them instead of
dissolving every feature's blocks on every request. A row made before the outlines were
stored (or loaded in bulk) has none: it is dissolved on reading, and `outlines_fill` (run by
`manage.py licence_outlines`) writes the missing ones."""

from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db.models import Model, Prefetch

from licensing.domain import grid
from licensing.models import Application, ApplicationOutline, Claim, GroundOpening, OpeningBlock, OpeningOutline

CHUNK = 2000  # rows read per query with their blocks: memory stays bounded


def application_outline_write(*, application: Application, geometry: dict[str, Any] | None) -> ApplicationOutline:
    """Store the outline of the application's claims (`grid.outline` of its blocks, dissolved
    before the lodgement locks the priority counter); call it in the lodgement's transaction."""
    return ApplicationOutline.objects.create(application=application, geometry=geometry)


def opening_outline_write(*, opening: GroundOpening, blocks: list[int]) -> OpeningOutline:
    """Store the outline of the opening's blocks; call it in the transaction that freed them."""
    return OpeningOutline.objects.create(opening=opening, geometry=grid.outline(blocks))


def stored(owner: Model, blocks: list[int]) -> dict[str, Any] | None:
    """The stored outline of a licence, a lodged application or an opening (read it with
    `select_related("outline")`), dissolved from `blocks` only if none is stored."""
    try:
        return owner.outline.geometry  # type: ignore[attr-defined]
    except ObjectDoesNotExist:
        return grid.outline(blocks)


def outlines_fill(*, chunk_size: int = CHUNK) -> tuple[int, int]:
    """Write the missing outlines of lodged applications and of openings, a chunk per
    statement; returns how many of each."""
    applications = (
        Application.objects.filter(priority_number__isnull=False, outline__isnull=True)
        .only("pk")
        .prefetch_related(Prefetch("claims", queryset=Claim.objects.only("application", "block")))
        .order_by("pk")
    )
    openings = (
        GroundOpening.objects.filter(outline__isnull=True)
        .only("pk")
        .prefetch_related(Prefetch("blocks", queryset=OpeningBlock.objects.only("opening", "block")))
        .order_by("pk")
    )
    written = []
    for rows, model, key, children in (
        (applications, ApplicationOutline, "application_id", "claims"),
        (openings, OpeningOutline, "opening_id", "blocks"),
    ):
        batch: list[Model] = []
        count = 0
        for row in rows.iterator(chunk_size=chunk_size):
            blocks = [child.block for child in getattr(row, children).all()]
            batch.append(model(**{key: row.pk, "geometry": grid.outline(blocks)}))
            if len(batch) == chunk_size:
                count += len(model.objects.bulk_create(batch, ignore_conflicts=True))
                batch = []
        count += len(model.objects.bulk_create(batch, ignore_conflicts=True))
        written.append(count)
    return written[0], written[1]
