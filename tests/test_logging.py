"""A refused request is logged as one line, without a traceback; a server error keeps its
traceback (config.logging)."""

import io
import logging
import logging.config
from collections.abc import Iterator

import pytest
from django.urls import reverse

from config.logging import ClientErrorWithoutTraceback


@pytest.fixture
def console(settings) -> Iterator[io.StringIO]:
    # As Django configures it at start-up: an in-process Celery worker started by an earlier test
    # takes over the root logger (worker_hijack_root_logger), which a web process never sees.
    logging.config.dictConfig(settings.LOGGING)
    handler = next(
        h for h in logging.getLogger().handlers if any(isinstance(f, ClientErrorWithoutTraceback) for f in h.filters)
    )
    buffer = io.StringIO()
    previous = handler.setStream(buffer)
    yield buffer
    handler.setStream(previous)


def test_a_forbidden_page_is_one_line_in_the_log(client, investor, console) -> None:
    client.force_login(investor)
    response = client.get(reverse("licensing:workbench"))
    assert response.status_code == 403
    logged = console.getvalue()
    assert "Forbidden" in logged
    assert "Traceback" not in logged


def test_a_server_error_keeps_its_traceback(console) -> None:
    try:
        raise RuntimeError("the database went away")
    except RuntimeError:
        log = logging.getLogger("django.request")
        log.error("Internal Server Error: /x", exc_info=True, extra={"status_code": 500})
    assert "Traceback" in console.getvalue()
    assert "the database went away" in console.getvalue()
