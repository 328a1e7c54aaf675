from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _

# What registrars may do with deposits in the admin (they never delete: they unpublish).
REGISTRAR_PERMISSIONS = [
    f"deposits.{action}_{model}"
    for model in (
        "deposit",
        "resourceestimate",
        "source",
        "depositdocument",
        "depositcommodity",
        "commodity",
        "regionboundary",
    )
    for action in ("view", "add", "change")
] + [
    "deposits.delete_resourceestimate",
    "deposits.delete_source",
    "deposits.delete_depositdocument",
    "deposits.delete_depositcommodity",
]


# Other officials may read the disclosures (and the documents) in the admin, not change them.
OFFICIAL_READ_PERMISSIONS = [p for p in REGISTRAR_PERMISSIONS if ".view_" in p]


def _grant_registrar_permissions(**kwargs: Any) -> None:
    from accounts.roles import Role
    from accounts.services import role_grant_permissions

    role_grant_permissions(role=Role.REGISTRAR, codenames=REGISTRAR_PERMISSIONS)
    for role in (Role.REVIEWER, Role.APPROVER):
        role_grant_permissions(role=role, codenames=OFFICIAL_READ_PERMISSIONS)


class DepositsConfig(AppConfig):
    name = "deposits"
    verbose_name = _("Deposits")

    def ready(self) -> None:
        import deposits.events  # noqa: F401 (declares deposits' event types)
        from deposits.access import public_deposit_document
        from deposits.services import disclosure_revise_for_document
        from documents.access import register_reader
        from documents.signals import document_checked

        post_migrate.connect(_grant_registrar_permissions, sender=self)
        register_reader(public_deposit_document)
        document_checked.connect(disclosure_revise_for_document, dispatch_uid="deposits.disclosure_revise_for_document")
