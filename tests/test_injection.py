"""Injection kept shut: every filter of every list page and API list, and every text an
investor types that others read.

SQL injection is checked by an oracle rather than by error messages: a filter value that
is always true in SQL (`' OR '1'='1`) and one that is always false (`' AND '1'='2`) must
give the same answer, because both are only strings to us. If either reached the SQL as
code, the first would list everything and the second nothing. The pages are filled with
the demo (what a user sees first), so a list that an injection widened would show it.
"""

import json
import re
from html.parser import HTMLParser
from urllib.parse import urlencode

import pytest

from accounts.models import User
from accounts.roles import Role
from tests.demo_snapshot import demo_loaded

pytestmark = pytest.mark.django_db

# Pairs that differ only in being always-true or always-false if they reached SQL as code.
ORACLE_PAIRS = [
    ("x' OR '1'='1", "x' AND '1'='2"),
    ("x' OR 1=1--", "x' AND 1=2--"),
    ('x" OR "1"="1', 'x" AND "1"="2'),
    ("1 OR 1=1", "1 AND 1=2"),
    ("%' OR '%'='", "%' AND 'x'='"),
    ("x') OR ('1'='1", "x') AND ('1'='2"),
]
# Values that break a naively built statement: each must answer like any other bad value.
BREAKERS = [
    "'",
    '"',
    "\\",
    "1; DROP TABLE licensing_licence;--",
    "1 UNION SELECT NULL,NULL--",
    "%",
    "_",
    "' || pg_sleep(0) || '",
]

PAGES = [
    "/",
    "/deposits/",
    "/map/",
    "/register/licences/",
    "/register/applications/",
    "/statistics/",
    "/licence-types/",
    "/open-data/",
]
OFFICIAL_PAGES = ["/workbench/", "/registrar/organisations/", "/registrar/data-room/"]


class _GetForms(HTMLParser):
    """The names of the fields of every GET form on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.names: set[str] = set()
        self._in_get_form = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if tag == "form":
            self._in_get_form = (values.get("method") or "get").lower() == "get"
        elif (
            self._in_get_form
            and tag in {"input", "select", "textarea"}
            and values.get("name")
            and values.get("type") not in {"submit", "button"}
        ):
            self.names.add(values["name"] or "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._in_get_form = False


def _filter_names(body: str) -> set[str]:
    parser = _GetForms()
    parser.feed(body)
    return parser.names


def _rows(response) -> int:
    """How many things a list answer holds: rows and cards of a page, items of a JSON list."""
    if response["Content-Type"].startswith("application/json"):
        data = response.json()
        if isinstance(data, dict):
            for key in ("results", "features", "items"):
                if isinstance(data.get(key), list):
                    return len(data[key])
            return len(json.dumps(data))
        return len(data)
    body = response.content.decode()
    return len(re.findall(r"<tr[ >]|<article[ >]|<li class=\"(?:card|result)", body))


@pytest.fixture
def demo(db: None) -> None:
    demo_loaded()


def _signed_in(client, email: str | User):
    """Signed in as this person; the conftest's force_login records the second factor for
    those who have one (as officials must)."""
    user = email if isinstance(email, User) else User.objects.get(email=email)
    client.logout()
    client.force_login(user)
    return client


def _probe(client, path: str, names: set[str]) -> list[str]:
    """Every filter of the page against the oracle and the breakers; what went wrong."""
    problems = []
    for name in sorted(names - {"csrfmiddlewaretoken", "language", "next"}):
        for true_value, false_value in ORACLE_PAIRS:
            yes = client.get(f"{path}?{urlencode({name: true_value})}")
            no = client.get(f"{path}?{urlencode({name: false_value})}")
            if yes.status_code >= 500 or no.status_code >= 500:
                problems.append(f"{path}?{name}={true_value!r}: HTTP {yes.status_code}/{no.status_code}")
            elif yes.status_code != no.status_code or (yes.status_code == 200 and _rows(yes) != _rows(no)):
                problems.append(
                    f"{path}?{name}: {true_value!r} gives {yes.status_code}/{_rows(yes)} rows, "
                    f"{false_value!r} gives {no.status_code}/{_rows(no)}"
                )
        for value in BREAKERS:
            response = client.get(f"{path}?{urlencode({name: value})}")
            if response.status_code >= 500:
                problems.append(f"{path}?{name}={value!r}: HTTP {response.status_code}")
    return problems


def _api_list_operations(client) -> dict[str, set[str]]:
    """The API's GET operations without path parameters, and their query parameters."""
    schema = client.get("/api/schema/?format=json").json()
    operations = {}
    for path, item in schema["paths"].items():
        get = item.get("get")
        if get is None or "{" in path:
            continue
        params = {p["name"] for p in get.get("parameters", []) if p.get("in") == "query"}
        if params:
            operations[path] = params
    return operations


# Committing, so that it runs with the journeys and takes the demo from their copy (PostgreSQL).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_filter_of_any_list_page_or_api_list_is_injectable(client, demo) -> None:
    probed, problems = 0, []
    for path in PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        names = _filter_names(response.content.decode())
        probed += len(names)
        problems += _probe(client, path, names)
    assert probed >= 10, "the pages lost their filters: the oracle would prove nothing"

    operations = _api_list_operations(client)
    assert len(operations) >= 4, sorted(operations)
    for path, names in operations.items():
        problems += _probe(client, path, names)

    for email, path in [
        ("reviewer@example.com", "/workbench/"),
        ("registrar@example.com", "/registrar/organisations/"),
        ("registrar@example.com", "/registrar/data-room/"),
    ]:
        client = _signed_in(client, email)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        problems += _probe(client, path, _filter_names(response.content.decode()))
    assert _rows(_signed_in(client, "reviewer@example.com").get("/workbench/")) > 0, "the oracle would prove nothing"
    assert problems == []


# Stored XSS ------------------------------------------------------------------------------


def _strings(data: object) -> list[str]:
    if isinstance(data, dict):
        return [s for value in data.values() for s in _strings(value)]
    if isinstance(data, list):
        return [s for value in data for s in _strings(value)]
    return [data] if isinstance(data, str) else []


MARKUP = '"><svg/onload=alert(1)><script>alert("ak")</script>'
RAW = re.compile(r"<svg/onload|<script>alert\(\"ak\"\)")


def test_what_an_investor_types_is_shown_as_text_everywhere(client, make_user, registrar, time_machine) -> None:
    from datetime import UTC, datetime

    from licensing.drafting import services as drafting_services
    from licensing.review import services as review_services
    from tests.investors import factories as investor_factories
    from tests.licensing import factories as licensing_factories

    time_machine.move_to(datetime(2026, 11, 24, 5, 0, tzinfo=UTC))  # 10:00 in Astana, a Tuesday
    owner = make_user(Role.INVESTOR)
    owner.first_name = owner.last_name = MARKUP
    owner.save(update_fields=["first_name", "last_name"])
    organisation = investor_factories.verified_organisation(
        owner, registrar, legal_name=f"Ore {MARKUP}", legal_name_latin=f"Ore {MARKUP}"
    )
    application = licensing_factories.complete(
        owner, licensing_factories.draft(owner, organisation, licensing_factories.rectangle(2, 2))
    )
    drafting_services.application_update(actor=owner, application=application, title=f"Kalba {MARKUP}")
    application = drafting_services.application_lodge(actor=owner, application=application)
    reviewer = make_user(Role.REVIEWER)
    review_services.application_accept(actor=reviewer, application=application)
    application = review_services.application_publish_notice(actor=reviewer, application=application)
    objector = make_user(Role.INVESTOR)
    review_services.objection_lodge(actor=objector, application=application, grounds=f"Grazing {MARKUP}")
    review_services.note_add(actor=reviewer, application=application, text=f"Note {MARKUP}")

    pages = [
        (None, "/register/applications/"),
        (None, f"/register/applications/{application.reference}/"),
        (None, "/map/"),
        (owner, "/investor/"),
        (owner, f"/investor/applications/{application.pk}/"),
        (owner, f"/investor/organisations/{organisation.pk}/"),
        (reviewer, "/workbench/"),
        (reviewer, f"/workbench/applications/{application.pk}/"),
        (registrar, "/registrar/organisations/"),
        (owner, "/api/v1/applications/"),
    ]
    shown = 0
    for user, path in pages:
        if user is None:
            client.logout()
        else:
            _signed_in(client, user)
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = response.content.decode()
        if response["Content-Type"].startswith("application/json"):
            # JSON carries the text as typed; no browser may read it as a page.
            assert response["X-Content-Type-Options"] == "nosniff", path
            assert any(MARKUP in text for text in _strings(response.json())), path
            shown += 1
            continue
        assert not RAW.search(body), f"{path} shows an investor's markup as markup"
        shown += body.count("alert(1)") + body.count("alert(&quot;ak&quot;)") + body.count('alert(\\"ak\\")')
    assert shown >= len(pages) // 2, "the typed texts are not on the pages: the test would prove nothing"
