"""What the declared owners make of an organisation: foreign, foreign state-linked, and
whether a licence application of its will need a screening referral."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings

from investors.models import BeneficialOwner, Organisation

HUNDRED = Decimal(100)


@dataclass(frozen=True)
class OwnershipProfile:
    incorporated_abroad: bool
    foreign_share: Decimal  # held by owners of other countries than Kazakhstan, through any chain
    foreign_state_share: Decimal  # held by foreign states or bodies they control, through any chain
    threshold: Decimal
    declared_share: Decimal  # of the direct owners; below 100 % some owners are undeclared
    effective: dict[int, Decimal] = field(default_factory=dict)  # owner id -> share of the organisation

    @property
    def foreign(self) -> bool:
        return self.incorporated_abroad or self.foreign_share > HUNDRED / 2

    @property
    def state_linked(self) -> bool:
        return self.foreign_state_share >= self.threshold

    @property
    def screening_required(self) -> bool:
        """A licence application will get a foreign-investment screening referral."""
        return self.state_linked


def ownership_profile(organisation: Organisation, owners: Iterable[BeneficialOwner] | None = None) -> OwnershipProfile:
    """Shares through legal persons multiply (40 % of a company that holds 50 % is 20 %).
    A foreign state-owned owner counts once with everything it holds: what its own owners
    hold through it is already the state's."""
    owners = list(owners if owners is not None else organisation.owners.all())
    children: dict[int | None, list[BeneficialOwner]] = {}
    for owner in owners:
        children.setdefault(owner.held_through_id, []).append(owner)
    effective: dict[int, Decimal] = {}
    foreign = Decimal(0)
    state = Decimal(0)

    def walk(parent_id: int | None, factor: Decimal, under_state: bool, seen: frozenset[int]) -> None:
        nonlocal foreign, state
        for owner in children.get(parent_id, []):
            if owner.pk in seen:
                continue
            share = owner.share * factor / HUNDRED
            effective[owner.pk] = share
            abroad = owner.country.code != "KZ"
            has_holders = bool(children.get(owner.pk))
            # Count the leaves (or a legal person whose own owners are not declared).
            if abroad and not has_holders:
                foreign += share
            if owner.state_owned and abroad and not under_state:
                state += share
            walk(owner.pk, share, under_state or (owner.state_owned and abroad), seen | {owner.pk})

    walk(None, HUNDRED, False, frozenset())
    declared = sum((o.share for o in children.get(None, [])), Decimal(0))
    return OwnershipProfile(
        incorporated_abroad=organisation.country.code != "KZ",
        foreign_share=foreign.quantize(Decimal("0.001")),
        foreign_state_share=state.quantize(Decimal("0.001")),
        threshold=settings.INVESTORS_STATE_LINK_THRESHOLD,
        declared_share=declared,
        effective=effective,
    )
