"""The scopes a partner client may hold: each names what a token with it may do.

The API's views say which scope each of their operations needs (`partner_scopes`, read by
partners.authentication); DOT asks `ClientScopes` which scopes a client may be given."""

from typing import Any

from django.utils.translation import gettext_lazy as _
from oauth2_provider.scopes import BaseScopes

REGISTER_READ = "register:read"
SCREENING_WRITE = "screening:write"
PAYMENTS_WRITE = "payments:write"
TITLE_REVIEW_WRITE = "title-review:write"
EVENTS_READ = "events:read"
WEBHOOKS_MANAGE = "webhooks:manage"

SCOPES: dict[str, Any] = {
    REGISTER_READ: _("Read the register: licences, applications and openings of ground."),
    SCREENING_WRITE: _("Read applications referred to screening in full and post their screening results."),
    PAYMENTS_WRITE: _("Post payment notices against invoices (banks and the treasury)."),
    TITLE_REVIEW_WRITE: _("Answer the national-security review of a transfer of a licence."),
    EVENTS_READ: _("Read the feed of partner events."),
    WEBHOOKS_MANAGE: _("Subscribe to partner events by webhook: create, change, pause and test subscriptions."),
}


def scope_choices() -> list[tuple[str, Any]]:
    return [(name, f"{name}: {label}") for name, label in SCOPES.items()]


class ClientScopes(BaseScopes):
    """Every scope exists; a client may ask only for those it was given, and gets all of them
    when it names none."""

    def get_all_scopes(self) -> dict[str, str]:
        return {name: str(label) for name, label in SCOPES.items()}

    def get_available_scopes(
        self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any
    ) -> list[str]:
        return list(application.scopes) if application is not None else []

    def get_default_scopes(self, application: Any = None, request: Any = None, *args: Any, **kwargs: Any) -> list[str]:
        return self.get_available_scopes(application, request)
