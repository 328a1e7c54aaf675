import threading
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from events.models import Event
from events.services import event_chain_verify, record_event

pytestmark = pytest.mark.django_db


def _record(n: int, user=None) -> list[Event]:
    with transaction.atomic():
        return [record_event(actor=user, type="test.happened", number=i, note="Ünïcode ✓") for i in range(n)]


def test_each_event_chains_to_the_one_before(registrar) -> None:
    first, second, third = _record(3, registrar)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert event_chain_verify() == (3, None)


def test_a_changed_payload_is_detected() -> None:
    events = _record(3)
    Event.objects.filter(pk=events[1].pk).update(payload={"number": 99})
    checked, problem = event_chain_verify()
    assert checked == 1 and problem == f"event {events[1].pk} was changed after it was recorded"


def test_a_removed_event_is_detected() -> None:
    events = _record(3)
    Event.objects.filter(pk=events[1].pk).delete()
    assert (
        event_chain_verify()[1]
        == f"event {events[2].pk} does not follow the event before it (a row was removed or inserted)"
    )


def test_removing_the_last_events_is_detected() -> None:
    events = _record(3)
    Event.objects.filter(pk=events[2].pk).delete()
    assert event_chain_verify()[1] == "the last events of the chain are missing"


def test_the_command_says_whether_the_chain_holds() -> None:
    events = _record(2)
    out = StringIO()
    call_command("verify_event_chain", stdout=out)
    assert "2 events" in out.getvalue()
    Event.objects.filter(pk=events[0].pk).update(type="test.forged")
    with pytest.raises(CommandError, match="changed after it was recorded"):
        call_command("verify_event_chain", stdout=StringIO())


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
    assert event_chain_verify() == (Event.objects.count(), None)
