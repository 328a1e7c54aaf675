"""How the partner-client commands print a secret: once, as text or as JSON for scripts."""

import json
from typing import Any

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from partners.models import PartnerClient


def print_credentials(command: BaseCommand, client: PartnerClient, secret: str, *, as_json: bool) -> None:
    if as_json:
        data: dict[str, Any] = {
            "client_id": client.client_id,
            "client_secret": secret,
            "name": client.name,
            "organisation": client.organisation.name if client.organisation else "",
            "scopes": client.scopes,
            "token_url": "/o/token/",
        }
        if client.previous_secret_expires_at:
            data["previous_secret_valid_until"] = client.previous_secret_expires_at.isoformat()
        command.stdout.write(json.dumps(data))
        return
    command.stdout.write(_("Client id:     %(id)s") % {"id": client.client_id})
    command.stdout.write(_("Client secret: %(secret)s") % {"secret": secret})
    command.stdout.write(_("Scopes:        %(scopes)s") % {"scopes": " ".join(client.scopes)})
    command.stdout.write(
        command.style.WARNING(_("The secret is shown this once and stored only as a hash: keep it safe now."))
    )
