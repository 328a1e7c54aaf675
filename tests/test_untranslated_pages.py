"""No message of ours is left in English on a page rendered in Russian or Kazakh.

The main pages are rendered in each language, anonymously and as an investor, over a small world
(tests/world.py). What a reader sees or hears (text, the titles, labels and placeholders of
elements, the strings of the JSON the page hands its scripts) is searched for the English of
every message our catalogues (locale/<language>) translate. Text an element marks as English
(lang="en": a source's title, an official's text not yet translated) is left out: it is meant
to be English. So are messages too short or too common to tell ours from anything else, and
those the catalogue leaves as they are (names such as "API").

test_the_check_finds_a_message_left_in_english proves it can fail: the same check over a page
rendered with one message's translation removed finds that message.
"""

import json
import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from django.utils import translation
from django.utils.translation import trans_real

from tests.po import messages
from tests.world import World, build

ROOT = Path(__file__).resolve().parent.parent
LANGUAGES = ("ru", "kk")
# A message is checked by its literal pieces between placeholders, each long enough to be ours.
MIN_WORDS, MIN_CHARS = 3, 16
PLACEHOLDER = re.compile(r"%\(\w+\)[sdrfi]|%[sdrfi]|\{\w*\}")
ATTRIBUTES = ("title", "aria-label", "placeholder", "alt", "aria-description", "data-confirm")

ANONYMOUS_PAGES = [
    "/",
    "/deposits/",
    "deposit",
    "/map/",
    "/register/licences/",
    "/register/applications/",
    "/register/openings/",
    "/statistics/",
    "/open-data/",
    "/licence-types/",
    "/terms/",
    "/privacy/",
    "/accounts/signup/",
    "/accounts/login/",
    "licence",
    "verify",
]
INVESTOR_PAGES = [
    "/investor/",
    "/investor/licences/",
    "holder-licence",
    "organisation",
    "/investor/watchlist/",
    "/investor/agreement/",
]  # not /notifications/: each message is written once, in its reader's chosen language (events.channels)


@pytest.fixture(autouse=True)
def _language_restored() -> Iterator[None]:
    with translation.override(None):
        yield


def catalogue(language: str) -> dict[str, str]:
    """English -> its translation, for every live message of locale/<language> (singular and
    plural), untranslated ones included: a message left empty in the catalogue shows in English
    too. Messages the catalogue keeps as they are (names) are left out."""
    found = {}
    for message in messages(ROOT / "locale" / language / "LC_MESSAGES" / "django.po"):
        pairs = [("msgid", "msgstr"), ("msgid", "msgstr[0]"), ("msgid_plural", "msgstr[1]")]
        for english, translated in pairs:
            if english in message and translated in message and message[translated] != message[english]:
                found[message[english]] = message[translated]
    return found


def pieces(msgid: str) -> list[str]:
    """The literal pieces of a message worth looking for: long enough that finding one on a page
    means the message was shown in English, not that a page happens to use the same words."""
    if "<" in msgid:  # markup in the message: the page shows it as elements, not as this text
        msgid = re.sub(r"<[^>]+>", "\x00", msgid)
    found = []
    for piece in PLACEHOLDER.sub("\x00", msgid).split("\x00"):
        piece = " ".join(piece.split()).strip(" .,:;()–—-")
        if len(piece) >= MIN_CHARS and len(piece.split()) >= MIN_WORDS:
            found.append(piece)
    return found


class ReaderText(HTMLParser):
    """What a reader of the page meets, outside elements marked lang="en"."""

    VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []  # (tag, English, JSON script)
        self.parts: list[str] = []

    def _english(self) -> bool:
        return bool(self.stack) and self.stack[-1][1]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        lang = values.get("lang")
        english = (lang or "").startswith("en") if lang is not None else self._english()
        if not english:
            self.parts += [values[a] or "" for a in ATTRIBUTES if values.get(a)]
        if tag in self.VOID:
            return
        json_script = tag == "script" and values.get("type") == "application/json"
        code = tag in ("script", "style") and not json_script
        # Code holds no words for the reader: it counts as English, and is skipped.
        self.stack.append((tag, english or code, json_script))

    def handle_endtag(self, tag: str) -> None:
        for i in range(len(self.stack) - 1, -1, -1):
            if self.stack[i][0] == tag:
                del self.stack[i:]
                break

    def handle_data(self, data: str) -> None:
        if self.stack and self.stack[-1][2]:
            self.parts += list(_strings(json.loads(data)))
        elif not self._english():
            self.parts.append(data)

    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def reader_text(html: str) -> str:
    parser = ReaderText()
    parser.feed(html)
    return parser.text()


def left_in_english(html: str, messages: dict[str, str]) -> list[str]:
    text = reader_text(html)
    return sorted({msgid for msgid, msgstr in messages.items() for piece in pieces(msgid) if piece in text})


@pytest.fixture
def world(make_user) -> World:
    return build(make_user)


def _render(client, url: str, language: str) -> str:
    client.cookies["django_language"] = language
    response = client.get(url, follow=True)
    assert response.status_code == 200, (url, response.status_code)
    return response.content.decode()


def _url(url: str, world: World) -> str:
    named = {
        "deposit": world.deposit.get_absolute_url(),
        "licence": f"/register/licences/{world.licence.number}/",
        "verify": f"/verify/{world.licence.number}/",
        "holder-licence": f"/investor/licences/{world.licence.number}/",
        "organisation": f"/investor/organisations/{world.home.pk}/",
    }
    return named.get(url, url)


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_public_pages_show_no_message_of_ours_in_english(client, world: World, language: str) -> None:
    messages = catalogue(language)
    found = {}
    for url in ANONYMOUS_PAGES:
        _render(client, _url(url, world), "en")  # an English visitor first: nothing cached may leak
        leftovers = left_in_english(_render(client, _url(url, world), language), messages)
        if leftovers:
            found[_url(url, world)] = leftovers
    assert found == {}


@pytest.mark.django_db
@pytest.mark.parametrize("language", LANGUAGES)
def test_the_investor_pages_show_no_message_of_ours_in_english(client, world: World, language: str) -> None:
    client.force_login(world.users["owner"])
    messages = catalogue(language)
    found = {}
    for url in [*INVESTOR_PAGES, world.lodged.get_absolute_url(), "/deposits/", "deposit"]:
        leftovers = left_in_english(_render(client, _url(url, world), language), messages)
        if leftovers:
            found[_url(url, world)] = leftovers
    assert found == {}


@pytest.mark.django_db
def test_the_check_finds_a_message_left_in_english(client, world: World) -> None:
    """Remove one translation from the Kazakh catalogue in memory: the check finds its message."""
    messages = catalogue("kk")
    msgid = (
        "What each licence allows, how long it runs, what it costs per block and how long each stage of an "
        "application should take, in working days."
    )
    assert msgid in messages
    assert left_in_english(_render(client, "/licence-types/", "kk"), messages) == []
    top = trans_real.translation("kk")._catalog._catalogs[0]  # the catalogue lookups try first
    had, saved = msgid in top, top.get(msgid)
    top[msgid] = msgid  # as if the message had no translation
    try:
        page = _render(client, "/licence-types/", "kk")
    finally:
        if had:
            top[msgid] = saved
        else:
            del top[msgid]
    assert left_in_english(page, messages) == [msgid]


def test_english_marked_text_and_short_or_placeholder_pieces_are_left_out() -> None:
    html = (
        '<p>Қазақша мәтін.</p><p lang="en">The deposit lies in the zone.</p>'
        '<button title="Zoom in to see the blocks">+</button>'
        '<script type="application/json">{"zoom": {"in": "Show the blocks of the licence"}}</script>'
        "<script>var x = 'Show the map of the licence';</script>"
    )
    text = reader_text(html)
    assert "Қазақша мәтін." in text and "The deposit lies" not in text
    assert "Zoom in to see the blocks" in text and "Show the blocks of the licence" in text
    assert "Show the map of the licence" not in text
    assert pieces("%(count)s deposits") == [] and pieces("Map") == []
    assert pieces("Deposits of %(commodity)s in the state register of Kazakhstan.") == [
        "in the state register of Kazakhstan"
    ]
