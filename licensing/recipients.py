"""Who an event about an application reaches: the applicant's members, the objector, reviewers, approvers."""

from collections.abc import Iterable

from accounts.models import User
from accounts.roles import Role, holders_of
from events.models import Event
from investors.models import Membership
from licensing.models import Application, Licence


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


def licence_holder_members(event: Event) -> Iterable[User]:
    """The members of the organisation holding the licence the event is about, except who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not Licence:
        return []
    holder = Licence.objects.filter(pk=event.subject_id).values_list("holder_id", flat=True).first()
    memberships = Membership.objects.filter(organisation_id=holder or 0).select_related("user")
    return [m.user for m in memberships if m.user_id != event.actor_id]
