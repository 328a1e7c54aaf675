"""Load the demo: one user per role and real Kazakhstan deposits with illustrative figures.

Idempotent: run it as often as you like; it converges on the same data.
"""

from typing import Any

from django.core.management.base import BaseCommand

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_ensure
from demo import expiry as demo_expiry
from demo import extension as demo_extension
from demo import history as demo_history
from demo import investors as demo_investors
from demo import licensing as demo_licensing
from demo import partners as demo_partners
from demo import relinquishment as demo_relinquishment
from demo import reminders as demo_reminders
from demo import transfer as demo_transfer
from demo.deposits import DEPOSITS
from deposits.services import deposit_import

DEMO_PASSWORD = "ashyqken-demo"  # noqa: S105 - public demo password, documented in the README
DEMO_USERS = [
    ("investor@example.com", "Aida", "Investor", [Role.INVESTOR]),
    ("reviewer@example.com", "Bolat", "Reviewer", [Role.REVIEWER]),
    ("approver@example.com", "Dana", "Approver", [Role.APPROVER]),
    ("registrar@example.com", "Erlan", "Registrar", [Role.REGISTRAR]),
    ("admin@example.com", "Gulnara", "Admin", [Role.ADMIN]),
]

# The officials' posts (illustrative), as certificates name the official who decided.
DEMO_JOB_TITLES = {
    "approver@example.com": {
        "en": "Head of the Subsoil Use Licensing Division",
        "ru": "Руководитель отдела лицензирования недропользования",
        "kk": "Жер қойнауын пайдалануды лицензиялау бөлімінің басшысы",
    },
    "reviewer@example.com": {
        "en": "Chief Expert, Subsoil Use Licensing Division",
        "ru": "Главный эксперт отдела лицензирования недропользования",
        "kk": "Жер қойнауын пайдалануды лицензиялау бөлімінің бас сарапшысы",
    },
    "registrar@example.com": {
        "en": "Registrar of Subsoil Use Licences",
        "ru": "Регистратор лицензий на недропользование",
        "kk": "Жер қойнауын пайдалануға арналған лицензиялардың тіркеушісі",
    },
}


class Command(BaseCommand):
    help = "Load the demo users and deposits (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        for email, first, last, roles in DEMO_USERS:
            user_ensure(
                email=email,
                password=DEMO_PASSWORD,
                roles=roles,
                first_name=first,
                last_name=last,
                job_title=DEMO_JOB_TITLES.get(email),
            )
        registrar = user_ensure(email="registrar@example.com", password=DEMO_PASSWORD, roles=[Role.REGISTRAR])
        for record in DEPOSITS:
            deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
        users = list(User.objects.filter(email__in=[email for email, *_ in DEMO_USERS]))
        demo_investors.users_ready(users)
        demo_investors.agreement_ready(registrar)
        investor = next(u for u in users if u.email == "investor@example.com")
        demo_investors.organisation_ready(investor, registrar)
        demo_investors.data_room_ready(registrar)
        reviewer = next(u for u in users if u.email == "reviewer@example.com")
        approver = next(u for u in users if u.email == "approver@example.com")
        # The history first, oldest first: priority numbers follow the times of receipt.
        officials = {"reviewer": reviewer, "approver": approver}
        demo_expiry.expired_ready(registrar, officials, DEMO_PASSWORD)
        demo_relinquishment.relinquishments_ready(registrar, officials, DEMO_PASSWORD)
        demo_history.history_ready(registrar, officials, DEMO_PASSWORD)
        demo_licensing.applications_ready(registrar, reviewer, DEMO_PASSWORD)
        demo_extension.extension_ready()  # before the ledgers: its duties so far are met
        demo_licensing.ledgers_ready(registrar)
        demo_licensing.overdue_report_ready(registrar)
        demo_transfer.transfer_ready(registrar)
        demo_partners.partner_clients_ready()
        # Last: today's reminder run sees the licences as the steps above left them.
        demo_reminders.reminders_ready(investor)
        # The open-data files are built ahead, not on request: built here, `make run` serves them at once.
        from licensing.licences.publication import open_data_build

        open_data_build()
        from licensing.models import Application, Licence

        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {len(DEMO_USERS)} staff and investor accounts (and the demo applicants'), "
                f"{len(DEPOSITS)} deposits, {Application.objects.count()} applications, "
                f"{Licence.objects.count()} licences."
            )
        )
