"""The catalogue of event types: declared once, recorded somewhere, and what leaves the system."""

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.contrib.admin.sites import site
from django.core.exceptions import ValidationError
from django.db import transaction

from accounts.roles import Role
from events import catalogue, routing, services
from events.admin import WebhookEndpointForm
from events.models import (
    Channel,
    Delivery,
    DeliveryStatus,
    Event,
    Notification,
    NotificationPreference,
    WebhookEndpoint,
)
from tests.events.factories import DeliveryFactory, WebhookEndpointFactory
from tests.events.receiver import webhook_receiver

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"
ROOT = Path(__file__).resolve().parents[2]
APPS = (
    "accounts",
    "config",
    "demo",
    "deposits",
    "documents",
    "events",
    "geography",
    "investors",
    "licensing",
    "partners",
)


# Every type recorded is declared, every type declared is recorded ------------------------------


class _Scan:
    """The `type=` of every `record_event(...)` call in the apps' source, resolved to the string
    literals it can take: a literal, a conditional expression of them, a local variable, an entry
    of a module-level table (dict values, tuple items), or a parameter of the enclosing function
    (then the arguments of that function's calls, wherever it is called from)."""

    def __init__(self, files: list[Path]) -> None:
        self.modules = {path: ast.parse(path.read_text(), str(path)) for path in files}
        self.parents: dict[ast.AST, ast.AST] = {}
        for tree in self.modules.values():
            for node in ast.walk(tree):
                for child in ast.iter_child_nodes(node):
                    self.parents[child] = node
        self.unresolved: list[str] = []

    def _function(self, node: ast.AST) -> ast.FunctionDef | None:
        while node in self.parents:
            node = self.parents[node]
            if isinstance(node, ast.FunctionDef):
                return node
        return None

    def _module(self, node: ast.AST) -> ast.Module:
        while node in self.parents:
            node = self.parents[node]
        assert isinstance(node, ast.Module)
        return node

    def _calls(self) -> Iterator[ast.Call]:
        for tree in self.modules.values():
            for node in ast.walk(tree):
                if isinstance(node, ast.Call):
                    yield node

    @staticmethod
    def _called(call: ast.Call) -> str:
        func = call.func
        return func.id if isinstance(func, ast.Name) else func.attr if isinstance(func, ast.Attribute) else ""

    def strings(self, node: ast.AST, where: str) -> set[str]:
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            return {node.value}
        if isinstance(node, ast.IfExp):
            return self.strings(node.body, where) | self.strings(node.orelse, where)
        if isinstance(node, ast.Dict):
            return set().union(*(self.strings(v, where) for v in node.values))
        if isinstance(node, ast.Tuple | ast.List):
            return set().union(*(self.strings(e, where) for e in node.elts))
        if isinstance(node, ast.Subscript):
            return self.strings(node.value, where)
        if isinstance(node, ast.Name):
            return self._name(node, where)
        self.unresolved.append(f"{where}: {ast.unparse(node)}")
        return set()

    def _name(self, name: ast.Name, where: str) -> set[str]:
        function = self._function(name)
        if function is not None:
            assigned = [
                n.value
                for n in ast.walk(function)
                if isinstance(n, ast.Assign) and any(isinstance(t, ast.Name) and t.id == name.id for t in n.targets)
            ]
            if assigned:
                return set().union(*(self.strings(value, where) for value in assigned))
            arguments = [*function.args.posonlyargs, *function.args.args]
            names = [a.arg for a in arguments] + [a.arg for a in function.args.kwonlyargs]
            if name.id in names:
                position = [a.arg for a in arguments].index(name.id) if name.id in [a.arg for a in arguments] else None
                found: set[str] = set()
                for call in self._calls():
                    if self._called(call) != function.name:
                        continue
                    for keyword in call.keywords:
                        if keyword.arg == name.id:
                            found |= self.strings(keyword.value, where)
                    if position is not None and len(call.args) > position:
                        found |= self.strings(call.args[position], where)
                return found
        for statement in self._module(name).body:
            targets = statement.targets if isinstance(statement, ast.Assign) else []
            if isinstance(statement, ast.AnnAssign) and statement.value is not None:
                targets = [statement.target]
            if any(isinstance(t, ast.Name) and t.id == name.id for t in targets):
                return self.strings(statement.value, where)  # type: ignore[union-attr, arg-type]
        self.unresolved.append(f"{where}: {name.id}")
        return set()

    def recorded(self) -> set[str]:
        found: set[str] = set()
        for call in self._calls():
            if self._called(call) != "record_event":
                continue
            for keyword in call.keywords:
                if keyword.arg == "type":
                    path = next(p for p, tree in self.modules.items() if self._module(call) is tree)
                    found |= self.strings(keyword.value, f"{path.relative_to(ROOT)}:{call.lineno}")
        return found


def _app_sources() -> list[Path]:
    return [p for app in APPS for p in (ROOT / app).rglob("*.py") if "migrations" not in p.parts]


def test_the_catalogue_lists_every_type_with_its_audience() -> None:
    listing = [(t.app, t.name, t.audience.value, t.subject, t.fields) for t in catalogue.types()]
    assert len(listing) > 70
    for app, name, audience, _subject, fields in listing:
        assert "." in name and app and audience in catalogue.Audience.values, name
        assert not fields or audience in ("public", "partners"), name
    # The choices the issue names: internal work stays internal; public facts are public.
    assert {catalogue.get(n).audience for n in ("application.note_added", "application.assigned")} == {"internal"}
    for name in ("configuration.changed", "delivery.retried", "webhook_endpoint.changed", "event_chain.broken"):
        assert catalogue.get(name).audience == "internal", name
    for name in ("application.lodged", "application.granted", "licence.granted", "ground.freed", "auction.decided"):
        assert catalogue.get(name).partner_visible, name
    assert not catalogue.is_declared("notification.read")


def test_every_recorded_type_is_declared_and_every_declared_type_is_recorded() -> None:
    scan = _Scan(_app_sources())
    recorded = scan.recorded()
    assert not scan.unresolved, f"record_event type= the scan cannot resolve (use literals): {scan.unresolved}"
    declared = {t.name for t in catalogue.types() if t.app != "tests"}
    assert sorted(recorded - declared) == [], "recorded but not declared"
    assert sorted(declared - recorded) == [], "declared but never recorded"
    assert "application.accepted" in recorded and "organisation.verified" in recorded  # through helpers and tables


def test_every_notified_kind_is_declared() -> None:
    assert [kind for kind in routing.kinds() if not catalogue.is_declared(kind)] == []


@pytest.mark.django_db
def test_recording_an_undeclared_type_fails_with_a_clear_error() -> None:
    with (
        pytest.raises(catalogue.UndeclaredEventType, match=r"'application.teleported' is not declared"),
        transaction.atomic(),
    ):
        services.record_event(actor=None, type="application.teleported")
    assert not Event.objects.filter(type="application.teleported").exists()


# Subscriptions ---------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_subscription_names_partner_visible_types_or_star(registrar) -> None:
    endpoint = WebhookEndpoint(owner=registrar, partner="Bank", url="http://127.0.0.1:9/hook", secret=SECRET)
    for refused, message in [
        (["application.teleported"], "application.teleported is not an event type"),
        (["application.note_added"], "application.note_added is an internal event type"),
        ("application.lodged", "Give a list of event types"),
    ]:
        endpoint.event_types = refused
        with pytest.raises(ValidationError, match=message):
            endpoint.full_clean()
        with pytest.raises(ValidationError, match=message):
            services.webhook_endpoint_save(actor=registrar, endpoint=endpoint, changed_fields=["event_types"])
    assert not WebhookEndpoint.objects.exists()
    for accepted in (["*"], ["application.lodged", "licence.granted"]):
        endpoint.event_types = accepted
        endpoint.full_clean()
    services.webhook_endpoint_save(actor=registrar, endpoint=endpoint, changed_fields=["event_types"])
    assert WebhookEndpoint.objects.get().event_types == ["application.lodged", "licence.granted"]


@pytest.mark.django_db
def test_the_admin_form_refuses_an_internal_type_with_a_message(registrar) -> None:
    data = {"owner": registrar.pk, "partner": "Bank", "url": "http://127.0.0.1:9/hook", "secret": SECRET}
    form = WebhookEndpointForm(data={**data, "event_types": '["application.note_added"]', "is_active": "on"})
    assert not form.is_valid()
    assert "application.note_added is an internal event type" in str(form.errors["event_types"])
    assert WebhookEndpointForm(data={**data, "event_types": '["*"]', "is_active": "on"}).is_valid()
    assert site.is_registered(WebhookEndpoint)


# What a partner receives ---------------------------------------------------------------------------


def _record(type: str, **payload: object) -> Event:
    with transaction.atomic():
        return services.record_event(actor=None, type=type, **payload)


def _deliver(event: Event) -> None:
    for delivery_id in services.event_dispatch(event_id=event.pk):
        services.delivery_send(delivery_id=delivery_id)


@pytest.mark.django_db
def test_a_star_subscription_receives_no_internal_event(registrar) -> None:
    with webhook_receiver(SECRET) as receiver:
        WebhookEndpointFactory(owner=registrar, partner="Bank", url=receiver.url, event_types=["*"], secret=SECRET)
        internal = _record("test.internal", note="the reviewer's private note")
        public = _record("deposit.published", slug="boguty")
        _deliver(internal)
        _deliver(public)
    assert [r["body"]["type"] for r in receiver.received] == ["deposit.published"]
    assert not Delivery.objects.filter(event=internal).exists()
    assert "private note" not in str(receiver.received)


@pytest.mark.django_db
def test_a_stored_list_naming_an_internal_type_sends_nothing(registrar) -> None:
    with webhook_receiver(SECRET) as receiver:
        # Saved around the checks (as a list stored before them would be).
        endpoint = WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["test.internal"], secret=SECRET
        )
        event = _record("test.internal", note="private")
        _deliver(event)
        # A delivery queued before the checks existed goes dead, unsent, and the endpoint is not blamed.
        queued = DeliveryFactory(
            event=event, channel=Channel.WEBHOOK, recipient=f"endpoint:{endpoint.pk}", endpoint=endpoint
        )
        assert services.delivery_send(delivery_id=queued.pk) == DeliveryStatus.DEAD
    assert receiver.received == []
    endpoint.refresh_from_db()
    assert endpoint.failing_since is None


@pytest.mark.django_db
def test_the_webhook_body_has_only_declared_fields_a_link_and_the_schema(registrar, make_user, settings) -> None:
    with webhook_receiver(SECRET) as receiver:
        WebhookEndpointFactory(
            owner=registrar, partner="Bank", url=receiver.url, event_types=["application.granted"], secret=SECRET
        )
        event = _application_event(make_user, registrar, "application.granted")
        _deliver(event)
    [received] = receiver.received
    body = received["body"]
    assert received["headers"]["webhook-id"] == body["id"] == f"evt_{event.pk}"
    assert set(body) == {"schema", "id", "type", "timestamp", "subject", "data"}
    assert body["schema"] == catalogue.SCHEMA == "ashyqken.events/1"
    assert body["data"] == {"state": "granted", "licence": "EL-TEST-1"}  # not reasons, organisation, note
    assert body["subject"] == {
        "type": "licensing.application",
        "link": f"{settings.SITE_URL}/api/v1/applications/{event.subject_id}/",
    }


def _application_event(make_user, registrar, type: str) -> Event:
    """An event about an application, with fields that must not leave next to declared ones."""
    from tests.licensing import factories as licensing_factories

    owner, organisation = licensing_factories.applicant(make_user, registrar)
    application = licensing_factories.draft(owner, organisation, licensing_factories.rectangle(1, 2))
    with transaction.atomic():
        return services.record_event(
            actor=registrar,
            type=type,
            subject=application,
            state="granted",
            licence="EL-TEST-1",
            organisation=application.organisation_id,
            note="internal only",
            reasons="an official's reasons",
        )


# Housekeeping stays out of the chain ----------------------------------------------------------------


@pytest.mark.django_db
def test_saving_the_settings_records_one_event_for_a_change_and_none_without(client, make_user) -> None:
    user = make_user(Role.INVESTOR)
    client.force_login(user)
    everything_on = {f"{kind}:{channel}": "on" for kind in routing.kinds() for channel in ("in_app", "email")}
    before = Event.objects.count()
    assert client.post("/notifications/settings/", everything_on).status_code == 302  # the defaults: no change
    assert Event.objects.count() == before
    kind = routing.kinds()[0]
    changed = {k: v for k, v in everything_on.items() if k != f"{kind}:email"}
    assert client.post("/notifications/settings/", changed).status_code == 302
    [event] = Event.objects.filter(pk__gt=Event.objects.order_by("id")[before - 1].pk if before else 0)
    assert event.type == "notification_preferences.changed"
    assert event.payload["changes"] == [{"kind": kind, "channel": "email", "enabled": False}]
    assert NotificationPreference.objects.get(user=user, kind=kind, channel="email").enabled is False
    assert client.post("/notifications/settings/", changed).status_code == 302  # the same again
    assert Event.objects.filter(type="notification_preferences.changed").count() == 1


@pytest.mark.django_db
def test_reading_notifications_records_no_event(client, make_user, route_to) -> None:
    user = make_user(Role.INVESTOR)
    route_to("test.happened", [user])
    _deliver(_record("test.happened", number=1))
    count = Event.objects.count()
    client.force_login(user)
    assert client.post("/notifications/read/").status_code == 302
    assert Notification.objects.get(user=user).read_at is not None
    assert Event.objects.count() == count


# Published --------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_api_lists_the_types_to_anyone(client) -> None:
    response = client.get("/api/v1/event-types/")
    assert response.status_code == 200
    listed = {row["name"]: row for row in response.json()}
    assert set(listed) == {t.name for t in catalogue.types()}
    assert (
        listed["application.lodged"]["webhook"] is True and "priority_number" in listed["application.lodged"]["fields"]
    )
    assert listed["application.note_added"] == {
        "name": "application.note_added",
        "label": "Internal note added",
        "audience": "internal",
        "subject": "licensing.application",
        "webhook": False,
        "fields": [],
    }
    schema = client.get("/api/schema/")
    assert b"/api/v1/event-types/" in schema.content


@pytest.mark.django_db
def test_the_developer_page_lists_the_types(client) -> None:
    response = client.get("/developers/events/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<code>application.lodged</code>" in page and "ashyqken.events/1" in page
    assert "<code>priority_number</code>" in page and '<th scope="col">' in page
    assert 'href="/developers/events/"' in client.get("/").content.decode()  # linked from the footer
