"""A realistic licensing history for the demo: a few dozen applications around the demo deposits
in every state of the workflow, granted licences, refusals, lapses and cases overdue, so that
the workbench, the registers and the statistics show something on first start.

Every step goes through the services, at the moment it would have happened: the demo moves
Django's clock (`timezone.now`) back in time while it replays the history, and never past now."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any
from unittest import mock
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_ensure
from demo.investors import pdf, users_ready
from demo.investors import verify as verify_organisation
from documents.services import document_check
from investors import services as investor_services
from investors.models import DueDiligenceKind, Organisation, OwnerKind
from licensing.domain import grid
from licensing.drafting import services as drafting_services
from licensing.ground import selectors as ground_selectors
from licensing.licences import selectors as licences_selectors
from licensing.models import Application, LicenceType
from licensing.review import information
from licensing.review import services as review_services

ASTANA = ZoneInfo("Asia/Almaty")  # settings.TIME_ZONE: Astana keeps Almaty's time

if TYPE_CHECKING:
    from deposits.models import Deposit

# (email, legal name, country, registration, state-owned share held by a foreign state)
APPLICANTS = [
    ("kazgeo@example.com", "KazGeoResources JSC", "KZ", "DEMO-KZ-200140000111", False),
    ("hanbit@example.com", "Hanbit Critical Minerals Co.", "KR", "DEMO-KR-1108612345", False),
    ("outback@example.com", "Outback Rare Earths Pty Ltd", "AU", "DEMO-AU-612345678", False),
    ("silkroad@example.com", "Silk Road Metals Ltd", "CN", "DEMO-CN-91110000123", True),
    ("thames@example.com", "Thames Tungsten plc", "GB", "DEMO-GB-09876543", False),
]

# The state each demo application ends in, in the order they were lodged (oldest first).
ENDINGS = [
    "granted",
    "granted",
    "refused",
    "granted",
    "withdrawn",
    "granted",
    "lapsed",
    "granted",
    "refused",
    "granted",
    "granted",
    "recommended",
    "assessment",
    "screening",
    "granted",
    "objection_period",
    "assessment",
    "info_requested",
    "recommended",
    "under_review",
    "objection_period",
    "lodged",
    "granted",
    "under_review",
    "lodged",
    "lodged",
    "info_requested",
    "refused",
    "granted",
    "lodged",
]


@contextmanager
def at(moment: datetime) -> Iterator[None]:
    """Run the services as if it were `moment` (never later than now)."""
    moment = min(moment, timezone.now())
    with mock.patch("django.utils.timezone.now", return_value=moment):
        yield


def verified_organisation(
    owner: User, registrar: User, name: str, country: str, registration: str, state: bool = False
) -> Organisation:
    """A verified demo organisation (created, declared, documented and verified once)."""
    organisation = Organisation.objects.filter(registration_number=registration).first()
    if organisation is not None:
        return organisation
    organisation = investor_services.organisation_create(
        actor=owner,
        legal_name=name,
        legal_name_latin=name,
        country=country,
        registration_number=registration,
        address="Demo address",
        contact_email=owner.email,
    )
    investor_services.owner_add(
        actor=owner,
        organisation=organisation,
        kind=OwnerKind.LEGAL if state else OwnerKind.NATURAL,
        name="State Investment Holding" if state else "Demo Founder",
        country=country,
        share=100,
        state_owned=state,
    )
    for kind in DueDiligenceKind:
        upload = SimpleUploadedFile(f"{kind.value}.pdf", pdf(str(kind.label), [name], pages=1))
        added = investor_services.organisation_document_add(
            actor=owner, organisation=organisation, kind=kind, upload=upload
        )
        document_check(document_id=added.file_id)
    investor_services.organisation_submit(actor=owner, organisation=organisation)
    verify_organisation(registrar, organisation)
    return organisation


def _sites(count: int) -> Iterator[tuple[list[int], "Deposit"]]:
    """Rectangles of 2×3 free blocks in Kazakhstan near the demo deposits, never overlapping."""
    from deposits.models import Deposit

    licence_type = LicenceType.objects.get(code="exploration")
    taken: set[int] = set()
    made = 0
    for step in range(0, 40):
        for deposit in Deposit.objects.filter(is_published=True).order_by("name_en"):
            if made >= count:
                return
            if step == 0:  # the first round takes the ground over the deposits themselves,
                # except around where the block picker opens (left free for newcomers to try)
                if abs(float(deposit.latitude) - 49.55) < 0.03 and abs(float(deposit.longitude) - 83.05) < 0.03:
                    continue
                origin = grid.block_at(latitude=float(deposit.latitude), longitude=float(deposit.longitude)) - 1
            else:
                origin = grid.block_at(
                    latitude=float(deposit.latitude) + 0.06 + 0.05 * (step % 4),
                    longitude=float(deposit.longitude) - 0.15 + 0.06 * (step // 4),
                )
            blocks = [origin + r * grid.MINUTES_LON + c for r in range(2) for c in range(3)]
            if taken & set(blocks):
                continue
            check = ground_selectors.blocks_check(licence_type=licence_type, blocks=blocks)
            if check.errors or check.conditional:
                continue
            taken.update(blocks)
            made += 1
            yield blocks, deposit


def lodge(
    owner: User,
    organisation: Organisation,
    blocks: list[int],
    title: str,
    region: str,
    *,
    activities: str,
    spend: Decimal = Decimal(1),
    **commitments: Any,
) -> Application:
    """A complete exploration application, lodged: commitments, a programme spending `spend`
    times the minimum each year, the required documents (checked), the declaration."""
    licence_type = LicenceType.objects.get(code="exploration")
    application = drafting_services.application_create(
        actor=owner,
        organisation=organisation,
        licence_type=licence_type,
        title=title,
        region=region,
        blocks=blocks,
        **commitments,
    )
    duty = licences_selectors.obligations(licence_type=licence_type, blocks=blocks)
    drafting_services.application_programme_set(
        actor=owner,
        application=application,
        years=[
            {"year": y.year, "activities": f"{activities}, year {y.year}", "expenditure_kzt": y.expenditure_kzt * spend}
            for y in duty.years
        ],
    )
    for requirement in licence_type.required_documents.all():
        upload = SimpleUploadedFile(f"{requirement.code}.pdf", pdf(requirement.label_en, [title], pages=1))
        attached = drafting_services.application_document_add(
            actor=owner, application=application, requirement=requirement, upload=upload
        )
        document_check(document_id=attached.document_id)
    drafting_services.application_declare(actor=owner, application=application)
    return drafting_services.application_lodge(actor=owner, application=application)


def _lodge(owner: User, organisation: Organisation, blocks: list[int], title: str, region: str) -> Application:
    processing = len(title) % 2 == 0
    return lodge(
        owner,
        organisation,
        blocks,
        title,
        region,
        activities="Exploration work",
        kazakh_staff_percent=Decimal(70 + len(title) % 25),
        local_goods_percent=Decimal(35 + len(title) % 40),
        training_spend_kzt=Decimal(4_000_000),
        in_country_processing=processing,
        processing_plan="Concentrate processed in Kazakhstan." if processing else "",
    )


def _advance(application: Application, ending: str, start: datetime, people: dict[str, User], owner: User) -> None:
    """Walk the application from lodged to its ending, a few days per step."""
    reviewer, approver = people["reviewer"], people["approver"]
    t = start
    if ending == "lodged":
        return
    if ending == "withdrawn":
        with at(t + timedelta(days=6)):
            drafting_services.application_withdraw(
                actor=owner, application=application, reason="Changed exploration plans."
            )
        return
    with at(t + timedelta(days=3)):
        review_services.application_assign(actor=reviewer, application=application, assignee=reviewer)
        if ending in ("info_requested", "lapsed"):
            information.application_request_info(
                actor=reviewer,
                application=application,
                message="Please send the licence area map signed by the director.",
            )
            if ending == "info_requested":
                return
        else:
            review_services.application_accept(actor=reviewer, application=application)
    if ending == "lapsed":
        with at(t + timedelta(days=45)):
            review_services.application_lapse(application=application)
        return
    if ending == "under_review":
        return
    with at(t + timedelta(days=8)):
        application = review_services.application_publish_notice(actor=reviewer, application=application)
    if ending == "objection_period":
        return
    closes = datetime.combine(application.objection_closes_on + timedelta(days=1), datetime.min.time(), ASTANA)
    t = closes.replace(hour=10)
    with at(t):
        application = review_services.application_close_objections(actor=reviewer, application=application)
        review_services.application_assess(
            actor=reviewer, application=application, programme_adequate=True, financially_capable=ending != "refused"
        )
    if ending == "assessment":
        return
    if application.screening_required:
        with at(t + timedelta(days=2)):
            review_services.application_refer_screening(actor=reviewer, application=application)
        if ending == "screening":
            return
        with at(t + timedelta(days=20)):
            review_services.application_screening_result(
                actor=reviewer, application=application, cleared=True, note="No objection from the screening agency."
            )
        t += timedelta(days=20)
    elif ending == "screening":
        return
    recommendation = "refuse" if ending == "refused" else "grant"
    with at(t + timedelta(days=5)):
        review_services.application_recommend(
            actor=reviewer,
            application=application,
            recommendation=recommendation,
            reasons="Financial capacity not shown for the programme."
            if ending == "refused"
            else "Complete, adequate programme; local content as committed.",
        )
    if ending == "recommended":
        return
    slow = application.priority_number % 3 == 0  # some decisions come after the published target
    with at(t + timedelta(days=25 if slow else 9)):
        review_services.application_decide(actor=approver, application=application, decision=recommendation)


def history_ready(registrar: User, people: dict[str, User], password: str) -> int:
    """Replay the demo history once; later runs find it and do nothing."""
    if Application.objects.filter(title__startswith="Demo ").exists():
        return 0
    owners = []
    for email, name, country, registration, state in APPLICANTS:
        owner = user_ensure(email=email, password=password, roles=[Role.INVESTOR])
        users_ready([owner])
        owners.append((owner, verified_organisation(owner, registrar, name, country, registration, state)))
    now = timezone.now().astimezone(ASTANA)
    # Lodged on working-day mornings spread over the last ~8 months, oldest first.
    first = (now - timedelta(days=240)).replace(hour=10, minute=0, second=0, microsecond=0)
    plan = []
    for i, (ending, (blocks, near)) in enumerate(zip(ENDINGS, _sites(len(ENDINGS)), strict=False)):
        lodged = first + timedelta(days=i * 5)  # decided ones: early enough for the whole path
        if ending == "objection_period":
            lodged = now - timedelta(days=12 + i % 7)
        elif ending in ("lodged", "under_review", "info_requested"):
            lodged = now - timedelta(days=4 + (i % 5) * 4)  # recent; some already past their target
        while lodged.weekday() >= 5:
            lodged += timedelta(days=1)
        plan.append((lodged, i, ending, blocks, near))
    # Lodged in order of time, so that priority numbers follow the times of receipt; then each
    # application goes its way.
    lodged_applications = []
    for lodged, i, ending, blocks, near in sorted(plan, key=lambda p: p[0]):
        owner, organisation = owners[i % len(owners)]
        with at(lodged):
            application = _lodge(owner, organisation, blocks, f"Demo {near.name_en} block {i + 1}", near.region)
        lodged_applications.append((application, ending, lodged, owner))
    for application, ending, lodged, owner in lodged_applications:
        _advance(application, ending, lodged, people, owner)
    return len(lodged_applications)


def last_working_morning() -> datetime:
    """10:00 Astana time on the latest working day that is already past."""
    from licensing.calendar import calendar_for

    moment = timezone.now().astimezone(ASTANA).replace(hour=10, minute=0, second=0, microsecond=0)
    calendar = calendar_for(moment.date() - timedelta(days=14))
    while moment > timezone.now() or not calendar.is_working_day(moment.date()):
        moment -= timedelta(days=1)
    return moment
