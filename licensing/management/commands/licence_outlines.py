"""Store every licence's outline again (after the migration that added them, or to repair)."""

from typing import Any

from django.core.management.base import BaseCommand

from licensing.ground.outlines import outlines_fill
from licensing.licences.publication import licence_outlines_fill


class Command(BaseCommand):
    help = "Compute and store the outline of every licence's blocks, which the open-data files read."

    def handle(self, *args: Any, **options: Any) -> None:
        count = licence_outlines_fill()
        applications, openings = outlines_fill()
        self.stdout.write(
            self.style.SUCCESS(
                f"Stored the outlines of {count} licences, {applications} applications and {openings} openings."
            )
        )
