import pytest
from django.test import override_settings


def test_healthz_answers_while_the_process_lives(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json() == {"status": "ok"}


@pytest.mark.django_db
def test_readyz_checks_the_database_and_the_broker(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 200
    assert response.json()["checks"] == {"database": "ok", "broker": "ok"}


@pytest.mark.django_db
@override_settings(CELERY_BROKER_URL="redis://127.0.0.1:1/0", CELERY_BROKER_TRANSPORT_OPTIONS={})
def test_readyz_answers_503_naming_the_broker_when_it_is_down(client) -> None:
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.json()
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("error")


@pytest.mark.redis
@pytest.mark.django_db
def test_readyz_reaches_a_real_redis_broker(client, settings) -> None:
    import os

    settings.CELERY_BROKER_URL = os.environ["REDIS_URL"]
    settings.CELERY_BROKER_TRANSPORT_OPTIONS = {}
    assert client.get("/readyz").json()["checks"]["broker"] == "ok"
