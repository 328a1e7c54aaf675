"""Every API error answered one way: RFC 9457 problem details (`application/problem+json`).

`exception_handler` is DRF's EXCEPTION_HANDLER. It answers the domain errors of
accounts.errors (TransitionError 409, PermissionDenied 403, ValidationError 400), DRF's own
errors (with their headers: Retry-After, WWW-Authenticate) and Http404, with:

- `type`: "about:blank" (the status names the kind of problem), `title`, `status`, `detail`;
- for a refused input: `errors`, each field's messages under its name (nested as the input
  is; under `errors`, so that a field called `title` or `status` cannot clash with a
  problem member), and messages about no field as `problems`.
"""

from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from rest_framework import exceptions, views
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response

from accounts.errors import PROBLEM_CONTENT_TYPE, TransitionError, messages_of, problem_body


class Conflict(exceptions.APIException):
    status_code = 409
    default_code = "conflict"


class ProblemResponse(Response):
    """A DRF answer sent as application/problem+json when it is rendered as JSON (the
    browsable API keeps its HTML page)."""

    @property
    def rendered_content(self) -> Any:
        # Any JSON rendering (GeoJSON too); the browsable API keeps its page.
        if self.content_type is None and isinstance(getattr(self, "accepted_renderer", None), JSONRenderer):
            self.content_type = PROBLEM_CONTENT_TYPE
        return super().rendered_content


def _summary(problems: list[str], errors: dict[str, Any]) -> str:
    if len(problems) == 1 and not errors:
        return problems[0]
    return _("Correct the problems listed.")


def _validation_members(detail: Any) -> dict[str, Any]:
    """`detail`, `problems` and `errors` for a refused input, from DRF's error detail (a list,
    or a dict of fields, in which an explicit `detail` or `problems` is kept as given)."""
    if isinstance(detail, dict):
        errors = {k: v for k, v in detail.items() if k not in ("detail", "problems")}
        problems = [str(p) for p in detail.get("problems", [])]
        given = detail.get("detail")
    else:
        errors, problems, given = {}, [str(p) for p in detail], None
    members: dict[str, Any] = {}
    members["detail"] = str(given) if given is not None else _summary(problems, errors)
    if problems:
        members["problems"] = problems
    if errors:
        members["errors"] = errors
    return members


def _as_api_error(exc: Exception) -> Exception:
    """A domain error as the DRF error it is answered as; anything else unchanged."""
    if isinstance(exc, TransitionError):
        return Conflict(str(exc))
    if isinstance(exc, DjangoPermissionDenied):
        return exceptions.PermissionDenied(str(exc) or None)
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            fields = {k: v for k, v in exc.message_dict.items() if k != NON_FIELD_ERRORS}
            problems = exc.message_dict.get(NON_FIELD_ERRORS, [])
        else:
            fields, problems = {}, messages_of(exc)
        detail: dict[str, Any] = {**fields, "detail": _summary(problems, fields)}
        if problems:
            detail["problems"] = problems
        return exceptions.ValidationError(detail)
    return exc


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler (status, headers, rollback of the atomic request) with problem bodies."""
    response = views.exception_handler(_as_api_error(exc), context)
    if response is None:
        return None  # not an API error: a 500, answered by config.views.server_error
    data = response.data
    if response.status_code == 400 and not (isinstance(data, dict) and set(data) == {"detail"}):
        members = _validation_members(data)
    else:
        members = {"detail": data.get("detail", "") if isinstance(data, dict) else " ".join(map(str, data))}
    body = problem_body(response.status_code, members.pop("detail"), **members)
    headers = {k: v for k, v in response.items() if k.lower() != "content-type"}  # Retry-After, WWW-Authenticate
    return ProblemResponse(body, status=response.status_code, headers=headers)
