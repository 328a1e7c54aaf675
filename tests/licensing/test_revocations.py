"""Revocation for a breach not remedied: the whole path from the notice to remedy through four
eyes and the contest period (across a weekend and a holiday) to the licence revoked, its ground
open and its certificate reissued; contests upheld and allowed; the database's four eyes and one
open revocation; force majeure extending the deadline with a document."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction

from accounts.errors import TransitionError
from accounts.roles import Role
from events import catalogue, routing
from events.models import Event
from investors.models import MemberRole
from licensing import tasks
from licensing.licences import breaches, force_majeure, revocations, services
from licensing.models import (
    Breach,
    BreachKind,
    BreachStatus,
    CalendarDay,
    CertificateVersion,
    ForceMajeure,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    Revocation,
    RevocationState,
    Tenure,
)
from licensing.recipients import holder_notice_recipients
from tests.investors import factories as investor_factories
from tests.licensing import factories

ASTANA = ZoneInfo("Asia/Almaty")
BLOCKS = factories.rectangle(1, 2, origin=factories.ORIGIN + 40)
S = RevocationState


def at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=ASTANA)


def breach_overdue(organisation, blocks: list[int] = BLOCKS) -> Breach:
    """A licence with an unpaid fee whose notice to remedy ran out on 20 November 2026."""
    licence = factories.licence_held(organisation, blocks, starts_on=date(2025, 1, 10), expires_on=date(2031, 1, 10))
    rent = factories.obligation(licence, date(2025, 9, 1))
    breach = breaches.breach_open(obligation=rent, kind=BreachKind.FEE_UNPAID, today=date(2025, 10, 15))
    Breach.objects.filter(pk=breach.pk).update(remedy_by=date(2026, 11, 20))
    breach.refresh_from_db()
    return breach


def recommended(crew, breach: Breach) -> Revocation:
    return revocations.revocation_recommend(
        actor=crew.reviewer, breach=breach, reasons="Rent unpaid for a year.", confirmed=True
    )


def notified(crew, breach: Breach) -> Revocation:
    revocation = recommended(crew, breach)
    return revocations.revocation_decide(
        actor=crew.approver, revocation=revocation, revoke=True, reasons="No payment after the notice."
    )


def test_an_uncontested_revocation_takes_effect_after_fifteen_working_days(crew, applicant, time_machine) -> None:
    owner, org = applicant
    breach = breach_overdue(org)
    licence = breach.licence
    # A declared day off on a Thursday: the government's calendar counts it out.
    CalendarDay.objects.create(date=date(2026, 12, 3), is_working_day=False, name="Declared day off")
    revocation = recommended(crew, breach)
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REVOCATION_RECOMMENDED and revocation.state == S.RECOMMENDED

    revocation = revocations.revocation_decide(
        actor=crew.approver, revocation=revocation, revoke=True, reasons="No payment after the notice."
    )
    # Decided on Tuesday 24 November: 15 working days, leaving out three weekends, the declared
    # day off (3 December) and Independence Day (16 December).
    assert revocation.state == S.NOTIFIED and revocation.notified_on == date(2026, 11, 24)
    assert revocation.contest_by == date(2026, 12, 17)
    notice = Event.objects.get(type="revocation.decided")
    assert notice.payload["contest_by"] == "2026-12-17" and notice.payload["revoked"] is True
    assert owner in holder_notice_recipients(org.pk)

    for day in (date(2026, 12, 16), date(2026, 12, 17)):
        time_machine.move_to(at(day, 1))
        assert tasks.revocations_take_effect() == []
    time_machine.move_to(at(date(2026, 12, 18), 1))
    assert tasks.revocations_take_effect() == [licence.number]
    assert tasks.revocations_take_effect() == []

    licence.refresh_from_db()
    revocation.refresh_from_db()
    assert licence.status == LicenceStatus.REVOKED and revocation.state == S.EFFECTIVE
    assert not Tenure.objects.filter(licence=licence, is_active=True).exists()
    freed = Event.objects.get(type="ground.freed")
    assert freed.payload["reason"] == "revoked" and freed.payload["blocks"] == len(BLOCKS)
    version = CertificateVersion.objects.get(licence=licence)
    assert version.reason == "revocation"
    effective = Event.objects.get(type="revocation.effective")
    assert effective.payload["number"] == licence.number and effective.payload["effective_on"] == "2026-12-18"
    # Fees owed stay owed.
    assert LicenceObligation.objects.filter(licence=licence, kind=ObligationKind.RENT, met_at__isnull=True).exists()


def test_a_contest_keeps_the_licence_until_an_approver_upholds_the_revocation(crew, applicant, time_machine) -> None:
    owner, org = applicant
    revocation = notified(crew, breach_overdue(org))
    revocations.revocation_contest(
        actor=owner,
        revocation=revocation,
        reasons="We paid on 1 December.",
        confirmed=True,
        uploads=[investor_factories.pdf_upload("receipt.pdf")],
    )
    revocation.refresh_from_db()
    assert revocation.state == S.CONTESTED and revocation.documents.count() == 1
    time_machine.move_to(at(date(2027, 1, 20), 1))
    assert revocations.revocations_effective_due(today=date(2027, 1, 20)) == []
    revocations.revocation_contest_decide(actor=crew.approver2, revocation=revocation, uphold=True, reasons="No proof.")
    revocation.refresh_from_db()
    assert revocation.state == S.EFFECTIVE and revocation.licence.status == LicenceStatus.REVOKED
    assert [e.type for e in Event.objects.filter(type__startswith="revocation.").order_by("id")] == [
        "revocation.recommended",
        "revocation.decided",
        "revocation.contested",
        "revocation.upheld",
        "revocation.effective",
    ]


def test_an_allowed_contest_cancels_the_revocation_and_the_licence_stays(crew, applicant) -> None:
    owner, org = applicant
    revocation = notified(crew, breach_overdue(org))
    revocations.revocation_contest(actor=owner, revocation=revocation, reasons="Paid.", confirmed=True)
    revocations.revocation_contest_decide(
        actor=crew.approver2, revocation=revocation, uphold=False, reasons="Payment found."
    )
    revocation.refresh_from_db()
    assert revocation.state == S.CANCELLED and revocation.licence.status == LicenceStatus.ACTIVE
    assert revocation.breach.status == BreachStatus.OPEN
    assert Tenure.objects.filter(licence=revocation.licence, is_active=True).count() == len(BLOCKS)
    assert revocations.revocations_effective_due(today=date(2027, 6, 1)) == []


def test_the_recommending_official_cannot_decide_and_the_database_refuses_it_too(make_user, crew, applicant) -> None:
    both = make_user(Role.REVIEWER, Role.APPROVER)
    revocation = revocations.revocation_recommend(
        actor=both, breach=breach_overdue(applicant[1]), reasons="Unpaid.", confirmed=True
    )
    with pytest.raises(TransitionError):
        revocations.revocation_decide(actor=both, revocation=revocation, revoke=True, reasons="Revoke.")
    with pytest.raises(IntegrityError), transaction.atomic():
        Revocation.objects.filter(pk=revocation.pk).update(decided_by=both)
    with pytest.raises(PermissionDenied):
        revocations.revocation_decide(actor=crew.reviewer, revocation=revocation, revoke=True, reasons="Revoke.")


def test_one_open_revocation_per_licence_and_only_after_the_deadline(crew, applicant) -> None:
    breach = breach_overdue(applicant[1])
    other = breaches.breach_open(
        obligation=factories.obligation(breach.licence, date(2025, 10, 1), licence_year=2),
        kind=BreachKind.FEE_UNPAID,
        today=date(2026, 11, 24),
    )
    with pytest.raises(TransitionError):  # its remedy deadline has not passed
        recommended(crew, other)
    recommended(crew, breach)
    Breach.objects.filter(pk=other.pk).update(remedy_by=date(2026, 11, 1))
    with pytest.raises(TransitionError):
        recommended(crew, other)
    with pytest.raises(IntegrityError), transaction.atomic():
        Revocation.objects.create(
            licence=breach.licence, breach=other, state=S.RECOMMENDED, recommended_by=crew.reviewer,
            recommended_at=breach.opened_at, recommendation_reasons="Again.",
        )  # fmt: skip
    with pytest.raises(ValidationError):
        revocations.revocation_recommend(actor=crew.reviewer, breach=other, reasons=" ", confirmed=True)
    with pytest.raises(PermissionDenied):
        revocations.revocation_recommend(actor=crew.approver, breach=other, reasons="Unpaid.", confirmed=True)


def test_only_owners_and_managers_contest_and_only_within_the_period(make_user, crew, applicant, time_machine) -> None:
    owner, org = applicant
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    revocation = notified(crew, breach_overdue(org))
    with pytest.raises(PermissionDenied):
        revocations.revocation_contest(actor=viewer, revocation=revocation, reasons="No.", confirmed=True)
    with pytest.raises(ValidationError):
        revocations.revocation_contest(actor=owner, revocation=revocation, reasons="No.", confirmed=False)
    time_machine.move_to(at(revocation.contest_by + timedelta(days=1)))
    with pytest.raises(TransitionError):
        revocations.revocation_contest(actor=owner, revocation=revocation, reasons="Late.", confirmed=True)


def test_a_remedy_before_the_decision_stops_the_revocation(crew, applicant) -> None:
    breach = breach_overdue(applicant[1])
    revocation = recommended(crew, breach)
    services_waive(crew, breach)
    with pytest.raises(TransitionError):
        revocations.revocation_decide(actor=crew.approver, revocation=revocation, revoke=True, reasons="Revoke.")
    declined = revocations.revocation_decide(actor=crew.approver, revocation=revocation, revoke=False, reasons="Paid.")
    assert declined.state == S.DECLINED and Event.objects.get(type="revocation.decided").payload["revoked"] is False


def services_waive(crew, breach: Breach) -> None:
    services.obligation_waive(actor=crew.reviewer, obligation=breach.obligation, reasons="Flood.")
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REMEDIED


def test_force_majeure_extends_the_remedy_deadline_with_a_document(crew, applicant) -> None:
    breach = breach_overdue(applicant[1])
    with pytest.raises(ValidationError):
        force_majeure.force_majeure_record(
            actor=crew.reviewer, breach=breach, reasons="Flood.", remedy_by=date(2027, 2, 1), document=None
        )
    with pytest.raises(PermissionDenied):
        force_majeure.force_majeure_record(
            actor=applicant[0],
            breach=breach,
            reasons="Flood.",
            remedy_by=date(2027, 2, 1),
            document=investor_factories.pdf_upload("flood.pdf"),
        )
    record = force_majeure.force_majeure_record(
        actor=crew.reviewer,
        breach=breach,
        reasons="The access road was flooded.",
        remedy_by=date(2027, 2, 1),
        document=investor_factories.pdf_upload("flood.pdf"),
    )
    breach.refresh_from_db()
    assert breach.remedy_by == date(2027, 2, 1) and record.previous_remedy_by == date(2026, 11, 20)
    event = Event.objects.get(type="breach.deadline_extended")
    assert event.payload["remedy_by"] == "2027-02-01" and event.payload["document"] == str(record.document.uuid)
    with pytest.raises(TransitionError):  # the new deadline has not passed
        recommended(crew, breach)
    with pytest.raises(ValidationError):
        force_majeure.force_majeure_record(
            actor=crew.reviewer,
            breach=breach,
            reasons="Again.",
            remedy_by=date(2027, 1, 5),
            document=investor_factories.pdf_upload("flood.pdf"),
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        ForceMajeure.objects.filter(pk=record.pk).update(remedy_by=date(2026, 1, 1))


def test_the_notices_reach_owners_managers_and_notice_contacts_only(make_user, crew) -> None:
    holder = factories.notice_holder(make_user, crew.registrar)
    revocation = notified(crew, breach_overdue(holder.organisation))
    revocations.revocation_contest(actor=holder.manager, revocation=revocation, reasons="Paid.", confirmed=True)
    for kind in ("revocation.decided", "revocation.contested"):
        people = set(routing.users_for(Event.objects.get(type=kind)))
        assert {holder.owner, holder.contact} <= people and holder.bystander not in people
    assert crew.approver in routing.users_for(Event.objects.get(type="revocation.contested"))
    # Partners learn the decision's dates, never its reasons.
    decided = Event.objects.get(type="revocation.decided")
    assert "reasons" not in catalogue.get("revocation.decided").fields and "reasons" in decided.payload
