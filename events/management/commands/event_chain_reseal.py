"""Re-seal the event chain under the current hash scheme, once, and record that it was done."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from accounts.models import User
from events.services import ChainResealRefused, event_chain_reseal


class Command(BaseCommand):
    help = (
        "Recompute every event's hash under the current scheme (once, after an upgrade that changed it) "
        "and record an event_chain.resealed event. Refuses when the chain is already current, and when "
        "it does not verify under its old scheme unless --accept-broken is given."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--by", metavar="EMAIL", help="the administrator who re-seals (recorded as the actor)")
        parser.add_argument(
            "--accept-broken",
            action="store_true",
            help="re-seal although the old chain does not verify, recording its problems in the re-seal event",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        actor = None
        if options["by"]:
            actor = User.objects.filter(email__iexact=options["by"], is_active=True).first()
            if actor is None:
                raise CommandError(_("No active user has the address %(email)s.") % {"email": options["by"]})
        try:
            result = event_chain_reseal(actor=actor, accept_broken=options["accept_broken"])
        except ChainResealRefused as refusal:
            raise CommandError(str(refusal)) from refusal
        if result.accepted:
            self.stderr.write(
                _("Re-sealed although the old chain had %(count)s problems; they are recorded in the re-seal event.")
                % {"count": len(result.accepted)}
            )
        self.stdout.write(
            self.style.SUCCESS(
                _("Re-sealed %(events)s events; the old chain head was %(head)s.")
                % {"events": result.events, "head": result.old_head}
            )
        )
