"""The API's answers and its OpenAPI document agree: every operation documents the error
statuses it can answer, and an unknown address under /api/ answers a JSON problem (RFC 9457),
not an HTML page."""

from typing import Any

from django.http import HttpRequest, JsonResponse
from django.urls import Resolver404, resolve
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.csrf import csrf_exempt
from drf_spectacular.openapi import AutoSchema as SpectacularAutoSchema
from drf_spectacular.utils import OpenApiParameter
from rest_framework import serializers
from rest_framework.authentication import SessionAuthentication

from accounts.errors import PROBLEM_CONTENT_TYPE, problem_response
from partners.idempotency import KEY_PATTERN as IDEMPOTENCY_KEY_PATTERN


class ProblemSerializer(serializers.Serializer):
    """What every error answer holds (RFC 9457, sent as application/problem+json by
    config.problems): `detail` says what went wrong. A refused input lists each field's
    messages under `errors`; messages about no field are listed as `problems`."""

    type = serializers.CharField(help_text=gettext_lazy("A URI naming the kind of problem; about:blank: the status."))
    title = serializers.CharField(help_text=gettext_lazy("The kind of problem, in words."))
    status = serializers.IntegerField(help_text=gettext_lazy("The HTTP status."))
    detail = serializers.CharField(help_text=gettext_lazy("What went wrong this time."))
    problems = serializers.ListField(child=serializers.CharField(), required=False)
    errors = serializers.DictField(
        required=False, help_text=gettext_lazy("Each refused field's messages, under the field's name.")
    )


ERROR_DESCRIPTIONS = {
    "400": gettext_lazy("A parameter or the request body is malformed; the answer names it."),
    "401": gettext_lazy("Credentials are missing or wrong."),
    "403": gettext_lazy(
        "Not signed in, no CSRF token, or not allowed to do this (a partner token without the scope it needs)."
    ),
    "404": gettext_lazy("No such resource, or not one you may see."),
    "409": gettext_lazy(
        "Not possible in the resource's current state, or a request with the same Idempotency-Key is still "
        "being processed (retry after Retry-After seconds)."
    ),
    "415": gettext_lazy("The request body is not JSON or form data."),
    "422": gettext_lazy("This Idempotency-Key was used before for a different request."),
    "429": gettext_lazy("Too many requests; try again later."),
}


IDEMPOTENCY_KEY = OpenApiParameter(
    "Idempotency-Key",
    {"type": "string", "minLength": 1, "maxLength": 255, "pattern": IDEMPOTENCY_KEY_PATTERN},
    OpenApiParameter.HEADER,
    description=gettext_lazy(
        "Optional, 1 to 255 printable ASCII characters, unique per request you mean (e.g. a UUID). Send the same "
        "key when you retry: the request is done once, and a retry gets the first answer again "
        "(with `Idempotent-Replayed: true`). Keys are kept for 24 hours."
    ),
)


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error answers DRF gives for this view added to each
    operation, derived from the view itself (its permissions, authenticators, throttles, path
    parameters, query parameters, pagination and body) so that a new view documents them too."""

    def _error_codes(self) -> set[str]:
        view = self.view
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        codes: set[str] = set()
        paged = self._is_list_view() and self._get_paginator() is not None  # a cursor or page size not ours
        if unsafe or paged or self._get_filter_parameters() or self._query_parameters_declared():
            codes.add("400")
        if unsafe:
            codes.add("415")
        if any(not isinstance(a, SessionAuthentication) for a in view.get_authenticators()):
            codes.add("401")
        # Session authentication answers 403 (not 401) to anonymous callers, and to writes without
        # CSRF; a partner token answers 403 wherever it lacks the scope (or tokens may not go).
        codes.add("403")
        if self.method == "POST":
            codes |= {"409", "422"}  # Idempotency-Key: still being processed, or reused for another request
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None) or self._formats():
            codes.add("404")  # a path parameter naming nothing, a page past the end, or an unknown format
        if getattr(view, "throttle_classes", None):
            codes.add("429")
        return codes

    def get_override_parameters(self) -> list[Any]:
        parameters = list(super().get_override_parameters())
        if self.method == "POST":
            parameters.append(IDEMPOTENCY_KEY)
        return parameters

    def _query_parameters_declared(self) -> bool:
        return any(p.get("in") == "query" for p in self._process_override_parameters().values())

    def _formats(self) -> bool:
        return any(p.get("name") == "format" for p in self._process_override_parameters().values())

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:  # type: ignore[override]
        responses = super()._get_response_bodies(direction)
        problem_content = self._get_response_for_code(ProblemSerializer, "400", direction=direction)["content"]
        # Errors are sent as application/problem+json (config.problems), whatever else the view speaks.
        problem = {PROBLEM_CONTENT_TYPE: next(iter(problem_content.values()))}
        for code in self._error_codes():
            responses.setdefault(code, {"description": str(ERROR_DESCRIPTIONS[code])})
        for code, response in responses.items():
            if code.isdigit() and int(code) >= 400:  # whatever a view declares, the handler sends a problem
                response["content"] = problem
                if response.get("description") in (None, "", "No response body") and code in ERROR_DESCRIPTIONS:
                    response["description"] = str(ERROR_DESCRIPTIONS[code])
        return responses


@csrf_exempt  # any method may reach it; it changes nothing
def api_not_found(request: HttpRequest, *args: object, **kwargs: object) -> JsonResponse:
    """Every address under /api/ that names no resource."""
    detail = _("There is no API resource at this address.")
    if not request.path.endswith("/"):
        try:
            match = resolve(request.path + "/")
        except Resolver404:
            match = None
        if match is not None and match.func is not api_not_found:
            detail = _("There is no API resource at this address; did you mean %(path)s?") % {
                "path": request.path + "/"
            }
    return problem_response(404, _("Not found"), detail)
