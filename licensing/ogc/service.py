"""pygeoapi's configuration, built in memory for the address a request came to, and the API
object that answers with it. Nothing is read from or written to disk: pygeoapi's own Django
and Flask apps need a YAML file named by PYGEOAPI_CONFIG; its API class takes a dict."""

import functools
from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext as _

from licensing.ogc import selectors

if TYPE_CHECKING:
    from pygeoapi.api import API

CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
LICENCE_NAME = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
PROVIDER = "licensing.ogc.provider.RegisterProvider"
# The items path's parameters besides a collection's filters (the views refuse any other).
SERVED_PARAMETERS = frozenset(
    {"f", "lang", "bbox", "bbox-crs", "crs", "limit", "offset", "datetime", "resulttype", "properties", "skipGeometry"}
)


def configuration(*, base_url: str, site: str, language: str) -> dict[str, Any]:
    """pygeoapi's configuration for a service at `base_url` (…/ogc) of the site at `site`,
    its titles in `language`."""
    return {
        "server": {
            "url": base_url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": [language],
            "limits": {
                "default_items": selectors.DEFAULT_LIMIT,
                "max_items": selectors.MAX_LIMIT,
                "on_exceed": "error",
            },
            "pretty_print": False,
            "map": {"url": "", "attribution": ""},
        },
        # The root logger is Django's (configured, so pygeoapi's basicConfig leaves it alone).
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": _("AshyqKen: the open subsoil of Kazakhstan"),
                "description": _(
                    "Deposits, licences, lodged applications and ground openings of Kazakhstan's "
                    "critical minerals register, as OGC API - Features."
                ),
                "keywords": ["mineral licences", "deposits", "Kazakhstan", "critical minerals"],
                "keywords_type": "theme",
                "terms_of_service": LICENCE_URL,
                "url": site + "/",
            },
            "license": {"name": LICENCE_NAME, "url": LICENCE_URL},
            "provider": {"name": "AshyqKen", "url": site + "/"},
            "contact": {"name": "AshyqKen", "url": site + "/", "role": "pointOfContact"},
        },
        "resources": {
            layer.id: {
                "type": "collection",
                "title": str(layer.title),
                "description": str(layer.description),
                "keywords": layer.keywords,
                "links": [],
                "extents": {"spatial": {"bbox": selectors.KAZAKHSTAN_BBOX, "crs": CRS84}},
                "providers": [
                    {
                        "type": "feature",
                        "name": PROVIDER,
                        "data": layer.id,
                        "id_field": "id",
                        "options": {"site": site},
                    }
                ],
            }
            for layer in selectors.LAYERS.values()
        },
    }


@functools.lru_cache(maxsize=32)
def api(*, base_url: str, site: str, language: str) -> "API":
    """The API for one address and language. Kept, since building its OpenAPI document loads every
    provider; the hosts are those ALLOWED_HOSTS lets in, so the cache stays small."""
    from pygeoapi.api import API  # on first use: see views._pygeoapi
    from pygeoapi.openapi import get_oas

    config = configuration(base_url=base_url, site=site, language=language)
    return API(config, _as_served(get_oas(config)))


def _as_served(document: dict[str, Any]) -> dict[str, Any]:
    """pygeoapi's OpenAPI document, less what this service does not answer: the jobs of its
    process manager, sorting, vendor parameters, and filters on properties we cannot filter by."""
    paths = {path: item for path, item in document["paths"].items() if not path.startswith("/jobs")}
    for layer in selectors.LAYERS.values():
        items = paths[f"/collections/{layer.id}/items"]["get"]
        items["parameters"] = [
            p for p in items["parameters"] if _parameter(p) in SERVED_PARAMETERS | set(layer.filters)
        ]
    return {**document, "paths": paths}


def _parameter(parameter: dict[str, Any]) -> str:
    return parameter.get("name") or parameter.get("$ref", "").rsplit("/", 1)[-1]
