"""Administrators register, rotate and revoke partner clients in the admin, with their second
factor; the secret is shown once and stored as a hash."""

import re

import pytest
from django.contrib.auth.hashers import check_password
from django.contrib.messages import get_messages

from accounts.roles import Role
from events.models import Event
from partners.models import PartnerClient, PartnerOrganisation
from tests.conftest import sign_in_with_password_only
from tests.partners.factories import partner_client, token_response

pytestmark = pytest.mark.django_db

ADD = "/admin/partners/partnerclient/add/"
CHANGELIST = "/admin/partners/partnerclient/"


def form(organisation: PartnerOrganisation) -> dict[str, object]:
    return {
        "name": "Treasury payments",
        "organisation": organisation.pk,
        "scopes": ["register:read", "payments:write"],
        "rate_per_minute": 120,
    }


@pytest.fixture
def organisation() -> PartnerOrganisation:
    return PartnerOrganisation.objects.create(name="Treasury", kind="treasury")


def test_an_administrator_registers_a_client_and_sees_its_secret_once(client, make_user, organisation) -> None:
    admin = make_user(Role.ADMIN)
    client.force_login(admin)
    answer = client.post(ADD, form(organisation))
    assert answer.status_code == 302, answer.content.decode()[:2000]
    created = PartnerClient.objects.get()
    shown = " ".join(str(m) for m in get_messages(answer.wsgi_request))
    secret = re.search(r"Client secret: <code>(\w+)</code>", shown).group(1)
    assert created.client_id in shown and check_password(secret, created.client_secret)
    assert created.scopes == ["register:read", "payments:write"] and created.rate_per_minute == 120
    assert Event.objects.get(type="partner_client.created").actor == admin
    assert secret in client.get(answer["Location"]).content.decode()  # the page after saving shows it
    assert secret not in client.get(f"{CHANGELIST}{created.pk}/change/").content.decode()  # and no other
    assert token_response(client, _credentials(created, secret)).status_code == 200


def _credentials(created: PartnerClient, secret: str):
    from tests.partners.factories import Credentials

    return Credentials(created, secret)


def test_an_administrator_without_the_second_factor_cannot_register_a_client(client, make_user, organisation) -> None:
    admin = make_user(Role.ADMIN)
    sign_in_with_password_only(client, admin)
    answer = client.post(ADD, form(organisation))
    assert answer.status_code == 302 and "/accounts/2fa/" in answer["Location"]
    assert not PartnerClient.objects.exists()


def test_a_registrar_cannot_register_a_client(client, make_user, organisation) -> None:
    client.force_login(make_user(Role.REGISTRAR))
    assert client.post(ADD, form(organisation)).status_code == 403
    assert not PartnerClient.objects.exists()


def test_revoking_asks_first_then_revokes(client, make_user) -> None:
    credentials = partner_client("register:read", name="Bank")
    client.force_login(make_user(Role.ADMIN))
    selected = {"action": "revoke", "_selected_action": [credentials.client.pk]}
    asked = client.post(CHANGELIST, selected)
    assert asked.status_code == 200 and "cannot be undone" in asked.content.decode()
    credentials.client.refresh_from_db()
    assert credentials.client.revoked_at is None
    done = client.post(CHANGELIST, {**selected, "confirm": "yes", "reason": "contract ended"})
    assert done.status_code == 302
    credentials.client.refresh_from_db()
    assert credentials.client.revoked_at is not None
    assert Event.objects.get(type="partner_client.revoked").payload["reason"] == "contract ended"
    assert token_response(client, credentials).status_code == 401


def test_rotating_in_the_admin_shows_the_new_secret_once(client, make_user) -> None:
    credentials = partner_client("register:read", name="Bank")
    client.force_login(make_user(Role.ADMIN))
    answer = client.post(CHANGELIST, {"action": "rotate_secret", "_selected_action": [credentials.client.pk]})
    shown = " ".join(str(m) for m in get_messages(answer.wsgi_request))
    new_secret = re.search(r"Client secret: <code>(\w+)</code>", shown).group(1)
    assert token_response(client, credentials, secret=new_secret).status_code == 200
    assert token_response(client, credentials).status_code == 200  # the old one, in its grace period
