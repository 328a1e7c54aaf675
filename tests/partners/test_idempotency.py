"""`Idempotency-Key` on API POSTs: a retried request does nothing twice, even when the retry
arrives while the first is still running (decided by the database's unique key)."""

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.utils import timezone

from licensing.drafting import services as drafting_services
from licensing.models import Application
from partners.idempotency import idempotency_records_purge
from partners.models import IdempotencyRecord
from tests.licensing import factories

APPLICATIONS = "/api/v1/applications/"


def body(organisation_id: int, title: str = "Kalba lithium") -> dict[str, object]:
    return {
        "organisation": organisation_id,
        "licence_type": factories.licence_type().pk,
        "title": title,
        "region": "east_kazakhstan",
        "blocks": [factories.ORIGIN],
    }


def create(http: Client, data: dict[str, object], key: str | None = "draft-1"):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key is not None else {}
    return http.post(APPLICATIONS, data, content_type="application/json", **headers)


@pytest.fixture
def applicant_client(make_user, client) -> tuple[Client, int]:
    crew = factories.officials(make_user)
    owner, org = factories.applicant(make_user, crew.registrar)
    client.force_login(owner)
    return client, org.pk


@pytest.mark.django_db
def test_a_retried_post_answers_the_same_and_creates_once(applicant_client) -> None:
    http, org = applicant_client
    first = create(http, body(org))
    again = create(http, body(org))
    assert first.status_code == again.status_code == 201
    assert again.json() == first.json() and again["Idempotent-Replayed"] == "true"
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_the_same_key_for_a_different_request_is_refused(applicant_client) -> None:
    http, org = applicant_client
    assert create(http, body(org)).status_code == 201
    other = create(http, body(org, title="Another project"))
    assert other.status_code == 422 and other["Content-Type"] == "application/problem+json"
    assert "different request" in other.json()["detail"]
    assert Application.objects.count() == 1


@pytest.mark.django_db
def test_posts_without_a_key_are_not_remembered(applicant_client) -> None:
    http, org = applicant_client
    create(http, body(org), key=None)
    create(http, body(org), key=None)
    assert Application.objects.count() == 2 and not IdempotencyRecord.objects.exists()


@pytest.mark.django_db
def test_keys_belong_to_their_caller(applicant_client, make_user, client) -> None:
    http, org = applicant_client
    assert create(http, body(org)).status_code == 201
    crew = factories.officials(make_user)
    other_owner, other_org = factories.applicant(make_user, crew.registrar, name="Other LLP")
    other = Client()
    other.force_login(other_owner)
    assert create(other, body(other_org.pk)).status_code == 201  # the same key, another person
    assert Application.objects.count() == 2


@pytest.mark.django_db
def test_a_refused_request_is_answered_the_same_on_retry(applicant_client) -> None:
    http, org = applicant_client
    bad = {**body(org), "region": "atlantis"}
    first, again = create(http, bad, key="bad-1"), create(http, bad, key="bad-1")
    assert first.status_code == again.status_code == 400 and again.json() == first.json()


@pytest.mark.django_db
@pytest.mark.parametrize("key", ["", " ", "k" * 256, "tab\there"])
def test_a_malformed_key_is_refused(applicant_client, key) -> None:
    http, org = applicant_client
    answer = create(http, body(org), key=key)
    assert answer.status_code == 400 and "Idempotency-Key" in answer.json()["detail"]
    assert not Application.objects.exists()


@pytest.mark.django_db
def test_old_keys_are_forgotten(applicant_client, time_machine) -> None:
    http, org = applicant_client
    create(http, body(org))
    time_machine.move_to(timezone.now() + timedelta(hours=25))
    assert idempotency_records_purge() == 1
    http.force_login(Application.objects.get().created_by)  # the session of yesterday has ended
    assert create(http, body(org)).status_code == 201  # a new request now
    assert Application.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_retry_while_the_first_runs_waits_and_nothing_is_done_twice(make_user, monkeypatch) -> None:
    crew = factories.officials(make_user)
    owner, org = factories.applicant(make_user, crew.registrar)
    started, release = threading.Event(), threading.Event()
    original = drafting_services.application_create

    def held(**kwargs: object) -> Application:
        started.set()
        assert release.wait(20), "the test never released the first request"
        return original(**kwargs)

    monkeypatch.setattr(drafting_services, "application_create", held)
    answers: dict[str, object] = {}

    def first_request() -> None:
        http = Client()
        http.force_login(owner)
        try:
            answers["first"] = create(http, body(org.pk))
        finally:
            connection.close()  # the thread's own connection, or the test database cannot be dropped

    thread = threading.Thread(target=first_request)
    thread.start()
    assert started.wait(20)
    retry = Client()
    retry.force_login(owner)
    busy = create(retry, body(org.pk))  # on its own connection, while the first holds the key
    release.set()
    thread.join(20)
    assert busy.status_code == 409 and busy["Retry-After"] == "1"
    assert answers["first"].status_code == 201, answers["first"].content
    replay = create(retry, body(org.pk))
    assert replay.status_code == 201 and replay.json() == answers["first"].json()
    assert Application.objects.count() == 1
