"""Every API error is one RFC 9457 problem (config.problems): the domain errors, DRF's own and
Http404, each with its status, `type`, `title`, `detail` and, for a refused input, the field
errors; and the page helper records the same words and status."""

import json
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions
from rest_framework.authentication import BasicAuthentication
from rest_framework.test import APIRequestFactory
from rest_framework.views import APIView

from accounts.errors import TransitionError, messages_of, refusal, status_of


def _answer(exc: Exception, method: str = "get") -> Any:
    class Refusing(APIView):
        authentication_classes = [BasicAuthentication]  # a scheme to name in WWW-Authenticate on 401
        permission_classes: list[Any] = []

        def get(self, request: Any) -> None:
            raise exc

        post = get

    request = getattr(APIRequestFactory(), method)("/api/v1/anything/", HTTP_ACCEPT="application/json")
    response = Refusing.as_view()(request)
    response.render()
    response.body = json.loads(response.content)
    return response


@pytest.mark.parametrize(
    ("exc", "status", "title"),
    [
        (TransitionError("The application is withdrawn already."), 409, "Conflict"),
        (PermissionDenied("Only owners may do this."), 403, "Forbidden"),
        (exceptions.PermissionDenied("Only owners may do this."), 403, "Forbidden"),
        (exceptions.NotAuthenticated(), 401, "Not authenticated"),
        (exceptions.NotFound(), 404, "Not found"),
        (Http404("No such application."), 404, "Not found"),
        (exceptions.MethodNotAllowed("DELETE"), 405, "Method not allowed"),
        (exceptions.ParseError("The request body is not valid JSON."), 400, "Bad request"),
        (exceptions.UnsupportedMediaType("text/csv"), 415, "Unsupported media type"),
        (exceptions.Throttled(wait=7), 429, "Too many requests"),
    ],
)
def test_each_error_is_a_problem_with_its_status(exc: Exception, status: int, title: str) -> None:
    response = _answer(exc)
    body = response.body
    assert response.status_code == status and response["Content-Type"] == "application/problem+json"
    assert set(body) == {"type", "title", "status", "detail"}
    assert (body["type"], body["title"], body["status"]) == ("about:blank", title, status)
    assert body["detail"]
    if isinstance(exc, exceptions.Throttled):
        assert response["Retry-After"] == "7" and "7 seconds" in body["detail"]
    if status == 401:
        assert response["WWW-Authenticate"].startswith("Basic")


def test_a_domain_error_keeps_its_words_as_the_detail() -> None:
    body = _answer(TransitionError("The application is withdrawn already.")).body
    assert body["detail"] == "The application is withdrawn already."


def test_a_service_validation_error_lists_field_errors_and_problems() -> None:
    exc = ValidationError({"title": ["Give a title."], "__all__": ["Make the declaration.", "Attach the map."]})
    response = _answer(exc, "post")
    body = response.body
    assert response.status_code == 400 and response["Content-Type"] == "application/problem+json"
    assert body["title"] == "Bad request" and body["status"] == 400 and body["type"] == "about:blank"
    assert body["errors"] == {"title": ["Give a title."]}  # the field `title` does not clash with the member
    assert body["problems"] == ["Make the declaration.", "Attach the map."]
    assert body["detail"] == "Correct the problems listed."


def test_one_problem_is_the_detail() -> None:
    body = _answer(ValidationError("Year 9 is not a year of the term."), "post").body
    assert body["detail"] == "Year 9 is not a year of the term."
    assert body["problems"] == ["Year 9 is not a year of the term."] and "errors" not in body


def test_a_serializer_validation_error_names_its_fields() -> None:
    exc = exceptions.ValidationError({"bbox": ["Give four numbers."], "years": [{"year": ["Too late."]}, {}]})
    body = _answer(exc, "post").body
    assert body["status"] == 400 and body["detail"] == "Correct the problems listed."
    assert body["errors"] == {"bbox": ["Give four numbers."], "years": [{"year": ["Too late."]}, {}]}


def test_the_page_helper_records_the_api_words_and_status() -> None:
    with refusal() as refused:
        raise TransitionError("The bids were already opened.")
    assert refused and refused.status == 409 and refused.messages == ["The bids were already opened."]
    with refusal() as nothing:
        pass
    assert not nothing
    with pytest.raises(PermissionDenied), refusal(TransitionError):
        raise PermissionDenied("Not yours.")
    exc = ValidationError(["One.", "Two."])
    assert (status_of(exc), messages_of(exc)) == (400, ["One.", "Two."])
