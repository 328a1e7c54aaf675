"""Webhook subscriptions through the API (`webhooks:manage`): a partner client registers, reads,
changes, pauses, resumes its own endpoints, rotates their signing secret (two signatures during
the grace period), reads their deliveries and sends one again. Nobody else's endpoint is
reachable; people (signed in or not) are refused."""

from datetime import timedelta

import pytest
import time_machine
from django.db import transaction
from django.utils import timezone
from standardwebhooks.webhooks import Webhook, WebhookVerificationError

from accounts.roles import Role
from events import services
from events.models import Delivery, DeliveryStatus, Event, WebhookEndpoint
from partners.scopes import EVENTS_READ, REGISTER_READ, WEBHOOKS_MANAGE
from tests.events.receiver import webhook_receiver
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db

WEBHOOKS = "/api/v1/webhooks/"
CLOSED_PORT = "http://127.0.0.1:9/hooks/ashyqken"  # loopback (allowed in the tests), nobody listens
PLACEHOLDER_SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def _record(type: str = "test.happened", **payload: object) -> Event:
    with transaction.atomic():
        return services.record_event(actor=None, type=type, **payload)


def _deliver(event: Event) -> list[int]:
    ids = services.event_dispatch(event_id=event.pk)
    for delivery_id in ids:
        services.delivery_send(delivery_id=delivery_id)
    return ids


@pytest.fixture
def partner(client):
    """A client with webhooks:manage, and the headers of its calls."""
    credentials = partner_client(WEBHOOKS_MANAGE, EVENTS_READ, name="Halyk Bank")
    return credentials, bearer(client, credentials)


def _create(client, headers, url: str = CLOSED_PORT, event_types: list[str] | None = None):
    return client.post(
        WEBHOOKS,
        {"url": url, "event_types": event_types or ["test.happened"]},
        content_type="application/json",
        **headers,
    )


def test_a_client_registers_its_endpoint_and_sees_the_secret_once(client, partner) -> None:
    credentials, headers = partner
    answer = _create(client, headers)
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert body["secret"].startswith("whsec_") and body["status"] == "active"
    assert Webhook(body["secret"])  # a secret the standardwebhooks package reads
    endpoint = WebhookEndpoint.objects.get(pk=body["id"])
    assert endpoint.owner == credentials.client.user and endpoint.partner == "Halyk Bank"
    assert endpoint.secret == body["secret"] and endpoint.event_types == ["test.happened"]
    event = Event.objects.get(type="webhook_endpoint.created")
    assert event.actor == credentials.client.user and body["secret"] not in str(event.payload)
    later = [client.get(WEBHOOKS, **headers), client.get(f"{WEBHOOKS}{endpoint.pk}/", **headers)]
    later.append(client.patch(f"{WEBHOOKS}{endpoint.pk}/", {"url": CLOSED_PORT + "2"}, "application/json", **headers))
    for response in later:
        assert response.status_code == 200
        assert body["secret"] not in response.content.decode() and '"secret"' not in response.content.decode()


def test_internal_and_unknown_event_types_are_refused_naming_them(client, partner) -> None:
    _credentials, headers = partner
    events = Event.objects.count()
    answer = _create(
        client, headers, event_types=["test.happened", "partner_client.created", "test.internal", "no.such"]
    )
    assert answer.status_code == 400
    problems = " ".join(answer.json()["errors"]["event_types"])
    assert "partner_client.created is an internal event type" in problems
    assert "test.internal is an internal event type" in problems and "no.such is not an event type" in problems
    assert "test.happened" not in problems
    assert not WebhookEndpoint.objects.exists() and Event.objects.count() == events


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://10.1.2.3/hook", "private address"),
        ("ftp://127.0.0.1/hook", "only https://"),
        ("not a url", "Enter a valid URL"),
        ("http://127.0.0.1/" + "a" * 600, "no more than 500"),
    ],
)
def test_an_address_that_may_not_receive_webhooks_is_refused(client, partner, url: str, says: str) -> None:
    _credentials, headers = partner
    answer = _create(client, headers, url=url)
    assert answer.status_code == 400
    assert says in " ".join(answer.json()["errors"]["url"])
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.parametrize(
    "body",
    [{}, {"url": CLOSED_PORT}, {"url": CLOSED_PORT, "event_types": []}, {"url": CLOSED_PORT, "event_types": "*"}],
)
def test_an_incomplete_registration_is_refused(client, partner, body) -> None:
    _credentials, headers = partner
    answer = client.post(WEBHOOKS, body, content_type="application/json", **headers)
    assert answer.status_code == 400 and answer.json()["errors"]
    assert not WebhookEndpoint.objects.exists()


def test_a_nul_character_is_refused(client, partner) -> None:
    _credentials, headers = partner
    answer = _create(client, headers, url=CLOSED_PORT + "\x00")
    assert answer.status_code == 400 and "NUL" in answer.json()["detail"]
    assert not WebhookEndpoint.objects.exists()


def _operations(endpoint_id: int, delivery_id: int) -> list[tuple[str, str, dict]]:
    base = f"{WEBHOOKS}{endpoint_id}/"
    return [
        ("get", WEBHOOKS, {}),
        ("post", WEBHOOKS, {"url": CLOSED_PORT, "event_types": ["*"]}),
        ("get", base, {}),
        ("patch", base, {"url": CLOSED_PORT + "x"}),
        ("post", base + "pause/", {}),
        ("post", base + "resume/", {}),
        ("post", base + "rotate-secret/", {}),
        ("get", base + "deliveries/", {}),
        ("post", f"{base}deliveries/{delivery_id}/redeliver/", {}),
    ]


@pytest.fixture
def endpoint_with_a_dead_delivery(partner, client):
    _credentials, headers = partner
    endpoint = WebhookEndpoint.objects.get(pk=_create(client, headers).json()["id"])
    event = _record(number=1)
    services.event_dispatch(event_id=event.pk)
    delivery = Delivery.objects.get(endpoint=endpoint)
    Delivery.objects.filter(pk=delivery.pk).update(status=DeliveryStatus.DEAD, last_error="gone")
    return endpoint, delivery


def _snapshot() -> tuple:
    return (
        Event.objects.count(),
        list(WebhookEndpoint.objects.order_by("id").values()),
        list(Delivery.objects.order_by("id").values("status", "attempts")),
    )


def test_a_token_without_webhooks_manage_is_refused_every_operation(client, endpoint_with_a_dead_delivery) -> None:
    endpoint, delivery = endpoint_with_a_dead_delivery
    other = partner_client(REGISTER_READ, EVENTS_READ, name="Survey")
    headers = bearer(client, other)
    before = _snapshot()
    for method, path, data in _operations(endpoint.pk, delivery.pk):
        answer = getattr(client, method)(path, data, content_type="application/json", **headers)
        assert answer.status_code == 403, (method, path, answer.content)
        assert "webhooks:manage" in answer.json()["detail"]
    assert _snapshot() == before


def test_a_token_narrowed_to_other_scopes_is_refused_every_operation(client, partner) -> None:
    credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    narrowed = bearer(client, credentials, scope=[EVENTS_READ])
    before = _snapshot()
    for method, path, data in _operations(endpoint_id, 1):
        answer = getattr(client, method)(path, data, content_type="application/json", **narrowed)
        assert answer.status_code == 403, (method, path)
    assert _snapshot() == before


def test_people_are_refused_even_an_administrator(client, partner, make_user) -> None:
    _credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    before = _snapshot()
    admin = make_user(Role.ADMIN)
    for who in ("anonymous", "admin"):
        if who == "admin":
            client.force_login(admin)
        for method, path, data in _operations(endpoint_id, 1):
            answer = getattr(client, method)(path, data, content_type="application/json")
            assert answer.status_code == 403, (who, method, path)
            assert answer.json()["detail"].startswith("Only partner systems may use this operation")
    assert _snapshot() == before


def test_another_clients_endpoint_answers_404_and_is_unchanged(client, endpoint_with_a_dead_delivery) -> None:
    endpoint, delivery = endpoint_with_a_dead_delivery
    stranger = bearer(client, partner_client(WEBHOOKS_MANAGE, name="Another bank"))
    listing = client.get(WEBHOOKS, **stranger)
    assert listing.status_code == 200 and listing.json()["results"] == []
    before = _snapshot()
    for method, path, data in _operations(endpoint.pk, delivery.pk)[2:]:
        answer = getattr(client, method)(path, data, content_type="application/json", **stranger)
        assert answer.status_code == 404, (method, path)
    assert _snapshot() == before


def test_forged_ids_answer_404(client, endpoint_with_a_dead_delivery, partner) -> None:
    endpoint, delivery = endpoint_with_a_dead_delivery
    _credentials, headers = partner
    other_endpoint = _create(client, headers, url=CLOSED_PORT + "b").json()["id"]
    for path in (
        f"{WEBHOOKS}999999999/",
        f"{WEBHOOKS}99999999999999999999999/",
        f"{WEBHOOKS}abc/",
        f"{WEBHOOKS}-1/",
        f"{WEBHOOKS}{endpoint.pk}/deliveries/999999999/redeliver/",
        f"{WEBHOOKS}{other_endpoint}/deliveries/{delivery.pk}/redeliver/",  # the delivery of another endpoint
        f"{WEBHOOKS}{endpoint.pk}/deliveries/99999999999999999999999/redeliver/",
    ):
        method = client.post if path.endswith("redeliver/") else client.get
        answer = method(path, **headers)
        assert answer.status_code == 404, path
        assert answer["Content-Type"] == "application/problem+json"
    assert Delivery.objects.get(pk=delivery.pk).status == DeliveryStatus.DEAD


def test_the_url_and_event_types_change_and_each_change_is_recorded(client, partner) -> None:
    credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    path = f"{WEBHOOKS}{endpoint_id}/"
    answer = client.patch(path, {"event_types": ["*"]}, content_type="application/json", **headers)
    assert answer.status_code == 200 and answer.json()["event_types"] == ["*"]
    answer = client.patch(path, {"url": CLOSED_PORT + "/v2"}, content_type="application/json", **headers)
    assert answer.json()["url"] == CLOSED_PORT + "/v2"
    unchanged = client.patch(path, {"url": CLOSED_PORT + "/v2"}, content_type="application/json", **headers)
    assert unchanged.status_code == 200
    changes = Event.objects.filter(type="webhook_endpoint.changed").order_by("id")
    assert [e.payload["fields"] for e in changes] == [["event_types"], ["url"]]
    assert {e.actor for e in changes} == {credentials.client.user}
    refused = client.patch(path, {"event_types": ["test.internal"]}, content_type="application/json", **headers)
    assert refused.status_code == 400 and "test.internal" in str(refused.json()["errors"])
    assert WebhookEndpoint.objects.get(pk=endpoint_id).event_types == ["*"]


def test_a_paused_endpoint_gets_no_delivery_of_new_events_until_resumed(client, partner) -> None:
    credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    paused = client.post(f"{WEBHOOKS}{endpoint_id}/pause/", **headers)
    assert paused.status_code == 200 and paused.json()["status"] == "paused"
    again = client.post(f"{WEBHOOKS}{endpoint_id}/pause/", **headers)
    assert again.status_code == 409 and "paused" in again.json()["detail"]
    services.event_dispatch(event_id=_record(number=1).pk)
    assert not Delivery.objects.filter(endpoint_id=endpoint_id).exists()
    resumed = client.post(f"{WEBHOOKS}{endpoint_id}/resume/", **headers)
    assert resumed.status_code == 200 and resumed.json()["status"] == "active"
    assert client.post(f"{WEBHOOKS}{endpoint_id}/resume/", **headers).status_code == 409
    later = _record(number=2)
    services.event_dispatch(event_id=later.pk)
    assert list(Delivery.objects.filter(endpoint_id=endpoint_id).values_list("event_id", flat=True)) == [later.pk]
    recorded = Event.objects.filter(type__in=["webhook_endpoint.paused", "webhook_endpoint.resumed"])
    assert [e.type for e in recorded.order_by("id")] == ["webhook_endpoint.paused", "webhook_endpoint.resumed"]
    assert {e.actor for e in recorded} == {credentials.client.user}


def test_an_endpoint_disabled_after_failures_is_resumed_with_its_failures_cleared(client, partner) -> None:
    _credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    WebhookEndpoint.objects.filter(pk=endpoint_id).update(
        is_active=False, disabled_at=timezone.now(), failing_since=timezone.now() - timedelta(days=1)
    )
    assert client.get(f"{WEBHOOKS}{endpoint_id}/", **headers).json()["status"] == "disabled"
    assert client.post(f"{WEBHOOKS}{endpoint_id}/pause/", **headers).status_code == 409
    body = client.post(f"{WEBHOOKS}{endpoint_id}/resume/", **headers).json()
    assert body["status"] == "active" and body["failing_since"] is None and body["disabled_at"] is None


def _signatures(received: dict) -> list[str]:
    return received["headers"]["webhook-signature"].split(" ")


def _verifies(secret: str, received: dict) -> bool:
    try:
        Webhook(secret).verify(received["raw"], received["headers"])
    except WebhookVerificationError:
        return False
    return True


def test_after_a_rotation_webhooks_carry_both_signatures_until_the_grace_ends(client, partner) -> None:
    _credentials, headers = partner
    with webhook_receiver(PLACEHOLDER_SECRET) as receiver:
        created = _create(client, headers, url=receiver.url).json()
        old = created["secret"]
        rotated = client.post(f"{WEBHOOKS}{created['id']}/rotate-secret/", **headers)
        assert rotated.status_code == 200
        new = rotated.json()["secret"]
        assert new.startswith("whsec_") and new != old
        signs_until = rotated.json()["previous_secret_signs_until"]
        assert (
            timedelta(hours=23) < timezone.datetime.fromisoformat(signs_until) - timezone.now() <= timedelta(hours=24)
        )
        assert new not in client.get(f"{WEBHOOKS}{created['id']}/", **headers).content.decode()
        rotation = Event.objects.get(type="webhook_endpoint.secret_rotated")
        assert old not in str(rotation.payload) and new not in str(rotation.payload)

        _deliver(_record(number=1))  # during the grace period: signed by both secrets
        during = receiver.received[-1]
        assert len(_signatures(during)) == 2
        assert _verifies(old, during) and _verifies(new, during)
        for signature in _signatures(during):  # each one on its own verifies with one of them
            alone = {**during, "headers": {**during["headers"], "webhook-signature": signature}}
            assert _verifies(old, alone) != _verifies(new, alone)

        with time_machine.travel(timezone.now() + timedelta(hours=24, minutes=1)):
            _deliver(_record(number=2))
            after = receiver.received[-1]
            assert after["body"]["data"] == {"number": 2}
            assert len(_signatures(after)) == 1
            assert _verifies(new, after) and not _verifies(old, after)


def test_a_second_rotation_retires_the_first_secret_at_once(client, partner) -> None:
    _credentials, headers = partner
    with webhook_receiver(PLACEHOLDER_SECRET) as receiver:
        created = _create(client, headers, url=receiver.url).json()
        second = client.post(f"{WEBHOOKS}{created['id']}/rotate-secret/", **headers).json()["secret"]
        third = client.post(f"{WEBHOOKS}{created['id']}/rotate-secret/", **headers).json()["secret"]
        _deliver(_record(number=1))
        received = receiver.received[-1]
        assert _verifies(third, received) and _verifies(second, received)
        assert not _verifies(created["secret"], received)


def test_the_deliveries_list_shows_status_attempts_and_errors(client, partner, django_assert_max_num_queries) -> None:
    _credentials, headers = partner
    with webhook_receiver(PLACEHOLDER_SECRET, fail_first=1) as receiver:
        endpoint_id = _create(client, headers, url=receiver.url).json()["id"]
        first = _record(number=1)
        _deliver(first)  # 503
        answer = client.get(f"{WEBHOOKS}{endpoint_id}/deliveries/", **headers)
        assert answer.status_code == 200
        [row] = answer.json()["results"]
        assert row["event_id"] == f"evt_{first.pk}" and row["event_type"] == "test.happened"
        assert row["status"] == "retrying" and row["attempts"] == 1 and "503" in row["last_error"]
        [attempt] = row["attempts_log"]
        assert attempt["status_code"] == 503 and isinstance(attempt["response_ms"], int)
        for number in range(2, 32):
            _deliver(_record(number=number))
    with django_assert_max_num_queries(12):
        page = client.get(f"{WEBHOOKS}{endpoint_id}/deliveries/?page_size=25", **headers).json()
    assert len(page["results"]) == 25 and page["next"]
    assert page["results"][0]["event_id"] != row["event_id"]  # newest first
    assert {r["status"] for r in page["results"]} == {"sent"}
    rest = client.get(page["next"], **headers).json()
    assert [r["event_id"] for r in rest["results"]][-1] == f"evt_{first.pk}"


@pytest.mark.parametrize(
    "query", ["page_size=100000", "page_size=0", "page_size=abc", "cursor=forged", "cursor=cD1hYmM%3D"]
)
def test_a_malformed_page_request_is_refused_naming_it(client, partner, query: str) -> None:
    _credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    for path in (WEBHOOKS, f"{WEBHOOKS}{endpoint_id}/deliveries/"):
        answer = client.get(f"{path}?{query}", **headers)
        assert answer.status_code == 400, (path, query)
        assert list(answer.json()["errors"]) == [query.split("=")[0]]


def test_a_dead_delivery_is_sent_again_on_request(client, partner) -> None:
    credentials, headers = partner
    start = timezone.now()
    with webhook_receiver(PLACEHOLDER_SECRET, fail_first=1) as receiver, time_machine.travel(start) as clock:
        created = _create(client, headers, url=receiver.url).json()
        receiver.secret = created["secret"]
        event = _record(number=7)
        [delivery_id] = services.event_dispatch(event_id=event.pk)
        clock.shift(timedelta(hours=25))  # failing past the retry window: dead
        services.delivery_send(delivery_id=delivery_id)
        assert Delivery.objects.get(pk=delivery_id).status == DeliveryStatus.DEAD
        answer = client.post(
            f"{WEBHOOKS}{created['id']}/deliveries/{delivery_id}/redeliver/", **bearer(client, credentials)
        )
        assert answer.status_code == 202
        assert answer.json()["status"] == "pending" and answer.json()["attempts"] == 0
        retried = Event.objects.get(type="delivery.retried")
        assert retried.actor == credentials.client.user
        services.delivery_send(delivery_id=delivery_id)
        assert Delivery.objects.get(pk=delivery_id).status == DeliveryStatus.SENT
        assert receiver.requests == 2 and receiver.verified == [True]
        assert receiver.received[-1]["headers"]["webhook-id"] == f"evt_{event.pk}"


def test_a_delivery_on_its_way_is_not_sent_again(client, partner) -> None:
    _credentials, headers = partner
    endpoint_id = _create(client, headers).json()["id"]
    [delivery_id] = services.event_dispatch(event_id=_record(number=1).pk)
    path = f"{WEBHOOKS}{endpoint_id}/deliveries/{delivery_id}/redeliver/"
    for status in (DeliveryStatus.PENDING, DeliveryStatus.SENDING):
        Delivery.objects.filter(pk=delivery_id).update(status=status)
        answer = client.post(path, **headers)
        assert answer.status_code == 409 and "wait until" in answer.json()["detail"]
    assert not Event.objects.filter(type="delivery.retried").exists()


def test_a_retried_registration_with_the_same_idempotency_key_registers_once(client, partner) -> None:
    _credentials, headers = partner
    body = {"url": CLOSED_PORT, "event_types": ["*"]}
    first = client.post(WEBHOOKS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    again = client.post(WEBHOOKS, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="k-1", **headers)
    assert first.status_code == again.status_code == 201
    assert again["Idempotent-Replayed"] == "true" and again.json()["id"] == first.json()["id"]
    assert WebhookEndpoint.objects.count() == 1
