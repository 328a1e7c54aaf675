"""An investor's first visit: home → lithium deposits → a disclosure → Russian → the map."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_investor_finds_a_lithium_deposit_reads_it_in_russian_and_opens_the_map(
    demo, live_server, browser, screenshot
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(viewport={"width": 1280, "height": 900})
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/")
    assert page.get_by_role("heading", level=1).inner_text() == "Kazakhstan’s critical minerals, disclosed openly"
    screenshot(page, "1-home")

    page.get_by_role("link", name="Browse deposits").click()
    page.get_by_label("Commodity").select_option("Li")
    page.get_by_role("button", name="Apply filters").click()
    page.wait_for_url("**/deposits/?*commodity=Li*")
    rows = page.locator("table tbody tr")
    assert rows.count() >= 3
    for i in range(rows.count()):
        assert "Lithium" in rows.nth(i).inner_text()
    screenshot(page, "2-lithium-deposits")

    # is_visible() and inner_text() read the page as it is, maybe the one before the click:
    # expect() waits for the page the click leads to.
    page.get_by_role("link", name="Bakennoye").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Bakennoye")
    expect(page.get_by_role("heading", name="Resources and reserves")).to_be_visible()
    expect(page.get_by_text("Demo figures are illustrative.")).to_be_visible()
    page.locator(".leaflet-marker-icon").wait_for()
    screenshot(page, "3-disclosure")

    # The switcher by keyboard, as a screen-reader user reaches it: its label names the list, Tab
    # goes on to its button, and the page comes back in Russian at the same address.
    disclosure_url = page.url
    page.get_by_label("Language").focus()
    page.keyboard.press("ArrowDown")  # English, then Russian
    expect(page.get_by_label("Language")).to_have_value("ru")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("html")).to_have_attribute("lang", "ru")
    assert page.url == disclosure_url
    expect(page.get_by_role("heading", level=1)).to_have_text("Бакенное")
    expect(page.get_by_role("heading", name="Ресурсы и запасы")).to_be_visible()
    screenshot(page, "4-disclosure-in-russian")

    page.get_by_role("navigation", name="Основное").get_by_role("link", name="Карта").click()
    page.wait_for_selector("#map[data-loaded]")
    markers = page.locator(".leaflet-marker-icon")
    assert markers.count() >= 12
    # Context from packaged data: towns named in the page's language, rivers and lakes; a key.
    page.wait_for_selector("#map[data-context='loaded']")
    expect(page.locator(".town-label", has_text="Астана")).to_be_visible()
    expect(page.locator(".leaflet-control-layers-overlays input:checked")).to_have_count(3)
    expect(page.locator("ul.map-key li").first).to_be_visible()
    markers.first.focus()
    page.keyboard.press("Enter")
    popup_link = page.locator(".leaflet-popup-content a")
    expect(popup_link).to_have_count(1)
    expect(popup_link).to_have_attribute("href", re.compile("/deposits/"))
    screenshot(page, "5-map")

    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(live_server.url + "/deposits/bakennoye/")
    screenshot(page, "6-disclosure-on-a-phone")

    # On a phone the menu folds behind a button, opened by keyboard; the home tiles sit two abreast.
    page.goto(live_server.url + "/")
    menu = page.get_by_role("button", name="Меню")
    expect(menu).to_have_attribute("aria-expanded", "false")
    expect(page.get_by_role("navigation", name="Основное").get_by_role("link", name="Карта")).to_be_hidden()
    menu.focus()
    page.keyboard.press("Enter")
    expect(menu).to_have_attribute("aria-expanded", "true")
    expect(page.get_by_role("navigation", name="Основное").get_by_role("link", name="Карта")).to_be_visible()
    tiles = page.locator(".figures").first.locator(".figure")
    first, second = tiles.nth(0).bounding_box(), tiles.nth(1).bounding_box()
    assert first["y"] == second["y"] and first["height"] < 110
    screenshot(page, "7-home-on-a-phone-menu-open")

    # A wide table scrolls sideways and keeps its key column (the deposit's name) in view.
    page.goto(live_server.url + "/deposits/")
    table = page.locator("table").first
    table.evaluate("t => { (t.closest('.table-wrap') || t).scrollLeft = 400; }")
    key = page.locator("table tbody tr").first.locator("th, td").first
    assert key.bounding_box()["x"] >= 0
    screenshot(page, "8-deposit-list-on-a-phone")
    assert not errors, errors
