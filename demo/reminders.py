"""Demo reminders: the first demo licence's holder names investor@example.com (a viewer there, as
a joint-venture partner's site manager would be) a licence notice contact, and today's reminder
run sends what is due, so the demo shows a sent reminder in the investor's inbox. Through the
services; idempotent (the run sends each step once)."""

from django.utils import timezone

from accounts.models import User
from events.models import Channel, Delivery, Event
from events.services import delivery_send, event_dispatch
from investors import services as investor_services
from investors.models import MemberRole, Membership
from licensing.licences.contacts import notice_contact_add
from licensing.licences.reminders import obligation_reminders_send
from licensing.models import Licence, LicenceStatus, NoticeContact


def reminders_ready(investor: User) -> int:
    """Returns how many obligations this run reminded."""
    licence = (
        Licence.objects.filter(status=LicenceStatus.ACTIVE, application__title__startswith="Demo ")
        .order_by("granted_at", "pk")
        .select_related("holder")
        .first()
    )
    if licence is None:
        return 0
    holder = licence.holder
    owner = Membership.objects.filter(organisation=holder, role=MemberRole.OWNER).select_related("user").first()
    if owner is None:
        return 0
    if not Membership.objects.filter(organisation=holder, user=investor).exists():
        invitation = investor_services.member_invite(
            actor=owner.user, organisation=holder, email=investor.email, role=MemberRole.VIEWER
        )
        investor_services.invitation_accept(actor=investor, token=invitation.token)
    if not NoticeContact.objects.filter(organisation=holder, user=investor).exists():
        notice_contact_add(actor=owner.user, organisation=holder, user=investor)
    reminded = obligation_reminders_send(today=timezone.localdate())
    # The inboxes now, as the worker would fill them (a demo opened without a worker shows them
    # too); emails are left to the worker.
    undispatched = Event.objects.filter(type__startswith="obligation.", dispatched_at__isnull=True)
    for event_id in undispatched.values_list("pk", flat=True):
        due = event_dispatch(event_id=event_id)
        for delivery_id in Delivery.objects.filter(pk__in=due, channel=Channel.IN_APP).values_list("pk", flat=True):
            delivery_send(delivery_id=delivery_id)
    return len(reminded)
