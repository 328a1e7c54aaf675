"""The pygeoapi feature provider of our collections: pygeoapi validates the request and writes
the response; this class turns its query into ours and asks the selectors for one page.

pygeoapi makes one per request from the collection's provider definition (service.py), whose
`data` names the collection and whose `options` carry the site's address for the features'
links."""

from typing import Any

from django.utils.translation import gettext as _
from pygeoapi.provider.base import BaseProvider, ProviderInvalidQueryError, ProviderItemNotFoundError

from licensing.ogc import selectors


class RegisterProvider(BaseProvider):
    def __init__(self, provider_def: dict[str, Any]) -> None:
        super().__init__(provider_def)
        self.layer = selectors.LAYERS[self.data]
        self.site = (self.options or {}).get("site", "")
        self._fields = self.layer.fields

    def get_fields(self) -> dict[str, dict[str, Any]]:
        return self.layer.fields

    def query(
        self,
        offset: int = 0,
        limit: int = selectors.DEFAULT_LIMIT,
        resulttype: str = "results",
        bbox: list[float] | None = None,
        datetime_: str | None = None,
        properties: list[tuple[str, str]] | None = None,
        sortby: list[dict[str, str]] | None = None,
        select_properties: list[str] | None = None,
        skip_geometry: bool = False,
        q: str | None = None,
        filterq: Any = None,
        **kwargs: Any,
    ) -> dict[str, Any]:
        if sortby or q or filterq is not None:
            raise ProviderInvalidQueryError(user_msg=_("Sorting, searching and CQL filters are not supported here."))
        if resulttype not in ("results", "hits"):
            raise ProviderInvalidQueryError(user_msg=_("resulttype must be results or hits."))
        try:
            since, until = selectors.interval(datetime_)
            query = selectors.Query(
                box=_box(bbox),
                since=since,
                until=until,
                equals=dict(properties or []),
                offset=offset,
                limit=limit,
                hits_only=resulttype == "hits",
            )
            page = selectors.features_page(self.layer, query, site=self.site)
        except selectors.QueryError as exc:
            raise ProviderInvalidQueryError(user_msg=str(exc)) from exc
        features = [_shaped(f, select_properties, skip_geometry) for f in page.features]
        return {
            "type": "FeatureCollection",
            "features": features,
            "numberMatched": page.matched,
            "numberReturned": len(features),
        }

    def get(self, identifier: str, **kwargs: Any) -> dict[str, Any]:
        found = selectors.feature(self.layer, str(identifier), site=self.site)
        if found is None:
            raise ProviderItemNotFoundError(user_msg=_("No feature with this id in the collection."))
        return found


def _box(bbox: list[float] | None) -> selectors.Box | None:
    """pygeoapi's bbox (four numbers, or six with heights) as west, south, east, north."""
    if not bbox:
        return None
    if len(bbox) == 6:
        bbox = [bbox[0], bbox[1], bbox[3], bbox[4]]
    west, south, east, north = bbox
    return west, south, east, north


def _shaped(feature: dict[str, Any], select: list[str] | None, skip_geometry: bool) -> dict[str, Any]:
    if select:
        feature["properties"] = {k: v for k, v in feature["properties"].items() if k in select}
    if skip_geometry:
        feature["geometry"] = None
    return feature
