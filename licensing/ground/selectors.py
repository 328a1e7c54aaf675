"""Reads of the ground: what a set of blocks meets (limits, map, licences, openings, earlier
claims), each block's state and history, the blocks under deposits, an application's claims
and the published openings."""

import contextlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.formatting import format_moment
from deposits.models import Deposit
from geography.kazakhstan import points_in_kazakhstan
from licensing.domain import grid
from licensing.models import (
    Application,
    ApplicationState,
    Bid,
    Claim,
    ClaimStatus,
    GroundOpening,
    Licence,
    LicenceType,
    OpeningBlock,
    Tenure,
)

S = ApplicationState


# Blocks --------------------------------------------------------------------------------


@dataclass
class BlockCheck:
    """What a set of blocks meets on the grid and the register right now."""

    errors: list[str] = field(default_factory=list)
    held: dict[int, str] = field(default_factory=dict)  # block -> licence number
    conditional: dict[int, list[str]] = field(default_factory=dict)  # block -> earlier applications
    not_open: dict[int, datetime] = field(default_factory=dict)
    windows: dict[int, int] = field(default_factory=dict)  # block -> opening id, equal ranking

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_blocks(values: Iterable[Any]) -> list[int]:
    """Block ids from codes or integers; raises ValidationError naming the first bad one."""
    result: list[int] = []
    for value in values:
        try:
            block = grid.parse(value) if isinstance(value, str) and not value.isdigit() else int(value)
            grid.minutes(block)
        except (grid.GridError, TypeError, ValueError) as exc:
            raise ValidationError(_("%(value)s is not a block code like N4812E08134.") % {"value": value}) from exc
        result.append(block)
    return sorted(set(result))


def block_codes(blocks: Iterable[int], limit: int = 12) -> str:
    blocks = sorted(blocks)
    shown = ", ".join(grid.code(b) for b in blocks[:limit])
    return shown + (_(" and %(count)s more") % {"count": len(blocks) - limit} if len(blocks) > limit else "")


def blocks_check(
    *,
    licence_type: LicenceType,
    blocks: list[int],
    at: datetime | None = None,
    exclude_application: int | None = None,
    converts: int | None = None,
) -> BlockCheck:
    """Check blocks against the licence type's limits, the map and the register, in four queries.

    Held blocks are refused, except to the conversion of the licence that holds them (`converts`,
    a licence id): a conversion may cover only blocks that licence holds, and those only."""
    at = at or timezone.now()
    check = BlockCheck()
    if len(blocks) < licence_type.min_blocks or len(blocks) > licence_type.max_blocks:
        check.errors.append(
            _("%(type)s: %(min)s to %(max)s blocks; you chose %(count)s.")
            % {
                "type": licence_type.name,
                "min": licence_type.min_blocks,
                "max": licence_type.max_blocks,
                "count": len(blocks),
            }
        )
        if len(blocks) > licence_type.max_blocks * 5 or not blocks:
            return check
    if licence_type.must_be_contiguous and len(grid.components(blocks)) > 1:
        check.errors.append(
            _("The blocks must form one area joined edge to edge; they fall into %(n)s separate parts.")
            % {"n": len(grid.components(blocks))}
        )
    centres = [grid.centre(b) for b in blocks]
    inside = points_in_kazakhstan([c[0] for c in centres], [c[1] for c in centres])
    outside = [b for b, ok in zip(blocks, inside, strict=True) if not ok]
    if outside:
        check.errors.append(_("These blocks are not in Kazakhstan: %(codes)s.") % {"codes": block_codes(outside)})
    held = Tenure.objects.filter(block__in=blocks, is_active=True).values_list("block", "licence__number", "licence_id")
    own = set()
    for block, number, licence_id in held:
        if converts is not None and licence_id == converts:
            own.add(block)
        else:
            check.held[block] = number
    if check.held:
        check.errors.append(
            _("These blocks are held under a licence and cannot be applied for: %(codes)s.")
            % {"codes": block_codes(check.held)}
        )
    outside_licence = [b for b in blocks if b not in own and b not in check.held]
    if converts is not None and outside_licence:
        check.errors.append(
            _("A conversion covers only blocks the licence it converts holds; it does not hold %(codes)s.")
            % {"codes": block_codes(outside_licence)}
        )
    for block, opens_at, opening_id in OpeningBlock.objects.filter(
        block__any=blocks, opening__window_closes_at__gt=at
    ).values_list("block", "opening__opens_at", "opening_id"):
        if opens_at > at:
            check.not_open[block] = opens_at
        else:
            check.windows[block] = opening_id
    if check.not_open:
        first = min(check.not_open.values())
        check.errors.append(
            _("These blocks open for applications only at %(when)s (Astana time): %(codes)s.")
            % {"when": format_moment(first), "codes": block_codes(check.not_open)}
        )
    claims = Claim.objects.filter(block__any=blocks, status=ClaimStatus.LIVE)
    if exclude_application:
        claims = claims.exclude(application_id=exclude_application)
    for block, priority, opening_id in claims.order_by("rank").values_list(
        "block", "application__priority_number", "opening_id"
    ):
        if opening_id is not None and check.windows.get(block) == opening_id:
            continue  # ranks equally in the same opening window: settled by auction, not by time
        check.conditional.setdefault(block, []).append(f"A-{priority:06d}")
    return check


# Blocks --------------------------------------------------------------------------------


@dataclass
class BlockState:
    block: int
    status: str = "free"  # free | held | claimed | opening
    licence: str = ""
    claims: list[dict[str, object]] = field(default_factory=list)
    opens_at: datetime | None = None

    @property
    def code(self) -> str:
        return grid.code(self.block)


# A pending claim: the application's priority number, the claim's rank, whether it is contested
# and when the application was received.
ClaimRow = tuple[int, int, bool, datetime | None]


@dataclass
class Availability:
    """What the register holds on a set of blocks, as the rows the database returns, for the
    blocks that are not free only: answering 2,500 blocks builds no object per block."""

    held: dict[int, str]  # block -> the number of the licence holding it
    claims: dict[int, list[ClaimRow]]  # block -> its pending claims, the first in line first
    opening: dict[int, datetime]  # block -> when it opens, for ground not yet open

    def status(self, block: int) -> str:
        """free, held (by a licence), claimed (by pending applications) or opening (later)."""
        if block in self.held:
            return "held"
        if block in self.claims:
            return "claimed"
        return "opening" if block in self.opening else "free"

    def state(self, block: int) -> BlockState:
        status = self.status(block)
        return BlockState(
            block=block,
            status=status,
            licence=self.held.get(block, ""),
            claims=[
                {"application": application_reference(number), "rank": rank, "contested": contested, "received_at": at}
                for number, rank, contested, at in self.claims.get(block, ())
            ],
            opens_at=self.opening[block] if status == "opening" else None,
        )


def application_reference(priority_number: int) -> str:
    return f"A-{priority_number:06d}"


def availability_rows(blocks: list[int]) -> Availability:
    """Each block held by a licence, claimed by pending applications (in priority order) or not
    yet open; the others are free. Three queries, whatever the number of blocks."""
    ids = array("q", blocks)  # one parameter the ORM does not walk value by value (lookups.AnyOf)
    # The licence's number by its key for each tenure, not by a join: at 2,500 blocks the planner
    # would hash the whole licence table (100,000 rows at register size) to find 125 of them.
    number = Subquery(Licence.objects.filter(pk=OuterRef("licence_id")).values("number"))
    held = dict(Tenure.objects.filter(block__any=ids, is_active=True).values_list("block", number))
    claims: dict[int, list[ClaimRow]] = {}
    for block, *claim in (
        Claim.objects.filter(block__any=ids, status=ClaimStatus.LIVE)
        .order_by("block", "rank")
        .values_list("block", "application__priority_number", "rank", "contested", "application__received_at")
    ):
        claims.setdefault(block, []).append(tuple(claim))  # type: ignore[arg-type]
    opening: dict[int, datetime] = {}
    for block, opens_at in OpeningBlock.objects.filter(
        block__any=ids, opening__opens_at__gt=timezone.now()
    ).values_list("block", "opening__opens_at"):
        opening.setdefault(block, opens_at)
    return Availability(held=held, claims=claims, opening=opening)


def availability(blocks: list[int]) -> list[BlockState]:
    """Each block: held by a licence, claimed by pending applications (in priority order), not
    yet open, or free. Three queries, whatever the number of blocks."""
    rows = availability_rows(blocks)
    return [rows.state(b) for b in blocks]


def block_history(block: int) -> dict[str, object]:
    tenures = list(
        Tenure.objects.filter(block=block).select_related("licence", "licence__holder").order_by("started_at")
    )
    claims = list(
        Claim.objects.filter(block=block)
        .select_related("application", "application__organisation")
        .exclude(application__state=S.DRAFT)
        .order_by("application__received_at", "rank")
    )
    openings = list(OpeningBlock.objects.filter(block=block).select_related("opening").order_by("opening__opens_at"))
    return {"block": block, "tenures": tenures, "claims": claims, "openings": [o.opening for o in openings]}


def _blocks_under(deposits: QuerySet[Deposit], *, outlines: bool) -> set[int]:
    """The blocks in which the deposits' points lie, and with `outlines` their outlines too: one query."""
    blocks: set[int] = set()
    for longitude, latitude, outline in deposits.values_list("longitude", "latitude", "outline").distinct():
        with contextlib.suppress(grid.GridError):
            blocks.add(grid.block_at(longitude=float(longitude), latitude=float(latitude)))
            if outlines and outline:
                blocks.update(grid.blocks_in_shape(outline))
    return blocks


def strategic_blocks() -> frozenset[int]:
    """The blocks on which a deposit of a strategic commodity lies (its point and its outline)."""
    cached = cache.get("licensing:strategic-blocks")
    if cached is not None:
        return cached
    deposits = Deposit.objects.filter(deposit_commodities__commodity__is_strategic=True)
    frozen = frozenset(_blocks_under(deposits, outlines=True))
    cache.set("licensing:strategic-blocks", frozen, 300)
    return frozen


def preemptive_right_blocks() -> frozenset[int]:
    """The blocks on which a deposit under the state's pre-emptive right lies (point and outline)."""
    return frozenset(_blocks_under(Deposit.objects.filter(preemptive_right=True), outlines=True))


def commodity_blocks(code: str) -> set[int]:
    """The blocks on which a published deposit of the commodity lies (its point): one query."""
    return _blocks_under(Deposit.objects.filter(is_published=True, commodities__code=code), outlines=False)


def commodities_by_block() -> dict[int, set[str]]:
    """Each block on which published deposits lie (their points), with their commodity codes:
    one query over the published deposits' commodities, a small table whatever the register's size."""
    found: dict[int, set[str]] = {}
    rows = (
        Deposit.objects.filter(is_published=True)
        .values_list("longitude", "latitude", "deposit_commodities__commodity__code")
        .exclude(deposit_commodities__isnull=True)
    )
    for longitude, latitude, code in rows.iterator():
        with contextlib.suppress(grid.GridError):
            found.setdefault(grid.block_at(longitude=float(longitude), latitude=float(latitude)), set()).add(code)
    return found


def claims_of(application: Application) -> list[dict[str, object]]:
    """The application's claims with, for each block, the earlier applications ahead of it."""
    claims = list(application.claims.order_by("block"))
    ahead: dict[int, list[str]] = {}
    earlier = (
        Claim.objects.filter(
            block__in=[c.block for c in claims], status=ClaimStatus.LIVE, rank__lt=application.priority_number or 0
        )
        .exclude(application=application)
        .order_by("rank")
        .values_list("block", "application__priority_number")
    )
    for block, number in earlier:
        ahead.setdefault(block, []).append(f"A-{number:06d}")
    return [{"claim": c, "code": grid.code(c.block), "ahead": ahead.get(c.block, [])} for c in claims]


def _block_count() -> Coalesce:
    """How many blocks the outer row's opening frees: a subquery of each row, run for the rows a
    page shows only (a GROUP BY would join every opening's blocks before the page is cut)."""
    blocks = OpeningBlock.objects.filter(opening=OuterRef("pk")).order_by().values("opening")
    return Coalesce(Subquery(blocks.annotate(n=Count("pk")).values("n")), 0)


def openings_list() -> QuerySet[GroundOpening]:
    """Openings, the latest first, with their auction, their block count and their auction's sealed
    bids counted. The counts are subqueries of each row, so that a page (`page_of`) counts its own
    openings' blocks and bids only, not those of every opening."""
    bids = Bid.objects.filter(auction__opening=OuterRef("pk"), amount_kzt__isnull=False).order_by()
    return (
        GroundOpening.objects.select_related("auction")
        .annotate(
            block_count=_block_count(),
            bid_count=Coalesce(Subquery(bids.values("auction").annotate(n=Count("pk")).values("n")), 0),
        )
        .order_by("-opens_at", "-id")
    )


def openings_calendar() -> QuerySet[GroundOpening]:
    """Every opening, upcoming and past, with its block count and blocks: two queries a page."""
    return GroundOpening.objects.annotate(block_count=_block_count()).prefetch_related(
        Prefetch("blocks", queryset=OpeningBlock.objects.order_by("block"))
    )
