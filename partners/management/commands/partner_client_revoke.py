from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from partners.models import PartnerClient
from partners.services import partner_client_revoke


class Command(BaseCommand):
    help = "Revoke a partner client at once: no new tokens, its tokens refused, its webhooks paused."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--reason", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        client = PartnerClient.objects.filter(client_id=options["client_id"]).first()
        if client is None:
            raise CommandError(_("No partner client with this id."))
        try:
            partner_client_revoke(actor=None, client=client, reason=options["reason"])
        except TransitionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(_("Revoked %(name)s.") % {"name": client}))
