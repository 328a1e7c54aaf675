"""Writes on the ground: claims released to the next in line, ground opened at a published time,
opening windows settled, sealed bids placed and auctions decided. Lodgements, grants and these
lock the single priority-counter row, so the database settles who came first."""

import random
import secrets
from collections import defaultdict
from datetime import datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.formatting import format_moment
from accounts.models import User
from accounts.roles import is_registrar
from events.services import record_event
from licensing import calendar
from licensing.domain import grid
from licensing.ground.outlines import opening_outline_write
from licensing.ground.selectors import block_codes
from licensing.models import (
    Application,
    Auction,
    AuctionStatus,
    Bid,
    Claim,
    ClaimStatus,
    GroundOpening,
    OpeningBlock,
    OpeningReason,
    PriorityCounter,
    Tenure,
)
from licensing.permissions import is_reviewer, require, require_applicant

# Lodgement -----------------------------------------------------------------------------


def priority_counter_locked() -> PriorityCounter:
    counter, _created = PriorityCounter.objects.select_for_update().get_or_create(pk=1)
    return counter


def claims_release(actor: User | None, application: Application, reason: str) -> None:
    """Release an ended application's live claims: each block goes to the next claim in rank
    order, or, with none left, opens as free ground at the next published opening, unless a
    licence holds it (a refused or withdrawn conversion: the blocks stay with the licence)."""
    claims = list(application.claims.filter(status=ClaimStatus.LIVE))
    if not claims:
        return
    blocks = [c.block for c in claims]
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=ClaimStatus.RELEASED)
    remaining = Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).order_by("block", "rank")
    promoted: dict[int, list[int]] = defaultdict(list)
    taken = set()
    for claim in remaining.values("block", "application_id", "rank"):
        if claim["block"] in taken:
            continue
        taken.add(claim["block"])
        if claim["rank"] > application.priority_number:
            promoted[claim["application_id"]].append(claim["block"])
    for winner in Application.objects.filter(pk__in=promoted):
        record_event(
            actor=actor,
            type="application.blocks_promoted",
            subject=winner,
            blocks=[grid.code(b) for b in promoted[winner.pk]],
            after=application.reference,
            organisation=winner.organisation_id,
        )
    # A conversion's blocks are still held by the licence it would have converted: they stay.
    held = set(Tenure.objects.filter(block__in=blocks, is_active=True).values_list("block", flat=True))
    freed = [b for b in blocks if b not in taken and b not in held]
    if freed:
        ground_open(actor=actor, blocks=freed, reason=reason, region=application.region)


def ground_free_after_title(*, actor: User | None, blocks: list[int], reason: str, region: str) -> GroundOpening | None:
    """Free the blocks of a title that ended (expiry, surrender, relinquishment, revocation): they
    open at the next opening time, except those a pending conversion of the licence still claims,
    which open when that application ends (claims_release). Call with the title's tenures ended."""
    claimed = set(Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).values_list("block", flat=True))
    freed = [b for b in blocks if b not in claimed]
    if not freed:
        return None
    return ground_open(actor=actor, blocks=freed, reason=reason, region=region)


def next_opening_time(now: datetime) -> datetime:
    """When ground freed now opens: 09:00 Astana time, the notice period of working days ahead
    (what ground_open takes unless told; the relinquishment planner previews it)."""
    return calendar.next_opening(now, notice_working_days=settings.LICENSING_OPENING_NOTICE_DAYS)


def ground_open(
    *, actor: User | None, blocks: list[int], reason: str, region: str = "", opens_at: datetime | None = None
) -> GroundOpening:
    """Publish ground that opens for applications at 09:00 Astana time on a coming working day;
    lodgements in the month after rank equally."""
    if actor is not None and reason == OpeningReason.RELEASED_BY_STATE:
        require(is_registrar(actor), _("Only registrars may open ground."))
    now = timezone.now()
    opens_at = opens_at or next_opening_time(now)
    local = timezone.localtime(opens_at)
    if opens_at <= now or local.time().hour != settings.LICENSING_OFFICE_OPENS or local.minute or local.second:
        raise ValidationError(_("Ground opens at 09:00 Astana time on a future working day."))
    if not calendar.calendar_for(local.date()).is_working_day(local.date()):
        raise ValidationError(_("Ground opens on a working day."))
    with transaction.atomic():
        held = set(Tenure.objects.filter(block__in=blocks, is_active=True).values_list("block", flat=True))
        if held:
            raise ValidationError(_("These blocks are held: %(codes)s.") % {"codes": block_codes(held)})
        claimed = set(Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).values_list("block", flat=True))
        if claimed:
            raise ValidationError(
                _("These blocks are claimed by pending applications: %(codes)s.") % {"codes": block_codes(claimed)}
            )
        opening = GroundOpening.objects.create(
            opens_at=opens_at, window_closes_at=opens_at + relativedelta(months=1), reason=reason, region=region
        )
        OpeningBlock.objects.bulk_create(OpeningBlock(opening=opening, block=b) for b in blocks)
        opening_outline_write(opening=opening, blocks=blocks)
        record_event(
            actor=actor,
            type="ground.freed",
            subject=opening,
            region=region,
            reason=reason,
            blocks=len(blocks),
            opens_at=opens_at,
            codes=[grid.code(b) for b in sorted(blocks)[:50]],
        )
    return opening


# Opening windows and auctions ----------------------------------------------------------


def opening_settle(*, actor: User | None, opening: GroundOpening) -> Auction | None:
    """After the equal-ranking month: blocks claimed by more than one application of the window
    are contested, and those applications are called to a sealed-bid auction."""
    with transaction.atomic():
        priority_counter_locked()
        opening = GroundOpening.objects.select_for_update().get(pk=opening.pk)
        now = timezone.now()
        if opening.settled_at is not None:
            raise TransitionError(_("This opening is already settled."))
        if now < opening.window_closes_at:
            raise TransitionError(_("The equal-ranking window is still open."))
        claims = Claim.objects.filter(opening=opening, status=ClaimStatus.LIVE)
        by_block: dict[int, set[int]] = defaultdict(set)
        for block, application_id in claims.values_list("block", "application_id"):
            by_block[block].add(application_id)
        contested = {b for b, apps in by_block.items() if len(apps) > 1}
        participants = sorted({a for b in contested for a in by_block[b]})
        opening.settled_at = now
        opening.save(update_fields=["settled_at", "updated_at"])
        if not participants:
            record_event(actor=actor, type="opening.settled", subject=opening, contested=0)
            return None
        claims.filter(block__in=contested).update(contested=True)
        auction = Auction.objects.create(
            opening=opening,
            bids_close_at=calendar.next_opening(now, notice_working_days=settings.LICENSING_AUCTION_WORKING_DAYS),
        )
        Bid.objects.bulk_create(Bid(auction=auction, application_id=a) for a in participants)
        record_event(
            actor=actor,
            type="opening.settled",
            subject=opening,
            contested=len(contested),
            participants=len(participants),
        )
        for application in Application.objects.filter(pk__in=participants):
            record_event(
                actor=actor,
                type="application.auction_called",
                subject=application,
                bids_close_at=auction.bids_close_at,
                organisation=application.organisation_id,
                blocks=[grid.code(b) for b in sorted(contested) if application.pk in by_block[b]],
            )
    return auction


def bid_place(*, actor: User, application: Application, amount_kzt: Decimal) -> Bid:
    """A sealed bid: recorded with who and when; nobody sees the amount until the bids are opened."""
    try:
        amount = Decimal(str(amount_kzt))
    except ArithmeticError as exc:
        raise ValidationError({"amount_kzt": _("Give the bid in tenge.")}) from exc
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e14"):
        raise ValidationError({"amount_kzt": _("The bid must be a positive sum of tenge.")})
    with transaction.atomic():
        require_applicant(actor, application.organisation_id)
        bid = (
            Bid.objects.select_for_update()
            .select_related("auction")
            .filter(application=application, auction__status=AuctionStatus.OPEN)
            .first()
        )
        if bid is None:
            raise TransitionError(_("This application is not called to an open auction."))
        if timezone.now() >= bid.auction.bids_close_at:
            raise TransitionError(
                _("Bids closed at %(when)s.") % {"when": format_moment(bid.auction.bids_close_at, zone=True)}
            )
        if bid.amount_kzt is not None:
            raise TransitionError(_("A sealed bid was already placed for this application."))
        bid.amount_kzt, bid.placed_by, bid.placed_at = amount.quantize(Decimal("0.01")), actor, timezone.now()
        bid.save(update_fields=["amount_kzt", "placed_by", "placed_at"])
        record_event(actor=actor, type="auction.bid_placed", subject=bid.auction, application=application.pk)
    return bid


def auction_decide(*, actor: User | None, auction: Auction) -> list[Bid]:
    """Open every sealed bid together: the highest wins, ties are broken by a draw from a recorded
    seed, applications that did not bid come last. The order becomes the claims' rank."""
    if actor is not None:
        require(is_reviewer(actor) or is_registrar(actor), _("Only officials may open the bids."))
    with transaction.atomic():
        priority_counter_locked()
        auction = Auction.objects.select_for_update().get(pk=auction.pk)
        if auction.status != AuctionStatus.OPEN:
            raise TransitionError(_("The bids were already opened."))
        now = timezone.now()
        if now < auction.bids_close_at:
            raise TransitionError(
                _("Bids are sealed until %(when)s.") % {"when": format_moment(auction.bids_close_at, zone=True)}
            )
        bids = list(auction.bids.select_related("application").order_by("application__priority_number"))
        auction.draw_seed = secrets.token_hex(16)
        # A seeded generator on purpose: anyone can replay the recorded seed and get the same draw.
        draws = random.Random(auction.draw_seed).sample(range(1, len(bids) + 1), len(bids))  # noqa: S311
        for bid, draw in zip(bids, draws, strict=True):
            bid.draw = draw
        ordered = sorted(bids, key=lambda b: (b.amount_kzt is None, -(b.amount_kzt or 0), b.draw))
        slots = sorted(b.application.priority_number for b in bids)
        for position, (bid, rank) in enumerate(zip(ordered, slots, strict=True), start=1):
            bid.position = position
            Claim.objects.filter(application=bid.application, opening=auction.opening).update(
                rank=rank, contested=False
            )
        Bid.objects.bulk_update(bids, ["draw", "position"])
        auction.status, auction.opened_at, auction.opened_by = AuctionStatus.DECIDED, now, actor
        auction.save(update_fields=["status", "opened_at", "opened_by", "draw_seed"])
        record_event(
            actor=actor,
            type="auction.decided",
            subject=auction,
            seed=auction.draw_seed,
            result=[
                {
                    "application": b.application.reference,
                    "amount_kzt": b.amount_kzt,
                    "draw": b.draw,
                    "place": b.position,
                }
                for b in ordered
            ],
        )
    return ordered


def auctions_decide_due() -> list[int]:
    """Open the bids of every auction whose bidding has closed (run by the beat task)."""
    due = Auction.objects.filter(status=AuctionStatus.OPEN, bids_close_at__lte=timezone.now())
    decided = []
    for auction in due:
        try:
            auction_decide(actor=None, auction=auction)
            decided.append(auction.pk)
        except TransitionError:
            continue
    return decided


def openings_settle_due() -> list[int]:
    windows = GroundOpening.objects.filter(settled_at__isnull=True, window_closes_at__lte=timezone.now())
    settled = []
    for opening in windows:
        try:
            opening_settle(actor=None, opening=opening)
            settled.append(opening.pk)
        except TransitionError:
            continue
    return settled
