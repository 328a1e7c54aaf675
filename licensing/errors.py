"""Domain errors answered one way: problem details (RFC 9457) in the API, the same sentences on the page."""

from typing import Any

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from rest_framework import exceptions, serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from documents.checks import CheckFailed, json_load
from investors.services import TransitionError


def error_messages(exc: Exception) -> list[str]:
    """What a refused service call says, as sentences (a ValidationError may hold several)."""
    return [str(m) for m in exc.messages] if isinstance(exc, ValidationError) else [str(exc)]


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_detail = gettext_lazy("This cannot be done in the application's current state.")
    default_code = "conflict"


def validation_body(exc: DjangoValidationError) -> dict[str, Any]:
    """A service's ValidationError as a 400 body: field messages under the field's name, other
    messages as `problems` with the first (or a summary) as `detail`."""
    if hasattr(exc, "error_dict"):
        body: dict[str, Any] = {k: v for k, v in exc.message_dict.items() if k != NON_FIELD_ERRORS}
        problems = exc.message_dict.get(NON_FIELD_ERRORS, [])
    else:
        body, problems = {}, exc.messages
    if problems:
        body["detail"] = problems[0] if len(problems) == 1 else _("Correct the problems listed.")
        body["problems"] = problems
    return body


class DomainErrors:
    """Turns the services' domain errors into API errors that keep the services' messages."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, TransitionError):
            exc = Conflict(str(exc))
        elif isinstance(exc, DjangoValidationError):
            exc = exceptions.ValidationError(validation_body(exc))
        elif isinstance(exc, DjangoPermissionDenied):
            exc = exceptions.PermissionDenied(str(exc) or None)
        return super().handle_exception(exc)  # type: ignore[misc]


class BoundedJSONParser(JSONParser):
    """JSON bodies as DRF parses them, except that a body nested deeper than any of ours, NaN,
    Infinity or a body over DATA_UPLOAD_MAX_MEMORY_SIZE answer 400 with the reason (the json
    module alone recurses into RecursionError, a 500)."""

    max_depth = 32

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise exceptions.ParseError(_("The request body is larger than %(n)s bytes.") % {"n": limit})
        encoding = (parser_context or {}).get("encoding", settings.DEFAULT_CHARSET)
        try:
            return json_load(raw.decode(encoding), max_depth=self.max_depth)
        except CheckFailed as exc:
            raise exceptions.ParseError(" ".join(exc.reasons)) from exc
        except ValueError as exc:
            raise exceptions.ParseError(_("The request body is not valid JSON: %(error)s") % {"error": exc}) from exc


class ErrorSerializer(serializers.Serializer):
    detail = serializers.CharField()


class ProblemsSerializer(serializers.Serializer):
    detail = serializers.CharField()
    problems = serializers.ListField(child=serializers.CharField(), required=False)
