"""Demo relinquishments: two exploration licences granted about two years ago in East
Kazakhstan. One gave up its northern row: lodged three weeks ago, recommended, and approved on
the last working morning, so its blocks open at the next opening time (within days) on the
release calendar. The other's relinquishment is under review ("Being decided" on the calendar).
Every step goes through the services at the moment it happened; run after the expiry demo and
before the rest of the history, so that priority numbers follow the times of receipt. Skipped
when done."""

from datetime import datetime, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_ensure
from demo.history import APPLICANTS, ASTANA, _advance, at, last_working_morning, lodge, verified_organisation
from demo.investors import users_ready
from licensing.domain import grid
from licensing.models import Application, Licence
from licensing.titles import services as titles

TITLES = ("Relinquishment demo: Kurchum east exploration", "Relinquishment demo: Kurchum west exploration")
# South-west corners in East Kazakhstan, away from the other demo ground; 3 rows × 3 columns each.
CORNERS = ((48.62, 84.10), (48.62, 83.80))
ROWS, COLUMNS = 3, 3


def _licence(
    title: str,
    corner: tuple[float, float],
    applicant: int,
    lodged: datetime,
    people: dict[str, User],
    password: str,
    registrar: User,
) -> tuple[User, Licence]:
    email, name, country, registration, state = APPLICANTS[applicant]
    owner = user_ensure(email=email, password=password, roles=[Role.INVESTOR])
    users_ready([owner])
    organisation = verified_organisation(owner, registrar, name, country, registration, state)
    origin = grid.block_at(latitude=corner[0], longitude=corner[1])
    blocks = [origin + r * grid.MINUTES_LON + c for r in range(ROWS) for c in range(COLUMNS)]
    with at(lodged):
        application = lodge(
            owner,
            organisation,
            blocks,
            title,
            "east_kazakhstan",
            activities="Mapping, trenching and drilling",
            kazakh_staff_percent=Decimal(85),
            local_goods_percent=Decimal(50),
            training_spend_kzt=Decimal(6_000_000),
        )
    _advance(application, "granted", lodged, people, owner)
    return owner, Licence.objects.get(application=application)


def _northern_row(licence: Licence) -> list[int]:
    blocks = sorted(licence.tenures.filter(is_active=True).values_list("block", flat=True))
    return blocks[-COLUMNS:]


def relinquishments_ready(registrar: User, people: dict[str, User], password: str) -> int:
    """Grant both licences and lodge (and for the first, decide) their relinquishments once."""
    if Application.objects.filter(title__in=TITLES).exists():
        return 0
    lodged = (timezone.now().astimezone(ASTANA) - relativedelta(years=2, days=60)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    while lodged.weekday() >= 5:
        lodged += timedelta(days=1)
    owner, approved = _licence(TITLES[0], CORNERS[0], 1, lodged, people, password, registrar)
    other, pending = _licence(TITLES[1], CORNERS[1], 2, lodged + timedelta(days=1), people, password, registrar)
    morning = last_working_morning()
    with at(morning - timedelta(days=21)):
        change = titles.title_change_lodge(
            actor=owner,
            licence=approved,
            kind="relinquishment",
            statement="The northern row showed no pegmatite in the trenches; we give it up.",
            blocks=_northern_row(approved),
        )
    with at(morning - timedelta(days=7)):
        titles.title_change_recommend(
            actor=people["reviewer"], change=change, approve=True, reasons="The remaining blocks are joined."
        )
    with at(morning):
        titles.title_change_decide(
            actor=people["approver"], change=change, approve=True, reasons="Approved as recommended."
        )
    with at(morning - timedelta(days=3)):
        titles.title_change_lodge(
            actor=other,
            licence=pending,
            kind="relinquishment",
            statement="We keep the southern two rows, where the drilling is.",
            blocks=_northern_row(pending),
        )
    return 2
