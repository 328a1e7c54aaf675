"""A visitor on a phone in Kazakh, then in Russian: home, the menu, the deposits, a disclosure,
the register and sign-up, each kept as a screenshot (test-artifacts/)."""

import re

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

PHONE = {"width": 390, "height": 844}
# Words of our English pages that must not show through on a page in another language.
ENGLISH = ["Browse deposits", "Open the map", "Create an account", "Recently updated disclosures", "Sign Up"]


@pytest.mark.parametrize(
    ("language", "menu", "first_name", "month"),
    [
        ("kk", "Мәзір", "Аты", re.compile(r"\d{4} жылғы \d{1,2} [а-яәіңғүұқөһ]+")),
        ("ru", "Меню", "Имя", re.compile(r"\d{1,2} [а-я]+ \d{4}")),
    ],
    ids=["kazakh", "russian"],
)
def test_a_phone_visitor_reads_the_service_in_a_state_language(
    demo, live_server, browser, screenshot, language, menu, first_name, month
) -> None:
    from playwright.sync_api import expect

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))

    page.goto(live_server.url + "/")
    page.get_by_label("Language").select_option(language)
    page.get_by_role("button", name="Change").click()
    expect(page.locator("html")).to_have_attribute("lang", language)
    text = page.locator("main").inner_text()
    assert not [w for w in ENGLISH if w in text]
    screenshot(page, f"{language}-1-home")

    button = page.get_by_role("button", name=menu)
    button.click()
    expect(button).to_have_attribute("aria-expanded", "true")
    screenshot(page, f"{language}-2-menu")

    page.goto(live_server.url + "/deposits/")
    expect(page.locator("table tbody tr").first).to_be_visible()
    screenshot(page, f"{language}-3-deposits")
    page.locator("table tbody tr").first.get_by_role("link").first.click()
    page.locator(".leaflet-container").first.wait_for()
    screenshot(page, f"{language}-4-disclosure")

    page.goto(live_server.url + "/register/licences/")
    screenshot(page, f"{language}-5-register")
    page.goto(live_server.url + "/register/applications/")
    body = page.locator("main").inner_text()
    assert month.search(body), body[:500]  # dates in words, in the page's language
    assert not re.search(r"\b\d{1,2}/\d{1,2}/\d{4}\b", body)
    screenshot(page, f"{language}-6-applications")

    page.goto(live_server.url + "/accounts/signup/")
    expect(page.get_by_label(re.compile(f"^{first_name}:?$"))).to_be_visible()
    screenshot(page, f"{language}-7-sign-up")
    assert not errors, errors
    context.close()
