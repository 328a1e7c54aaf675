"""Check the event log's hash chain: exit 0 if it holds; otherwise list every problem, exit 1."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.services import event_chain_verify


class Command(BaseCommand):
    help = "Verify that no event was changed, removed or inserted after it was recorded."

    def handle(self, *args: Any, **options: Any) -> None:
        report = event_chain_verify()
        if not report.ok:
            for problem in report.problems:
                self.stderr.write(problem.message)
            raise CommandError(
                ngettext(
                    "The event chain is broken: %(count)s problem in %(checked)s events.",
                    "The event chain is broken: %(count)s problems in %(checked)s events.",
                    len(report.problems),
                )
                % {"count": len(report.problems), "checked": report.checked}
            )
        self.stdout.write(
            self.style.SUCCESS(_("The event chain holds: %(checked)s events verified.") % {"checked": report.checked})
        )
