"""A holder plans a relinquishment on the map: a click on a block ticks its box (the list of
boxes is the control without scripts), the count and share follow, the server's preview shows
what remains and when the blocks would open; an anonymous visitor finds the demo's
relinquishments on the release calendar."""

import pytest

from demo.relinquishment import TITLES
from licensing.domain import grid
from licensing.models import Licence
from tests.demo_snapshot import demo_loaded

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def demo() -> str:
    demo_loaded()
    licence = Licence.objects.get(application__title=TITLES[0])
    return licence.number


def test_the_holder_picks_blocks_on_the_map_and_previews_the_relinquishment(
    demo, live_server, browser, screenshot
) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(10_000)
    page = context.new_page()
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    page.on("console", lambda m: m.type == "error" and errors.append(f"{page.url}: {m.text}"))
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("hanbit@example.com")
    page.get_by_label("Password").fill("ashyqken-demo")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out (hanbit@example.com)")).to_be_visible()

    page.goto(f"{live_server.url}/investor/licences/{demo}/changes/new/relinquishment/")
    expect(page.locator("#map")).to_have_attribute("data-planner", "ready")
    boxes = page.locator('#relinquish-pick input[name="blocks"]')
    codes = [boxes.nth(i).get_attribute("value") for i in range(boxes.count())]
    assert len(codes) == 6  # nine at the grant, three already given up
    southern = sorted(codes, key=grid.parse)[:3]  # the southern row leaves a joined remainder
    page.get_by_label(southern[0]).check()  # the keyboard's way: a box
    expect(page.locator("#relinquish-summary")).to_contain_text("Giving up 1, keeping 5: 44 per cent")
    for code in southern[1:]:  # the pointer's way: the block on the map
        point = page.evaluate(
            "c => { const p = window.ashyqkenMap.latLngToContainerPoint("
            "window.ashyqkenGrid.boundsOf(c).getCenter()); return [p.x, p.y]; }",
            code,
        )
        box = page.locator("#map").bounding_box()
        page.mouse.click(box["x"] + point[0], box["y"] + point[1])
        expect(page.get_by_label(code)).to_be_checked()
    expect(page.locator("#relinquish-summary")).to_contain_text("Giving up 3, keeping 3: 67 per cent")
    screenshot(page, "planner")
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    expect(page.locator("dl.facts")).to_contain_text("Yes")
    expect(page.get_by_role("button", name="Lodge the relinquishment")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 800})
    screenshot(page, "preview-phone")

    visitor = browser.new_context().new_page()
    visitor.goto(live_server.url + "/register/openings/")
    expect(visitor.locator("#being-decided")).to_contain_text("Relinquishment")
    expect(visitor.get_by_role("cell", name="Freed by a relinquishment")).to_be_visible()
    assert not errors, errors
