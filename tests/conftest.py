"""Shared fixtures, and the rule for tests that need outside services.

A test marked `postgres`, `redis` or `browser` skips with a reason when that service is
absent, unless REQUIRE_SERVICES=1 (postgres, redis) or REQUIRE_BROWSER=1 (browser) is
set: then the absence fails the test instead.
"""

import os
import shutil
import time
from collections.abc import Callable, Iterator
from functools import cache

import pytest
from django.db import connection

from accounts.models import User
from accounts.roles import Role
from tests.accounts import factories as account_factories


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes"}


@cache
def _redis_missing() -> str | None:
    url = os.environ.get("REDIS_URL")
    if not url:
        return "REDIS_URL is not set"
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as exc:
        return f"Redis at {url} is unreachable: {exc}"
    return None


def chromium_path() -> str | None:
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which("chromium-browser")


@cache
def _browser_missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed"
    if not chromium_path():
        return "Chromium is not installed (apt-get install chromium)"
    return None


def _postgres_missing() -> str | None:
    if connection.vendor != "postgresql":
        return "the tests run on SQLite; set DATABASE_URL to a PostgreSQL database"
    return None


REQUIREMENTS: dict[str, tuple[Callable[[], str | None], str]] = {
    "postgres": (_postgres_missing, "REQUIRE_SERVICES"),
    "redis": (_redis_missing, "REQUIRE_SERVICES"),
    "browser": (_browser_missing, "REQUIRE_BROWSER"),
}


def _check_transactional_tests_restore_the_data(item: pytest.Item) -> None:
    """A test that commits (transaction=True) empties the tables when it ends; without
    serialized_rollback the roles and rows the migrations made are gone for the tests after it,
    or made again under other ids, and a later test fails at set-up far from the cause."""
    marker = item.get_closest_marker("django_db")
    if marker is not None and marker.kwargs.get("transaction") and not marker.kwargs.get("serialized_rollback"):
        pytest.fail(f"{item.nodeid}: mark it django_db(transaction=True, serialized_rollback=True)", pytrace=False)


def pytest_runtest_setup(item: pytest.Item) -> None:
    _check_transactional_tests_restore_the_data(item)
    for marker, (missing, flag) in REQUIREMENTS.items():
        if item.get_closest_marker(marker) is None:
            continue
        reason = missing()
        if reason is None:
            continue
        if _flag(flag):
            pytest.fail(f"{flag}=1 but {reason}", pytrace=False)
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    """Each test starts with an empty cache (revision numbers restart with each test's data).
    On Redis the test settings' cache clears only its own prefix, not the database."""
    from django.core.cache import caches

    for alias in caches:
        caches[alias].clear()


def _record_second_factor(client: object, user: User) -> None:
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is None:
        return
    session = client.session  # type: ignore[attr-defined]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [
        {"method": "password", "at": time.time(), "email": user.email},
        {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
    ]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _force_login_signs_in_with_the_second_factor(monkeypatch: pytest.MonkeyPatch) -> None:
    """`client.force_login(user)` stands for a complete sign-in, as allauth records it: with
    the second factor when the person has an authenticator app (officials must). A test of a
    session signed in with the password alone uses `sign_in_with_password_only`."""
    from django.test import Client

    original = Client.force_login

    def force_login(self: Client, user: User, backend: str | None = None) -> None:
        original(self, user, backend)
        _record_second_factor(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


def sign_in_with_password_only(client: object, user: User) -> None:
    """A session signed in with the password and no second factor, whatever `user` has set up."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY

    client.force_login(user)  # type: ignore[attr-defined]
    session = client.session  # type: ignore[attr-defined]
    session[AUTHENTICATION_METHODS_SESSION_KEY] = [{"method": "password", "at": time.time(), "email": user.email}]
    session["account_authentication_methods_user"] = str(user.pk)
    session.save()


@pytest.fixture(autouse=True)
def _site_language() -> Iterator[None]:
    """Each test starts in the site's language, whatever an earlier request or test activated in
    this thread (the test client's requests run in it, and LocaleMiddleware leaves its choice)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _documents_in_a_temporary_folder(settings, tmp_path) -> None:
    settings.DOCUMENTS_ROOT = tmp_path / "documents"


@pytest.fixture(autouse=True)
def _open_data_in_a_temporary_folder(settings, tmp_path) -> None:
    settings.OPEN_DATA_ROOT = tmp_path / "open-data"


@pytest.fixture
def make_user(db: None) -> Callable[..., User]:
    """`make_user(*roles, email=None, two_factor=None)`: tests.accounts.factories.user, numbered."""
    return account_factories.user_maker()


@pytest.fixture
def registrar(make_user: Callable[..., User]) -> User:
    return make_user(Role.REGISTRAR)


@pytest.fixture
def investor(make_user: Callable[..., User]) -> User:
    return make_user(Role.INVESTOR)


@pytest.fixture
def celery_worker(transactional_db: None) -> Iterator[object]:
    """A real Celery worker (in a thread of this process) on the configured broker."""
    from celery.contrib.testing.worker import start_worker

    from config.celery import app

    with app.connection_for_write() as conn:
        conn.default_channel.queue_purge(app.conf.task_default_queue)
    with start_worker(app, pool="solo", concurrency=1, perform_ping_check=False, loglevel="WARNING") as worker:
        yield worker


@pytest.fixture
def live_server(transactional_db: None) -> Iterator[object]:
    """A live server per test, stopped before the test's database is torn down: the
    session-wide one outlives the test database and PostgreSQL refuses to drop it."""
    from django.db import connections
    from pytest_django.live_server_helper import LiveServer

    server = LiveServer("localhost")
    yield server
    server.stop()
    connections.close_all()
