"""Demo expiry: an exploration licence granted six years ago whose term ended two weeks ago; the
beat expired it the day after, and its ground is in its equal-ranking month on the release
calendar. Every step goes through the services at the moment it happened; run before the rest of
the history, so that priority numbers follow the times of receipt. Skipped when done."""

from datetime import datetime, time, timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from accounts.services import user_ensure
from demo.history import APPLICANTS, ASTANA, _advance, at, lodge, verified_organisation
from demo.investors import users_ready
from licensing.domain import grid
from licensing.licences.expiry import licences_expire_due
from licensing.models import Application, Licence

TITLE = "Expired demo: Shemonaikha north exploration"
CORNER = (50.55, 82.00)  # East Kazakhstan, away from the other demo ground


def expired_ready(registrar: User, people: dict[str, User], password: str) -> int:
    """Lodge, grant and expire the demo's expired licence once; later runs find it and do nothing."""
    if Application.objects.filter(title=TITLE).exists():
        return 0
    email, name, country, registration, state = APPLICANTS[4]
    owner = user_ensure(email=email, password=password, roles=[Role.INVESTOR])
    users_ready([owner])
    organisation = verified_organisation(owner, registrar, name, country, registration, state)
    origin = grid.block_at(latitude=CORNER[0], longitude=CORNER[1])
    blocks = [origin + r * grid.MINUTES_LON + c for r in range(2) for c in range(3)]
    # Lodged so that the grant, some seven weeks on, is six years and about two weeks ago.
    lodged = (timezone.now().astimezone(ASTANA) - relativedelta(years=6, days=62)).replace(
        hour=10, minute=0, second=0, microsecond=0
    )
    while lodged.weekday() >= 5:
        lodged += timedelta(days=1)
    with at(lodged):
        application = lodge(
            owner,
            organisation,
            blocks,
            TITLE,
            "east_kazakhstan",
            activities="Mapping and drilling",
            kazakh_staff_percent=Decimal(80),
            local_goods_percent=Decimal(45),
            training_spend_kzt=Decimal(5_000_000),
        )
    _advance(application, "granted", lodged, people, owner)
    licence = Licence.objects.get(application=application)
    # The beat's run just after midnight, the day after the last day of the term.
    ended = datetime.combine(licence.expires_on + timedelta(days=1), time(0, 30), ASTANA)
    if ended < timezone.now():
        with at(ended):
            licences_expire_due(today=ended.date())
    return 1
