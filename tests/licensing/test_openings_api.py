"""`/api/v1/openings/`: the release calendar of ground coming free, for anyone and for partners."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from licensing.domain import grid
from licensing.ground import services as ground_services
from licensing.models import GroundOpening
from tests.licensing import factories

pytestmark = pytest.mark.django_db

OPENINGS = "/api/v1/openings/"


def ids(response) -> list[int]:
    assert response.status_code == 200, response.content
    return [row["id"] for row in response.json()["results"]]


def test_the_calendar_lists_past_and_upcoming_openings_earliest_first() -> None:
    blocks = factories.rectangle(1, 3)
    past = factories.opening(blocks[:1], opens_in=timedelta(days=-40), reason="surrendered", region="abai")
    soon = factories.opening(blocks[1:], opens_in=timedelta(days=3))
    rows = Client().get(OPENINGS).json()["results"]
    assert [r["id"] for r in rows] == [past.pk, soon.pk]
    first, second = rows
    assert first["reason"] == "surrendered" and first["reason_label"] == "Freed by a surrender"
    assert first["region"] == "abai" and first["upcoming"] is False and first["settled"] is False
    assert first["block_count"] == 1 and first["blocks"] == [grid.code(blocks[0])]
    assert second["upcoming"] is True and second["blocks"] == [grid.code(b) for b in blocks[1:]]
    assert second["opens_at"] and second["window_closes_at"] and second["updated_at"]


def test_from_and_until_narrow_by_the_day_it_opens() -> None:
    today = timezone.localdate()
    made = {days: factories.opening([factories.ORIGIN + days], opens_in=timedelta(days=days)) for days in (-5, 0, 5)}
    client = Client()
    assert ids(client.get(OPENINGS, {"from": today.isoformat()})) == [made[0].pk, made[5].pk]
    assert ids(client.get(OPENINGS, {"until": today.isoformat()})) == [made[-5].pk, made[0].pk]
    assert ids(client.get(OPENINGS, {"from": today.isoformat(), "until": today.isoformat()})) == [made[0].pk]


def test_changed_since_includes_an_opening_settled_after_it(time_machine) -> None:
    opening = factories.opening([factories.ORIGIN], opens_in=timedelta(days=-40))
    factories.opening([factories.ORIGIN + 1], opens_in=timedelta(days=-35))
    time_machine.move_to(timezone.now() + timedelta(days=1))
    mark = timezone.now().isoformat().replace("+", "%2B")
    assert ids(Client().get(f"{OPENINGS}?changed_since={mark}")) == []
    ground_services.opening_settle(actor=None, opening=opening)
    (row,) = Client().get(f"{OPENINGS}?changed_since={mark}").json()["results"]
    assert row["id"] == opening.pk and row["settled"] is True and row["settled_at"]


def test_changed_since_with_an_offset_postgresql_does_not_take_is_read_in_utc() -> None:
    """Found by schemathesis: `-18:36` is a valid ISO 8601 offset (Python takes up to 24 hours)
    and PostgreSQL refused it in the query: 500."""
    opening = factories.opening([factories.ORIGIN], opens_in=timedelta(days=-40))
    assert ids(Client().get(OPENINGS, {"changed_since": "2000-01-01T00:00:00-18:36"})) == [opening.pk]
    assert ids(Client().get(OPENINGS, {"changed_since": "2999-01-01T00:00:00+23:59"})) == []


@pytest.mark.parametrize(
    "query",
    [
        "from=2026-02-30",
        "until=tomorrow",
        "changed_since=31.01.2026",
        "changed_since=0001-01-01T00:00:00%2B05:00",  # before the year 1 once in UTC
        "changed_since=9999-12-31T23:59:00-10:00",  # after 9999
    ],
)
def test_a_malformed_date_is_refused_naming_it(query: str) -> None:
    response = Client().get(f"{OPENINGS}?{query}")
    assert response.status_code == 400 and list(response.json()["errors"]) == [query.split("=")[0]]


def test_the_calendar_pages_with_a_cursor_in_constant_queries(django_assert_max_num_queries) -> None:
    for n in range(12):
        factories.opening(factories.rectangle(1, 3, factories.ORIGIN + 4 * n), opens_in=timedelta(days=n))
    with django_assert_max_num_queries(2):  # the openings with their block count, and their blocks
        body = Client().get(OPENINGS, {"page_size": 5}).json()
    seen = [r["id"] for r in body["results"]]
    while body["next"]:
        with django_assert_max_num_queries(2):
            body = Client().get(body["next"]).json()
        seen += [r["id"] for r in body["results"]]
    assert seen == list(GroundOpening.objects.order_by("opens_at", "id").values_list("id", flat=True))
    assert all(len(r["blocks"]) == 3 for r in body["results"])
