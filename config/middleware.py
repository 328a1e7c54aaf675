"""Rules for every request, whatever app answers it: no NUL characters, and a bounded time."""

import json
import logging
from collections.abc import Callable, Iterable
from typing import Any

from django.db import OperationalError
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import gettext as _

from accounts.errors import TITLES, problem_response

logger = logging.getLogger(__name__)
Handler = Callable[[HttpRequest], HttpResponse]
NUL = "\x00"


def _problem(request: HttpRequest, *, status: int, detail: str) -> HttpResponse:
    """RFC 9457 problem details for the API, a short page for everyone else, titled alike."""
    title = str(TITLES[status])
    if request.path.startswith("/api/"):
        return problem_response(status, title, detail)
    page = f"<!doctype html><title>{escape(title)}</title><h1>{escape(title)}</h1><p>{escape(detail)}</p>"
    return HttpResponse(page, status=status, content_type="text/html; charset=utf-8")


def _strings(value: Any) -> Iterable[str]:
    """Every string (keys included) in a decoded JSON document."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            yield item
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _json_has_nul(body: bytes) -> bool:
    if b"\x00" in body:
        return True
    if b"\\u0000" not in body:  # the only other spelling of NUL in JSON (digits have no case)
        return False
    try:
        document = json.loads(body)
    except ValueError:
        return False  # not JSON after all: the view refuses it in its own words
    return any(NUL in s for s in _strings(document))


def _has_nul(request: HttpRequest) -> bool:
    if NUL in request.path or NUL in request.path_info:
        return True
    if any(NUL in item for key, values in request.GET.lists() for item in [key, *values]):
        return True
    content_type = request.content_type or ""
    if request.method in {"POST", "PUT", "PATCH", "DELETE"}:
        if content_type in {"application/x-www-form-urlencoded", "multipart/form-data"}:
            if request.method != "POST":
                return False  # Django parses forms of POST only; the API parses the rest itself
            try:
                fields = [item for key, values in request.POST.lists() for item in [key, *values]]
            except MultiPartParserError:
                return False  # a broken upload: the view refuses it as it always has
            names = [item for key, files in request.FILES.lists() for item in [key, *(f.name or "" for f in files)]]
            return any(NUL in item for item in fields + names)
        if content_type == "application/json" or content_type.endswith("+json"):
            return _json_has_nul(request.body)
    return False


def refuse_nul_characters(get_response: Handler) -> Handler:
    """A NUL character in the path, the query, a form field, a file name or a JSON body is
    refused with 400 before any view runs: PostgreSQL text cannot hold one, so it would
    otherwise fail as a server error wherever it reached a query."""

    def middleware(request: HttpRequest) -> HttpResponse:
        if _has_nul(request):
            return _problem(
                request,
                status=400,
                detail=_("The request contains a NUL character, which no address, field or value may hold."),
            )
        return get_response(request)

    return middleware


# PostgreSQL's code for a statement cancelled by statement_timeout (config/database.py).
QUERY_CANCELED = "57014"
RETRY_AFTER_SECONDS = 30


class StatementCancelledIsUnavailable:
    """A request whose query ran out of time answers 503 with Retry-After, not a 500: the
    service is busy, the request itself may be fine."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, OperationalError):
            return None
        if getattr(exception.__cause__, "sqlstate", None) != QUERY_CANCELED:
            return None
        logger.warning("Statement cancelled after the time limit: %s %s", request.method, request.path)
        response = _problem(
            request,
            status=503,
            detail=_("The request took too long to answer. Try again in a little while, or narrow it."),
        )
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
