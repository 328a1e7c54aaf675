import copy

import pytest
from django.core.exceptions import ValidationError

from accounts.errors import TransitionError
from demo.deposits import DEPOSITS
from deposits import services
from deposits.models import Deposit, ResourceEstimate, Source
from events.models import Event
from tests.deposits.factories import DepositFactory, EstimateFactory

pytestmark = pytest.mark.django_db


def test_publishing_shows_the_deposit_and_records_one_event(registrar) -> None:
    deposit = DepositFactory(is_published=False, published_at=None)
    services.deposit_publish(actor=registrar, deposit=deposit)
    deposit.refresh_from_db()
    assert deposit.is_published and deposit.published_at is not None
    event = Event.objects.get(type="deposit.published")
    assert event.actor == registrar and event.subject_id == str(deposit.pk)


def test_publishing_twice_is_refused_and_records_nothing(registrar) -> None:
    deposit = DepositFactory()
    with pytest.raises(TransitionError, match="already published"):
        services.deposit_publish(actor=registrar, deposit=deposit)
    assert not Event.objects.exists()


def test_unpublishing_hides_it_and_cannot_be_repeated(registrar) -> None:
    deposit = DepositFactory()
    services.deposit_unpublish(actor=registrar, deposit=deposit)
    assert not Deposit.objects.get(pk=deposit.pk).is_published
    with pytest.raises(TransitionError):
        services.deposit_unpublish(actor=registrar, deposit=deposit)
    assert Event.objects.filter(type="deposit.unpublished").count() == 1


def test_save_refuses_a_location_abroad_and_writes_nothing(registrar) -> None:
    deposit = DepositFactory.build(latitude="42.87", longitude="74.59")  # Bishkek
    with pytest.raises(ValidationError):
        services.deposit_save(actor=registrar, deposit=deposit, changed_fields=["latitude"])
    assert not Deposit.objects.exists() and not Event.objects.exists()


def test_save_records_which_fields_changed(registrar) -> None:
    deposit = DepositFactory()
    deposit.stage = "evaluated"
    services.deposit_save(actor=registrar, deposit=deposit, changed_fields=["stage"])
    assert Event.objects.get(type="deposit.updated").payload["fields"] == ["stage"]


def test_changing_an_estimate_records_the_event_watchers_follow(registrar) -> None:
    estimate = EstimateFactory()
    estimate.contained_t = 130000
    services.deposit_part_save(actor=registrar, part=estimate)
    services.deposit_part_delete(actor=registrar, part=estimate)
    assert list(Event.objects.values_list("type", flat=True)) == [
        "deposit.estimate_changed",
        "deposit.estimate_removed",
    ]
    assert not ResourceEstimate.objects.exists()


def test_import_is_idempotent(registrar) -> None:
    record = DEPOSITS[0]
    first = services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    second = services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    assert first.pk == second.pk
    assert Deposit.objects.count() == 1
    assert Event.objects.filter(type="deposit.imported").count() == 1  # the second import changed nothing
    assert Deposit.objects.get().updated_at == first.updated_at
    assert ResourceEstimate.objects.count() == len(record["estimates"])
    assert Source.objects.count() == len(record["sources"])


def test_importing_a_changed_record_replaces_the_deposit(registrar) -> None:
    record = copy.deepcopy(DEPOSITS[0])
    services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    record["stage"] = "closed"
    services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    assert Deposit.objects.get().stage == "closed"
    assert Event.objects.filter(type="deposit.imported").count() == 2


def test_import_with_a_bad_estimate_changes_nothing(registrar) -> None:
    record = copy.deepcopy(next(r for r in DEPOSITS if r["estimates"]))
    record["estimates"][0]["category"] = "measured"
    record["estimates"][0]["code"] = "state_balance"
    with pytest.raises(ValidationError):
        services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    assert not Deposit.objects.exists() and not Event.objects.exists()


def test_import_refuses_unknown_commodities(registrar) -> None:
    record = {**DEPOSITS[0], "commodities": ["Li", "Kryptonite"]}
    with pytest.raises(ValidationError, match="Kryptonite"):
        services.deposit_import(actor=registrar, record=record, publish=True, illustrative=True)
    assert not Deposit.objects.exists()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_events_are_refused_outside_a_transaction(registrar) -> None:
    from events.services import record_event

    with pytest.raises(RuntimeError):
        record_event(actor=registrar, type="deposit.published")
