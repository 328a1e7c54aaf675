"""`{% map_key %}`: the key (legend) under every map, and the map's context layers.

The key is an HTML list, read by screen readers and usable without the map; the same tag
hands map.js the context layers (regions once a registrar has loaded them; towns, rivers,
lakes: geography.context) with their
translated names, so the layer control and the key say the same words in every language."""

from typing import Any

from django import template
from django.urls import reverse
from django.utils.translation import gettext as _

register = template.Library()


def context_layers() -> list[dict[str, str]]:
    # Regions only once a registrar has loaded some: map.js then adds the layer and shows its key.
    layers = [
        ("regions", _("Region boundaries")),
        ("towns", _("Towns")),
        ("rivers", _("Rivers")),
        ("lakes", _("Lakes and reservoirs")),
    ]
    return [{"key": key, "label": label, "url": reverse("deposits:context-layer", args=[key])} for key, label in layers]


@register.inclusion_tag("_map_key.html")
def map_key(
    *,
    blocks: str = "",
    ground: bool = False,
    claims: bool = False,
    deposit: str = "",
    commodity: str = "",
    give_up: str = "",
    outlined: Any = None,
    title: str = "",
) -> dict[str, Any]:
    """blocks: what the blue blocks are on this map ("Your blocks", "Licence blocks");
    ground: the availability grid is drawn (held, claimed, opening, free);
    claims: the blocks are coloured by their claim (pending, granted);
    deposit/commodity: the deposit marked, outlined: with its outline; give_up: the blocks
    being relinquished; title: the key's heading, if not "Map key"."""
    config = {
        "layers": context_layers(),
        "control": _("Map layers"),
        "zoom": {"in": _("Zoom in"), "out": _("Zoom out")},
        "status": {
            "free": _("free"),
            "held": _("held under a licence"),
            "claimed": _("claimed by pending applications"),
            "opening": _("opening soon"),
            "picked": _("your block"),
        },
    }
    return {
        "blocks": blocks,
        "ground": ground,
        "claims": claims,
        "deposit": deposit,
        "commodity": commodity,
        "give_up": give_up,
        "outlined": bool(outlined),
        "title": title or _("Map key"),
        "layers": config["layers"],
        "config": config,
    }
