"""Expiry: the beat ends a licence the day after its term, once, and its ground comes back through
an opening (reason: expired) whose equal-ranking month applies to the next applications."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import ValidationError

from events.models import Event, Notification
from events.services import event_chain_verify
from investors import services as investor_services
from licensing import tasks
from licensing.drafting import services as drafting_services
from licensing.licences.expiry import licence_expire, licences_expire_due
from licensing.models import GroundOpening, Invoice, Licence, LicenceStatus, OpeningReason, Tenure
from tests.investors.test_services import deliver
from tests.licensing import factories
from tests.licensing.test_concurrency import at_once
from tests.licensing.test_licence_api import granted

pytestmark = pytest.mark.django_db

ASTANA = ZoneInfo("Asia/Almaty")
BLOCKS = factories.rectangle(2, 2)


def state(licence: Licence) -> tuple[str, int, int]:
    licence.refresh_from_db()
    return (
        licence.status,
        Tenure.objects.filter(licence=licence, is_active=True).count(),
        GroundOpening.objects.filter(reason=OpeningReason.EXPIRED).count(),
    )


def test_a_licence_is_in_force_to_its_expiry_day_and_expired_the_day_after(
    applicant, crew, make_user, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 24, 10, tzinfo=ASTANA))
    licence = granted(applicant, BLOCKS, crew, time_machine)
    watcher = make_user()
    investor_services.watch_add(actor=watcher, region=licence.application.region)
    invoices = list(Invoice.objects.filter(licence=licence).values_list("pk", "amount_kzt", "cancelled_at"))
    time_machine.move_to(datetime.combine(licence.expires_on, datetime.min.time(), ASTANA) + timedelta(hours=1))
    assert tasks.expire_licences() == []
    assert state(licence) == (LicenceStatus.ACTIVE, 4, 0)
    time_machine.move_to(datetime.combine(licence.expires_on + timedelta(days=1), datetime.min.time(), ASTANA))
    time_machine.shift(timedelta(minutes=30))
    assert tasks.expire_licences() == [licence.number]
    assert state(licence) == (LicenceStatus.EXPIRED, 0, 1)
    ended = Tenure.objects.filter(licence=licence)
    assert all(t.ended_at is not None and not t.is_active for t in ended)
    opening = GroundOpening.objects.get(reason=OpeningReason.EXPIRED)
    assert sorted(opening.blocks.values_list("block", flat=True)) == sorted(BLOCKS)
    assert opening.region == licence.application.region and opening.opens_at.astimezone(ASTANA).hour == 9
    assert opening.window_closes_at.date() > opening.opens_at.date() + timedelta(days=27)
    expired = Event.objects.get(type="licence.expired")
    assert expired.payload["number"] == licence.number and expired.payload["blocks"] == 4
    assert expired.payload["ended_on"] == licence.expires_on.isoformat()
    assert Event.objects.filter(type="ground.freed", payload__reason="expired").count() == 1
    # Fees owed stay owed: the invoices are as they were.
    assert list(Invoice.objects.filter(licence=licence).values_list("pk", "amount_kzt", "cancelled_at")) == invoices
    deliver("ground.freed")
    assert Notification.objects.filter(kind="ground.freed", user=watcher).count() == 1
    assert event_chain_verify().ok


def test_the_beat_twice_expires_once(applicant) -> None:
    _owner, org = applicant
    licence = factories.licence_held(org, BLOCKS, starts_on=date(2020, 1, 10), expires_on=date(2026, 1, 10))
    today = date(2026, 1, 11)
    assert licences_expire_due(today=today) == [licence.number]
    assert licences_expire_due(today=today) == []
    assert licence_expire(licence=licence, today=today) is False
    assert Event.objects.filter(type="licence.expired").count() == 1
    assert Event.objects.filter(type="ground.freed").count() == 1


def test_a_run_is_bounded_and_the_rest_wait_for_the_next(applicant, settings) -> None:
    settings.LICENSING_EXPIRY_BATCH = 2
    _owner, org = applicant
    for i in range(3):
        factories.licence_held(
            org,
            factories.rectangle(1, 1, factories.ORIGIN + 5 * i),
            starts_on=date(2020, 1, 10 + i),
            expires_on=date(2026, 1, 10 + i),
        )
    assert len(licences_expire_due(today=date(2026, 2, 1))) == 2
    assert Licence.objects.filter(status=LicenceStatus.ACTIVE).count() == 1
    assert len(licences_expire_due(today=date(2026, 2, 1))) == 1


def test_the_task_runs_again_when_its_batch_is_full(applicant, settings, monkeypatch) -> None:
    settings.LICENSING_EXPIRY_BATCH = 1
    # The queued run is run here, as the worker would.
    monkeypatch.setattr(tasks.expire_licences, "delay", lambda: tasks.expire_licences())
    _owner, org = applicant
    for i in range(2):
        factories.licence_held(
            org,
            factories.rectangle(1, 1, factories.ORIGIN + 5 * i),
            starts_on=date(2020, 1, 10),
            expires_on=date(2026, 1, 10),
        )
    tasks.expire_licences()
    assert not Licence.objects.filter(status=LicenceStatus.ACTIVE).exists()


def test_ended_licences_are_not_expired_again(applicant) -> None:
    _owner, org = applicant
    factories.licence_held(
        org, BLOCKS, starts_on=date(2020, 1, 10), expires_on=date(2026, 1, 10), status=LicenceStatus.SURRENDERED
    )
    assert licences_expire_due(today=date(2026, 2, 1)) == []
    assert not Event.objects.filter(type="licence.expired").exists()


def test_freed_ground_ranks_equally_in_its_month_then_by_receipt(
    applicant, first, second, crew, make_user, time_machine
) -> None:
    time_machine.move_to(datetime(2026, 11, 24, 10, tzinfo=ASTANA))
    _owner, org = applicant
    factories.licence_held(org, BLOCKS, starts_on=date(2020, 11, 20), expires_on=date(2026, 11, 20))
    assert len(licences_expire_due(today=date(2026, 11, 24))) == 1
    opening = GroundOpening.objects.get(reason=OpeningReason.EXPIRED)
    owner, first_org = first
    early = factories.complete(owner, factories.draft(owner, first_org, BLOCKS))
    with pytest.raises(ValidationError, match="open for applications only"):
        drafting_services.application_lodge(actor=owner, application=early)
    time_machine.move_to(opening.opens_at + timedelta(days=3))
    drafting_services.application_lodge(actor=owner, application=early)
    later = factories.lodged(*second, BLOCKS[:2])  # later in the month: ranks equally
    assert not later.claims.filter(conditional=True).exists()
    third = factories.applicant(make_user, crew.registrar, "Third Lithium LLP")
    time_machine.move_to(opening.window_closes_at + timedelta(hours=1))
    last = factories.lodged(*third, BLOCKS[:1])  # after the month: strict order of receipt
    assert last.claims.get().conditional


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_expiry_runs_at_once_expire_once(applicant) -> None:
    _owner, org = applicant
    licence = factories.licence_held(org, BLOCKS, starts_on=date(2020, 1, 10), expires_on=date(2026, 1, 10))
    outcomes = at_once([lambda: licence_expire(licence=licence, today=date(2026, 1, 11))] * 3)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(outcomes) == [False, False, True]
    assert Event.objects.filter(type="licence.expired").count() == 1
    assert GroundOpening.objects.filter(reason=OpeningReason.EXPIRED).count() == 1
    assert event_chain_verify().ok


def test_the_demo_has_an_expired_licence_in_its_equal_ranking_month(crew) -> None:
    from django.utils import timezone

    from demo.expiry import TITLE, expired_ready

    people = {"reviewer": crew.reviewer, "approver": crew.approver}
    assert expired_ready(crew.registrar, people, "demo-password") == 1
    assert expired_ready(crew.registrar, people, "demo-password") == 0
    licence = Licence.objects.get(application__title=TITLE)
    assert licence.status == LicenceStatus.EXPIRED
    opening = GroundOpening.objects.get(reason=OpeningReason.EXPIRED)
    assert opening.opens_at <= timezone.now() < opening.window_closes_at
    assert Event.objects.filter(type="licence.expired").count() == 1
    assert event_chain_verify().ok
