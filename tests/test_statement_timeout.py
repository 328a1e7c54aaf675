"""Web requests are bounded in time: a statement running past DJANGO_DB_STATEMENT_TIMEOUT_MS is
cancelled by PostgreSQL and the request answers 503 with Retry-After; other processes are unbounded.

Found by probing: gunicorn's timeout does not end a request in a threaded worker, and a
168-second open-data request ran to the end.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.db import connection
from django.db.backends.signals import connection_created
from django.http import HttpRequest, HttpResponse
from django.urls import path

import config.urls
from config.database import bound_statements_of_this_process

pytestmark = [pytest.mark.postgres, pytest.mark.urls(__name__)]
ROOT = Path(__file__).resolve().parent.parent


def slow(request: HttpRequest) -> HttpResponse:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_sleep(2)")
    return HttpResponse("done")


urlpatterns = [path("slow/", slow), path("api/v1/slow/", slow), *config.urls.urlpatterns]


@pytest.fixture
def bounded(settings):
    settings.DB_STATEMENT_TIMEOUT_MS = 100
    bound_statements_of_this_process()
    connection.close()  # the next query opens a connection as the web process does
    yield
    connection_created.disconnect(dispatch_uid="config.database.bound_statements")
    connection.close()


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_statement_past_the_limit_answers_503_and_the_connection_goes_on(client, bounded) -> None:
    response = client.get("/slow/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"].startswith("text/html") and b"took too long" in response.content

    response = client.get("/api/v1/slow/")
    assert response.status_code == 503 and response["Retry-After"] == "30"
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 503 and set(response.json()) == {"type", "title", "status", "detail"}

    with connection.cursor() as cursor:  # the same connection, usable after the cancellation
        cursor.execute("SHOW statement_timeout")
        assert cursor.fetchone() == ("100ms",)
    assert client.get("/api/v1/licence-types/").status_code == 200


def _statement_timeout_in_a_fresh_process(code: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "DJANGO_DB_STATEMENT_TIMEOUT_MS": "1234"}
    script = (
        "import django, os; django.setup()\n"
        f"{code}\n"
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW statement_timeout'); print(c.fetchone()[0])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


def test_only_the_web_process_bounds_its_statements() -> None:
    assert _statement_timeout_in_a_fresh_process("import config.wsgi") == "1234ms"
    # The Celery worker (and migrate, the demo loader: manage.py) never load config/wsgi.py.
    assert _statement_timeout_in_a_fresh_process("from config.celery import app") == "0"
