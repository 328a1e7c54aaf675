"""Processing statistics: outcomes and working days from lodgement to decision."""

from django.http import Http404, HttpRequest, HttpResponse


def statistics_page(request: HttpRequest) -> HttpResponse:
    raise Http404
