import datetime
import threading
import uuid
from decimal import Decimal
from io import StringIO
from unittest import mock
from zoneinfo import ZoneInfo

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from events.models import ChainHead, Event
from events.services import ChainProblem, event_chain_verify, event_hash, record_event

ASTANA = ZoneInfo("Asia/Almaty")  # settings.TIME_ZONE: Astana keeps Almaty's time

pytestmark = pytest.mark.django_db


def _record(n: int, user=None, subject=None, **payload) -> list[Event]:
    with transaction.atomic():
        return [
            record_event(actor=user, type="test.happened", subject=subject, number=i, note="Ünïcode ✓", **payload)
            for i in range(n)
        ]


def _problems() -> list[tuple[int | None, str]]:
    return [(p.event_id, p.kind) for p in event_chain_verify().problems]


def test_each_event_chains_to_the_one_before(registrar) -> None:
    first, second, third = _record(3, registrar)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    report = event_chain_verify()
    assert report.ok and report.checked == 3


def test_events_recorded_on_astana_time_verify() -> None:
    """The demo's history runs the services with the clock set to Astana time, and a request
    runs with Astana activated: the hash must not depend on the zone the moment was in."""
    moments = [
        datetime.datetime(2026, 4, 6, 10, 0, tzinfo=ASTANA),
        datetime.datetime(2026, 4, 6, 10, 0, 0, 123456, tzinfo=ASTANA),
        datetime.datetime(2023, 12, 31, 23, 59, 59, 999999, tzinfo=ASTANA),  # UTC+6 then
    ]
    with timezone.override("Asia/Almaty"):
        for moment in moments:
            with mock.patch("django.utils.timezone.now", return_value=moment):
                _record(1)
    assert [e.occurred_at for e in Event.objects.order_by("id")] == moments
    assert event_chain_verify().ok


def test_payload_values_that_read_back_differently_still_verify() -> None:
    """PostgreSQL's jsonb gives 1e16 back as an integer, -0.0 as 0.0, reorders keys; Decimals,
    dates and UUIDs are stored as strings."""
    _record(
        1,
        floats=[0.1, 1e16, 1.5e300, -0.0, 1e-7, 2.5, 123456789.123456789],
        ints=[0, -1, 10**30, 2**63],
        decimal=Decimal("1.10"),
        moment=datetime.datetime(2026, 1, 1, 9, 0, tzinfo=ASTANA),
        day=datetime.date(2026, 1, 1),
        ident=uuid.UUID(int=1),
        nested={"b": {"ж": [1, {"z": None, "a": True}]}, "a": '😀 \\ " \n', "10": 1, "9": 2},
        pair=(1, 2),
    )
    assert event_chain_verify().ok


def test_an_impossible_payload_is_refused_before_anything_is_written() -> None:
    with pytest.raises(ValueError):
        _record(1, ratio=float("nan"))
    assert not Event.objects.exists()


_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**70), max_value=2**70)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=8)
    | st.decimals(allow_nan=False, allow_infinity=False, places=3)
    | st.dates()
)
_json = st.recursive(
    _scalars,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), max_size=5),
            children,
            max_size=3,
        )
    ),
    max_leaves=8,
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(payload=st.dictionaries(st.sampled_from(["a", "b", "c"]), _json, max_size=3))
def test_any_payload_reads_back_to_the_hash_it_was_recorded_with(payload) -> None:
    _record(1, **payload)
    assert event_chain_verify().ok


TAMPERINGS = {
    "type": lambda e: {"type": "test.forged"},
    "occurred_at": lambda e: {"occurred_at": e.occurred_at + datetime.timedelta(microseconds=1)},
    "actor": lambda e: {"actor": None},
    "subject_type": lambda e: {"subject_type": ContentType.objects.get_for_model(ContentType)},
    "subject_id": lambda e: {"subject_id": e.subject_id + "0"},
    "payload": lambda e: {"payload": {**e.payload, "number": 99}},
    "hash_scheme": lambda e: {"hash_scheme": 1},
    "hash": lambda e: {"hash": "f" * 64},
    "prev_hash": lambda e: {"prev_hash": "e" * 64},
}


@pytest.mark.parametrize("field", TAMPERINGS)
def test_tampering_with_one_field_of_one_row_is_reported_at_that_row(field, registrar) -> None:
    events = _record(5, registrar, subject=registrar)
    target = events[2]
    Event.objects.filter(pk=target.pk).update(**TAMPERINGS[field](target))
    kind = "relinked" if field == "prev_hash" else "changed"
    expected = [(target.pk, kind)] + ([(target.pk, "old_scheme")] if field == "hash_scheme" else [])
    assert _problems() == expected


def test_a_removed_event_is_reported_at_the_event_after_it() -> None:
    events = _record(4)
    Event.objects.filter(pk=events[1].pk).delete()
    report = event_chain_verify()
    assert report.problems == [ChainProblem(events[2].pk, "removed_before", {"previous": events[0].pk})]
    assert f"event {events[2].pk} does not follow the event before it ({events[0].pk})" in report.problems[0].message


def test_removing_the_first_event_is_reported() -> None:
    events = _record(3)
    Event.objects.filter(pk=events[0].pk).delete()
    assert _problems() == [(events[1].pk, "removed_before")]


def test_removing_the_last_events_is_reported() -> None:
    events = _record(4)
    Event.objects.filter(pk__in=[events[2].pk, events[3].pk]).delete()
    assert _problems() == [(events[1].pk, "missing_tail")]


def _forge(*, pk: int, prev_hash: str) -> Event:
    forged = Event(
        pk=pk,
        type="test.forged",
        occurred_at=timezone.now(),
        payload={"number": 7},
        prev_hash=prev_hash,
    )
    forged.hash = event_hash(prev_hash=prev_hash, event=forged)
    forged.save(force_insert=True)
    return forged


def test_an_inserted_event_is_reported_at_that_event() -> None:
    first, second = _record(2)
    Event.objects.filter(pk=second.pk).update(id=second.pk + 10)  # leave room for a forged row
    forged = _forge(pk=second.pk, prev_hash=first.hash)
    assert _problems() == [(forged.pk, "inserted")]


def test_an_event_appended_behind_the_head_is_reported() -> None:
    events = _record(2)
    forged = _forge(pk=events[1].pk + 1, prev_hash=events[1].hash)
    assert _problems() == [(forged.pk, "inserted")]


def test_every_tampered_row_is_reported(registrar) -> None:
    events = _record(8, registrar)
    Event.objects.filter(pk=events[1].pk).update(payload={"number": 99})
    Event.objects.filter(pk=events[3].pk).delete()
    Event.objects.filter(pk=events[5].pk).update(hash="a" * 64)
    Event.objects.filter(pk=events[6].pk).update(actor=None)
    Event.objects.filter(pk=events[7].pk).delete()
    assert _problems() == [
        (events[1].pk, "changed"),
        (events[4].pk, "removed_before"),
        (events[5].pk, "changed"),
        (events[6].pk, "changed"),
        (events[6].pk, "missing_tail"),
    ]


def test_a_missing_head_is_reported() -> None:
    _record(1)
    ChainHead.objects.all().delete()
    assert _problems() == [(None, "no_head")]


def test_the_command_lists_every_problem_and_fails() -> None:
    events = _record(3)
    out = StringIO()
    call_command("verify_event_chain", stdout=out)
    assert "3 events verified" in out.getvalue()
    Event.objects.filter(pk=events[0].pk).update(type="test.forged")
    Event.objects.filter(pk=events[2].pk).update(payload={})
    err = StringIO()
    with pytest.raises(CommandError, match="2 problems in 3 events"):
        call_command("verify_event_chain", stdout=StringIO(), stderr=err)
    assert err.getvalue().splitlines() == [
        f"event {events[0].pk} was changed after it was recorded",
        f"event {events[2].pk} was changed after it was recorded",
    ]


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_writers_never_fork_the_chain() -> None:
    barrier = threading.Barrier(12)

    def write() -> None:
        try:
            barrier.wait()
            for _ in range(5):
                _record(1)
        finally:
            connection.close()

    threads = [threading.Thread(target=write) for _ in range(12)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert Event.objects.filter(type="test.happened").count() == 60
    report = event_chain_verify()
    assert report.ok and report.checked == Event.objects.count()
