"""The event types licensing records, with who may learn of them.

Public: the facts the public register shows (lodgement and its priority, acceptance, the
notice and objections, the outcome, licences, ground coming free, auctions). Partners: the
screening referral and its result, which the screening agency answers through the API but
the register does not show. Parties: the applicant's draft and its exchanges with the
reviewer. Internal: the officials' work (assignments, notes, assessments, recommendations,
configuration, sealed bids).

Partner fields are what the register shows: state, block codes and counts, dates, licence
numbers, priority; never notes, reasons written by officials, or personal data.
"""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare, register_link

INTERNAL, PARTIES, PUBLIC, PARTNERS = Audience.INTERNAL, Audience.PARTIES, Audience.PUBLIC, Audience.PARTNERS
APPLICATION = "licensing.application"
OBLIGATION = "licensing.licenceobligation"
REMINDER_FIELDS = ("licence", "kind", "licence_year", "due_on", "step")
TITLE_CHANGE = "licensing.titlechange"
TITLE_CHANGE_FIELDS = ("number", "licence", "kind", "state")

declare(
    "licensing",
    # The draft is the applicant's until it is lodged.
    EventType("application.drafted", _("Draft started"), PARTIES, APPLICATION),
    EventType("application.updated", _("Draft changed"), PARTIES, APPLICATION),
    # The holder of an exploration licence drafts a mining application over blocks of it.
    EventType("application.conversion_drafted", _("Conversion to a mining licence drafted"), PARTIES, APPLICATION),
    EventType("application.programme_set", _("Work programme saved"), PARTIES, APPLICATION),
    EventType("application.document_added", _("Document attached"), PARTIES, APPLICATION),
    EventType("application.document_removed", _("Document removed"), PARTIES, APPLICATION),
    EventType("application.declared", _("Declaration made"), PARTIES, APPLICATION),
    EventType(
        "application.lodged",
        _("Application lodged"),
        PUBLIC,
        APPLICATION,
        ("priority_number", "received_at", "blocks", "conditional", "equal_ranking"),
    ),
    EventType("application.accepted", _("Application accepted for review"), PUBLIC, APPLICATION, ("state",)),
    # The request's text is between the reviewer and the applicant.
    EventType("application.information_requested", _("Information requested"), PARTIES, APPLICATION),
    EventType("application.answered", _("Request answered"), PARTIES, APPLICATION),
    EventType(
        "application.notice_published",
        _("Notice published for objections"),
        PUBLIC,
        APPLICATION,
        ("state", "objections_close"),
    ),
    # Who objected is personal data: the fact and the outcome are public.
    EventType("application.objection_lodged", _("Objection lodged"), PUBLIC, APPLICATION),
    EventType("application.objection_handled", _("Objection answered"), PUBLIC, APPLICATION, ("outcome",)),
    EventType(
        "application.objections_closed", _("Objection period closed"), PUBLIC, APPLICATION, ("state", "objections")
    ),
    EventType(
        "application.referred_to_screening", _("Referred to screening"), PARTNERS, APPLICATION, ("state", "country")
    ),
    # The agency's note stays inside; whether the application was cleared is the agency's own answer.
    EventType(
        "application.screening_recorded", _("Screening result recorded"), PARTNERS, APPLICATION, ("state", "cleared")
    ),
    EventType("application.assigned", _("Assigned to an official"), INTERNAL, APPLICATION),
    EventType("application.note_added", _("Internal note added"), INTERNAL, APPLICATION),
    EventType("application.assessed", _("Assessment recorded"), INTERNAL, APPLICATION),
    # A recommendation is deliberation before the decision (four eyes): the decision is the fact.
    EventType("application.recommended", _("Recommended for a decision"), INTERNAL, APPLICATION),
    EventType("application.granted", _("Application granted"), PUBLIC, APPLICATION, ("state", "licence")),
    # The reasons are in the refusal letter to the applicant, not in the feed.
    EventType("application.refused", _("Application refused"), PUBLIC, APPLICATION, ("state",)),
    EventType("application.lapsed", _("Application lapsed"), PUBLIC, APPLICATION, ("state", "answer_due")),
    EventType("application.withdrawn", _("Application withdrawn"), PUBLIC, APPLICATION, ("state",)),
    EventType(
        "application.blocks_excised",
        _("Blocks excised from an application"),
        PUBLIC,
        APPLICATION,
        ("blocks", "licence"),
    ),
    EventType(
        "application.blocks_promoted", _("Blocks passed to an application"), PUBLIC, APPLICATION, ("blocks", "after")
    ),
    EventType(
        "application.auction_called", _("Application goes to auction"), PUBLIC, APPLICATION, ("bids_close_at", "blocks")
    ),
    EventType("licence.granted", _("Licence issued"), PUBLIC, "licensing.licence", ("blocks",)),
    # An exploration licence's blocks passed to the mining licence granted on its conversion
    # (no ground opens for them); `remaining` is how many blocks it still holds.
    EventType(
        "licence.converted",
        _("Blocks converted to a mining licence"),
        PUBLIC,
        "licensing.licence",
        ("number", "blocks", "mining_licence", "remaining"),
    ),
    # The term ended (the beat's expiry): its ground comes back through a `ground.freed` opening.
    EventType("licence.expired", _("Licence expired"), PUBLIC, "licensing.licence", ("number", "blocks", "ended_on")),
    # A surrender approved (licensing.titles.surrender): its ground comes back as after an expiry.
    EventType(
        "licence.surrendered", _("Licence surrendered"), PUBLIC, "licensing.licence", ("number", "blocks", "ended_on")
    ),
    # The fingerprint is what a bank compares with the file it was given (the verify endpoint).
    EventType(
        "licence.certificate_issued", _("Certificate issued"), PUBLIC, "licensing.licence", ("version", "sha256")
    ),
    # An invoice goes to the holder's people (routing) and, as partner-visible, to the banks and the
    # treasury that take the payment: they match a transfer to it by its reference, and nothing
    # in it is secret (the fee follows from the published register and the Tax Code). It is not
    # public (shown on no register page) and carries no personal data: number, amount, due date,
    # reference, licence.
    EventType(
        "invoice.issued",
        _("Invoice issued"),
        PARTNERS,
        "licensing.invoice",
        ("number", "licence", "amount_kzt", "due_on", "payment_reference"),
    ),
    # A payment is between its payer, the bank that posted it and the holder's people: the bank
    # has its answer from the API; the bank's reference and statement line are nobody else's.
    EventType("payment.recorded", _("Payment recorded"), PARTIES, "licensing.invoice"),
    # The compliance ledger is between the holder and the officials: the waiver's reasons are an
    # official's words, and what a holder paid or spent is its own business (the API's ledger is
    # for its members and officials too).
    EventType("obligation.waived", _("Licence obligation waived"), PARTIES, "licensing.licence"),
    EventType("obligation.met", _("Licence obligation met"), PARTIES, "licensing.licence"),
    EventType(
        "ground.freed",
        _("Ground became free"),
        PUBLIC,
        "licensing.groundopening",
        ("region", "reason", "blocks", "opens_at", "codes"),
    ),
    EventType(
        "opening.settled", _("Opening window settled"), PUBLIC, "licensing.groundopening", ("contested", "participants")
    ),
    # Sealed until the bids are opened together.
    EventType("auction.bid_placed", _("Sealed bid placed"), INTERNAL, "licensing.auction"),
    # The result is published with the draw's seed, so anyone can check the order.
    EventType("auction.decided", _("Bids opened"), PUBLIC, "licensing.auction", ("seed", "result")),
    EventType("configuration.changed", _("Licensing configuration changed"), INTERNAL),
    # Reminders of a licence's obligations (licensing.licences.reminders). Partners, not the
    # public register: a bank financing the holder or the investment agency follows a licence's
    # standing, but the register is not a list of who is behind with what. The fact only
    # (which licence, which duty of which year, due when, which step): the amounts stay with the
    # holder, as the invoice (read through the API with its own scope) is what a payer relies on,
    # and the minimum expenditure a holder must spend is part of its work programme.
    EventType("obligation.reminder_due", _("Licence obligation due soon"), PARTNERS, OBLIGATION, REMINDER_FIELDS),
    EventType("obligation.late", _("Licence obligation late"), PARTNERS, OBLIGATION, REMINDER_FIELDS),
    # The annual report and its review are between the holder and the officials: what a holder
    # spent and employed is its own business, and an official's reasons stay with the parties.
    EventType("report.drafted", _("Annual report started"), PARTIES, "licensing.licence"),
    EventType("report.updated", _("Annual report changed"), PARTIES, "licensing.licence"),
    EventType("report.document_added", _("Document attached to an annual report"), PARTIES, "licensing.licence"),
    EventType("report.lodged", _("Annual report lodged"), PARTIES, "licensing.licence"),
    EventType("report.accepted", _("Annual report accepted"), PARTIES, "licensing.licence"),
    EventType(
        "report.correction_requested", _("Correction of an annual report requested"), PARTIES, "licensing.licence"
    ),
    # A breach and its notice to remedy go to the holder's notice recipients; whether a licence is
    # in breach is not the register's business until a revocation is decided.
    EventType("breach.opened", _("Notice to remedy a breach"), PARTIES, "licensing.licence"),
    EventType("breach.remedied", _("Breach remedied"), PARTIES, "licensing.licence"),
    # Force majeure extends a breach's remedy deadline: between the holder and the officials.
    EventType("breach.deadline_extended", _("Deadline to remedy a breach extended"), PARTIES, "licensing.licence"),
    # Revocation (licensing.licences.revocations). The recommendation, the contest and its
    # outcome are between the holder and the officials, reasons included. The decision to revoke
    # is the first fact partners (a bank lending against the licence) learn: the licence number
    # and the dates, never the reasons. It becomes public when it takes effect.
    EventType("revocation.recommended", _("Revocation of a licence recommended"), PARTIES, "licensing.licence"),
    EventType(
        "revocation.decided",
        _("Revocation of a licence decided"),
        PARTNERS,
        "licensing.licence",
        ("number", "revoked", "decided_on", "contest_by"),
    ),
    EventType("revocation.contested", _("Revocation of a licence contested"), PARTIES, "licensing.licence"),
    EventType("revocation.upheld", _("Contest of a revocation rejected"), PARTIES, "licensing.licence"),
    EventType("revocation.allowed", _("Contest of a revocation allowed"), PARTIES, "licensing.licence"),
    EventType(
        "revocation.effective",
        _("Licence revoked"),
        PUBLIC,
        "licensing.licence",
        ("number", "blocks", "decided_on", "contest_by", "effective_on"),
    ),
    # Who the holder names to receive its licence notices is between its members.
    EventType("notice_contact.added", _("Licence notice contact added"), PARTIES, "investors.organisation"),
    EventType("notice_contact.removed", _("Licence notice contact removed"), PARTIES, "investors.organisation"),
    # Changes of title (licensing.titles). The lodgement, the decision and its outcome are facts a
    # bank financing the holder or the investment agency follows (partners: number, licence,
    # kind, state; never the holder's statement or an official's reasons); an approval changes
    # the register (public). The recommendation is deliberation before the decision (internal);
    # a withdrawal is between the holder and the officials.
    EventType("title_change.lodged", _("Change of title lodged"), PARTNERS, TITLE_CHANGE, TITLE_CHANGE_FIELDS),
    EventType("title_change.recommended", _("Change of title recommended for a decision"), INTERNAL, TITLE_CHANGE),
    EventType("title_change.approved", _("Change of title approved"), PUBLIC, TITLE_CHANGE, TITLE_CHANGE_FIELDS),
    EventType("title_change.refused", _("Change of title refused"), PARTNERS, TITLE_CHANGE, TITLE_CHANGE_FIELDS),
    EventType("title_change.withdrawn", _("Change of title withdrawn"), PARTIES, TITLE_CHANGE),
    # A transfer: the transferee's acceptance puts it before the officials (partners follow it as
    # they follow the lodgement); a declined transfer lapses between the parties. The national-
    # security referral and its answer go to the reviewing agency (partners: the transferee's
    # country, never the agency's note). The waiver of the state's pre-emptive right is recorded
    # by an official from the competent body's letter (internal until the decision).
    EventType(
        "title_change.accepted", _("Transfer accepted by the transferee"), PARTNERS, TITLE_CHANGE, TITLE_CHANGE_FIELDS
    ),
    EventType("title_change.declined", _("Transfer declined by the transferee"), PARTIES, TITLE_CHANGE),
    EventType(
        "title_change.security_review_referred",
        _("Transfer referred to the national-security review"),
        PARTNERS,
        TITLE_CHANGE,
        ("number", "licence", "country"),
    ),
    EventType(
        "title_change.security_review_answered",
        _("National-security review of a transfer answered"),
        PARTNERS,
        TITLE_CHANGE,
        ("number", "licence", "security_review"),
    ),
    EventType(
        "title_change.preemptive_waiver_recorded",
        _("Waiver of the state's pre-emptive right recorded"),
        INTERNAL,
        TITLE_CHANGE,
    ),
    EventType(
        "licence.transferred", _("Licence transferred to a new holder"), PUBLIC, "licensing.licence", ("number",)
    ),
)

register_link(APPLICATION, lambda application: reverse("api:application-detail", args=[application.pk]))
register_link("licensing.invoice", lambda invoice: reverse("api:invoice-detail", args=[invoice.number]))
register_link("licensing.licence", lambda licence: reverse("api:licence-detail", args=[licence.number]))
register_link(OBLIGATION, lambda obligation: reverse("api:licence-detail", args=[obligation.licence.number]))
register_link(TITLE_CHANGE, lambda change: reverse("api:title-change-detail", args=[change.number]))
