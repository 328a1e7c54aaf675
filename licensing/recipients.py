"""Who an event reaches: an application's applicant members, the objector, reviewers, approvers;
a licence's notice recipients (owners, managers and named notice contacts of its holder)."""

from collections.abc import Iterable

from django.db.models import Q

from accounts.models import User
from accounts.roles import Role, holders_of
from events.models import Event
from investors.models import Membership
from investors.permissions import MANAGING_ROLES
from licensing.models import Application, Invoice, Licence, LicenceObligation, NoticeContact, TitleChange


def _application_of(event: Event) -> Application | None:
    if event.subject_type is None or event.subject_type.model_class() is not Application:
        return None
    return Application.objects.filter(pk=event.subject_id).first()


def applicant_members(event: Event) -> Iterable[User]:
    """The members of the applicant organisation, except the person who acted."""
    application = _application_of(event)
    if application is None:
        return []
    memberships = Membership.objects.filter(organisation_id=application.organisation_id).select_related("user")
    return [m.user for m in memberships if m.user_id != event.actor_id]


def objector(event: Event) -> Iterable[User]:
    """Who lodged the objection the event answers."""
    return User.objects.filter(pk=event.payload.get("objector") or 0, is_active=True)


def reviewers(event: Event) -> Iterable[User]:
    return holders_of(Role.REVIEWER).exclude(pk=event.actor_id or 0)


def approvers(event: Event) -> Iterable[User]:
    return holders_of(Role.APPROVER).exclude(pk=event.actor_id or 0)


def holder_notice_recipients(organisation_id: int) -> list[User]:
    """Who receives an organisation's licence notices: its owners and managers, and the members
    it named as notice contacts (a contact who has left the organisation receives nothing)."""
    contacts = NoticeContact.objects.filter(organisation_id=organisation_id).values("user_id")
    memberships = Membership.objects.filter(organisation_id=organisation_id).filter(
        Q(role__in=MANAGING_ROLES) | Q(user_id__in=contacts)
    )
    return [m.user for m in memberships.select_related("user").order_by("user_id")]


def licence_notice_recipients(event: Event) -> Iterable[User]:
    """An obligation's reminders reach every notice recipient of the licence's holder."""
    if event.subject_type is None or event.subject_type.model_class() is not LicenceObligation:
        return []
    obligation = LicenceObligation.objects.filter(pk=event.subject_id).select_related("licence").first()
    return holder_notice_recipients(obligation.licence.holder_id) if obligation is not None else []


def licence_notice_recipients_of_licence(event: Event) -> Iterable[User]:
    """A notice about a licence (a breach and its remedy) reaches every notice recipient of its holder."""
    if event.subject_type is None or event.subject_type.model_class() is not Licence:
        return []
    holder = Licence.objects.filter(pk=event.subject_id).values_list("holder_id", flat=True).first()
    return holder_notice_recipients(holder) if holder is not None else []


def named_contact(event: Event) -> Iterable[User]:
    """The member named (or no longer named) a notice contact, unless they did it themselves."""
    person = event.payload.get("user") or 0
    return User.objects.filter(pk=person, is_active=True).exclude(pk=event.actor_id or 0)


def invoice_holder_members(event: Event) -> Iterable[User]:
    """The members of the organisation holding the invoiced licence, except the person who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not Invoice:
        return []
    holder = Invoice.objects.filter(pk=event.subject_id).values_list("licence__holder_id", flat=True).first()
    return _members_but_actor(holder, event)


def licence_holder_members(event: Event) -> Iterable[User]:
    """The members of the organisation holding the licence the event is about, except who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not Licence:
        return []
    holder = Licence.objects.filter(pk=event.subject_id).values_list("holder_id", flat=True).first()
    return _members_but_actor(holder, event)


def _members_but_actor(organisation_id: int | None, event: Event) -> list[User]:
    memberships = Membership.objects.filter(organisation_id=organisation_id or 0).select_related("user")
    return [m.user for m in memberships if m.user_id != event.actor_id]


def title_change_holder_members(event: Event) -> Iterable[User]:
    """The members of the organisation that lodged the change of title, except who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not TitleChange:
        return []
    holder = TitleChange.objects.filter(pk=event.subject_id).values_list("holder_id", flat=True).first()
    return _members_but_actor(holder, event)


def title_change_transferee_members(event: Event) -> Iterable[User]:
    """The members of the organisation a transfer is offered to, except who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not TitleChange:
        return []
    transferee = TitleChange.objects.filter(pk=event.subject_id).values_list("transferee_id", flat=True).first()
    return _members_but_actor(transferee, event) if transferee else []
