"""Check the event log's hash chain: exit 0 if it holds, an error naming the first break otherwise."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError

from events.services import event_chain_verify


class Command(BaseCommand):
    help = "Verify that no event was changed, removed or inserted after it was recorded."

    def handle(self, *args: Any, **options: Any) -> None:
        checked, problem = event_chain_verify()
        if problem:
            raise CommandError(f"The event chain is broken after {checked} good events: {problem}.")
        self.stdout.write(self.style.SUCCESS(f"The event chain holds: {checked} events verified."))
