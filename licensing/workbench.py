"""The reviewer workbench: queues, the case page and its actions (officials only)."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


queue = case = case_action = _todo
