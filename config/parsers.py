"""The API's JSON parser, bounded: every endpoint's JSON body goes through it (REST_FRAMEWORK's
DEFAULT_PARSER_CLASSES)."""

from typing import Any

from django.conf import settings
from django.utils.translation import gettext as _
from rest_framework import exceptions
from rest_framework.parsers import JSONParser

from documents.checks import CheckFailed, json_load


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
