"""Races settled by the database: real concurrent connections on PostgreSQL."""

import threading

import pytest
from django.db import connection

from accounts.errors import TransitionError
from deposits import services
from events.models import Event
from tests.deposits.factories import DepositFactory

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_eight_registrars_publishing_at_once_publish_once(registrar) -> None:
    deposit = DepositFactory(is_published=False, published_at=None)
    barrier = threading.Barrier(8)
    outcomes: list[str] = []

    def publish() -> None:
        try:
            barrier.wait()
            services.deposit_publish(actor=registrar, deposit=deposit)
            outcomes.append("published")
        except TransitionError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=publish) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["published"] + ["refused"] * 7
    assert Event.objects.filter(type="deposit.published").count() == 1
