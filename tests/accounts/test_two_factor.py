"""Two-factor sign-in for officials, decided on every request; a change of access ends sessions.

The probe this answers: an investor without an authenticator signs in, an admin makes the
account a reviewer (and staff) in another browser, and the investor's next requests reached
the workbench, the admin and the API, because the middleware remembered "checked" in the
session and the session outlived the promotion.
"""

import re
from urllib.parse import quote

import pytest
from django.contrib.auth.models import Group
from django.contrib.sessions.backends.db import SessionStore
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.middleware import officials_need_two_factor
from accounts.models import User
from accounts.roles import Role
from accounts.services import user_access_set, user_ensure
from events.models import Event
from tests.accounts.factories import TOTP_SECRET, totp_code
from tests.conftest import sign_in_with_password_only

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"
OFFICIAL_PAGES = ("/workbench/", "/admin/", "/api/v1/me/")


def _sign_in_with_password(client: Client, user: User) -> None:
    """Through the sign-in form, as a person does (no second factor when none is set up)."""
    response = client.post("/accounts/login/", {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302 and "2fa" not in response["Location"]


def _admin_client(make_user) -> tuple[Client, User]:
    admin = make_user(Role.ADMIN)
    client = Client()
    client.force_login(admin)  # with the second factor (tests/conftest.py)
    return client, admin


def _admin_saves(client: Client, user: User, *, roles: list[Role], is_staff: bool) -> None:
    data = {
        "email": user.email,
        "first_name": "",
        "last_name": "",
        "preferred_language": "en",
        "is_active": "on",
        "groups": [Group.objects.get(name=r.value).pk for r in roles],
        "date_joined_0": "2025-01-01",
        "date_joined_1": "09:00:00",
        "last_login_0": "",
        "last_login_1": "",
        "_save": "Save",
    }
    if is_staff:
        data["is_staff"] = "on"
    response = client.post(f"/admin/accounts/user/{user.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:2000]


def test_an_investor_promoted_by_an_admin_reaches_no_official_page_in_the_old_session(client, make_user) -> None:
    investor = make_user(Role.INVESTOR)
    _sign_in_with_password(client, investor)
    assert client.get("/investor/").status_code == 200  # the old middleware marked the session "checked" here
    admin_client, admin = _admin_client(make_user)

    _admin_saves(admin_client, investor, roles=[Role.REVIEWER], is_staff=True)

    investor.refresh_from_db()
    assert investor.is_staff and investor.has_role(Role.REVIEWER)
    for path in OFFICIAL_PAGES:
        response = client.get(path)
        assert response.status_code in {302, 403}, path
        if response.status_code == 302:
            assert response["Location"].startswith(("/accounts/login/", "/admin/login/")), path  # signed out
    assert client.get("/investor/")["Location"].startswith("/accounts/login/")
    event = Event.objects.get(type="user.access_changed")
    assert event.actor == admin and event.subject_id == str(investor.pk)
    assert event.payload == {
        "before": {"roles": ["investor"], "is_staff": False, "is_superuser": False},
        "after": {"roles": ["reviewer"], "is_staff": True, "is_superuser": False},
    }
    # Signing in again, the new reviewer is sent to set up an authenticator app first.
    _sign_in_with_password(client, investor)
    for path in ("/workbench/", "/admin/"):
        assert client.get(path)["Location"] == "/accounts/2fa/totp/activate/", path
    assert client.get("/api/v1/me/").status_code == 403


def test_a_role_given_without_the_service_still_counts_on_the_next_request(client, make_user) -> None:
    """Even when the session outlives a promotion (a group added in a shell), the middleware
    decides from the roles held now, not from what it saw earlier in the session."""
    investor = make_user(Role.INVESTOR)
    _sign_in_with_password(client, investor)
    assert client.get("/investor/").status_code == 200
    investor.groups.add(Group.objects.get(name=Role.REVIEWER.value))

    for path in ("/workbench/", "/admin/", "/investor/"):
        assert client.get(path)["Location"] == "/accounts/2fa/totp/activate/", path
    response = client.get("/api/v1/me/")
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"
    assert response.json()["title"] == "Two-factor authentication required"


def test_an_official_whose_session_skipped_the_second_factor_must_enter_a_code(client, make_user) -> None:
    reviewer = make_user(Role.REVIEWER)  # has an authenticator app
    sign_in_with_password_only(client, reviewer)

    for path in ("/workbench/", "/admin/"):
        response = client.get(path)
        assert response["Location"] == f"/accounts/2fa/reauthenticate/?next={quote(path, safe='')}", path
    assert client.get("/api/v1/me/").status_code == 403
    assert client.get("/accounts/2fa/reauthenticate/?next=/workbench/").status_code == 200
    response = client.post("/accounts/2fa/reauthenticate/?next=/workbench/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302 and response["Location"] == "/workbench/"
    for path in OFFICIAL_PAGES:
        assert client.get(path).status_code == 200, path


# allauth announces the new app on commit, inside the request
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_an_official_who_sets_up_the_app_after_a_password_sign_in_may_go_on(client, make_user) -> None:
    registrar = make_user(Role.REGISTRAR, two_factor=False)
    _sign_in_with_password(client, registrar)
    assert client.get("/admin/")["Location"] == "/accounts/2fa/totp/activate/"
    # allauth asks for the password again before an authenticator is added.
    response = client.get("/accounts/2fa/totp/activate/")
    assert response["Location"].startswith("/accounts/reauthenticate/")
    response = client.post(response["Location"], {"password": PASSWORD})
    assert response["Location"] == "/accounts/2fa/totp/activate/"
    secret = client.get("/accounts/2fa/totp/activate/").context["form"].secret
    response = client.post("/accounts/2fa/totp/activate/", {"code": totp_code(secret)})
    assert response.status_code == 302

    for path in OFFICIAL_PAGES:
        assert client.get(path).status_code == 200, path
    # Another browser signed in with the password alone is asked for a code.
    other = Client()
    sign_in_with_password_only(other, registrar)
    assert other.get("/admin/")["Location"].startswith("/accounts/2fa/reauthenticate/")


def test_a_demoted_official_is_signed_out_and_then_needs_no_second_factor(client, make_user) -> None:
    reviewer = make_user(Role.REVIEWER)
    client.force_login(reviewer)
    assert client.get("/workbench/").status_code == 200
    admin_client, _ = _admin_client(make_user)

    _admin_saves(admin_client, reviewer, roles=[Role.INVESTOR], is_staff=False)

    assert client.get("/workbench/")["Location"].startswith("/accounts/login/")
    reviewer.refresh_from_db()
    sign_in_with_password_only(client, reviewer)  # an investor need not use the app they kept
    assert client.get("/investor/").status_code == 200
    assert client.get("/admin/")["Location"].startswith("/admin/login/")  # no longer staff


def test_investors_keep_their_sessions_when_nothing_about_their_access_changes(client, make_user) -> None:
    investor = make_user(Role.INVESTOR)
    _sign_in_with_password(client, investor)
    other = make_user(Role.INVESTOR)
    admin_client, _ = _admin_client(make_user)

    _admin_saves(admin_client, other, roles=[Role.REVIEWER], is_staff=True)  # someone else's
    _admin_saves(admin_client, investor, roles=[Role.INVESTOR], is_staff=False)  # the same roles
    user_ensure(email=investor.email, password="ignored", roles=[Role.INVESTOR])  # the demo loader again
    response = client.post("/accounts/profile/", {"first_name": "Aigerim", "last_name": "", "preferred_language": "en"})
    assert response.status_code == 302

    assert client.get("/investor/").status_code == 200
    assert Event.objects.filter(type="user.access_changed").count() == 1  # only the other's promotion


def test_the_service_ends_every_session_of_the_person_and_records_one_event(make_user) -> None:
    reviewer, admin = make_user(Role.REVIEWER), make_user(Role.ADMIN)
    browsers = [Client(), Client()]
    for browser in browsers:
        browser.force_login(reviewer)
        assert browser.get("/workbench/").status_code == 200

    assert user_access_set(
        actor=admin, user=reviewer, groups=Group.objects.filter(name="approver"), is_staff=True, is_superuser=False
    )
    assert not user_access_set(
        actor=admin, user=reviewer, groups=Group.objects.filter(name="approver"), is_staff=True, is_superuser=False
    )

    for browser in browsers:
        assert browser.get("/workbench/")["Location"].startswith("/accounts/login/")
    assert User.objects.get(pk=reviewer.pk).access_version == 1
    assert Event.objects.filter(type="user.access_changed", actor=admin).count() == 1


def test_an_admin_who_changes_their_own_roles_stays_signed_in(make_user) -> None:
    admin_client, admin = _admin_client(make_user)
    _admin_saves(admin_client, admin, roles=[Role.ADMIN, Role.REVIEWER], is_staff=True)
    assert admin_client.get("/admin/").status_code == 200


def _middleware_queries(user: object, records: list[dict] | None = None) -> tuple[int, HttpResponse]:
    request = RequestFactory().get("/investor/")
    request.user = user
    request.session = SessionStore()
    if records is not None:
        request.session["account_authentication_methods"] = records
        request.session["account_authentication_methods_user"] = str(user.pk)
    with CaptureQueriesContext(connection) as queries:
        response = officials_need_two_factor(lambda r: HttpResponse("page"))(request)
    return len(queries), response


def test_the_check_costs_no_query_for_anonymous_people_or_sessions_with_a_second_factor(make_user) -> None:
    from django.contrib.auth.models import AnonymousUser

    count, response = _middleware_queries(AnonymousUser())
    assert count == 0 and response.content == b"page"
    reviewer = User.objects.get(pk=make_user(Role.REVIEWER).pk)
    count, response = _middleware_queries(reviewer, [{"method": "password", "at": 1.0}, {"method": "mfa", "at": 2.0}])
    assert count == 0 and response.content == b"page"
    investor = User.objects.get(pk=make_user(Role.INVESTOR).pk)
    count, response = _middleware_queries(investor, [{"method": "password", "at": 1.0}])
    assert count == 1 and response.content == b"page"  # the roles held now


def test_the_session_hash_covers_the_access_version(make_user) -> None:
    user = make_user(Role.INVESTOR)
    before = user.get_session_auth_hash()
    user.access_version += 1
    assert user.get_session_auth_hash() != before
    assert re.fullmatch(r"[0-9a-f]{64}", before)
