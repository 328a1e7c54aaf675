"""Accounts with django-allauth: sign-up with email verification, sign-in, lockout, password
reset, change of email, language, and two-factor authentication required of officials."""

import re
import time

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail

from accounts.models import User
from accounts.roles import Role
from tests.accounts.factories import TOTP_SECRET, EmailAddressFactory, UserFactory, totp_code

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-test-password"


def _link(message: mail.EmailMessage) -> str:
    return re.search(r"http://testserver(/\S+)", message.body).group(1)


SIGN_UP = {
    "email": "New@Investor.com",
    "password1": "Str0ng-enough-pass",
    "password2": "Str0ng-enough-pass",
    "first_name": "Айгерим",
    "last_name": "Сапарова",
    "consent": "on",
}


def test_sign_up_verify_email_then_sign_in(client) -> None:
    from events.models import Event
    from investors.models import PersonalDataConsent

    response = client.post("/accounts/signup/", SIGN_UP)
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["new@investor.com"]
    # The email names the service, not the host; the person's name and consent are kept, with an event.
    assert "AshyqKen" in mail.outbox[0].subject and "Hello from AshyqKen!" in mail.outbox[0].body
    user = User.objects.get(email="new@investor.com")
    assert user.get_full_name() == "Айгерим Сапарова"
    consent = PersonalDataConsent.objects.get(user=user)
    assert consent.notice_version and consent.language == "en"
    assert Event.objects.filter(type="person.consent_given", subject_id=str(user.pk)).count() == 1
    assert not client.get("/investor/").wsgi_request.user.is_authenticated  # not in before verifying

    link = _link(mail.outbox[0])
    assert client.get(link).status_code == 200  # opening the link (a mail scanner) does not confirm
    assert not EmailAddress.objects.get(email="new@investor.com").verified
    response = client.post(link)
    assert response.status_code == 302
    assert EmailAddress.objects.get(email="new@investor.com").verified
    assert client.get("/investor/").status_code == 200  # signed in by confirming


def test_an_unverified_address_cannot_sign_in(client) -> None:
    EmailAddressFactory(user=UserFactory(email="late@example.com", password=PASSWORD), verified=False)
    response = client.post("/accounts/login/", {"login": "late@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/confirm-email/"
    assert "_auth_user_id" not in client.session


def test_sign_in_with_the_email_in_any_case(client, make_user) -> None:
    make_user(email="aida@example.com")
    response = client.post("/accounts/login/", {"login": "AIDA@Example.com", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/").context["user"].email == "aida@example.com"


def test_a_wrong_password_is_refused_with_a_message(client, make_user) -> None:
    make_user(email="aida@example.com")
    response = client.post("/accounts/login/", {"login": "aida@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in response.content.decode()


def test_repeated_failed_sign_ins_lock_the_account_with_a_clear_message(client, make_user) -> None:
    make_user(email="aida@example.com")
    for _ in range(5):
        client.post("/accounts/login/", {"login": "aida@example.com", "password": "wrong"})
    response = client.post("/accounts/login/", {"login": "aida@example.com", "password": PASSWORD})
    assert response.status_code in (200, 429)
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session
    with time_machine.travel(time.time() + 16 * 60, tick=False):  # the lock lasts 15 minutes
        response = client.post("/accounts/login/", {"login": "aida@example.com", "password": PASSWORD})
        assert response.status_code == 302 and "_auth_user_id" in client.session


def test_password_reset_by_email(client, make_user) -> None:
    make_user(email="aida@example.com")
    response = client.post("/accounts/password/reset/", {"email": "aida@example.com"})
    assert response.status_code == 302 and len(mail.outbox) == 1
    link = _link(mail.outbox[0])
    response = client.get(link, follow=True)
    form_url = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(form_url, {"password1": "An0ther-good-pass", "password2": "An0ther-good-pass"})
    assert response.status_code == 302
    assert User.objects.get(email="aida@example.com").check_password("An0ther-good-pass")


def test_a_reset_for_an_unknown_address_answers_as_for_a_known_one(client, make_user) -> None:
    make_user(email="aida@example.com")
    known = client.post("/accounts/password/reset/", {"email": "aida@example.com"})
    unknown = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert (known.status_code, known["Location"]) == (unknown.status_code, unknown["Location"])
    # The unknown address is told (by email, to itself) that it has no account; no reset link.
    assert "/accounts/password/reset/key/" not in mail.outbox[-1].body


def test_change_of_email_needs_the_new_address_verified(client, make_user) -> None:
    user = make_user(email="old@example.com")
    client.force_login(user)
    response = client.post("/accounts/email/", {"action_add": "", "email": "new@example.com"})
    assert response.status_code == 302
    assert mail.outbox[-1].to == ["new@example.com"]
    user.refresh_from_db()
    assert user.email == "old@example.com"  # until verified
    client.post(_link(mail.outbox[-1]))
    user.refresh_from_db()
    assert user.email == "new@example.com"


def test_preferred_language_is_used_for_pages_and_saved_on_the_profile(client, make_user) -> None:
    user = make_user()
    client.force_login(user)
    response = client.post("/accounts/profile/", {"first_name": "Aida", "last_name": "N", "preferred_language": "kk"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.preferred_language == "kk"
    assert client.get("/deposits/").wsgi_request.LANGUAGE_CODE == "kk"


def test_sessions_end_with_the_browser_and_after_eight_hours(settings) -> None:
    assert settings.SESSION_EXPIRE_AT_BROWSER_CLOSE is True
    assert settings.SESSION_COOKIE_AGE == 8 * 60 * 60


@pytest.mark.parametrize("role", [Role.REVIEWER, Role.APPROVER, Role.REGISTRAR, Role.ADMIN])
def test_officials_without_an_authenticator_must_set_one_up_everywhere(client, make_user, role) -> None:
    official = make_user(role, two_factor=False)
    client.force_login(official)
    for path in ("/", "/admin/", "/investor/"):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == "/accounts/2fa/totp/activate/", path
    response = client.get("/api/v1/me/")  # a script is told why, not sent to a page
    assert response.status_code == 403 and response["Content-Type"] == "application/problem+json"


def test_investors_may_choose_two_factor_but_need_not(client, make_user) -> None:
    client.force_login(make_user(Role.INVESTOR))
    assert client.get("/investor/").status_code == 200
    assert client.get("/accounts/2fa/").status_code == 200


def test_an_official_signs_in_with_password_then_code_and_reaches_the_admin(client, make_user) -> None:
    make_user(Role.REGISTRAR, email="erlan@example.com")
    response = client.post("/accounts/login/", {"login": "erlan@example.com", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == "/accounts/2fa/authenticate/"
    assert client.get("/admin/").status_code == 302  # not yet signed in
    response = client.post("/accounts/2fa/authenticate/", {"code": "000000"})
    assert response.status_code == 200 and "Incorrect code" in response.content.decode()
    response = client.post("/accounts/2fa/authenticate/", {"code": totp_code(TOTP_SECRET)})
    assert response.status_code == 302
    assert client.get("/admin/").status_code == 200


def test_the_admin_has_no_login_form_of_its_own(client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_officials_cannot_remove_their_authenticator_investors_can(make_user) -> None:
    from allauth.mfa.adapter import get_adapter

    official, investor = make_user(Role.REVIEWER), make_user(Role.INVESTOR, two_factor=True)
    assert not get_adapter().can_delete_authenticator(official.authenticator_set.get(type="totp"))
    assert get_adapter().can_delete_authenticator(investor.authenticator_set.get(type="totp"))


@pytest.mark.parametrize("missing", ["consent", "first_name", "last_name"])
def test_sign_up_without_a_name_or_consent_is_refused_and_creates_nobody(client, missing) -> None:
    response = client.post("/accounts/signup/", {k: v for k, v in SIGN_UP.items() if k != missing})
    assert response.status_code == 200
    assert not User.objects.filter(email="new@investor.com").exists() and mail.outbox == []
    if missing == "consent":
        assert "Give your consent to the processing of your personal data to sign up." in response.content.decode()


def test_the_sign_up_page_links_the_terms_and_the_privacy_notice(client) -> None:
    page = client.get("/accounts/signup/").content.decode()
    assert 'href="/terms/"' in page and 'href="/privacy/"' in page
    for url in ("/terms/", "/privacy/"):
        assert client.get(url).status_code == 200
