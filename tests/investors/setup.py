"""Organisations in each state, built through the services (on top of tests.investors.factories)."""

from decimal import Decimal

from accounts.models import User
from investors import services
from investors.models import Organisation, OwnerKind
from tests.investors import factories

organisation = factories.organisation


def complete(organisation: Organisation, owner: User, share: int = 100) -> Organisation:
    """Owners declared (one natural person holding `share` %) and every required document accepted."""
    factories.owner(organisation, owner, kind=OwnerKind.NATURAL, name="A. Person", share=Decimal(share))
    return factories.complete(organisation, owner)


def verified(owner: User, registrar: User, **fields: object) -> Organisation:
    org = complete(organisation(owner, **fields), owner)
    services.organisation_submit(actor=owner, organisation=org)
    return services.organisation_decide(actor=registrar, organisation=org, decision="verify")
