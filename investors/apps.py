from functools import partial

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

REGISTRAR_PERMISSIONS = [
    f"investors.{action}_{model}"
    for model in ("organisation", "membership", "beneficialowner", "organisationdocument", "dataroomaccess")
    for action in ("view",)
] + [
    "investors.view_confidentialityagreement",
    "investors.add_confidentialityagreement",
    "investors.view_agreementacceptance",
    "investors.view_invitation",
]


def _grant_permissions(**kwargs: object) -> None:
    from accounts.roles import Role
    from accounts.services import role_grant_permissions

    role_grant_permissions(role=Role.REGISTRAR, codenames=REGISTRAR_PERMISSIONS)


class InvestorsConfig(AppConfig):
    name = "investors"
    verbose_name = _("Investors")

    def ready(self) -> None:
        import investors.events  # noqa: F401 (declares investors' event types)
        from documents.access import register_reader
        from events import routing
        from investors import selectors
        from investors.access import organisation_document
        from investors.permissions import MANAGING_ROLES

        post_migrate.connect(_grant_permissions, sender=self)
        register_reader(organisation_document)
        members = selectors.members_of_subject
        managers = partial(selectors.members_of_subject, roles=MANAGING_ROLES)
        routes = [
            ("organisation.submitted", selectors.registrars, _("An organisation asked to be verified (registrars)")),
            ("organisation.submitted", managers, _("My organisation was sent for verification")),
            ("organisation.verified", members, _("My organisation was verified")),
            ("organisation.rejected", members, _("My organisation was rejected")),
            ("organisation.returned", members, _("My organisation was returned for correction")),
            ("organisation.document_returned", managers, _("The registrar returned a due-diligence document")),
            ("organisation.suspended", members, _("My organisation was suspended")),
            ("organisation.reinstated", members, _("My organisation was reinstated")),
            ("organisation.updated", managers, _("My organisation's details changed")),
            ("organisation.document_added", managers, _("A due-diligence document was added")),
            ("organisation.document_removed", managers, _("A due-diligence document was removed")),
            ("owner.added", managers, _("A beneficial owner was declared")),
            ("owner.removed", managers, _("A beneficial owner was removed")),
            ("member.invited", managers, _("Someone was invited to my organisation")),
            ("member.joined", members, _("Someone joined my organisation")),
            ("member.removed", members, _("Someone left my organisation")),
            ("member.role_changed", members, _("A member's role changed")),
            (
                "deposit.document_added",
                selectors.watchers_of_deposit_event,
                _("A document was added to a deposit I follow"),
            ),
            (
                "deposit.estimate_changed",
                selectors.watchers_of_deposit_event,
                _("A resource estimate changed on a deposit I follow"),
            ),
            # Recorded by licensing when a surrender, expiry or refusal frees ground.
            ("ground.freed", selectors.watchers_of_region_event, _("Ground became free in a region I follow")),
        ]
        for event_type, recipients, label in routes:
            routing.register(event_type, recipients, label)
