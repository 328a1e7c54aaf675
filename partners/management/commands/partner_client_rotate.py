from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from partners.management.commands._output import print_credentials
from partners.models import PartnerClient
from partners.services import partner_client_rotate_secret


class Command(BaseCommand):
    help = "Give a partner client a new secret, printed once; the old one keeps working for the grace period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--client-id", required=True)
        parser.add_argument("--grace-hours", type=float, default=None, help="How long the old secret still works.")
        parser.add_argument("--json", action="store_true")

    def handle(self, *args: Any, **options: Any) -> None:
        client = PartnerClient.objects.select_related("organisation").filter(client_id=options["client_id"]).first()
        if client is None:
            raise CommandError(_("No partner client with this id."))
        grace = timedelta(hours=options["grace_hours"]) if options["grace_hours"] is not None else None
        try:
            secret = partner_client_rotate_secret(actor=None, client=client, grace=grace)
        except TransitionError as exc:
            raise CommandError(str(exc)) from exc
        client.refresh_from_db()
        print_credentials(self, client, secret, as_json=options["json"])
