"""Thin views: each hands the request to the pygeoapi function for its path and returns its
answer as JSON. Only JSON is served (HTML pages of pygeoapi load scripts from CDNs); a query
parameter the path does not define is refused with 400, as OGC API - Features requires."""

import json
from collections.abc import Callable
from http import HTTPStatus
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from django.http import HttpRequest, HttpResponse
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from licensing.ogc import selectors, service

if TYPE_CHECKING:
    from pygeoapi.api import API

Answer = tuple[dict[str, str], int, Any]

# What every path takes; the items path takes these too, and a collection's properties as filters.
COMMON = frozenset({"f", "lang"})
ITEMS = service.SERVED_PARAMETERS
# What we claim: pygeoapi claims its HTML, CRS, queryables and transactions too, which this
# service does not offer (JSON only, CRS84 only, equality filters on a few properties, read only).
CLAIMED = (
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/json",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/landing-page",
    "http://www.opengis.net/spec/ogcapi-common-1/1.0/conf/oas30",
    "http://www.opengis.net/spec/ogcapi-common-2/1.0/conf/collections",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson",
    "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/oas30",
)
# Links pygeoapi writes to formats we do not serve.
UNSERVED = ("f=html", "f=jsonld")

GEOJSON = "application/geo+json"


class _JsonRequest:
    """The request as pygeoapi reads it, asking for JSON whatever the browser's Accept says."""

    def __init__(self, request: HttpRequest) -> None:
        self.GET = request.GET.copy()
        self.GET["f"] = "json"
        self.headers = request.headers
        self.path_info = request.path_info
        self.body = b""


def _pygeoapi(name: str) -> Callable[..., Answer]:
    """pygeoapi's function for a path, imported on first use: importing pygeoapi takes about two
    seconds (its CQL grammar, pyproj), which every process that loads the URLs would pay."""
    from pygeoapi import api
    from pygeoapi.api import itemtypes

    return getattr(itemtypes, name, None) or getattr(api, name)


def _service(request: HttpRequest) -> "API":
    base_url = request.build_absolute_uri(reverse("ogc:landing")).rstrip("/")
    site = request.build_absolute_uri("/").rstrip("/")
    return service.api(base_url=base_url, site=site, language=get_language() or "en")


def _refusal(api: "API", code: str, message: str) -> Answer:
    return api.get_exception(HTTPStatus.BAD_REQUEST, {"Content-Type": "application/json"}, "json", code, message)


def _served(link: Any, base_path: str) -> bool:
    """Whether a link leads to something this service answers: not to pygeoapi's HTML or JSON-LD,
    nor to the processes, jobs and tiles it links to but we do not route."""
    if not isinstance(link, dict):
        return True
    address = urlsplit(link.get("href", ""))
    if any(f"{fmt}" in address.query.split("&") for fmt in UNSERVED):
        return False
    if address.path != base_path and not address.path.startswith(base_path + "/"):
        return True  # the site's own pages (the landing page's "about")
    try:
        return resolve(address.path.rstrip("/") + "/").namespace == "ogc"
    except Resolver404:
        return False


# Members that never hold links: a feature's geometry (thousands of coordinates on a page of
# a thousand licences) and its properties (ours) are passed over, not walked.
NO_LINKS = frozenset({"geometry", "properties"})


def _links_served(document: Any, base_path: str) -> Any:
    """The document with only the links `_served` keeps, at any depth (collections, features)."""
    if isinstance(document, dict):
        return {
            key: (
                value
                if key in NO_LINKS
                else [_links_served(link, base_path) for link in value if _served(link, base_path)]
                if key == "links" and isinstance(value, list)
                else _links_served(value, base_path)
            )
            for key, value in document.items()
        }
    if isinstance(document, list):
        return [_links_served(item, base_path) for item in document]
    return document


def _answer(
    request: HttpRequest,
    function: str,
    *args: str,
    parameters: frozenset[str] = COMMON,
    adjust: Callable[[Any], Any] | None = None,
) -> HttpResponse:
    api = _service(request)
    unknown = sorted(set(request.GET) - parameters)
    if request.GET.get("f", "json") != "json":
        headers, status, content = _refusal(
            api, "InvalidParameterValue", _("Only JSON is served here (f=json); the map of the register is at /map/.")
        )
    elif unknown:
        message = _("Unknown query parameter: %(name)s.") % {"name": unknown[0][:40]}
        headers, status, content = _refusal(api, "InvalidParameterValue", message)
    else:
        from pygeoapi.api import APIRequest

        api_request = APIRequest.from_django(_JsonRequest(request), api.locales)
        headers, status, content = _pygeoapi(function)(api, api_request, *args)
    document = content if isinstance(content, dict | list) else json.loads(content)
    document = _links_served(document, reverse("ogc:landing").rstrip("/"))
    if adjust is not None and status == HTTPStatus.OK:
        document = adjust(document)
    body = json.dumps(document, ensure_ascii=False)
    response = HttpResponse(body, status=status, content_type=headers.pop("Content-Type", "application/json"))
    for name in ("Content-Crs", "Content-Language"):
        if name in headers:
            response[name] = headers[name]
    response["Access-Control-Allow-Origin"] = "*"  # open data: any site's map may read it
    return response


def _items_parameters(collection_id: str) -> frozenset[str]:
    layer = selectors.LAYERS.get(collection_id)
    return ITEMS | set(layer.filters) if layer else ITEMS


def _self_with_offset(request: HttpRequest) -> Callable[[Any], Any]:
    """pygeoapi's self link of a page leaves its offset out: put it back."""
    offset = request.GET.get("offset", "")

    def adjust(document: Any) -> Any:
        for link in document.get("links", []):
            if link.get("rel") == "self" and offset:
                link["href"] += f"&offset={int(offset)}"  # pygeoapi parsed it: a 200 means it is one
        return document

    return adjust


def _geojson(response: HttpResponse) -> HttpResponse:
    if response.status_code == HTTPStatus.OK:
        response["Content-Type"] = GEOJSON
    return response


@require_safe
def landing(request: HttpRequest) -> HttpResponse:
    return _answer(request, "landing_page")


@require_safe
def conformance_classes(request: HttpRequest) -> HttpResponse:
    return _answer(
        request, "conformance", adjust=lambda d: {**d, "conformsTo": [c for c in CLAIMED if c in d["conformsTo"]]}
    )


@require_safe
def openapi(request: HttpRequest) -> HttpResponse:
    return _answer(request, "openapi_")


@require_safe
def collections(request: HttpRequest) -> HttpResponse:
    return _answer(request, "describe_collections")


@require_safe
def collection(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _answer(request, "describe_collections", collection_id)


@require_safe
def queryables(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _answer(request, "get_collection_queryables", collection_id)


@require_safe
def schema(request: HttpRequest, collection_id: str) -> HttpResponse:
    return _answer(request, "get_collection_schema", collection_id)


@require_safe
def items(request: HttpRequest, collection_id: str) -> HttpResponse:
    parameters = _items_parameters(collection_id)
    response = _answer(
        request, "get_collection_items", collection_id, parameters=parameters, adjust=_self_with_offset(request)
    )
    return _geojson(response)


@require_safe
def item(request: HttpRequest, collection_id: str, feature_id: str) -> HttpResponse:
    return _geojson(_answer(request, "get_collection_item", collection_id, feature_id))
