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
from rest_framework import permissions, serializers
from rest_framework.authentication import SessionAuthentication

from accounts.errors import problem_response


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
    "403": gettext_lazy("Not signed in, no CSRF token, or not allowed to do this."),
    "404": gettext_lazy("No such resource, or not one you may see."),
    "409": gettext_lazy("Not possible in the resource's current state."),
    "415": gettext_lazy("The request body is not JSON or form data."),
    "429": gettext_lazy("Too many requests; try again later."),
}


class AutoSchema(SpectacularAutoSchema):
    """drf-spectacular's schema, with the error answers DRF gives for this view added to each
    operation, derived from the view itself (its permissions, authenticators, throttles, path
    parameters, query parameters, pagination and body) so that a new view documents them too."""

    def _error_codes(self) -> set[str]:
        view = self.view
        unsafe = self.method not in ("GET", "HEAD", "OPTIONS")
        codes: set[str] = set()
        if unsafe or self._get_filter_parameters() or self._query_parameters_declared():
            codes.add("400")
        if unsafe:
            codes.add("415")
        if any(not isinstance(a, SessionAuthentication) for a in view.get_authenticators()):
            codes.add("401")
        # Session authentication answers 403 (not 401) to anonymous callers, and to writes without CSRF.
        if unsafe or any(not isinstance(p, permissions.AllowAny) for p in view.get_permissions()):
            codes.add("403")
        if "{" in self.path or (self._is_list_view() and self._get_paginator() is not None) or self._formats():
            codes.add("404")  # a path parameter naming nothing, a page past the end, or an unknown format
        if getattr(view, "throttle_classes", None):
            codes.add("429")
        return codes

    def _query_parameters_declared(self) -> bool:
        return any(p.get("in") == "query" for p in self._process_override_parameters().values())

    def _formats(self) -> bool:
        return any(p.get("name") == "format" for p in self._process_override_parameters().values())

    def _get_response_bodies(self, direction: str = "response") -> dict[str, Any]:  # type: ignore[override]
        responses = super()._get_response_bodies(direction)
        problem = self._get_response_for_code(ProblemSerializer, "400", direction=direction)["content"]
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
