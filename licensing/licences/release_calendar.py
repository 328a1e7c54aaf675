"""Reads for the public release calendar: ground coming free, when and why. Published openings
(upcoming, and recent ones whose equal-ranking month is open or just closed), and the licences
whose term ends in the coming weeks, with when their blocks will open by the opening rule, and
the surrenders and relinquishments being decided (their ground opens only if approved)."""

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.db.models.functions import Coalesce

from licensing import calendar
from licensing.ground import selectors as ground_selectors
from licensing.licences.selectors import covering_commodity
from licensing.models import (
    GroundOpening,
    Licence,
    LicenceStatus,
    OpeningBlock,
    Tenure,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)

# An opening stays on the calendar this long after its equal-ranking month closed.
RECENT_DAYS = 30
MAX_WEEKS = 52


@dataclass(frozen=True)
class CalendarQuery:
    region: str = ""
    commodity: str = ""
    weeks: int = settings.LICENSING_CALENDAR_WEEKS


@dataclass(frozen=True)
class ExpectedOpening:
    """When the blocks of a licence expiring on `expires_on` would open: the beat ends it the day
    after, and ground opens at 09:00 on the working day the notice period later; a month of
    equal ranking follows. (An extension decided before then keeps the licence in force.)"""

    opens_at: datetime
    window_closes_at: datetime


def calendar_openings(query: CalendarQuery, now: datetime) -> QuerySet[GroundOpening]:
    """Openings not yet settled long ago, earliest first, with their block count and blocks."""
    openings = (
        GroundOpening.objects.filter(window_closes_at__gte=now - timedelta(days=RECENT_DAYS))
        .annotate(block_count=Count("blocks"))
        .prefetch_related(Prefetch("blocks", queryset=OpeningBlock.objects.order_by("block")))
        .order_by("opens_at", "id")
    )
    if query.region:
        openings = openings.filter(region=query.region)
    if query.commodity:
        blocks = sorted(ground_selectors.commodity_blocks(query.commodity))
        openings = openings.filter(pk__in=OpeningBlock.objects.filter(block__in=blocks).values("opening_id"))
    return openings


def _held_count(licence: str) -> Coalesce:
    """How many blocks the licence named by the outer row's `licence` field holds: a subquery of
    each row, which PostgreSQL runs for the rows of the page only (a GROUP BY over a join would
    count the tenures of every matching licence first, and so would the page's count)."""
    held = Tenure.objects.filter(licence=OuterRef(licence), is_active=True).order_by().values("licence")
    return Coalesce(Subquery(held.annotate(n=Count("pk")).values("n")), 0)


def expiring_licences(query: CalendarQuery, today: date) -> QuerySet[Licence]:
    """Active licences whose term ends from today to `weeks` ahead, soonest first, with the
    number of blocks they hold (one query a page; the status-and-expiry index serves it)."""
    licences = (
        Licence.objects.filter(
            status=LicenceStatus.ACTIVE,
            expires_on__gte=today,
            expires_on__lte=today + timedelta(weeks=query.weeks),
        )
        .select_related("holder", "licence_type", "application")
        .annotate(block_count=_held_count("pk"))
        .order_by("expires_on", "id")
    )
    if query.region:
        licences = licences.filter(application__region=query.region)
    if query.commodity:
        licences = covering_commodity(licences, query.commodity)
    return licences


def expected_openings(expiry_days: list[date]) -> dict[date, ExpectedOpening]:
    """For each expiry day, when its ground would open: one read of the working-day calendar."""
    if not expiry_days:
        return {}
    notice = settings.LICENSING_OPENING_NOTICE_DAYS
    span = calendar.calendar_span(min(expiry_days), max(expiry_days) + timedelta(days=notice * 2 + 40))
    expected = {}
    for day in expiry_days:
        opens_at = calendar.opening_time(span.add(day + timedelta(days=1), notice))
        expected[day] = ExpectedOpening(opens_at=opens_at, window_closes_at=opens_at + relativedelta(months=1))
    return expected


# Changes of title that would free ground if approved; the holder's statement is not shown.
FREEING_KINDS = (TitleChangeKind.SURRENDER, TitleChangeKind.RELINQUISHMENT)
DECIDING_STATES = (TitleChangeState.UNDER_REVIEW, TitleChangeState.RECOMMENDED)


def changes_being_decided(query: CalendarQuery) -> QuerySet[TitleChange]:
    """Surrenders and relinquishments under review or recommended, earliest lodged first, with
    the blocks they would free as `block_count` (one query a page: a relinquishment counts its
    own blocks, a surrender the licence's blocks held)."""
    changes = (
        TitleChange.objects.filter(kind__in=FREEING_KINDS, state__in=DECIDING_STATES)
        .select_related("licence", "licence__application")
        .annotate(held_count=_held_count("licence_id"))
        .order_by("lodged_at", "id")
    )
    if query.region:
        changes = changes.filter(licence__application__region=query.region)
    if query.commodity:
        changes = changes.filter(licence__in=covering_commodity(Licence.objects.all(), query.commodity))
    return changes


def freed_count(change: TitleChange) -> int:
    """How many blocks the change would free: those given up, or all held for a surrender."""
    if change.kind == TitleChangeKind.RELINQUISHMENT:
        return len(change.blocks or [])
    return change.held_count
