from typing import Any

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError, CommandParser

from accounts.errors import messages_of
from partners.management.commands._output import print_credentials
from partners.services import partner_client_create


class Command(BaseCommand):
    help = (
        "Register a partner client (OAuth2 client credentials) and print its id and secret once. "
        'Example: partner_client_create --name "Screening agency" --scopes "register:read screening:write" --json'
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--name", required=True, help="The client's name (the partner's system).")
        parser.add_argument("--scopes", required=True, help="Space-separated scopes, e.g. 'register:read events:read'.")
        parser.add_argument("--organisation", default="", help="The partner organisation (default: the name).")
        parser.add_argument("--rate", type=int, default=None, help="Requests per minute (default 600).")
        parser.add_argument("--json", action="store_true", help="Print the credentials as one JSON object.")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            client, secret = partner_client_create(
                actor=None,
                name=options["name"],
                scopes=options["scopes"].replace(",", " ").split(),
                organisation_name=options["organisation"],
                rate_per_minute=options["rate"],
            )
        except ValidationError as exc:
            raise CommandError(" ".join(messages_of(exc))) from exc
        print_credentials(self, client, secret, as_json=options["json"])
