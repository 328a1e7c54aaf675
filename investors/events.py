"""The event types investors records. An organisation's verification, members, beneficial
owners and documents are the organisation's and the registry's business (KYC, personal data):
none of them is public, none leaves by webhook."""

from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare

INTERNAL, PARTIES = Audience.INTERNAL, Audience.PARTIES
ORGANISATION = "investors.organisation"

declare(
    "investors",
    EventType("organisation.created", _("Organisation registered"), PARTIES, ORGANISATION),
    EventType("organisation.updated", _("Organisation details changed"), PARTIES, ORGANISATION),
    EventType("organisation.submitted", _("Organisation sent for verification"), PARTIES, ORGANISATION),
    EventType("organisation.verified", _("Organisation verified"), PARTIES, ORGANISATION),
    EventType("organisation.rejected", _("Organisation rejected"), PARTIES, ORGANISATION),
    EventType("organisation.returned", _("Organisation returned for correction"), PARTIES, ORGANISATION),
    EventType("organisation.document_accepted", _("Due-diligence document accepted"), PARTIES, ORGANISATION),
    EventType("organisation.document_returned", _("Due-diligence document returned"), PARTIES, ORGANISATION),
    EventType("organisation.document_replaced", _("Due-diligence document replaced"), PARTIES, ORGANISATION),
    # The registrar's checklist (register extract, sanctions, politically exposed persons): the
    # registry's own work, not the organisation's.
    EventType("organisation.check_recorded", _("Verification check recorded"), INTERNAL, ORGANISATION),
    EventType("organisation.suspended", _("Organisation suspended"), PARTIES, ORGANISATION),
    EventType("organisation.reinstated", _("Organisation reinstated"), PARTIES, ORGANISATION),
    EventType("organisation.document_added", _("Due-diligence document added"), PARTIES, ORGANISATION),
    EventType("organisation.document_removed", _("Due-diligence document removed"), PARTIES, ORGANISATION),
    EventType("owner.added", _("Beneficial owner declared"), PARTIES, ORGANISATION),
    EventType("owner.removed", _("Beneficial owner removed"), PARTIES, ORGANISATION),
    EventType("member.invited", _("Member invited"), PARTIES, ORGANISATION),
    EventType("member.invitation_withdrawn", _("Invitation withdrawn"), PARTIES, ORGANISATION),
    EventType("member.joined", _("Member joined"), PARTIES, ORGANISATION),
    EventType("member.removed", _("Member removed"), PARTIES, ORGANISATION),
    EventType("member.role_changed", _("Member's role changed"), PARTIES, ORGANISATION),
    EventType(
        "agreement.published", _("Confidentiality agreement published"), INTERNAL, "investors.confidentialityagreement"
    ),
    EventType("agreement.accepted", _("Confidentiality agreement accepted"), PARTIES, ORGANISATION),
    EventType("data_room.opened", _("Data room document opened"), PARTIES, "deposits.deposit"),
    # A person's consent to the processing of their personal data, at sign-up.
    EventType("person.consent_given", _("Consent to personal-data processing given"), INTERNAL, "accounts.user"),
    # A user's own watch list: housekeeping.
    EventType("watch.added", _("Watch added"), INTERNAL, "investors.watch"),
    EventType("watch.removed", _("Watch removed"), INTERNAL),
)
