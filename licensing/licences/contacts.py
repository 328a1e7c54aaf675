"""A holder's licence notice contacts: members its owners and managers name to receive the
licence notices (reminders, notices to remedy) beside themselves, so that a notice does not
depend on one inbox. Services (writes) and the selectors of the contacts page."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.services import record_event
from investors.models import Membership, Organisation
from investors.permissions import MANAGING_ROLES, manages
from licensing.models import NoticeContact


def _require_manager(actor: User, organisation: Organisation) -> None:
    if not manages(actor, organisation.pk):
        raise PermissionDenied(_("Only the organisation's owners and managers may do this."))


def notice_contact_add(*, actor: User, organisation: Organisation, user: User) -> NoticeContact:
    """Name a member of the organisation (any role) a licence notice contact. Refused for
    someone who is not a member, or is a contact already."""
    _require_manager(actor, organisation)
    if not Membership.objects.filter(organisation=organisation, user=user).exists():
        raise ValidationError({"user": _("Only a member of the organisation can be a notice contact.")})
    try:
        with transaction.atomic():
            contact = NoticeContact.objects.create(organisation=organisation, user=user, added_by=actor)
            record_event(actor=actor, type="notice_contact.added", subject=organisation, user=user.pk)
    except IntegrityError:
        raise ValidationError({"user": _("This member is a notice contact already.")}) from None
    return contact


def notice_contact_remove(*, actor: User, contact: NoticeContact) -> None:
    """Stop sending licence notices to a contact (owners and managers receive them anyway)."""
    organisation = contact.organisation
    _require_manager(actor, organisation)
    with transaction.atomic():
        removed, _rows = NoticeContact.objects.filter(pk=contact.pk).delete()
        if removed:  # removed by someone else a moment ago: nothing to record twice
            record_event(actor=actor, type="notice_contact.removed", subject=organisation, user=contact.user_id)


# Selectors -------------------------------------------------------------------------------


@dataclass
class ContactsPage:
    organisation: Organisation
    may_edit: bool
    # The owners and managers, who receive the notices without being named.
    managers: list[Membership]
    contacts: list[NoticeContact]
    # Members who could be named: not contacts yet.
    candidates: list[Membership]


def notice_contacts_page(user: User, organisation: Organisation) -> ContactsPage:
    """What the contacts page shows a member of the organisation (three queries)."""
    memberships = list(Membership.objects.filter(organisation=organisation).select_related("user"))
    contacts = list(
        NoticeContact.objects.filter(organisation=organisation).select_related("user").order_by("user__email")
    )
    named = {c.user_id for c in contacts}
    mine = next((m for m in memberships if m.user_id == user.pk), None)
    return ContactsPage(
        organisation=organisation,
        may_edit=mine is not None and manages_role(mine),
        managers=[m for m in memberships if manages_role(m)],
        contacts=contacts,
        candidates=[m for m in memberships if m.user_id not in named],
    )


def manages_role(membership: Membership) -> bool:
    return membership.role in MANAGING_ROLES


def notice_contact_of(organisation: Organisation, pk: int) -> NoticeContact | None:
    """A contact of this organisation (the one the person acts for); None for any other id."""
    return NoticeContact.objects.select_related("user", "organisation").filter(organisation=organisation, pk=pk).first()
