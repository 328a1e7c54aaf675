"""The map's own controls speak the page's language: map.js takes their words from the page."""

import json
import re
from collections.abc import Iterator

import pytest
from django.utils import translation

from tests.deposits.factories import DepositFactory


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    """A request activates its language in this thread; the next test starts in the default."""
    with translation.override(None):
        yield


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("language", "zoom_in", "zoom_out"), [("ru", "Увеличить", "Уменьшить"), ("en", "Zoom in", "Zoom out")]
)
def test_the_zoom_buttons_are_titled_in_the_page_language(client, language: str, zoom_in: str, zoom_out: str) -> None:
    deposit = DepositFactory(is_published=True)
    client.cookies["django_language"] = language
    page = client.get(deposit.get_absolute_url()).content.decode()
    config = json.loads(re.search(r'<script id="map-config" type="application/json">(.*?)</script>', page, re.S)[1])
    assert config["zoom"] == {"in": zoom_in, "out": zoom_out}
