"""An investor applies for ground on the map: sign in → start a draft → pick blocks near a
lithium deposit by clicking the map → commitments, work programme, documents, declaration →
confirm and lodge → the application is on the public register."""

import re

import pytest

from tests.e2e.test_investor_journey import check_pending_documents, in_own_thread, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_investor_picks_blocks_on_the_map_lodges_and_finds_it_on_the_register(
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
    page.get_by_label("Email").fill("investor@example.com")
    page.get_by_label("Password").fill("ashyqken-demo")
    page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name="Sign out (investor@example.com)")).to_be_visible()

    # Start a draft for an exploration licence.
    page.goto(live_server.url + "/investor/applications/")
    page.get_by_label("Licence type").select_option(label="Exploration licence (solid minerals)")
    page.get_by_label("Name of the project").fill("Bakennoye west lithium")
    page.get_by_label("Region").select_option(label="East Kazakhstan Region")
    page.get_by_role("button", name="Start the draft").click()
    expect(page.get_by_role("heading", name="Before you can lodge")).to_be_visible()

    # Pick blocks on the map: a click, then Shift+click for the rectangle between. The page
    # shows before its scripts run; a click then would land on a map that takes none.
    field = page.get_by_label("Block codes")
    expect(field).to_have_value("")
    picker = page.locator("#map")
    expect(picker).to_have_attribute("data-state", "ready")
    expect(picker).to_have_attribute("data-availability-state", "loaded")
    # The map key is a list on the page, with the context layers; the layers load and toggle.
    key = page.get_by_role("list", name="Map key")
    for entry in ("Your blocks", "Opening soon", "Held under a licence", "Towns", "Rivers", "Lakes and reservoirs"):
        expect(key.get_by_text(entry, exact=False)).to_be_visible()
    expect(picker).to_have_attribute("data-context", "loaded")
    expect(page.get_by_role("checkbox", name="Towns")).to_be_checked()
    summary = page.locator("#picker-summary")
    expect(summary).to_contain_text("0 picked")
    map_box = picker.bounding_box()
    x, y = map_box["x"] + map_box["width"] / 2 - 40, map_box["y"] + map_box["height"] / 2 + 30
    page.mouse.move(x, y)
    hovered = page.locator(".block-hover")
    expect(hovered).to_have_text(re.compile(r"^N49\d\dE08\d\d\d"))  # the block's code on hover
    page.mouse.click(x, y)
    expect(field).to_have_value(re.compile(r"^N49\d\dE08\d\d\d$"))
    # The count and the area follow each click, before anything is saved.
    expect(summary).to_contain_text("1 picked")
    expect(summary).to_contain_text(re.compile(r"\b2\.2\d km²"))  # a 1' x 1' block near 49.5° N: 2.2 km²
    expect(page.get_by_text("Not saved yet: save the blocks to keep them.")).to_be_visible()
    page.keyboard.down("Shift")
    page.mouse.click(x + 70, y - 50)
    page.keyboard.up("Shift")
    expect(field).to_have_value(re.compile(r"^(\S+ )+\S+$"))
    codes = field.input_value().split()
    assert 4 <= len(codes) <= 40, codes
    expect(summary).to_contain_text(f"{len(codes)} picked")
    # Each picked block is a button: on focus the map shows that block's code.
    page.get_by_role("button", name=f"Remove block {codes[0]}").focus()
    expect(page.locator(".leaflet-tooltip", has_text=codes[0]).first).to_be_visible()
    screenshot(page, "01-blocks-picked")
    page.get_by_role("button", name="Save the blocks").click()
    expect(page.get_by_text(f"{len(codes)} blocks,")).to_be_visible()
    expect(page.get_by_text("Not saved yet: save the blocks to keep them.")).to_be_hidden()

    # Commitments and the work programme (each year at least the minimum).
    page.get_by_label("Kazakh staff (share of the workforce, %)").fill("85")
    page.get_by_label("local goods and services (share of purchases, %)", exact=False).fill("60")
    page.get_by_label("training spend per year, KZT", exact=False).fill("15000000")
    page.get_by_role("button", name="Save", exact=True).click()
    # The page before the save has the same programme fields: fill them once the new one is here.
    expect(page.get_by_text("Details and commitments saved.")).to_be_visible()
    years = page.locator("fieldset.programme-year")
    for i in range(years.count()):
        years.nth(i).get_by_label("Planned work").fill(f"Mapping, trenching and drilling, year {i + 1}")
        years.nth(i).get_by_label("Planned expenditure, KZT").fill("900000000")
    page.get_by_role("button", name="Save the programme").click()
    expect(page.get_by_text("Work programme saved.")).to_be_visible()

    # The documents the licence type asks for, then the declaration.
    for uploaded, label in enumerate(
        ("Exploration work programme (PDF)", "Evidence of financial capacity (PDF or XLSX)"), start=1
    ):
        page.get_by_label(re.compile(r"^Document:?$")).select_option(label=label)
        page.get_by_label(re.compile(r"^File:?$")).set_input_files(
            {"name": "file.pdf", "mimeType": "application/pdf", "buffer": pdf(label)}
        )
        page.get_by_role("button", name="Upload", exact=True).click()
        # The message is still on the page from the first upload: count the files instead.
        expect(page.locator(".documents a", has_text="file.pdf")).to_have_count(uploaded)
        expect(page.get_by_text("Document uploaded; it is being checked.")).to_be_visible()
    assert in_own_thread(check_pending_documents) == 2
    page.get_by_label(re.compile("I declare, for the organisation")).check()
    page.get_by_role("button", name="Make the declaration").click()
    expect(page.get_by_text(re.compile(r"^Declared on "))).to_be_visible()

    # Everything is in place: review, confirm, lodge.
    page.get_by_role("link", name="Review and lodge").click()
    expect(page.get_by_role("heading", name="Lodge the application")).to_be_visible()
    screenshot(page, "02-confirm")
    page.get_by_role("button", name="Lodge now").click()
    notice = page.get_by_text(re.compile(r"Lodged as A-\d{6}, priority number \d+\."))
    expect(notice).to_be_visible()
    reference = re.search(r"A-\d{6}", notice.inner_text()).group(0)
    expect(page.get_by_role("heading", name="Timeline")).to_be_visible()

    # Anyone, signed in or not, finds it on the public register, with its blocks.
    visitor = browser.new_context(viewport={"width": 390, "height": 844}).new_page()
    visitor.goto(live_server.url + "/register/applications/")
    visitor.get_by_role("link", name=reference).click()
    expect(visitor.get_by_role("heading", level=1)).to_contain_text("Bakennoye west lithium")
    expect(visitor.get_by_text(codes[0])).to_be_visible()
    screenshot(visitor, "03-register-phone")
    assert not errors, errors
