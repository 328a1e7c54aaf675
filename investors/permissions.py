"""Who may act for an organisation: the one place that says which members manage it."""

from accounts.models import User
from investors.models import MemberRole, Membership

# Owners and managers act for the organisation: apply, edit, invite; other members only read.
MANAGING_ROLES = frozenset({MemberRole.OWNER, MemberRole.MANAGER})


def is_member(user: User, organisation_id: int) -> bool:
    return user.is_authenticated and Membership.objects.filter(organisation_id=organisation_id, user=user).exists()


def manages(user: User, organisation_id: int) -> bool:
    """An owner or manager of the organisation."""
    membership = Membership.objects.filter(organisation_id=organisation_id, user=user).first()
    return membership is not None and membership.role in MANAGING_ROLES
