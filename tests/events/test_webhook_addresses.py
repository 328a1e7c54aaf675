"""Webhooks go to an address that was checked: DNS is asked once, every answer is vetted,
and the connection goes to a vetted address even if DNS answers differently later."""

import socket
from collections.abc import Callable

import pytest
from django.db import transaction
from django.test import override_settings

from events import services
from events.models import Delivery, DeliveryStatus
from tests.events.factories import WebhookEndpointFactory
from tests.events.receiver import webhook_receiver

pytestmark = pytest.mark.django_db
SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
_real_getaddrinfo = socket.getaddrinfo


def _rebinding_dns(monkeypatch, host: str, answers: list[str]) -> list[str]:
    """Make `host` resolve to answers[0], then answers[1], … (the last one from then on),
    as a hostile DNS server with a zero TTL would. Returns the answers given, in order."""
    given: list[str] = []

    def getaddrinfo(name: str, port: object, *args: object, **kwargs: object) -> list:
        if name != host:
            return _real_getaddrinfo(name, port, *args, **kwargs)
        address = answers[min(len(given), len(answers) - 1)]
        given.append(address)
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        return [(family, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, int(port or 0)))]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return given


def _connections(monkeypatch, refuse: Callable[[str], bool]) -> list[tuple[str, int]]:
    """Record every outgoing TCP connection; refuse those `refuse` says (no packet leaves)."""
    made: list[tuple[str, int]] = []
    real = socket.create_connection

    def create_connection(address: tuple[str, int], *args: object, **kwargs: object) -> socket.socket:
        made.append((address[0], address[1]))
        if refuse(address[0]):
            raise ConnectionRefusedError(f"test: no connection to {address[0]}")
        return real(address, *args, **kwargs)

    monkeypatch.setattr(socket, "create_connection", create_connection)
    return made


def _webhook_delivery(registrar, url: str) -> int:
    WebhookEndpointFactory(owner=registrar, partner="Bank", url=url, event_types=["*"], secret=SECRET)
    with transaction.atomic():
        event = services.record_event(actor=None, type="deposit.published", slug="boguty")
    (delivery_id,) = services.event_dispatch(event_id=event.pk)
    return delivery_id


@override_settings(WEBHOOKS_ALLOW_LOOPBACK=False)
def test_an_https_webhook_goes_to_the_checked_address_when_dns_rebinds_to_loopback(registrar, monkeypatch) -> None:
    delivery_id = _webhook_delivery(registrar, "https://partner.example:8443/hook")
    answers = _rebinding_dns(monkeypatch, "partner.example", ["93.184.216.34", "127.0.0.1"])
    made = _connections(monkeypatch, refuse=lambda address: True)
    assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.RETRYING
    assert answers == ["93.184.216.34"]  # asked once
    assert made == [("93.184.216.34", 8443)]  # never 127.0.0.1


@override_settings(WEBHOOKS_ALLOW_LOOPBACK=False)
def test_a_host_with_one_private_address_among_public_ones_gets_nothing(registrar, monkeypatch) -> None:
    delivery_id = _webhook_delivery(registrar, "https://partner.example/hook")

    def getaddrinfo(name: str, port: object, *args: object, **kwargs: object) -> list:
        if name != "partner.example":
            return _real_getaddrinfo(name, port, *args, **kwargs)
        return [
            (socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, 443))
            for address in ("93.184.216.34", "10.0.0.7")
        ]

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    made = _connections(monkeypatch, refuse=lambda address: True)
    assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.RETRYING
    assert made == []
    assert "private address (10.0.0.7)" in Delivery.objects.get(pk=delivery_id).attempts_log.get().error


def test_a_plain_http_webhook_to_loopback_is_pinned_too(registrar, monkeypatch) -> None:
    """Loopback over http (tests, local work) is pinned as https is: a second DNS answer
    pointing inside the network is never used."""
    with webhook_receiver(SECRET) as receiver:
        port = int(receiver.url.rsplit(":", 1)[1].split("/")[0])
        delivery_id = _webhook_delivery(registrar, f"http://hooks.partner.test:{port}/hooks/ashyqken")
        answers = _rebinding_dns(monkeypatch, "hooks.partner.test", ["127.0.0.1", "10.0.0.7"])
        made = _connections(monkeypatch, refuse=lambda address: address != "127.0.0.1")
        assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.SENT
    assert answers == ["127.0.0.1"]
    assert made == [("127.0.0.1", port)]
    assert receiver.verified == [True]
    assert receiver.received[0]["headers"]["Host"] == f"hooks.partner.test:{port}"


def test_a_redirect_is_not_followed(registrar, monkeypatch) -> None:
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
    from threading import Thread

    class Redirect(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.send_response(307)
            self.send_header("Location", "http://10.0.0.7/")
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Redirect)
    Thread(target=server.serve_forever, daemon=True).start()
    try:
        delivery_id = _webhook_delivery(registrar, f"http://127.0.0.1:{server.server_address[1]}/hook")
        made = _connections(monkeypatch, refuse=lambda address: address != "127.0.0.1")
        assert services.delivery_send(delivery_id=delivery_id) == DeliveryStatus.RETRYING
    finally:
        server.shutdown()
        server.server_close()
    assert [address for address, _ in made] == ["127.0.0.1"]
    assert Delivery.objects.get(pk=delivery_id).attempts_log.get().status_code == 307
