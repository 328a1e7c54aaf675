"""Every route of the URL conf × every role × every method: who may read it, and that nobody
else can read or change anything through it.

Path parameters are filled with the ids of `home`'s objects (an organisation that only its
members and officials may see) and with ids that name nothing. A GET answers 2xx only for the
roles in READERS; anyone else gets 302 (to sign in, or to set up the second factor), 403 or
404, never 5xx, and never a word of home's draft. POST, PUT, PATCH and DELETE with an empty body
answer a refusal (302/400/403/404/405) to every role not in WRITERS, and change nothing: the
event log and the main tables keep their row counts. The roles that may write are called too,
inside a savepoint that is rolled back, to show they never crash.

A route the tables do not name fails `test_every_route_is_in_the_matrix`: add it."""

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.db import transaction
from django.http import HttpResponse
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.models import User
from documents.models import Document
from events.models import Delivery, Event, Notification, WebhookEndpoint
from investors.models import BeneficialOwner, Invitation, Membership, Organisation, OrganisationDocument, Watch
from licensing.licences.publication import open_data_build
from licensing.models import (
    AnnualReport,
    Application,
    Breach,
    Claim,
    Invoice,
    Licence,
    NoticeContact,
    Payment,
    TitleChange,
)
from tests.world import OFFICIALS, ROLES, World, build

SKIPPED = {
    # Not ours to check: Django's admin applies its own staff and model permissions on every
    # page; its index and each changelist are in the matrix, the rest share their checks.
    "admin": re.compile(r"^admin:(?!index$|\w+_changelist$)"),
    # The language switcher and the health probes answer everyone alike and read nothing.
    "i18n and health": re.compile(r"^(set_language|language-switch|healthz|readyz)$"),
}

ANYONE = frozenset(ROLES) - {"official_without_2fa"}  # the middleware sends that one to set up 2FA
SIGNED_IN = ANYONE - {"anonymous"}
HOME = frozenset({"viewer", "owner"})
STAFF = frozenset(OFFICIALS)
NOBODY: frozenset[str] = frozenset()
WITHOUT_2FA_TOO = frozenset(ROLES)

MEMBERS_AND_REGISTRY = HOME | {"registrar", "admin"}
REGISTRY = frozenset({"registrar", "admin"})

# Route name (a regular expression, the first match wins) → the roles whose GET answers 2xx
# with home's ids in the path. Everyone else is refused.
READERS: list[tuple[str, frozenset[str]]] = [
    # Signing out, and confirming the password allauth asks for before an app is set up.
    (r"^(account_logout|mfa_index|account_reauthenticate)$", SIGNED_IN | {"official_without_2fa"}),
    (r"^(account_login|account_signup)$", frozenset({"anonymous"})),
    (r"^(account_inactive|account_email_verification_sent|account_reset_password\w*|account_confirm_email)$", ANYONE),
    (r"^(account_set_password|account_confirm_login_code|mfa_authenticate|mfa_activate_totp)$", NOBODY),
    (r"^mfa_(deactivate_totp|\w*recovery_codes)$", NOBODY),
    (r"^mfa_reauthenticate$", STAFF),
    (r"^(accounts:profile|account_\w+|events:(inbox|bell|preferences))$", SIGNED_IN),
    (r"^(events:mark-read|api:notification-mark-read)$", NOBODY),
    (r"^api:application-(declare|lodge|programme|withdraw)$", NOBODY),
    # The investor's other actions (writes only), the refusal letter (home's draft has none), and
    # the screening agency's result (a partner token's write).
    (r"^api:application-(documents|document|answer|bid|objections|refusal-letter|screening-result)$", NOBODY),
    (r"^documents:", MEMBERS_AND_REGISTRY),
    (r"^admin:index$", STAFF),
    (r"^admin:(deposits_\w+)$", STAFF),
    (r"^admin:investors_\w+$", REGISTRY),
    (r"^admin:", frozenset({"admin"})),
    (r"^api:(me|notification-list|organisation-list|application-list)$", SIGNED_IN),
    (r"^api:notification-detail$", frozenset({"owner"})),
    (r"^api:organisation-detail$", MEMBERS_AND_REGISTRY),
    (r"^api:application-(detail|validate)$", HOME),
    (r"^api:block-availability$|^api-not-found$", NOBODY),  # availability needs a bbox
    # Partner systems' own (webhook subscriptions, the event feed): partner tokens only, no person.
    (r"^api:(webhook-[\w-]+|event-list)$", NOBODY),
    (r"^api:licence-ledger$", HOME | STAFF),  # the compliance ledger: the holder's and officials'
    (r"^api:licence-revocations$", HOME | STAFF),  # revocations and their reasons: the same
    (r"^api:licence-report-lodge$", NOBODY),  # a write only
    # The compliance ledger and the annual reports: the holder's and officials'.
    (r"^api:licence-(ledger|reports|report)$", HOME | STAFF),
    (r"^api:(licence|opening)-", ANYONE),  # the public register, for partners too
    # Invoices: your organisations' (officials: all); payments are posted, never read here.
    (r"^api:invoice-list$", SIGNED_IN),
    (r"^api:invoice-detail$", HOME | STAFF),
    (r"^api:payment-list$", NOBODY),
    # Changes of title: your organisations' (officials: all); withdrawing is a write.
    (r"^api:title-change-list$", SIGNED_IN),
    (r"^api:title-change-detail$", HOME | STAFF),
    (r"^api:title-change-withdraw$", NOBODY),
    # A transfer's answers (the transferee's, the security agency's token): POST only.
    (r"^api:title-change-(accept|decline|security-review)$", NOBODY),
    (r"^api", ANYONE),
    (r"^licensing:application-list$", SIGNED_IN),
    # A holder's notice contacts: each member reads its own organisation's (the stranger too);
    # removing one (its confirmation page) is for the owners and managers.
    (r"^licensing:notice-contacts$", HOME | {"stranger"}),
    (r"^licensing:notice-contact-remove$", frozenset({"owner"})),
    (r"^licensing:application-(detail)$", HOME),
    (r"^licensing:application-withdraw$", frozenset({"owner"})),
    (r"^licensing:(workbench|workbench-openings)$", STAFF),
    (r"^licensing:(certificate|licence-invoices|invoice-pdf)$", HOME | STAFF),
    (r"^licensing:registrar-payments$", REGISTRY),
    # The life of a licence: the holder's pages (an empty list for whoever holds nothing), one
    # licence and its ledger for its members and officials, the officials' ledger and waiver.
    (r"^licensing:(holder-licences|holder-due)$", SIGNED_IN),
    (r"^licensing:holder-licence$", HOME | STAFF),
    # Conversion: the holder's owners and managers start a mining application over its blocks.
    (r"^licensing:licence-convert$", frozenset({"owner"})),
    # The annual report: the holder's page (members read, officials too), the officials' review.
    (r"^licensing:holder-report$", HOME | STAFF),
    (r"^licensing:workbench-report$", STAFF),
    (r"^licensing:(workbench-licence|workbench-obligation-waive)$", STAFF),
    # Changes of title: the holder's pages (members and officials read), the officials' workbench.
    (r"^licensing:holder-title-change(-new|-withdraw)?$", HOME | STAFF),
    (r"^licensing:workbench-title-changes?$", STAFF),
    # Revocation: the queue of contests and the forms to recommend and to record force majeure;
    # home's licence has no revocation to decide or to contest (404 for everyone).
    (r"^licensing:(workbench-contests|workbench-revocation-recommend|workbench-force-majeure)$", STAFF),
    (r"^licensing:(workbench-revocation-(decide|contest)|holder-revocation-contest)$", NOBODY),
    # Transfers offered to an organisation: its members only (home's change is a surrender, not
    # a transfer to anyone); the waiver of the pre-emptive right: officials.
    (r"^licensing:incoming-transfer(-answer)?$", NOBODY),
    (r"^licensing:workbench-preemptive-waiver$", STAFF),
    (r"^licensing:(refusal-letter|case\b.*)$", NOBODY),
    (r"^licensing:application-", NOBODY),
    # Open data (licences CSV and GeoJSON, beneficial ownership in BODS): public files.
    (r"^licensing:open-data-(licences-csv|licences-geojson|bods)$", ANYONE),
    (r"^licensing:", ANYONE),
    (r"^investors:(dashboard|organisation-create|agreement|watchlist)$", SIGNED_IN),
    (r"^investors:organisation-detail$", MEMBERS_AND_REGISTRY),
    (r"^investors:(registrar-queue|data-room-log|organisation-verification)$", REGISTRY),
    (r"^investors:organisation-submit$", frozenset({"owner"})),
    (r"^investors:", NOBODY),
    (r"^(deposits:|home$|terms$|privacy$|developer-events$|developer-partners$|ogc:)", ANYONE),
    # Partner clients' tokens: a POST with client credentials, never a page.
    (r"^oauth2_provider:", NOBODY),
]

# Route name → the roles who may write (POST/PUT/PATCH/DELETE) there; everyone else is refused
# and changes nothing.
WRITERS: list[tuple[str, frozenset[str]]] = [
    (r"^(account_|mfa_)", WITHOUT_2FA_TOO),
    (r"^(accounts:profile|events:)", SIGNED_IN),
    (r"^documents:", NOBODY),
    (r"^admin:", STAFF),
    (r"^api:notification-mark-read$", SIGNED_IN),
    (r"^api:application-list$", SIGNED_IN),
    (r"^api:application-(refusal-letter|screening-result)$", NOBODY),  # a read; a partner token's write
    (r"^api:application-objections$", SIGNED_IN),  # anyone signed in, on the register's applications
    (r"^api:application-", frozenset({"owner"})),
    (r"^api:(webhook-[\w-]+|event-list)$", NOBODY),  # partner tokens only
    (r"^api:payment-list$", REGISTRY),  # and partner tokens with payments:write
    (r"^api:title-change-list$", SIGNED_IN),  # lodging: the service refuses all but the holder's managers
    (r"^api:title-change-withdraw$", frozenset({"owner"})),
    (r"^api:licence-revocations$", frozenset({"owner"})),  # the holder's contest
    (r"^api:licence-report-lodge$", frozenset({"owner"})),  # the holder's owners and managers
    (r"^api", NOBODY),
    (r"^licensing:application-", frozenset({"owner"})),
    (r"^licensing:licence-convert$", frozenset({"owner"})),
    (r"^licensing:notice-contacts$", frozenset({"owner", "stranger"})),
    (r"^licensing:notice-contact-remove$", frozenset({"owner"})),
    (r"^licensing:(workbench|workbench-openings|case|case-action|workbench-obligation-waive)$", STAFF),
    (r"^licensing:holder-report$", frozenset({"owner"})),  # owners and managers write it
    (r"^licensing:workbench-report$", STAFF),
    (r"^licensing:holder-title-change-(new|withdraw)$", frozenset({"owner"})),
    (r"^licensing:workbench-title-change$", STAFF),
    (r"^licensing:workbench-(revocation-\w+|force-majeure)$", STAFF),
    (r"^licensing:holder-revocation-contest$", frozenset({"owner"})),
    (r"^licensing:workbench-preemptive-waiver$", STAFF),
    (r"^licensing:open-data-", NOBODY),
    (r"^licensing:verify-upload$", ANYONE),  # checks an uploaded certificate file; stores nothing
    (r"^licensing:registrar-payments$", REGISTRY),
    (r"^licensing:", NOBODY),
    (r"^investors:(organisation-create|organisation-switch|agreement|watchlist|watch-remove)$", SIGNED_IN),
    # The registrar's decisions: on the organisation, on each of its documents, on each check.
    (r"^investors:(organisation-decide|document-decide|check-record)$", REGISTRY),
    (r"^investors:(invitation-accept|registrar-queue|data-room-log|data-room-open|organisation-verification)$", NOBODY),
    (r"^investors:", frozenset({"owner"})),
    (r"^(deposits:|home$|terms$|privacy$|developer-events$|developer-partners$|ogc:)", NOBODY),
    (r"^oauth2_provider:", NOBODY),
]
REFUSALS = {302, 400, 403, 404, 405, 409}


def allowed(table: list[tuple[str, frozenset[str]]], name: str) -> frozenset[str] | None:
    return next((roles for pattern, roles in table if re.search(pattern, name)), None)


TABLES = (Event, Application, Claim, Licence, Organisation, Membership, Invitation, BeneficialOwner)
TABLES += (OrganisationDocument, Document, Notification, Watch, User, WebhookEndpoint, Delivery, NoticeContact)
TABLES += (Invoice, Payment, AnnualReport, Breach, TitleChange)


@dataclass(frozen=True)
class Route:
    name: str
    pattern: str
    keys: tuple[str, ...]


def _walk(resolver: URLResolver, prefix: str = "", namespace: str | None = None) -> Iterator[Route]:
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            inner = ":".join(n for n in (namespace, entry.namespace) if n) or None
            yield from _walk(entry, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield Route(name or f"(unnamed) {prefix}{entry.pattern}", prefix + str(entry.pattern), _keys(entry))


def _keys(entry: URLPattern) -> tuple[str, ...]:
    regex = entry.pattern.regex
    return tuple(sorted(regex.groupindex))


def routes() -> list[Route]:
    seen: dict[str, Route] = {}
    for route in _walk(get_resolver()):
        if "format" in route.keys or any(rule.match(route.name) for rule in SKIPPED.values()):
            continue  # DRF's `.json` suffix variants are the same views as the plain routes
        seen.setdefault(route.name, route)
    return list(seen.values())


def fill(world: World, route: Route, forged: bool) -> str:
    """The route's address with home's ids (or, forged, ids that name nothing)."""
    if route.name == "api-not-found":
        return "/api/v1/no-such-resource/"
    values = {
        "pk": world.draft.pk,
        "attached_id": 999_999,
        "contact_id": world.notice_contact.pk,
        "owner_id": world.owner.pk,
        "document_id": world.document.pk,
        "member_id": Membership.objects.get(organisation=world.home, role="viewer").pk,
        "invitation_id": 999_999,
        "delivery_id": 1,
        "uuid": world.document.file.uuid,
        "slug": world.deposit.slug,
        "reference": world.lodged.reference,
        "number": world.licence.number,
        "year": world.licence.starts_on.year,
        "obligation_id": world.licence.obligations.order_by("id").values_list("id", flat=True).first(),
        "token": "forged-token",
        "action": "accept",
        "key": "forged-key",
        "uidb36": "zz",
        "content_type_id": 1,
        "object_id": 1,
        "id": 1,
        "code": "Li" if route.name.startswith("api:commodity") else "N4910E08110",
        "app_label": "licensing",
        "layer": "towns",
        "url": "nothing",
        # The OGC API's applications: the public register, which must never show home's draft.
        "collection_id": "applications",
        "feature_id": world.lodged.reference,
    }
    if route.name.startswith("investors:") and "pk" in route.keys:
        values["pk"] = world.home.pk
    if route.name.startswith("api:notification"):
        values["pk"] = world.notification.pk
    if route.name.startswith("api:organisation"):
        values["pk"] = world.home.pk
    if route.name.startswith("api:invoice"):
        values["number"] = world.invoice.number
    values["invoice"] = world.invoice.number
    values["change"] = world.title_change.number
    values["kind"] = "extension"
    values["answer"] = "accept"
    if route.name.startswith("api:title-change"):
        values["number"] = world.title_change.number
    if route.name.startswith("api:licence-type"):
        values["pk"] = world.draft.licence_type_id
    if forged:
        values = {k: ("no-such-thing" if isinstance(v, str) else 999_999_999) for k, v in values.items()}
        values["uuid"] = "00000000-0000-4000-8000-000000000000"
    kwargs = {k: values[k] for k in route.keys}
    return reverse(route.name, kwargs=kwargs)


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in TABLES}


def sign_in(user: User) -> Client:
    """Signed in as a person would: with the second factor when they have one (the module's
    clients are made before the conftest's function-scoped force_login patch applies)."""
    from tests.conftest import _record_second_factor

    client = Client()
    client.force_login(user)
    _record_second_factor(client, user)
    return client


@pytest.fixture(scope="module")
def documents_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("documents")


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, documents_root: Path) -> None:
    """The module's world keeps its files for all its tests (replaces the conftest's per-test folder)."""
    settings.DOCUMENTS_ROOT = documents_root


@pytest.fixture(scope="module")
def open_data_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("open-data")


@pytest.fixture(autouse=True)
def _open_data_in_a_temporary_folder(settings, open_data_root: Path) -> None:
    """The world's open-data files, built once with it (the files are built ahead, not on request)."""
    settings.OPEN_DATA_ROOT = open_data_root


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, documents_root: Path, open_data_root: Path) -> Iterator[World]:
    import time_machine
    from django.test import override_settings

    from tests.licensing.conftest import WORKING_MORNING
    from tests.world import user_maker

    with (
        django_db_blocker.unblock(),
        time_machine.travel(WORKING_MORNING, tick=True),
        override_settings(DOCUMENTS_ROOT=documents_root, OPEN_DATA_ROOT=open_data_root),
        transaction.atomic(),
    ):
        world = build(user_maker())
        open_data_build()
        yield world
        transaction.set_rollback(True)


@pytest.fixture(scope="module")
def clients(world: World) -> dict[str, Client]:
    return {
        role: Client() if role == "anonymous" else sign_in(user)  # type: ignore[arg-type]
        for role, user in world.users.items()
    }


def _leaks(world: World, role: str, response: HttpResponse) -> bool:
    if role in HOME:
        return False
    body = b"".join(response.streaming_content) if response.streaming else response.content
    return any(secret.encode() in body for secret in world.secrets)


def test_every_route_is_in_the_matrix() -> None:
    """A new route fails here until the tables say who may read and write it."""
    missing = [r.name for r in routes() if allowed(READERS, r.name) is None or allowed(WRITERS, r.name) is None]
    assert not missing, f"add these routes to READERS and WRITERS: {missing}"


ROUTES = routes()

# One world for the module, which its tests change as they go: under pytest-xdist the module
# runs on one worker, in its order (make test's --dist loadgroup).
pytestmark = pytest.mark.xdist_group("permission-matrix")


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_get(world: World, clients: dict[str, Client], route: Route, db: None) -> None:
    readers = allowed(READERS, route.name) or NOBODY
    problems = []
    for forged in (False, True) if route.keys else (False,):
        address = fill(world, route, forged)
        for role in ROLES:
            response = clients[role].get(address)
            code = response.status_code
            ok = 200 <= code < 300
            if code >= 500 or (ok and (forged is False and role not in readers)) or (not ok and code not in REFUSALS):
                problems.append(f"{role} GET {address} -> {code}")
            elif not forged and role in readers and not ok:
                problems.append(f"{role} GET {address} -> {code}, expected 2xx")
            elif _leaks(world, role, response):
                problems.append(f"{role} GET {address} -> {code} shows home's draft")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("route", ROUTES, ids=[r.name for r in ROUTES])
def test_writes(world: World, clients: dict[str, Client], route: Route, db: None) -> None:
    writers = allowed(WRITERS, route.name) or NOBODY
    address = fill(world, route, forged=False)
    before = counts()
    problems = []
    for role in ROLES:
        for method in ("post", "put", "patch", "delete"):
            where = f"{role} {method.upper()} {address}"
            if role in writers:
                with transaction.atomic():
                    code = getattr(clients[role], method)(address).status_code
                    transaction.set_rollback(True)
                if code >= 500:
                    problems.append(f"{where} -> {code}")
                continue
            code = getattr(clients[role], method)(address).status_code
            if code not in REFUSALS:
                problems.append(f"{where} -> {code}, expected a refusal")
        after = counts()
        if after != before:
            changed = {k: (before[k], after[k]) for k in before if before[k] != after[k]}
            problems.append(f"{role} wrote to {address}: {changed}")
            before = after
    assert not problems, "\n".join(problems)
