"""The journeys' demo data put back from its copy is the demo data `load_demo` made."""

import pytest
from django.db import connection

from accounts.models import User
from events import services as event_services
from tests.demo_snapshot import demo_loaded

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def _rows() -> dict[str, int]:
    counts = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (catalogue name)
            counts[table] = cursor.fetchone()[0]
    return counts


def test_the_demo_put_back_has_the_rows_the_chain_and_the_next_ids_it_had() -> None:
    demo_loaded()
    before = _rows()
    next_id = User.objects.create_user(email="first@example.com").pk
    User.objects.filter(pk=next_id).delete()

    demo_loaded()

    assert _rows() == before
    assert not User.objects.filter(email="first@example.com").exists()
    assert User.objects.create_user(email="second@example.com").pk == next_id
    report = event_services.event_chain_verify()
    assert report.ok and report.checked > 500, [problem.message for problem in report.problems[:5]]
    assert User.objects.filter(email="investor@example.com").exists()
