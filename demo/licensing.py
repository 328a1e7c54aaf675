"""Demo licensing: two more verified investor organisations with lodged applications on the
public register (one under review, one in its objection period), near the demo deposits; and
the granted licences' ledgers kept, all but one (which shows a late area fee).
Every change goes through the services; each step is skipped when already done."""

from datetime import datetime, time
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_ensure
from demo.history import ASTANA, at, last_working_morning, lodge, verified_organisation
from demo.investors import users_ready
from investors.models import Organisation
from licensing.domain import grid
from licensing.licences import services as licence_services
from licensing.models import Application, Licence, LicenceObligation
from licensing.review import services as review_services

APPLICANTS = [
    {
        "email": "altai@example.com",
        "name": "Altai Tungsten LLP",
        "country": "KZ",
        "registration": "DEMO-KZ-190540012345",
        "title": "Kairakty flank tungsten",
        "region": "karaganda",
        "corner": (48.70, 73.30),
        "size": (3, 4),
        "stage": "objection",
    },
    {
        "email": "nordic@example.com",
        "name": "Nordic Lithium AB",
        "country": "SE",
        "registration": "DEMO-SE-5591234567",
        "title": "Kalba north lithium pegmatites",
        "region": "east_kazakhstan",
        "corner": (49.60, 83.20),
        "size": (3, 3),
        "stage": "review",
    },
]


def _application(owner: User, organisation: Organisation, spec: dict) -> Application:
    origin = grid.block_at(latitude=spec["corner"][0], longitude=spec["corner"][1])
    rows, cols = spec["size"]
    blocks = [origin + r * grid.MINUTES_LON + c for r in range(rows) for c in range(cols)]
    return lodge(
        owner,
        organisation,
        blocks,
        spec["title"],
        spec["region"],
        activities="Mapping, trenching and drilling",
        spend=Decimal("1.2"),
        kazakh_staff_percent=Decimal(85),
        local_goods_percent=Decimal(55),
        training_spend_kzt=Decimal(12_000_000),
        in_country_processing=True,
        processing_plan="Concentrate to be processed at a plant in East Kazakhstan.",
    )


def applications_ready(registrar: User, reviewer: User, password: str) -> int:
    made = 0
    for spec in APPLICANTS:
        owner = user_ensure(email=spec["email"], password=password, roles=[Role.INVESTOR])
        users_ready([owner])
        organisation = verified_organisation(owner, registrar, spec["name"], spec["country"], spec["registration"])
        if Application.objects.filter(organisation=organisation).exists():
            continue
        # Lodged on the last working morning, so deemed received then (never tomorrow).
        with at(last_working_morning()):
            application = _application(owner, organisation, spec)
            review_services.application_accept(actor=reviewer, application=application)
            if spec["stage"] == "objection":
                review_services.application_publish_notice(actor=reviewer, application=application)
        made += 1
    return made


def ledgers_ready(registrar: User) -> int:
    """Every demo licence but the latest granted has settled what fell due so far, on its due day:
    its invoices paid from a bank statement (the registrar records the payments, which meet the
    area fees), and its other obligations met; the latest keeps its area fee late and its
    invoices unpaid, so the ledger, the invoices and the holder's "due" page show both. The
    payment references make a second run record nothing."""
    from licensing.licences import billing, money
    from licensing.models import Invoice, PaymentSource

    latest = Licence.objects.order_by("-granted_at", "-id").first()  # the legacy licence is older
    if latest is None:
        return 0
    today = timezone.localdate()
    settled = 0
    for invoice in Invoice.objects.filter(due_on__lte=today).exclude(licence=latest).order_by("due_on", "id"):
        balance = billing.standing(invoice).balance_kzt
        if balance <= 0:
            continue
        with at(datetime.combine(invoice.due_on, time(10), ASTANA)):
            money.payment_record(
                actor=registrar,
                invoice=invoice,
                reference=f"DEMO-HALYK-{invoice.number}",
                amount_kzt=balance,
                paid_on=invoice.due_on,
                source=PaymentSource.REGISTRAR,
                statement_line=f"Halyk Bank statement: {invoice.payment_reference} {balance} KZT",
            )
        settled += 1
    owed = (
        LicenceObligation.objects.filter(met_at__isnull=True, waived_at__isnull=True, due_on__lte=today)
        .exclude(licence=latest)
        .exclude(licence__number=LEGACY_NUMBER)  # its reports stay overdue (overdue_report_ready)
        .order_by("due_on", "id")
    )
    for obligation in owed:
        with at(datetime.combine(obligation.due_on, time(10), ASTANA)):
            licence_services.obligation_meet(actor=registrar, obligation=obligation)
        settled += 1
    return settled


LEGACY_NUMBER = "KZ-EXP-2024-900001"
LEGACY_CORNER = (47.50, 70.00)  # central Karaganda region, away from the demo deposits


def overdue_report_ready(registrar: User) -> Licence | None:
    """A licence carried over from the paper register, granted in June 2024 to the demo investor's
    organisation: its area fees paid on time, its annual reports never lodged, so the daily run
    has opened breaches with notices to remedy (the holder's page and the workbench show them).
    Skipped when it exists, or when its ground is taken."""
    from licensing.licences import breaches
    from licensing.models import LicenceType, ObligationKind, Tenure

    holder = Organisation.objects.filter(country="NL", registration_number="DEMO-81234567").first()
    licence = Licence.objects.filter(number=LEGACY_NUMBER).first()
    if holder is None:
        return None
    if licence is None:
        origin = grid.block_at(latitude=LEGACY_CORNER[0], longitude=LEGACY_CORNER[1])
        blocks = [origin, origin + 1, origin + 21600, origin + 21601]
        if Tenure.objects.filter(block__in=blocks, ended_at__isnull=True).exists():
            return None
        granted = datetime(2024, 6, 3, 10, tzinfo=ASTANA)
        with at(granted):
            licence = Licence.objects.create(
                number=LEGACY_NUMBER,
                holder=holder,
                licence_type=LicenceType.objects.get(code="exploration"),
                granted_at=granted,
                starts_on=granted.date(),
                expires_on=granted.date().replace(year=2030),
            )
            Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=granted) for b in blocks)
            LicenceObligation.objects.bulk_create(licence_services.obligation_schedule(licence=licence, blocks=blocks))
    today = timezone.localdate()
    for rent in licence.obligations.filter(kind=ObligationKind.RENT, due_on__lte=today, met_at__isnull=True):
        with at(datetime.combine(rent.due_on, time(10), ASTANA)):
            licence_services.obligation_meet(actor=registrar, obligation=rent)
    breaches.breaches_open_due(today=today)
    return licence
