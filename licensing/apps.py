from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LicensingConfig(AppConfig):
    name = "licensing"
    verbose_name = _("Licensing")

    def ready(self) -> None:
        import licensing.events  # noqa: F401 (declares licensing's event types)
        from deposits import open_data
        from documents.access import register_reader
        from events import reactions, routing
        from licensing.ground.lookups import AnyOf
        from licensing.licences import publication
        from licensing.models import Claim, OpeningBlock, Tenure
        from licensing.permissions import (
            may_read_document,
            may_read_report_document,
            may_read_revocation_document,
            may_read_title_change_document,
        )
        from licensing.recipients import (
            applicant_members,
            approvers,
            invoice_holder_members,
            licence_holder_members,
            licence_notice_recipients,
            licence_notice_recipients_of_licence,
            named_contact,
            objector,
            reviewers,
            title_change_holder_members,
            title_change_transferee_members,
        )

        for model in (Claim, Tenure, OpeningBlock):
            model._meta.get_field("block").register_lookup(AnyOf)

        register_reader(may_read_document)
        register_reader(may_read_report_document)
        register_reader(may_read_title_change_document)
        titles = title_change_holder_members
        register_reader(may_read_revocation_document)
        notices = licence_notice_recipients_of_licence
        incoming = title_change_transferee_members
        applicant = applicant_members
        routes = [
            ("application.lodged", applicant, _("My organisation lodged an application")),
            ("application.lodged", reviewers, _("An application was lodged (reviewers)")),
            ("application.accepted", applicant, _("An application of mine went under review")),
            ("application.information_requested", applicant, _("A reviewer asked for information")),
            ("application.answered", reviewers, _("An applicant answered a request (reviewers)")),
            ("application.notice_published", applicant, _("An application of mine was published for objections")),
            ("application.objection_lodged", applicant, _("Someone objected to an application of mine")),
            ("application.objection_lodged", reviewers, _("An objection was lodged (reviewers)")),
            ("application.objection_handled", objector, _("A reviewer answered my objection")),
            ("application.recommended", approvers, _("An application awaits a decision (approvers)")),
            ("application.granted", applicant, _("An application of mine was granted")),
            ("application.refused", applicant, _("An application of mine was refused")),
            ("application.lapsed", applicant, _("An application of mine lapsed")),
            ("application.withdrawn", applicant, _("An application of mine was withdrawn")),
            ("application.blocks_excised", applicant, _("Blocks were excised from an application of mine")),
            ("application.blocks_promoted", applicant, _("Blocks passed to an application of mine")),
            ("application.auction_called", applicant, _("An application of mine goes to auction")),
            ("application.referred_to_screening", applicant, _("An application of mine was referred to screening")),
            ("obligation.reminder_due", licence_notice_recipients, _("A licence obligation falls due (reminders)")),
            ("obligation.late", licence_notice_recipients, _("A licence obligation is late")),
            ("notice_contact.added", named_contact, _("I was named a licence notice contact")),
            ("notice_contact.removed", named_contact, _("I am no longer a licence notice contact")),
            ("invoice.issued", invoice_holder_members, _("An invoice for a licence of mine was issued")),
            ("payment.recorded", invoice_holder_members, _("A payment for a licence of mine was recorded")),
            ("obligation.waived", licence_holder_members, _("An obligation of a licence we hold was waived")),
            ("report.lodged", reviewers, _("An annual report was lodged (reviewers)")),
            ("report.accepted", licence_holder_members, _("An annual report of ours was accepted")),
            ("report.correction_requested", licence_holder_members, _("A correction of our annual report was asked")),
            ("breach.opened", licence_notice_recipients_of_licence, _("A notice to remedy a breach of a licence")),
            ("breach.remedied", licence_notice_recipients_of_licence, _("A breach of a licence was remedied")),
            ("licence.expired", licence_holder_members, _("A licence we held expired")),
            ("licence.surrendered", licence_holder_members, _("A licence we held was surrendered")),
            ("title_change.lodged", titles, _("A change of title of our licence was lodged")),
            ("title_change.lodged", reviewers, _("A change of title was lodged (reviewers)")),
            ("title_change.recommended", approvers, _("A change of title awaits a decision (approvers)")),
            ("title_change.approved", titles, _("A change of title of our licence was approved")),
            ("title_change.refused", titles, _("A change of title of our licence was refused")),
            ("title_change.withdrawn", reviewers, _("A change of title was withdrawn (reviewers)")),
            ("breach.deadline_extended", notices, _("The deadline to remedy a breach was extended")),
            ("revocation.recommended", notices, _("Revocation of a licence was recommended")),
            ("revocation.recommended", approvers, _("A revocation awaits a decision (approvers)")),
            ("revocation.decided", notices, _("Notice of a decision on revoking a licence")),
            ("revocation.contested", notices, _("A revocation of a licence was contested")),
            ("revocation.contested", approvers, _("A revocation was contested (approvers)")),
            ("revocation.upheld", notices, _("A contest of a revocation was rejected")),
            ("revocation.allowed", notices, _("A contest of a revocation was allowed")),
            ("revocation.effective", notices, _("A licence was revoked")),
            ("title_change.lodged", incoming, _("A licence is offered to us by transfer")),
            ("title_change.accepted", titles, _("The transferee accepted our transfer")),
            ("title_change.accepted", reviewers, _("A transfer was accepted and awaits review (reviewers)")),
            ("title_change.declined", titles, _("The transferee declined our transfer")),
            ("title_change.security_review_answered", reviewers, _("A transfer's security review was answered")),
            ("title_change.approved", incoming, _("A licence was transferred to us")),
        ]
        for event_type, recipients, label in routes:
            routing.register(event_type, recipients, label)

        reactions.register(publication.REACTS_TO, publication.open_data_changed)
        open_data.when_missing(publication.open_data_request)
