"""A relinquishment: the holder gives up some of its blocks and keeps the rest. The rest must stay
joined edge to edge (licensing.domain.grid) and within the licence type's fewest blocks; giving
up every block is a surrender. Approved: the given-up blocks' tenures end and their ground opens
at the next opening time (reason: relinquished; the equal-ranking month as after any end of
title), the year's relinquishment duty is met once the share given up reaches its rule, the
area fee and minimum expenditure not yet invoiced are recalculated for the blocks that remain,
and a certificate version is issued.

`plan` is the planner's preview of the same arithmetic, before anything is lodged."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from licensing.domain import grid
from licensing.ground.selectors import block_codes
from licensing.ground.services import ground_free_after_title, next_opening_time
from licensing.licences.services import certificate_issue, obligation_meet, obligation_schedule
from licensing.models import (
    CertificateReason,
    Licence,
    LicenceObligation,
    ObligationKind,
    OpeningReason,
    Tenure,
    TitleChange,
    TitleChangeKind,
)
from licensing.titles.extension import blocks_at_grant, blocks_held
from licensing.titles.kinds import Kind, register

FEES = (ObligationKind.RENT, ObligationKind.EXPENDITURE)


def prepare(*, licence: Licence, change: TitleChange) -> None:
    """The blocks as a sorted list of distinct integers."""
    change.blocks = sorted({int(b) for b in change.blocks or []})


def _problems(licence: Licence, given: set[int], held: set[int]) -> list[str]:
    if not given:
        return [_("Pick at least one block to give up.")]
    found = []
    foreign = given - held
    if foreign:
        found.append(
            _("These blocks are not held by this licence: %(codes)s.") % {"codes": block_codes(sorted(foreign))}
        )
    remaining = held - given
    if not remaining:
        found.append(_("Giving up every block is a surrender: lodge a surrender of the whole licence instead."))
        return found
    groups = len(grid.components(remaining))
    if groups > 1:
        found.append(
            ngettext(
                "The blocks that remain must be joined edge to edge; they would form %(count)d group.",
                "The blocks that remain must be joined edge to edge; they would form %(count)d groups.",
                groups,
            )
            % {"count": groups}
        )
    least = licence.licence_type.min_blocks
    if len(remaining) < least:
        found.append(
            ngettext(
                "A licence of this type keeps at least %(least)d block; %(count)d would remain.",
                "A licence of this type keeps at least %(least)d blocks; %(count)d would remain.",
                least,
            )
            % {"least": least, "count": len(remaining)}
        )
    return found


def problems(*, licence: Licence, change: TitleChange) -> list[str]:
    return _problems(licence, set(change.blocks or []), set(blocks_held(licence)))


def licence_year(licence: Licence, day: date) -> int:
    return relativedelta(day, licence.starts_on).years + 1


def _term_years(licence: Licence) -> int:
    return relativedelta(licence.expires_on, licence.starts_on).years


def _fees_to_recalculate(licence: Licence, today: date) -> QuerySet[LicenceObligation]:
    """The area fee and minimum expenditure due after today and not yet invoiced (a cancelled
    invoice does not count): what an invoice already asks stays owed as it was."""
    return LicenceObligation.objects.filter(
        licence=licence, kind__in=FEES, due_on__gt=today, met_at__isnull=True, waived_at__isnull=True
    ).filter(Q(invoice__isnull=True) | Q(invoice__cancelled_at__isnull=False))


@dataclass
class FeeYear:
    year: int
    rent_mci: Decimal | None = None
    rent_kzt: Decimal | None = None
    expenditure_mci: Decimal | None = None
    expenditure_kzt: Decimal | None = None


@dataclass
class Plan:
    """What a relinquishment of `given` would leave: the planner's preview."""

    given: list[int]
    remaining: list[int]
    granted: int
    problems: list[str]
    opens_at: datetime
    fees: list[FeeYear] = field(default_factory=list)

    @property
    def given_codes(self) -> list[str]:
        return [grid.code(b) for b in self.given]

    @property
    def remaining_codes(self) -> list[str]:
        return [grid.code(b) for b in self.remaining]

    @property
    def contiguous(self) -> bool:
        return grid.is_contiguous(self.remaining)

    @property
    def share_percent(self) -> float:
        """The share of the blocks at the grant given up, with this relinquishment."""
        return 100.0 * (self.granted - len(self.remaining)) / self.granted if self.granted else 0.0


def _recalculated(licence: Licence, remaining: list[int], today: date) -> dict[tuple[str, int], LicenceObligation]:
    """The fee rows the remaining blocks would owe, by (kind, licence year), from this year on."""
    first = licence_year(licence, today)
    last = _term_years(licence)
    if first > last or not remaining:
        return {}
    rows = obligation_schedule(licence=licence, blocks=remaining, from_year=first, to_year=last)
    return {(row.kind, row.licence_year): row for row in rows if row.kind in FEES}


def plan(*, licence: Licence, blocks: list[int], now: datetime) -> Plan:
    """The preview: what remains, its problems, the fees not yet invoiced as they would become,
    and when the freed ground would open (the time ground_open itself takes)."""
    held = blocks_held(licence)
    given = sorted(set(blocks))
    remaining = sorted(set(held) - set(given))
    today = timezone.localdate(now)
    found = _problems(licence, set(given), set(held))
    new = _recalculated(licence, remaining, today)
    years: dict[int, FeeYear] = {}
    for obligation in _fees_to_recalculate(licence, today).order_by("licence_year", "kind"):
        row = new.get((obligation.kind, obligation.licence_year))
        if row is None:
            continue
        year = years.setdefault(obligation.licence_year, FeeYear(obligation.licence_year))
        prefix = "rent" if obligation.kind == ObligationKind.RENT else "expenditure"
        setattr(year, f"{prefix}_mci", row.amount_mci)
        setattr(year, f"{prefix}_kzt", row.amount_kzt)
    return Plan(
        given=given,
        remaining=remaining,
        granted=blocks_at_grant(licence),
        problems=found,
        opens_at=next_opening_time(now),
        fees=[years[y] for y in sorted(years)],
    )


def _meet_relinquishment_duty(actor: User, licence: Licence, today: date) -> None:
    """The year's relinquishment duty (and a late earlier one) is met when the share of the
    blocks at the grant given up by now reaches its rule's percent."""
    granted = blocks_at_grant(licence)
    if not granted:
        return
    share = Decimal(100 * (granted - len(blocks_held(licence)))) / granted
    duties = LicenceObligation.objects.filter(
        licence=licence,
        kind=ObligationKind.RELINQUISHMENT,
        licence_year__lte=licence_year(licence, today),
        met_at__isnull=True,
        waived_at__isnull=True,
    )
    for duty in duties:
        if duty.percent is None or share >= duty.percent:
            obligation_meet(actor=actor, obligation=duty)


def apply(*, actor: User, change: TitleChange, now: datetime) -> None:
    """Called with the priority counter and the licence locked (the order expiry takes)."""
    licence = Licence.objects.select_related("licence_type", "application").get(pk=change.licence_id)
    today = timezone.localdate(now)
    given = sorted(set(change.blocks))
    Tenure.objects.filter(licence=licence, block__in=given, is_active=True).update(is_active=False, ended_at=now)
    remaining = blocks_held(licence)
    new = _recalculated(licence, remaining, today)
    for obligation in _fees_to_recalculate(licence, today).select_for_update(of=("self",)):
        row = new.get((obligation.kind, obligation.licence_year))
        if row is not None:
            obligation.amount_mci, obligation.amount_kzt = row.amount_mci, row.amount_kzt
            obligation.save(update_fields=["amount_mci", "amount_kzt"])
    _meet_relinquishment_duty(actor, licence, today)
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.RELINQUISHMENT, now=now)
    region = licence.application.region if licence.application else ""
    ground_free_after_title(actor=None, blocks=given, reason=OpeningReason.RELINQUISHED, region=region)


RELINQUISHMENT = register(
    Kind(
        TitleChangeKind.RELINQUISHMENT,
        problems=problems,
        apply=apply,
        fields=("blocks",),
        prepare=prepare,
    )
)
