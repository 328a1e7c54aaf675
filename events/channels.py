"""The channels an event reaches people and partners by: in-app inbox, email, webhook."""

import ipaddress
import json
import socket
import ssl
import time
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http.client import HTTPConnection, HTTPException, HTTPSConnection
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import EmailMultiAlternatives
from django.template import Context, TemplateDoesNotExist
from django.template.loader import get_template, render_to_string
from django.utils import translation
from standardwebhooks.webhooks import Webhook

from events import catalogue, routing
from events.models import Delivery, Event, Notification, WebhookAttempt, WebhookEndpoint


class DeliveryFailed(Exception):
    """The channel refused or could not take the delivery; it will be retried."""


class DeliveryForbidden(DeliveryFailed):
    """The delivery may never be sent (an internal event queued for a webhook before the
    catalogue's checks): it goes dead at once, never retried."""


@dataclass
class Message:
    subject: str
    text: str
    html: str
    url: str


def _subject(event: Event) -> object | None:
    """The object the event is about, if it still exists."""
    if event.subject_type is None:
        return None
    model = event.subject_type.model_class()
    return model._default_manager.filter(pk=event.subject_id).first() if model else None


def render_text(name: str, context: dict[str, object]) -> str:
    """A plain-text template (email body, notification): nothing HTML-escaped, so a registrar's
    "Sadykova's holding" reads as typed; the HTML email escapes the result once."""
    return get_template(name).template.render(Context(context, autoescape=False))


def render_message(event: Event, language: str) -> Message:
    """The message for an event, in `language`, from templates/events/messages/<type>/."""
    subject_obj = _subject(event)
    get_url = getattr(subject_obj, "get_absolute_url", None)
    url = settings.SITE_URL + get_url() if callable(get_url) else ""
    folder = f"events/messages/{event.type}"
    with translation.override(language):
        # The subject's name too is in the reader's language (a ground opening's time, in words).
        context = {
            "event": event,
            "payload": event.payload,
            "url": url,
            "site_url": settings.SITE_URL,
            "label": routing.label(event.type),
            "subject_name": str(subject_obj) if subject_obj is not None else "",
            "about": subject_obj,
        }
        try:
            subject = render_text(f"{folder}/subject.txt", context).strip()
            text = render_text(f"{folder}/body.txt", context).strip()
        except TemplateDoesNotExist:
            subject = render_text("events/messages/default/subject.txt", context).strip()
            text = render_text("events/messages/default/body.txt", context).strip()
        html = render_to_string("events/messages/email.html", {**context, "subject": subject, "text": text})
    return Message(subject=" ".join(subject.split()), text=text, html=html, url=url)


def in_app_deliver(delivery: Delivery) -> None:
    """Add the event to the user's inbox; a second call adds nothing."""
    message = render_message(delivery.event, delivery.user.preferred_language)
    Notification.objects.get_or_create(
        event=delivery.event,
        user=delivery.user,
        defaults={"kind": delivery.event.type, "title": message.subject, "body": message.text, "url": message.url},
    )


def email_send(delivery: Delivery) -> None:
    """Send the event by email in the recipient's language, as plain text and HTML."""
    message = render_message(delivery.event, delivery.user.preferred_language)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.text,
        to=[delivery.user.email],
        headers={"X-AshyqKen-Delivery": str(delivery.pk), "X-AshyqKen-Event": delivery.event.type},
    )
    email.attach_alternative(message.html, "text/html")
    try:
        email.send()
    except (OSError, ValueError) as exc:
        raise DeliveryFailed(f"the mail server refused the message: {exc}") from exc


# Webhooks ---------------------------------------------------------------------------------


class WebhookRefused(Exception):
    """The URL may not receive webhooks (the SSRF guard said no); the message says why."""


@dataclass(frozen=True)
class WebhookTarget:
    """Where a webhook goes: the URL's parts and the addresses its host resolved to, every
    one of them checked. Connections go to these addresses, never to a fresh DNS answer."""

    scheme: str
    host: str
    port: int
    path: str
    addresses: tuple[str, ...]


def webhook_target(url: str, *, allow_loopback: bool | None = None) -> WebhookTarget:
    """Resolve the URL's host once and vet every address (SSRF guard), or raise
    WebhookRefused. Only https:// to public addresses, unless settings allow loopback
    (tests, local development), where http:// to loopback is accepted too."""
    allow_loopback = settings.WEBHOOKS_ALLOW_LOOPBACK if allow_loopback is None else allow_loopback
    parts = urlsplit(url)
    if parts.scheme != "https" and not (allow_loopback and parts.scheme == "http"):
        raise WebhookRefused("only https:// URLs may receive webhooks")
    if not parts.hostname:
        raise WebhookRefused("the URL has no host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise WebhookRefused("the URL has an invalid port") from exc
    try:
        infos = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except OSError as exc:
        raise WebhookRefused(f"the host {parts.hostname} cannot be resolved") from exc
    addresses = tuple(dict.fromkeys(str(info[4][0]) for info in infos))
    if not addresses:
        raise WebhookRefused(f"the host {parts.hostname} cannot be resolved")
    for address in addresses:
        ip = ipaddress.ip_address(address.split("%")[0])
        if allow_loopback and ip.is_loopback:
            continue
        if not ip.is_global:
            raise WebhookRefused(f"the host {parts.hostname} resolves to a private address ({ip})")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return WebhookTarget(scheme=parts.scheme, host=parts.hostname, port=port, path=path, addresses=addresses)


def webhook_url_problem(url: str, *, allow_loopback: bool | None = None) -> str | None:
    """Why this URL may not receive webhooks (see `webhook_target`), or None."""
    try:
        webhook_target(url, allow_loopback=allow_loopback)
    except WebhookRefused as exc:
        return str(exc)
    return None


class _PinnedHTTPConnection(HTTPConnection):
    """Connect to the address we checked, not to whatever DNS answers next (rebinding).
    The Host header still names the host."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(HTTPSConnection):
    """As _PinnedHTTPConnection, with TLS: SNI and the certificate checked against the host name."""

    def __init__(self, host: str, address: str, port: int, timeout: float) -> None:
        super().__init__(host, port, timeout=timeout, context=ssl.create_default_context())
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def _post(target: WebhookTarget, body: bytes, headers: dict[str, str]) -> int:
    """POST to the first vetted address that accepts a connection; redirects are not followed
    (a 3xx is a failure). Returns the HTTP status."""
    connection_class = _PinnedHTTPSConnection if target.scheme == "https" else _PinnedHTTPConnection
    error = OSError(f"no address of {target.host} accepted a connection")
    for address in target.addresses:
        conn = connection_class(target.host, address, target.port, timeout=10)
        try:
            conn.connect()
        except OSError as exc:  # try the host's next vetted address
            conn.close()
            error = exc
            continue
        try:
            conn.request("POST", target.path, body=body, headers=headers)
            response = conn.getresponse()
            response.read(65536)
            return response.status
        finally:
            conn.close()
    raise error


_LOOK_UP = object()


def webhook_body(event: Event, subject: object = _LOOK_UP) -> dict[str, object]:
    """What a partner receives (schema `catalogue.SCHEMA`, documented on /developers/events/):
    the event's id, type and time, its subject's kind and a link to its resource (null when it
    has none), and in `data` the type's declared partner fields, nothing else. `subject`: the
    event's subject when the caller has loaded it already (None: it no longer exists)."""
    model_label = event.subject_label
    if model_label and subject is _LOOK_UP:
        subject = _subject(event)
    path = catalogue.link_for(model_label, subject) if model_label else ""  # type: ignore[arg-type]
    return {
        "schema": catalogue.SCHEMA,
        "id": f"evt_{event.pk}",
        "type": event.type,
        "timestamp": event.occurred_at.isoformat(),
        "subject": {"type": model_label, "link": settings.SITE_URL + path if path else None} if model_label else None,
        "data": catalogue.partner_data(event.type, event.payload),
    }


def webhook_bodies(events: Sequence[Event]) -> list[dict[str, object]]:
    """`webhook_body` of each event, with their subjects loaded in one query per kind of subject
    (whatever the number of events). The events need their `subject_type` selected."""
    wanted: dict[int, set[str]] = defaultdict(set)
    for event in events:
        if event.subject_type_id:
            wanted[event.subject_type_id].add(event.subject_id)
    found: dict[tuple[int, str], object] = {}
    for type_id, ids in wanted.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        for pk, subject in model._default_manager.in_bulk(list(ids)).items():
            found[(type_id, str(pk))] = subject
    return [
        webhook_body(event, found.get((event.subject_type_id, event.subject_id)) if event.subject_type_id else None)
        for event in events
    ]


def webhook_signature(endpoint: WebhookEndpoint, message_id: str, moment: datetime, body: str) -> str:
    """The `webhook-signature` header: one Standard Webhooks signature per signing secret of the
    endpoint (two during a rotation's grace period), separated by spaces; a receiver accepts
    the message when any of them verifies with the secret it holds."""
    return " ".join(Webhook(secret).sign(message_id, moment, body) for secret in endpoint.signing_secrets(moment))


def webhook_send(delivery: Delivery) -> None:
    """POST the event, signed with the Standard Webhooks scheme, and log the attempt. Only a
    partner-visible type the endpoint subscribes to is ever sent."""
    endpoint, event = delivery.endpoint, delivery.event
    if not catalogue.subscribed(endpoint.event_types, event.type):
        error = f"{event.type} is not sent to this endpoint (not partner-visible, or not subscribed)"
        WebhookAttempt.objects.create(delivery=delivery, error=error)
        raise DeliveryForbidden(error)
    try:
        target = webhook_target(endpoint.url)
    except WebhookRefused as exc:
        WebhookAttempt.objects.create(delivery=delivery, error=str(exc))
        raise DeliveryFailed(str(exc)) from exc
    body = json.dumps(webhook_body(event))
    message_id = f"evt_{event.pk}"  # the same for every retry: receivers drop repeats by it
    now = time.time()
    signature = webhook_signature(endpoint, message_id, datetime.fromtimestamp(now, tz=UTC), body)
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "AshyqKen-Webhooks/1",
        "webhook-id": message_id,
        "webhook-timestamp": str(int(now)),
        "webhook-signature": signature,
    }
    started = time.monotonic()
    status, error = None, ""
    try:
        status = _post(target, body.encode(), headers)
    except (OSError, HTTPException) as exc:
        error = f"{exc.__class__.__name__}: {exc}"
    elapsed = int((time.monotonic() - started) * 1000)
    WebhookAttempt.objects.create(delivery=delivery, status_code=status, response_ms=elapsed, error=error)
    if status is None or not 200 <= status < 300:
        raise DeliveryFailed(error or f"the endpoint answered HTTP {status}")
