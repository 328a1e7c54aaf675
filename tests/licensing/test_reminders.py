"""Reminders of a licence's obligations: the step rule, and the daily run that sends each step once."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from events import catalogue
from events.channels import render_message
from events.models import Event
from licensing.domain.reminders import D7, D30, D60, D90, LATE, step_due
from licensing.licences import reminders
from licensing.licences.reminders import obligation_reminders_send
from licensing.models import LicenceStatus, ObligationReminder
from licensing.recipients import holder_notice_recipients
from tests.licensing import factories

DUE = date(2027, 3, 1)
ALL_BEFORE = {D90, D60, D30, D7}


def day(offset: int) -> date:
    return DUE + timedelta(days=offset)


# The rule --------------------------------------------------------------------------------------

RULE = [
    # (days from the due date, settled, steps sent, step due today)
    (-91, False, set(), None),  # nothing yet
    (-90, False, set(), D90),
    (-89, False, {D90}, None),
    (-60, False, {D90}, D60),
    (-30, False, {D90, D60}, D30),
    (-7, False, {D90, D60, D30}, D7),
    (-1, False, ALL_BEFORE, None),
    (0, False, ALL_BEFORE, None),  # the due date itself: still in time
    (1, False, ALL_BEFORE, LATE),  # the day after: late
    (2, False, ALL_BEFORE | {LATE}, None),  # late once
    (400, False, ALL_BEFORE | {LATE}, None),
    # The beat was down for a day over the 60-day step: it is sent the next morning.
    (-59, False, {D90}, D60),
    # Down for 40 days across the 60- and 30-day steps: only the 30-day reminder, no stale 60.
    (-25, False, {D90}, D30),
    # Down across the 7-day step and the due date: only "late".
    (5, False, {D90, D60, D30}, LATE),
    # An obligation created 20 days before it is due: only the current step.
    (-20, False, set(), D30),
    # Created (or found) long after it was due, never reminded: late, once.
    (200, False, set(), LATE),
    # Met or waived: never reminded, least of all as late.
    (-90, True, set(), None),
    (-7, True, {D90, D60, D30}, None),
    (1, True, ALL_BEFORE, None),
    (30, True, set(), None),
]


@pytest.mark.parametrize(("offset", "settled", "sent", "expected"), RULE)
def test_the_step_due_today(offset: int, settled: bool, sent: set[str], expected: str | None) -> None:
    assert step_due(due_on=DUE, today=day(offset), settled=settled, sent=sent) == expected


def test_a_whole_life_sends_each_step_once_in_order() -> None:
    sent: list[str] = []
    for offset in range(-120, 60):
        step = step_due(due_on=DUE, today=day(offset), settled=False, sent=sent)
        if step:
            sent.append(step)
    assert sent == [D90, D60, D30, D7, LATE]


# The daily run -----------------------------------------------------------------------------------


@pytest.fixture
def holder(make_user, crew):
    return factories.notice_holder(make_user, crew.registrar)


def _events(type: str = "") -> list[Event]:
    events = Event.objects.filter(type__startswith="obligation.")
    return list(events.filter(type=type) if type else events)


def test_a_run_twice_on_the_same_day_sends_once(holder) -> None:
    obligation = factories.obligation(holder.licence, DUE)
    assert obligation_reminders_send(today=day(-90)) == [obligation.pk]
    assert obligation_reminders_send(today=day(-90)) == []
    assert list(ObligationReminder.objects.values_list("obligation", "step")) == [(obligation.pk, D90)]
    [event] = _events()
    assert (event.type, event.actor_id, event.subject_id) == ("obligation.reminder_due", None, str(obligation.pk))
    assert event.payload["licence"] == holder.licence.number and event.payload["step"] == D90


def test_after_an_outage_only_the_current_step_goes_out_then_late_once(holder) -> None:
    factories.obligation(holder.licence, DUE)
    obligation_reminders_send(today=day(-90))
    obligation_reminders_send(today=day(-25))  # 40 days without a beat
    assert [e.payload["step"] for e in _events()] == [D90, D30]
    for offset in range(-24, 10):
        obligation_reminders_send(today=day(offset))
    assert [e.payload["step"] for e in _events()] == [D90, D30, D7, LATE]
    assert [e.type for e in _events("obligation.late")] == ["obligation.late"]


def test_met_and_waived_obligations_and_ended_licences_are_never_reminded(holder, crew) -> None:
    now = timezone.now()
    factories.obligation(holder.licence, DUE, met_at=now)
    factories.obligation(
        holder.licence, DUE, kind="expenditure", waived_at=now, waived_by=crew.approver, waiver_reason="Force majeure"
    )
    surrendered = factories.LicenceFactory(holder=holder.organisation, status=LicenceStatus.SURRENDERED)
    factories.obligation(surrendered, DUE)
    for offset in (-90, -30, -7, 1, 2):
        assert obligation_reminders_send(today=day(offset)) == []
    assert not ObligationReminder.objects.exists() and not _events()


def test_the_run_walks_every_obligation_in_chunks(holder, monkeypatch) -> None:
    monkeypatch.setattr(reminders, "CHUNK", 2)
    licences = [holder.licence] + [factories.LicenceFactory(holder=holder.organisation) for _ in range(2)]
    made = [factories.obligation(licence, DUE, licence_year=year) for licence in licences for year in (1, 2)]
    made.append(factories.obligation(holder.licence, day(200), licence_year=3))  # too far away yet
    assert sorted(obligation_reminders_send(today=day(-90))) == sorted(o.pk for o in made[:6])


def test_the_run_reads_a_constant_number_of_queries_per_chunk(holder, django_assert_max_num_queries) -> None:
    for year in range(1, 30):
        factories.obligation(holder.licence, DUE, licence_year=year)
    obligation_reminders_send(today=day(-90))
    with django_assert_max_num_queries(4):  # a chunk and its prefetch, then an empty chunk
        assert obligation_reminders_send(today=day(-89)) == []


def test_the_reminder_reaches_owners_managers_and_contacts_only(holder) -> None:
    people = holder_notice_recipients(holder.organisation.pk)
    assert {u.pk for u in people} == {holder.owner.pk, holder.manager.pk, holder.contact.pk}


def test_the_message_says_which_licence_obligation_amount_and_date_and_links_to_the_licence(holder) -> None:
    factories.obligation(holder.licence, DUE)
    obligation_reminders_send(today=day(-30))
    message = render_message(_events()[0], "en")
    assert message.subject == f"Licence {holder.licence.number}: Area fee due by 1 March 2027"
    assert "Area fee (licence year 1) is due by 1 March 2027" in message.text
    assert "4,325,000.00 KZT" in message.text and "1,200.00 MCI" in message.text
    assert message.url.endswith(f"/investor/licences/{holder.licence.number}/")
    assert message.url in message.text


def test_the_late_message_says_it_is_late(holder) -> None:
    factories.obligation(holder.licence, DUE, kind="work_report", amount_mci=None, amount_kzt=None)
    obligation_reminders_send(today=day(3))
    message = render_message(_events("obligation.late")[0], "en")
    assert message.subject == f"Licence {holder.licence.number}: Annual work report is late"
    assert "was due by 1 March 2027 and is not met" in message.text and "KZT" not in message.text


def test_partners_receive_the_fact_without_the_amounts(holder) -> None:
    factories.obligation(holder.licence, DUE)
    obligation_reminders_send(today=day(-7))
    event = _events()[0]
    assert catalogue.get(event.type).partner_visible
    assert catalogue.partner_data(event.type, event.payload) == {
        "licence": holder.licence.number,
        "kind": "rent",
        "licence_year": 1,
        "due_on": "2027-03-01",
        "step": D7,
    }
    assert (
        catalogue.link_for(
            "licensing.licenceobligation", event.subject_type.get_object_for_this_type(pk=event.subject_id)
        )
        == f"/api/v1/licences/{holder.licence.number}/"
    )
