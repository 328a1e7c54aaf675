"""Demo extension: an exploration licence carried over from the paper register, granted with 12
blocks five years and eight months ago to one of the demo applicants, five of which (42 %) it
relinquished on paper before the cadastre went online; four months before its term ends its
holder has lodged an extension of five years (through the change-of-title service, a week ago),
which waits on the workbench while the licence stays in force. Skipped when the licence exists
with its extension, or when its ground is taken."""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone

from demo.history import ASTANA, at
from investors.models import MemberRole, Membership, Organisation
from licensing.domain import grid
from licensing.licences import services as licence_services
from licensing.models import (
    Licence,
    LicenceObligation,
    LicenceType,
    Tenure,
    TitleChange,
    TitleChangeKind,
)
from licensing.titles.services import title_change_lodge

NUMBER = "KZ-EXP-2021-900002"
CORNER = (46.80, 69.20)  # Ulytau region, away from the other demo ground
HOLDER_REGISTRATION = "DEMO-KR-1108612345"  # Hanbit Critical Minerals Co. (demo.history)
RELINQUISHED = 5  # of 12: 42 %, above the exploration type's 40 %
STATEMENT = (
    "Drilling in years 4 and 5 outlined a lithium pegmatite field in the western blocks; "
    "we ask for five more years to complete resource drilling and the feasibility study."
)


def _licence(holder: Organisation) -> Licence | None:
    origin = grid.block_at(latitude=CORNER[0], longitude=CORNER[1])
    blocks = [origin + r * grid.MINUTES_LON + c for r in range(3) for c in range(4)]
    if Tenure.objects.filter(block__in=blocks, is_active=True).exists():
        return None
    now = timezone.now().astimezone(ASTANA)
    granted = (now - relativedelta(years=5, months=8)).replace(hour=10, minute=0, second=0, microsecond=0)
    relinquished = datetime.combine((granted + relativedelta(years=3)).date(), time(10), ASTANA)
    licence_type = LicenceType.objects.get(code="exploration")
    with at(granted):
        licence = Licence.objects.create(
            number=NUMBER,
            holder=holder,
            licence_type=licence_type,
            granted_at=granted,
            starts_on=granted.date(),
            expires_on=granted.date() + relativedelta(years=licence_type.term_years),
        )
        Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=granted) for b in blocks)
        LicenceObligation.objects.bulk_create(licence_services.obligation_schedule(licence=licence, blocks=blocks))
    # The eastern column and two more blocks given up at the end of year 3 (on paper).
    given_up = [b for b in blocks if (b - origin) % grid.MINUTES_LON == 3] + [origin + 2, origin + 2 + grid.MINUTES_LON]
    Tenure.objects.filter(licence=licence, block__in=given_up).update(is_active=False, ended_at=relinquished)
    return licence


def extension_ready() -> TitleChange | None:
    """The licence (once) and its extension lodged a week ago (once); None when its ground is taken."""
    holder = Organisation.objects.filter(registration_number=HOLDER_REGISTRATION).first()
    if holder is None:
        return None
    licence = Licence.objects.filter(number=NUMBER).first() or _licence(holder)
    if licence is None:
        return None
    change = TitleChange.objects.filter(licence=licence, kind=TitleChangeKind.EXTENSION).first()
    if change is not None:
        return change
    owner = Membership.objects.filter(organisation=holder, role=MemberRole.OWNER).select_related("user").first()
    lodged = timezone.now().astimezone(ASTANA).replace(hour=11, minute=0, second=0, microsecond=0) - timedelta(days=7)
    while lodged.weekday() >= 5:
        lodged -= timedelta(days=1)
    with at(lodged):
        return title_change_lodge(
            actor=owner.user,
            licence=licence,
            kind=TitleChangeKind.EXTENSION,
            statement=STATEMENT,
            extension_years=5,
        )
