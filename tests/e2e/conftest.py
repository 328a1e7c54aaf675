"""Browser fixtures: Playwright driving Debian's Chromium against the live test server."""

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import chromium_path
from tests.demo_snapshot import demo_loaded

# Playwright's sync API runs an event loop in this thread. Set up data in fixtures that
# come before `browser`: an ORM call made while the loop runs gets a connection of its own
# (asgiref's context-local storage) that nothing closes. This only silences Django's guard.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.fixture
def demo() -> None:
    """The demo data, as `make run` loads it (tests.demo_snapshot)."""
    demo_loaded()


@pytest.fixture
def browser() -> Iterator[object]:
    from playwright.sync_api import expect, sync_playwright

    # Assertions wait as long as the journeys' actions do (their contexts' 10 s), not
    # Playwright's 5 s: on two shared cores the block map's first availability answer has
    # taken longer than that, and the test failed while the page was only slow.
    expect.set_options(timeout=10_000)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def screenshot(request: pytest.FixtureRequest):
    """Save a full-page screenshot under test-artifacts/<test name>/."""
    folder = ARTIFACTS / request.node.name
    folder.mkdir(parents=True, exist_ok=True)

    def take(page, name: str) -> Path:
        path = folder / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take
