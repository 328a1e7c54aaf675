"""Extension and surrender as changes of title: their rules, their effect on approval, and the
licence in force while an extension is decided."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from accounts.errors import TransitionError
from events.models import Event
from licensing import tasks
from licensing.models import (
    CertificateReason,
    GroundOpening,
    Invoice,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    OpeningReason,
    Tenure,
    TitleChangeState,
)
from licensing.titles import services as titles
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db
ASTANA = ZoneInfo("Asia/Almaty")
S = TitleChangeState


def relinquish(licence, count: int) -> None:
    blocks = list(Tenure.objects.filter(licence=licence, is_active=True).order_by("block")[:count])
    Tenure.objects.filter(pk__in=[t.pk for t in blocks]).update(is_active=False, ended_at=timezone.now())


@pytest.fixture
def extendable(applicant):
    """An exploration licence granted with 12 blocks, 5 of them (42 %) relinquished, in its 6th year."""
    starts = date(2021, 1, 10)
    licence = factories.licence_scheduled(
        applicant[1], factories.rectangle(3, 4), starts_on=starts, expires_on=date(2027, 1, 10)
    )
    relinquish(licence, 5)
    return licence


def decide(change, crew, approve: bool = True):
    titles.title_change_recommend(actor=crew.reviewer, change=change, approve=approve, reasons="Checked.")
    return titles.title_change_decide(actor=crew.approver, change=change, approve=approve, reasons="Decided.")


def extend(applicant, licence, years: int = 5):
    return titles.title_change_lodge(
        actor=applicant[0], licence=licence, kind="extension", statement="More drilling.", extension_years=years
    )


def test_an_approved_extension_moves_the_expiry_adds_the_years_duties_and_a_certificate(
    applicant, extendable, crew
) -> None:
    change = extend(applicant, extendable)
    assert change.new_expires_on == date(2032, 1, 10) and change.state == S.UNDER_REVIEW
    decide(change, crew)
    extendable.refresh_from_db()
    assert extendable.expires_on == date(2032, 1, 10) and extendable.status == LicenceStatus.ACTIVE
    years = set(extendable.obligations.filter(kind=ObligationKind.RENT).values_list("licence_year", flat=True))
    assert years == set(range(1, 12))
    assert extendable.certificate_versions.get().reason == CertificateReason.EXTENSION
    approved = Event.objects.get(type="title_change.approved")
    assert approved.payload["licence"] == extendable.number and approved.payload["kind"] == "extension"
    with pytest.raises(ValidationError, match="at most once"):
        extend(applicant, extendable)


def test_an_extension_is_refused_under_ten_blocks_or_without_forty_percent_relinquished(applicant) -> None:
    nine = factories.licence_held(applicant[1], factories.rectangle(3, 3))
    relinquish(nine, 4)
    with pytest.raises(ValidationError, match="10 blocks or more"):
        extend(applicant, nine)
    twelve = factories.licence_held(applicant[1], factories.rectangle(3, 4, origin=factories.ORIGIN + 20))
    relinquish(twelve, 4)  # 33 %
    with pytest.raises(ValidationError, match="40 %"):
        extend(applicant, twelve)
    with pytest.raises(ValidationError, match="from 1 to 5 years"):
        relinquish(twelve, 1)
        extend(applicant, twelve, years=6)


def test_an_extension_is_lodged_before_the_expiry_only(applicant, extendable, time_machine) -> None:
    time_machine.move_to(datetime(2027, 1, 11, 10, tzinfo=ASTANA))
    with pytest.raises(ValidationError, match="lodged before the expiry"):
        extend(applicant, extendable)


def test_a_licence_with_an_extension_being_decided_stays_in_force_past_its_expiry(
    applicant, extendable, crew, time_machine
) -> None:
    change = extend(applicant, extendable)
    time_machine.move_to(datetime(2027, 1, 12, 10, tzinfo=ASTANA))
    assert tasks.expire_licences() == []
    extendable.refresh_from_db()
    assert extendable.status == LicenceStatus.ACTIVE
    decide(change, crew, approve=False)
    assert tasks.expire_licences() == [extendable.number]


def test_a_surrender_needs_its_final_report(applicant, extendable) -> None:
    with pytest.raises(ValidationError, match="final report"):
        titles.title_change_lodge(actor=applicant[0], licence=extendable, kind="surrender")


def test_a_surrender_ends_the_licence_frees_its_ground_and_keeps_what_is_owed(
    applicant, extendable, crew, time_machine
) -> None:
    owed = LicenceObligation.objects.get(licence=extendable, kind=ObligationKind.RENT, licence_year=6)
    invoice = Invoice.objects.create(
        number="INV-T-1",
        licence=extendable,
        obligation=owed,
        kind="area_fee",
        amount_mci=1,
        mci_year=2026,
        mci_kzt=1,
        amount_kzt=1,
        due_on=owed.due_on,
        payment_reference="REF-T-1",
        issued_at=timezone.now(),
    )
    report = investor_factories.pdf_upload("final.pdf")
    change = titles.title_change_lodge(
        actor=applicant[0], licence=extendable, kind="surrender", statement="Done.", documents=[report]
    )
    assert change.documents.get().description == "Final report"
    decide(change, crew)
    extendable.refresh_from_db()
    assert extendable.status == LicenceStatus.SURRENDERED
    assert not Tenure.objects.filter(licence=extendable, is_active=True).exists()
    opening = GroundOpening.objects.get(reason=OpeningReason.SURRENDERED)
    assert opening.opens_at > timezone.now() and opening.opens_at.astimezone(ASTANA).hour == 9
    assert opening.blocks.count() == 7
    invoice.refresh_from_db()
    assert invoice.cancelled_at is None
    owed.refresh_from_db()
    assert owed.waived_at is None
    later = LicenceObligation.objects.filter(licence=extendable, due_on__gt=timezone.localdate())
    assert later.exclude(pk=owed.pk).exists() and all(o.waived_at for o in later.exclude(pk=owed.pk))
    assert extendable.certificate_versions.get().reason == CertificateReason.SURRENDER
    assert Event.objects.filter(type="ground.freed").exists()
    with pytest.raises(TransitionError):
        titles.title_change_lodge(actor=applicant[0], licence=extendable, kind="surrender", documents=[report])
