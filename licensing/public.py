"""The licence register, certificates, refusal letters, public verification and open data."""

from django.http import Http404, HttpRequest, HttpResponse


def _todo(request: HttpRequest, **kwargs: object) -> HttpResponse:
    raise Http404


licence_register = licence_detail = verify = certificate = refusal_letter = licences_geojson = licences_csv = _todo
