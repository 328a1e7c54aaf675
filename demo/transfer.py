"""Demo transfer: a licence carried over from the paper register, held by Altai Tungsten LLP
since September 2024, which it asked to transfer to Nordic Lithium AB; Nordic accepted, so it is
under review with the national-security review referred (the security agency's demo client
answers it through the API). Every change goes through the services; skipped when done."""

from datetime import datetime, time

from django.utils import timezone

from accounts.models import User
from demo.history import ASTANA, at
from investors.models import MemberRole, Membership, Organisation
from licensing.domain import grid
from licensing.licences import services as licence_services
from licensing.models import Licence, LicenceObligation, LicenceType, Tenure, TitleChange
from licensing.titles import services as titles

TRANSFER_NUMBER = "KZ-EXP-2024-900002"
TRANSFER_CORNER = (46.80, 70.50)  # Ulytau region, away from the demo deposits
HOLDER = "DEMO-KZ-190540012345"  # Altai Tungsten LLP (demo.licensing.APPLICANTS)
TRANSFEREE = "DEMO-SE-5591234567"  # Nordic Lithium AB


def _owner(organisation: Organisation) -> User | None:
    membership = Membership.objects.filter(organisation=organisation, role=MemberRole.OWNER).order_by("id").first()
    return membership.user if membership else None


def _licence(holder: Organisation, registrar: User) -> Licence | None:
    licence = Licence.objects.filter(number=TRANSFER_NUMBER).first()
    if licence is not None:
        return licence
    origin = grid.block_at(latitude=TRANSFER_CORNER[0], longitude=TRANSFER_CORNER[1])
    blocks = [origin, origin + 1, origin + grid.MINUTES_LON, origin + grid.MINUTES_LON + 1]
    if Tenure.objects.filter(block__in=blocks, ended_at__isnull=True).exists():
        return None
    granted = datetime(2024, 9, 2, 10, tzinfo=ASTANA)
    with at(granted):
        licence = Licence.objects.create(
            number=TRANSFER_NUMBER,
            holder=holder,
            licence_type=LicenceType.objects.get(code="exploration"),
            granted_at=granted,
            starts_on=granted.date(),
            expires_on=granted.date().replace(year=2030),
        )
        Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=granted) for b in blocks)
        LicenceObligation.objects.bulk_create(licence_services.obligation_schedule(licence=licence, blocks=blocks))
    # Its duties so far were met on their days: the transfer is about title, not arrears.
    today = timezone.localdate()
    for obligation in licence.obligations.filter(due_on__lte=today, met_at__isnull=True).order_by("due_on", "id"):
        with at(datetime.combine(obligation.due_on, time(10), ASTANA)):
            licence_services.obligation_meet(actor=registrar, obligation=obligation)
    return licence


def transfer_ready(registrar: User) -> TitleChange | None:
    """The transfer under review, accepted, its security review referred (once)."""
    holder = Organisation.objects.filter(registration_number=HOLDER).first()
    transferee = Organisation.objects.filter(registration_number=TRANSFEREE).first()
    if holder is None or transferee is None:
        return None
    holder_owner, transferee_owner = _owner(holder), _owner(transferee)
    licence = _licence(holder, registrar)
    if licence is None or holder_owner is None or transferee_owner is None:
        return None
    existing = TitleChange.objects.filter(licence=licence, kind="transfer").first()
    if existing is not None:
        return existing
    change = titles.title_change_lodge(
        actor=holder_owner,
        licence=licence,
        kind="transfer",
        statement="Altai Tungsten LLP concentrates on Kairakty; Nordic Lithium AB takes over this exploration.",
        transferee=transferee,
    )
    return titles.title_change_accept(actor=transferee_owner, change=change)
