"""Applications in each state, built through the services (on top of tests.investors.factories):
a draft, complete, lodged, in assessment; the officials and verified applicants who act on them."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from investors.models import MemberRole, Organisation
from licensing.domain import grid
from licensing.drafting import services as drafting_services
from licensing.ground import services as ground_services
from licensing.licences import selectors as licences_selectors
from licensing.licences import services as licences_services
from licensing.models import (
    Application,
    Auction,
    CalendarDay,
    CertificateReason,
    CertificateVersion,
    GroundOpening,
    Licence,
    LicenceObligation,
    LicenceType,
    NoticeContact,
    ObligationKind,
    OpeningBlock,
    OpeningReason,
    Rate,
    Tenure,
)
from licensing.review import services as review_services
from tests.investors import factories as investor_factories

# A corner of free steppe in East Kazakhstan, far from the demo deposits: 49°10'N 81°10'E.
ORIGIN = grid.parse("N4910E08110")


def rectangle(rows: int, cols: int, origin: int = ORIGIN) -> list[int]:
    """Blocks in a rows × cols rectangle whose south-west block is `origin`."""
    return [origin + r * grid.MINUTES_LON + c for r in range(rows) for c in range(cols)]


# The minimum expenditure of an exploration licence in MCI a year, by blocks, for years 1-3 and
# 4-6 (shared/DESIGN.md, from the Subsoil Code): 1,200 for 1 block, 1,800 for 2-5, 2,300 for
# 6-10, plus 120 per block above 10; then 1,200 / 2,300 / 3,500, plus 180 per block above 10.
DESIGN_EXPENDITURE = [
    (1, 1200, 1200),
    (2, 1800, 2300),
    (5, 1800, 2300),
    (6, 2300, 3500),
    (10, 2300, 3500),
    (11, 2420, 3680),
    (25, 4100, 6200),
]


def licence_type(code: str = "exploration") -> LicenceType:
    return LicenceType.objects.get(code=code)


def programme(application: Application, extra: Decimal = Decimal(0)) -> list[dict[str, object]]:
    """A work programme spending exactly the minimum (plus `extra`) every year."""
    duty = licences_selectors.obligations(licence_type=application.licence_type, blocks=application.blocks)
    return [
        {
            "year": y.year,
            "activities": f"Mapping and drilling, year {y.year}",
            "expenditure_kzt": y.expenditure_kzt + extra,
        }
        for y in duty.years
    ]


def draft(owner: User, organisation: Organisation, blocks: list[int], code: str = "exploration") -> Application:
    return drafting_services.application_create(
        actor=owner,
        organisation=organisation,
        licence_type=licence_type(code),
        title="Kalba lithium",
        region="east_kazakhstan",
        blocks=blocks,
    )


def complete(owner: User, application: Application) -> Application:
    """Everything a draft needs to be lodged: programme, local content, documents, declaration."""
    drafting_services.application_programme_set(actor=owner, application=application, years=programme(application))
    drafting_services.application_update(
        actor=owner,
        application=application,
        kazakh_staff_percent=Decimal(90),
        local_goods_percent=Decimal(60),
        training_spend_kzt=Decimal(5_000_000),
    )
    for requirement in application.licence_type.required_documents.all():
        drafting_services.application_document_add(
            actor=owner,
            application=application,
            requirement=requirement,
            upload=investor_factories.pdf_upload(f"{requirement.code}.pdf"),
        )
    drafting_services.application_declare(actor=owner, application=application)
    return Application.objects.get(pk=application.pk)


def lodged(owner: User, organisation: Organisation, blocks: list[int], code: str = "exploration") -> Application:
    application = complete(owner, draft(owner, organisation, blocks, code))
    return drafting_services.application_lodge(actor=owner, application=application)


@dataclass
class Officials:
    reviewer: User
    approver: User
    approver2: User
    registrar: User


def officials(make_user: Callable[..., User]) -> Officials:
    return Officials(
        reviewer=make_user(Role.REVIEWER),
        approver=make_user(Role.APPROVER),
        approver2=make_user(Role.APPROVER),
        registrar=make_user(Role.REGISTRAR),
    )


def applicant(
    make_user: Callable[..., User], registrar: User, name: str = "Steppe Lithium LLP"
) -> tuple[User, Organisation]:
    owner = make_user(Role.INVESTOR)
    return owner, investor_factories.verified_organisation(owner, registrar, legal_name=name, legal_name_latin=name)


def auction_called(
    applicants: list[tuple[User, Organisation]], registrar: User, time_machine
) -> tuple[Auction, list[Application]]:
    """Free ground opened, one block applied for by each applicant in its window (ranking
    equally), and the window closed: the sealed-bid auction among them, open for bids."""
    blocks = rectangle(1, 1)
    opened = ground_services.ground_open(actor=registrar, blocks=blocks, reason="released")
    time_machine.move_to(opened.opens_at)
    applications = [lodged(owner, organisation, blocks) for owner, organisation in applicants]
    time_machine.move_to(opened.window_closes_at)
    return ground_services.opening_settle(actor=None, opening=opened), applications


def after_objections(applications: list[Application], time_machine) -> None:
    """Move the clock to 10:00 the day after the last objection period ends (a period never ends
    on a day off, so it may run past its calendar days)."""
    last = max(Application.objects.get(pk=a.pk).objection_closes_on for a in applications)
    time_machine.move_to(datetime.combine(last + timedelta(days=1), time(10), tzinfo=timezone.get_default_timezone()))


def to_assessment(application: Application, reviewer: User, time_machine) -> Application:
    """Accept, publish the notice, let the objection period run out, close it, and assess."""
    review_services.application_accept(actor=reviewer, application=application)
    application = review_services.application_publish_notice(actor=reviewer, application=application)
    after_objections([application], time_machine)
    application = review_services.application_close_objections(actor=reviewer, application=application)
    review_services.application_assess(
        actor=reviewer, application=application, programme_adequate=True, financially_capable=True
    )
    return application


# Plain rows, for what no workflow builds (the catalogue, the calendar) or a test must build around it.


class LicenceTypeFactory(factory.django.DjangoModelFactory):
    """A licence type of the catalogue, open for applications, with no rates or documents of its own."""

    class Meta:
        model = LicenceType

    code = factory.Sequence(lambda n: f"type-{n}")
    kind = "exploration"
    number_prefix = "X"
    max_blocks = 5
    term_years = 3
    name_en = factory.Sequence(lambda n: f"Type {n}")


class RateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Rate

    licence_type = factory.SubFactory(LicenceTypeFactory)
    kind = "rent"
    from_year = 1
    to_year = 3
    mci_per_block = Decimal(1)


class CalendarDayFactory(factory.django.DjangoModelFactory):
    """A day the government moved: a day off unless `is_working_day=True`."""

    class Meta:
        model = CalendarDay

    date = factory.Sequence(lambda n: timezone.localdate() + timedelta(days=n))
    is_working_day = False
    name = "Declared day off"


class LicenceFactory(factory.django.DjangoModelFactory):
    """A licence written straight to the table, without the application that grants one
    (`to_assessment` and the decision services build the real thing)."""

    class Meta:
        model = Licence

    number = factory.Sequence(lambda n: f"KZ-EXP-2026-{900000 + n}")
    licence_type = factory.LazyFunction(licence_type)
    granted_at = factory.LazyFunction(timezone.now)
    starts_on = factory.LazyFunction(timezone.localdate)
    expires_on = factory.LazyAttribute(lambda licence: licence.starts_on.replace(year=licence.starts_on.year + 6))


def licence_held(holder: Organisation, blocks: list[int], **fields: object) -> Licence:
    """A licence (LicenceFactory) holding these blocks, with no certificate version: as one
    granted before certificates were kept."""
    licence = LicenceFactory(holder=holder, **fields)
    Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=licence.granted_at) for b in blocks)
    return licence


def licence_scheduled(holder: Organisation, blocks: list[int], **fields: object) -> Licence:
    """A licence (`licence_held`) with its obligations year by year, as a grant schedules them."""
    licence = licence_held(holder, blocks, **fields)
    LicenceObligation.objects.bulk_create(licences_services.obligation_schedule(licence=licence, blocks=blocks))
    return licence


class CertificateVersionFactory(factory.django.DjangoModelFactory):
    """A version row only (no file is written): for reads of the register, not downloads."""

    class Meta:
        model = CertificateVersion

    version = 1
    issued_at = factory.LazyFunction(timezone.now)
    reason = CertificateReason.GRANT
    sha256 = factory.Sequence(lambda n: f"{n:064x}")
    file = factory.LazyAttribute(lambda v: f"{v.licence.number}/v{v.version}.pdf")
    languages = factory.LazyFunction(lambda: ["en", "kk"])


def opening(blocks: list[int], *, opens_in: timedelta = timedelta(days=7), **fields: object) -> GroundOpening:
    """Ground opening `opens_in` from now (negative: in the past), with a month's window."""
    opens_at = timezone.now() + opens_in
    fields = {"reason": OpeningReason.REFUSED, "region": "east_kazakhstan", **fields}
    made = GroundOpening.objects.create(opens_at=opens_at, window_closes_at=opens_at + timedelta(days=30), **fields)
    OpeningBlock.objects.bulk_create(OpeningBlock(opening=made, block=b) for b in blocks)
    return made


def obligation(licence: Licence, due_on: date, **fields: object) -> LicenceObligation:
    """An obligation of the licence (rent of year 1, 1,200 MCI, unless told), written to the table."""
    values: dict[str, object] = {
        "kind": ObligationKind.RENT,
        "licence_year": 1,
        "amount_mci": Decimal("1200.00"),
        "amount_kzt": Decimal("4325000.00"),
    }
    return LicenceObligation.objects.create(licence=licence, due_on=due_on, **{**values, **fields})


@dataclass
class NoticeHolder:
    """A licence holder whose notices reach an owner, a manager and a viewer named a notice
    contact, but not another viewer; and one of its licences."""

    organisation: Organisation
    owner: User
    manager: User
    contact: User
    bystander: User
    licence: Licence


def notice_holder(make_user: Callable[..., User], registrar: User, name: str = "Reminded Lithium LLP") -> NoticeHolder:
    owner, organisation = applicant(make_user, registrar, name)
    manager, contact, bystander = (make_user(Role.INVESTOR) for _ in range(3))
    investor_factories.join(organisation, manager, MemberRole.MANAGER, invited_by=owner)
    investor_factories.join(organisation, contact, MemberRole.VIEWER, invited_by=owner)
    investor_factories.join(organisation, bystander, MemberRole.VIEWER, invited_by=owner)
    NoticeContact.objects.create(organisation=organisation, user=contact, added_by=owner)
    licence = LicenceFactory(holder=organisation)
    return NoticeHolder(organisation, owner, manager, contact, bystander, licence)


def invoiced(licence: Licence):
    """The licence's signature-bonus invoice, issued through the service (as at a grant)."""
    from licensing.licences import money

    return money.signature_bonus_issue(licence=licence)
