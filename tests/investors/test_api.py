"""`/api/v1/me/` and `/api/v1/organisations/`: the signed-in person's own, the registrar's all,
nobody else's; the browser session with CSRF on writes; queries that do not grow with rows."""

from collections.abc import Callable
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import User
from accounts.roles import Role
from investors.models import MemberRole, OwnerKind
from tests.investors import factories
from tests.investors.factories import Crew

pytestmark = pytest.mark.django_db

ORGANISATIONS = "/api/v1/organisations/"


@pytest.fixture
def crew(make_user: Callable[..., User]) -> Crew:
    return factories.crew(make_user)


def _ids(response) -> list[int]:
    assert response.status_code == 200
    return [o["id"] for o in response.json()["results"]]


def test_me_shows_the_person_their_roles_and_their_organisations(client: Client, crew: Crew, make_user) -> None:
    other = factories.organisation(make_user(Role.INVESTOR), legal_name_latin="Other Ltd")
    factories.join(other, crew.manager, MemberRole.OWNER, invited_by=other.memberships.get().user)
    factories.complete(crew.organisation, crew.owner)
    factories.submit(crew.organisation, crew.owner)
    client.force_login(crew.manager)
    body = client.get("/api/v1/me/").json()
    assert body["email"] == crew.manager.email
    assert body["roles"] == ["investor"]
    assert sorted(body["organisations"], key=lambda o: o["id"]) == [
        {"id": crew.organisation.pk, "name": str(crew.organisation), "role": "manager", "status": "submitted"},
        {"id": other.pk, "name": "Other Ltd", "role": "owner", "status": "draft"},
    ]


def test_me_for_a_registrar_has_the_role_and_no_organisation(client: Client, registrar: User) -> None:
    client.force_login(registrar)
    body = client.get("/api/v1/me/").json()
    assert (body["email"], body["roles"], body["organisations"]) == (registrar.email, ["registrar"], [])


def test_an_anonymous_caller_is_refused(client: Client, crew: Crew) -> None:
    for path in ("/api/v1/me/", ORGANISATIONS, f"{ORGANISATIONS}{crew.organisation.pk}/"):
        response = client.get(path)
        assert response.status_code == 403, path  # session authentication only: no WWW-Authenticate, so not 401
        assert response.json() == {
            "type": "about:blank",
            "title": "Forbidden",
            "status": 403,
            "detail": "Authentication credentials were not provided.",
        }


def test_an_investor_lists_only_their_own_organisations_and_a_registrar_all(
    client: Client, crew: Crew, make_user, registrar: User
) -> None:
    stranger = make_user(Role.INVESTOR)
    theirs = factories.organisation(stranger)
    client.force_login(crew.viewer)
    assert _ids(client.get(ORGANISATIONS)) == [crew.organisation.pk]
    client.force_login(stranger)
    assert _ids(client.get(ORGANISATIONS)) == [theirs.pk]
    client.force_login(make_user(Role.INVESTOR))  # belongs to none
    assert _ids(client.get(ORGANISATIONS)) == []
    client.force_login(registrar)
    assert sorted(_ids(client.get(ORGANISATIONS))) == sorted([crew.organisation.pk, theirs.pk])


@pytest.mark.parametrize(("actor", "expected"), [("viewer", 200), ("registrar", 200), ("stranger", 404)])
def test_another_organisations_detail_is_404(
    actor: str, expected: int, client: Client, crew: Crew, make_user, registrar: User
) -> None:
    if actor == "stranger":
        user = make_user(Role.INVESTOR)
        factories.organisation(user)
    else:
        user = registrar if actor == "registrar" else crew.viewer
    client.force_login(user)
    response = client.get(f"{ORGANISATIONS}{crew.organisation.pk}/")
    assert response.status_code == expected
    if expected == 200:
        assert response.json()["id"] == crew.organisation.pk
    assert client.get(f"{ORGANISATIONS}999999/").status_code == 404


def test_an_organisation_has_members_owners_documents_status_and_ownership(client: Client, crew: Crew) -> None:
    fund = factories.owner(
        crew.organisation, crew.owner, name="State Fund", country="CN", share=Decimal(25), state_owned=True
    )
    client.force_login(crew.viewer)
    body = client.get(f"{ORGANISATIONS}{crew.organisation.pk}/").json()
    assert body["status"] == "draft" and body["country"] == "NL"
    assert sorted((m["email"], m["role"]) for m in body["members"]) == sorted(
        [(crew.owner.email, "owner"), (crew.manager.email, "manager"), (crew.viewer.email, "viewer")]
    )
    assert sorted((o["id"], o["name"], o["country"], o["share"], o["state_owned"]) for o in body["owners"]) == [
        (crew.beneficial_owner.pk, "Holding", "GB", "10.000", False),
        (fund.pk, "State Fund", "CN", "25.000", True),
    ]
    assert body["documents"] == [
        {
            "id": crew.document.pk,
            "kind": "charter",
            "name": "charter.pdf",
            "check_status": "accepted",
            "reasons": [],
            "added_at": body["documents"][0]["added_at"],
            "decision": "",
            "decision_reason": "",
            "decided_at": None,
        }
    ]
    assert body["ownership"] == {
        "foreign": True,
        "foreign_share": "35.000",
        "foreign_state_share": "25.000",
        "state_linked": True,
        "screening_required": True,
        "declared_share": "35.000",
    }


def test_a_kazakh_organisation_with_kazakh_owners_needs_no_screening(client: Client, investor: User) -> None:
    org = factories.organisation(investor, country="KZ")
    factories.owner(org, investor, name="Samruk", country="KZ", share=Decimal(60), state_owned=True)
    factories.owner(org, investor, name="Founder", kind=OwnerKind.NATURAL, country="KZ", share=Decimal(40))
    client.force_login(investor)
    assert client.get(f"{ORGANISATIONS}{org.pk}/").json()["ownership"] == {
        "foreign": False,
        "foreign_share": "0.000",
        "foreign_state_share": "0.000",
        "state_linked": False,
        "screening_required": False,
        "declared_share": "100.000",
    }


def test_organisations_are_read_only_through_the_api(client: Client, crew: Crew) -> None:
    client.force_login(crew.owner)
    detail = f"{ORGANISATIONS}{crew.organisation.pk}/"
    for method, path in (("post", ORGANISATIONS), ("put", detail), ("patch", detail), ("delete", detail)):
        response = getattr(client, method)(path, {"legal_name": "Renamed"}, content_type="application/json")
        assert response.status_code == 405, method
    crew.organisation.refresh_from_db()
    assert crew.organisation.legal_name != "Renamed"


def test_the_api_takes_the_session_and_wants_the_csrf_token_on_writes(crew: Crew) -> None:
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(crew.owner)
    assert browser.get("/api/v1/me/").status_code == 200  # reads need no token
    refused = browser.post("/api/v1/notifications/mark-read/", {}, content_type="application/json")
    assert refused.status_code == 403
    assert "CSRF" in refused.json()["detail"]
    browser.get(crew.organisation.get_absolute_url())  # a page with a form sets the cookie
    token = browser.cookies["csrftoken"].value
    accepted = browser.post(
        "/api/v1/notifications/mark-read/", {}, content_type="application/json", headers={"X-CSRFToken": token}
    )
    assert accepted.status_code == 200


def test_the_list_runs_the_same_queries_for_2_and_10_organisations(client: Client, registrar: User, make_user) -> None:
    def add_organisations(count: int) -> None:
        for _ in range(count):
            owner = make_user(Role.INVESTOR)
            org = factories.organisation(owner)
            factories.join(org, make_user(Role.INVESTOR), MemberRole.VIEWER, invited_by=owner)
            holding = factories.owner(org, owner, share=Decimal(50))
            factories.owner(org, owner, name="Fund", country="CN", state_owned=True, held_through=holding)
            factories.document(org, owner)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(ORGANISATIONS)
        assert response.status_code == 200
        return len(captured.captured_queries)

    client.force_login(registrar)
    client.get(ORGANISATIONS)  # the session's first request marks the second factor checked
    add_organisations(2)
    at_two = queries()
    add_organisations(8)
    assert client.get(ORGANISATIONS).json()["count"] == 10
    assert queries() == at_two <= 8  # session, user, role, count, page, members, owners, documents


def test_the_openapi_schema_describes_every_endpoint_without_warnings() -> None:
    from django.core.management import call_command

    call_command("spectacular", "--validate", "--fail-on-warn", "--file", "/dev/null")
