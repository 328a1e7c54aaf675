"""The domain errors, defined once for every app, and the one shape they are answered in.

A service refuses with one of three errors and nothing else:

- `TransitionError`: not possible in the object's current state (lodged twice, withdrawn
  already, bids still sealed). The API answers 409 Conflict.
- `django.core.exceptions.PermissionDenied`: this actor may not do this. 403 Forbidden.
- `django.core.exceptions.ValidationError`: the input is wrong; field messages under the
  field's name, other messages as a list. 400 Bad Request.

The API answers them (and DRF's own errors) as RFC 9457 problem details through
`config.problems.exception_handler`; pages show the same sentences through `refusal()`.
They live in accounts, the lowest app, because every app raises or answers them.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import JsonResponse
from django.utils.translation import gettext_lazy as _

PROBLEM_CONTENT_TYPE = "application/problem+json"


class TransitionError(Exception):
    """The change is not allowed from the object's current state (answered 409)."""


DOMAIN_ERRORS = (TransitionError, PermissionDenied, ValidationError)

# The title of each status a problem is answered with: the status's reason, in our words.
TITLES = {
    400: _("Bad request"),
    401: _("Not authenticated"),
    403: _("Forbidden"),
    404: _("Not found"),
    405: _("Method not allowed"),
    406: _("Not acceptable"),
    409: _("Conflict"),
    413: _("Request too large"),
    415: _("Unsupported media type"),
    422: _("Unprocessable content"),
    429: _("Too many requests"),
    500: _("Server error"),
    503: _("Service busy"),
}


def status_of(exc: Exception) -> int:
    """The HTTP status a domain error is answered with, on a page as in the API."""
    if isinstance(exc, TransitionError):
        return 409
    if isinstance(exc, PermissionDenied):
        return 403
    return 400


def messages_of(exc: Exception) -> list[str]:
    """What a refused service call says, as sentences (a ValidationError may hold several)."""
    if isinstance(exc, ValidationError):
        return [str(m) for m in exc.messages]
    return [str(exc)] if str(exc) else []


def problem_body(status: int, detail: str, *, title: str | None = None, **members: Any) -> dict[str, Any]:
    """An RFC 9457 problem: `type` is about:blank (the status says the kind), `title` the
    status's reason, `detail` what went wrong this time; extension members follow."""
    body: dict[str, Any] = {"type": "about:blank", "title": str(title or TITLES.get(status, "")), "status": status}
    body["detail"] = str(detail)
    body.update(members)
    return body


def problem_response(status: int, title: str | None, detail: str, **members: Any) -> JsonResponse:
    """A problem as an `application/problem+json` answer, for code that answers outside DRF
    (middleware, the catch-all under /api/, the 500 handler)."""
    body = problem_body(status, detail, title=title, **members)
    return JsonResponse(body, status=status, content_type=PROBLEM_CONTENT_TYPE)


@dataclass
class Refusal:
    """A page's record of a refused service call: falsy until a domain error was caught."""

    error: Exception | None = None
    status: int = 200
    messages: list[str] = field(default_factory=list)

    def __bool__(self) -> bool:
        return self.error is not None


@contextmanager
def refusal(*errors: type[Exception]) -> Iterator[Refusal]:
    """For pages: run a service call; a domain error (or only the kinds given) is caught and
    recorded with the sentences and status the API answers it with, for the page to show:

        with refusal() as refused:
            services.application_withdraw(actor=request.user, application=application, reason=reason)
        if refused:
            return render(request, ..., {"errors": refused.messages}, status=refused.status)
    """
    outcome, caught = Refusal(), errors or DOMAIN_ERRORS
    try:
        yield outcome
    except caught as exc:
        outcome.error, outcome.status, outcome.messages = exc, status_of(exc), messages_of(exc)
