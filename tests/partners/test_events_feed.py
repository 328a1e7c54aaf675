"""The partner event feed (`events:read`): public and partner events only, each with its webhook
body, oldest first, cursor-paginated with a constant number of queries, filtered by type, by
event id and by time; bad input answers 400 naming the parameter."""

from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from events import channels, services
from events.models import Event
from partners.scopes import EVENTS_READ, REGISTER_READ, WEBHOOKS_MANAGE
from tests.events.factories import WebhookEndpointFactory
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db

FEED = "/api/v1/events/"


def _record(type: str = "test.happened", subject: object = None, **payload: object) -> Event:
    with transaction.atomic():
        return services.record_event(actor=None, type=type, subject=subject, **payload)


@pytest.fixture
def reader(client) -> dict[str, str]:
    return bearer(client, partner_client(EVENTS_READ, name="EITI"))


@pytest.fixture
def history() -> list[Event]:
    """Partner events (some about a subject) between internal ones; returns the partner events."""
    subjects = WebhookEndpointFactory.create_batch(3)
    shown = []
    for number in range(90):
        _record("test.internal", secret_note=f"internal {number}")
        if number % 3:
            shown.append(_record("test.happened", number=number, note="not a partner field"))
        else:
            shown.append(_record("test.owned", subject=subjects[number % 9 // 3], url="https://x.example/h"))
    return shown


def _pages(client, headers, address: str) -> list[dict]:
    rows = []
    while address:
        answer = client.get(address, **headers)
        assert answer.status_code == 200, answer.content
        rows += answer.json()["results"]
        address = answer.json()["next"]
    return rows


def test_the_feed_pages_through_partner_events_only_oldest_first(client, reader, history) -> None:
    rows = _pages(client, reader, f"{FEED}?page_size=20")
    assert [r["id"] for r in rows] == [f"evt_{e.pk}" for e in history]
    assert {r["type"] for r in rows} == {"test.happened", "test.owned"}
    internal = Event.objects.exclude(type__in=["test.happened", "test.owned"]).values_list("pk", flat=True)
    assert not {f"evt_{pk}" for pk in internal} & {r["id"] for r in rows}
    assert all("note" not in r["data"] and "secret_note" not in r["data"] for r in rows)


def test_each_entry_is_the_events_webhook_body(client, reader, history) -> None:
    rows = client.get(f"{FEED}?page_size=6", **reader).json()["results"]
    assert rows == [channels.webhook_body(event) for event in history[:6]]
    owned = next(r for r in rows if r["type"] == "test.owned")
    assert owned["subject"] == {"type": "events.webhookendpoint", "link": None}
    assert owned["data"] == {"url": "https://x.example/h"} and owned["schema"] == "ashyqken.events/1"


def test_a_page_costs_the_same_queries_whatever_its_size(client, reader, history) -> None:
    counts = {}
    for size in (5, 60):
        with CaptureQueriesContext(connection) as queries:
            answer = client.get(f"{FEED}?page_size={size}", **reader)
        assert len(answer.json()["results"]) == size
        counts[size] = len(queries)
    assert counts[5] == counts[60] <= 10, counts


def test_the_types_filter_takes_repeated_and_comma_separated_names(client, reader, history) -> None:
    happened = [f"evt_{e.pk}" for e in history if e.type == "test.happened"]
    for query in ("type=test.happened", "type=test.happened&type=test.happened", "type=test.happened,%20"):
        assert [r["id"] for r in _pages(client, reader, f"{FEED}?{query}")] == happened, query
    both = _pages(client, reader, f"{FEED}?type=test.happened,test.owned&page_size=500")
    assert len(both) == len(history)
    assert len(_pages(client, reader, f"{FEED}?type=test.owned&type=test.happened")) == len(history)


@pytest.mark.parametrize(
    ("query", "says"),
    [
        ("type=test.internal", "test.internal is an internal event type"),
        ("type=test.happened,partner_client.created", "partner_client.created is an internal event type"),
        ("type=no.such.thing", "no.such.thing is not an event type"),
        ("type=", "Name at least one event type"),
        ("type=,", "Name at least one event type"),
    ],
)
def test_an_internal_or_unknown_type_is_refused_naming_it(client, reader, query: str, says: str) -> None:
    answer = client.get(f"{FEED}?{query}", **reader)
    assert answer.status_code == 400
    assert answer.json()["errors"].keys() == {"type"}
    assert says in " ".join(answer.json()["errors"]["type"])


def test_after_starts_after_an_event_in_either_spelling(client, reader, history) -> None:
    later = [f"evt_{e.pk}" for e in history[40:]]
    for after in (f"evt_{history[39].pk}", str(history[39].pk)):
        assert [r["id"] for r in _pages(client, reader, f"{FEED}?after={after}&page_size=500")] == later


def test_since_starts_at_a_moment(client, reader) -> None:
    start = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False) as clock:
        old = _record(number=1)
        clock.shift(timedelta(hours=2))
        new = _record(number=2)
    for since in ("2026-11-02T10:00:00Z", "2026-11-02T15:00:00%2B05:00", "2026-11-02T15:00:00"):  # naive: Astana
        rows = _pages(client, reader, f"{FEED}?since={since}")
        assert [r["id"] for r in rows] == [f"evt_{new.pk}"], since
    assert len(_pages(client, reader, f"{FEED}?since=2026-11-02T08:59:59Z")) == 2
    assert old.pk < new.pk


@pytest.mark.parametrize(
    "query",
    [
        "since=yesterday",
        "since=2026-02-30T00:00:00Z",
        "since=",
        "after=abc",
        "after=evt_",
        "after=-5",
        "after=99999999999999999999999",
        "page_size=100000",
        "page_size=0",
        "cursor=forged",
        "cursor=cD1hYmM%3D",  # p=abc: a position that is no id
    ],
)
def test_a_malformed_parameter_is_refused_naming_it(client, reader, query: str) -> None:
    answer = client.get(f"{FEED}?{query}", **reader)
    assert answer.status_code == 400, answer.content
    assert answer["Content-Type"] == "application/problem+json"
    assert list(answer.json()["errors"]) == [query.split("=")[0]]


def test_a_nul_character_is_refused(client, reader) -> None:
    answer = client.get(f"{FEED}?type=test.happened%00", **reader)
    assert answer.status_code == 400 and "NUL" in answer.json()["detail"]


def test_a_token_without_events_read_is_refused(client, history) -> None:
    for scopes in ((REGISTER_READ,), (WEBHOOKS_MANAGE,)):
        answer = client.get(FEED, **bearer(client, partner_client(*scopes, name=" ".join(scopes))))
        assert answer.status_code == 403
        assert "events:read" in answer.json()["detail"] and "results" not in answer.json()


def test_people_are_refused_even_an_administrator(client, history, make_user) -> None:
    assert client.get(FEED).status_code == 403
    client.force_login(make_user(Role.ADMIN))
    answer = client.get(FEED)
    assert answer.status_code == 403 and answer.json()["detail"].startswith("Only partner systems")
