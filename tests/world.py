"""A small world for the access tests, composed of the apps' factories (tests/<app>/factories.py)
only: one organisation (`home`) that owns everything (applications, documents, owners, members,
notifications), a stranger's verified organisation that owns nothing, and a person in every role."""

from collections.abc import Callable
from dataclasses import dataclass, field

from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from deposits.models import Deposit
from events.models import Event, Notification
from events.services import delivery_send, event_dispatch
from investors.models import BeneficialOwner, MemberRole, Organisation, OrganisationDocument
from licensing.drafting import services as drafting_services
from licensing.models import (
    AnnualReport,
    Application,
    Invoice,
    Licence,
    NoticeContact,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)
from tests.accounts import factories as account_factories
from tests.deposits.factories import DepositFactory
from tests.investors import factories as investor_factories
from tests.licensing import factories as licensing_factories

PASSWORD = account_factories.PASSWORD
HOME_NAME = "Homestead Lithium LLP"
STRANGER_NAME = "Stranger Tungsten LLP"
# Only home's members may read a draft: its title shows where it leaks.
DRAFT_TITLE = "Zeta draft 7Q4"

# Who is who: the keys are the roles of the matrix.
ROLES = (
    "anonymous",
    "stranger",  # owner of another verified organisation, which owns nothing
    "viewer",  # a member of home with the viewer role
    "owner",  # home's owner: proves the forged ids are real
    "reviewer",
    "approver",
    "registrar",
    "admin",  # the admin role makes a superuser
    "official_without_2fa",
)
OFFICIALS = ("reviewer", "approver", "registrar", "admin")


@dataclass
class World:
    users: dict[str, User | AnonymousUser]
    home: Organisation
    stranger_org: Organisation
    lodged: Application
    draft: Application
    deposit: Deposit
    owner: BeneficialOwner
    document: OrganisationDocument
    notification: Notification
    licence: Licence  # home's, granted before certificates were kept (no version yet), with its obligations
    notice_contact: NoticeContact  # home's viewer, named by its owner to receive licence notices
    secrets: list[str] = field(default_factory=list)  # words only home's people and officials may read
    invoice: Invoice | None = None  # the signature bonus of home's licence
    title_change: TitleChange | None = None  # a surrender of home's licence, under review


def build(make_user: Callable[..., User]) -> World:
    crew = licensing_factories.officials(make_user)
    owner, home = licensing_factories.applicant(make_user, crew.registrar, HOME_NAME)
    stranger, stranger_org = licensing_factories.applicant(make_user, crew.registrar, STRANGER_NAME)
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(home, viewer, MemberRole.VIEWER, invited_by=owner)
    lodged = licensing_factories.lodged(owner, home, licensing_factories.rectangle(2, 2))
    draft = licensing_factories.draft(
        owner, home, licensing_factories.rectangle(1, 2, origin=licensing_factories.ORIGIN + 10)
    )
    draft = drafting_services.application_update(actor=owner, application=draft, title=DRAFT_TITLE)
    # The inboxes: every event's in-app deliveries, sent as the worker would.
    for event_id in Event.objects.order_by("id").values_list("id", flat=True):
        for delivery_id in event_dispatch(event_id=event_id):
            delivery_send(delivery_id=delivery_id)
    notification = Notification.objects.filter(user=owner).latest("id")
    users: dict[str, User | AnonymousUser] = {
        "anonymous": AnonymousUser(),
        "stranger": stranger,
        "viewer": viewer,
        "owner": owner,
        "reviewer": crew.reviewer,
        "approver": crew.approver,
        "registrar": crew.registrar,
        "admin": make_user(Role.ADMIN),
        "official_without_2fa": make_user(Role.REVIEWER, two_factor=False),
    }
    licence = licensing_factories.licence_scheduled(
        home, licensing_factories.rectangle(1, 1, origin=licensing_factories.ORIGIN + 30)
    )
    # Home's annual report for the licence's first year, a draft: the officials' review page reads it.
    AnnualReport.objects.create(licence=licence, year=licence.starts_on.year)
    return World(
        users=users,
        home=home,
        stranger_org=stranger_org,
        lodged=lodged,
        draft=draft,
        deposit=DepositFactory(slug="homestead-deposit"),
        owner=home.owners.first(),
        document=home.documents.first(),
        notification=notification,
        licence=licence,
        notice_contact=NoticeContact.objects.create(organisation=home, user=viewer, added_by=owner),
        secrets=[DRAFT_TITLE],
        invoice=licensing_factories.invoiced(licence),
        title_change=TitleChange.objects.create(
            number="TC-2026-900001",
            licence=licence,
            kind=TitleChangeKind.SURRENDER,
            state=TitleChangeState.UNDER_REVIEW,
            holder=home,
            lodged_by=owner,
            lodged_at=timezone.now(),
        ),
    )


def user_maker() -> Callable[..., User]:
    """`make_user` (tests/conftest.py) for a module-scoped world, where function fixtures cannot go."""
    return account_factories.user_maker("world")
