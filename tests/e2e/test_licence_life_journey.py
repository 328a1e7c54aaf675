"""The life of a licence after its grant, in browsers: the holder sees a reminder and its
compliance ledger → a registrar records the area fee's payment from a bank-statement line and
the ledger shows the fee met → the holder lodges the annual report (draft, validate, lodge with
confirmation) → relinquishes 40 % of its blocks on the planner map, which one official recommends
and another approves → lodges an extension of the term → an anonymous visitor finds the freed
blocks and their opening date on the release calendar.

Time is frozen (ticking) on a Tuesday morning in March 2026, eleven months into the licence."""

import re
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from tests.e2e.test_decision_journey import sign_in
from tests.e2e.test_investor_journey import in_own_thread, pdf

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

ASTANA = ZoneInfo("Asia/Almaty")
STARTS = date(2025, 4, 16)
NOW = datetime(2026, 3, 17, 10, 0, tzinfo=ASTANA)  # a working Tuesday: the year-2 area fee is due in 30 days
NUMBER = "KZ-EXP-2025-000417"
HOLDER = "holder@steppe-lithium.example.com"
PASSWORD = "ashyqken-demo"  # what sign_in types
BANK_REFERENCE = "HALYK-2026-03-17-0042"


@pytest.fixture
def life(time_machine) -> dict[str, object]:
    """A licence of 10 blocks (2 × 5) granted on 16 April 2025 to a verified organisation: year 1's
    area fee met, year 2's invoiced and reminded; the holder's owner, a registrar, a reviewer and an
    approver (with the demo's authenticator), all through the services."""
    from accounts.roles import Role
    from accounts.services import user_ensure
    from demo.history import verified_organisation
    from demo.investors import users_ready
    from events.models import Channel, Delivery, Event
    from events.services import delivery_send, event_dispatch
    from licensing.licences import money
    from licensing.licences import services as licence_services
    from licensing.licences.reminders import obligation_reminders_send
    from licensing.models import ObligationKind
    from tests.licensing import factories

    time_machine.move_to(datetime.combine(STARTS, time(10), ASTANA), tick=False)
    people = {
        role: user_ensure(email=f"{role.value}@example.com", password=PASSWORD, roles=[role])
        for role in (Role.REGISTRAR, Role.REVIEWER, Role.APPROVER)
    }
    holder = user_ensure(email=HOLDER, password=PASSWORD, roles=[Role.INVESTOR])
    users_ready([holder, *people.values()])
    organisation = verified_organisation(
        holder, people[Role.REGISTRAR], "Steppe Lithium LLP", "KZ", "JOURNEY-KZ-250416"
    )
    blocks = factories.rectangle(2, 5)
    licence = factories.licence_scheduled(organisation, blocks, number=NUMBER, starts_on=STARTS)
    rent = {o.licence_year: o for o in licence.obligations.filter(kind=ObligationKind.RENT)}
    licence_services.obligation_meet(actor=people[Role.REGISTRAR], obligation=rent[1])

    time_machine.move_to(NOW, tick=False)
    invoice = money.invoice_issue(obligation=rent[2])
    assert obligation_reminders_send(today=NOW.date())
    # What the worker would do: the reminders into the in-app inboxes.
    for event_id in Event.objects.filter(dispatched_at__isnull=True).values_list("pk", flat=True):
        due = event_dispatch(event_id=event_id)
        for delivery_id in Delivery.objects.filter(pk__in=due, channel=Channel.IN_APP).values_list("pk", flat=True):
            delivery_send(delivery_id=delivery_id)
    codes = sorted(grid_code(b) for b in blocks)
    return {"invoice": invoice.number, "amount": invoice.amount_kzt, "blocks": codes, "people": people}


def grid_code(block: int) -> str:
    from licensing.domain import grid

    return grid.code(block)


def test_reminder_payment_report_relinquishment_extension_and_the_freed_ground(
    life, live_server, browser, screenshot, time_machine
) -> None:
    from playwright.sync_api import expect

    time_machine.move_to(NOW, tick=True)
    base = live_server.url
    errors: list[str] = []

    def person(width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900})
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        page.on("dialog", lambda dialog: dialog.accept())  # confirm before irreversible steps: yes
        return page

    # The holder signs in: a reminder of the area fee falling due, and the compliance ledger.
    holder = person()
    sign_in(holder, base, HOLDER, official=False)
    holder.goto(base + "/notifications/")
    reminder = holder.get_by_role("link", name=f"Licence {NUMBER}: Area fee due by 16 April 2026")
    expect(reminder).to_be_visible()
    expect(holder.get_by_text("This reminder: 30 days before.").first).to_be_visible()
    screenshot(holder, "01-reminder")
    # Its link leads to the licence (absolute, on the configured site address).
    assert reminder.get_attribute("href").endswith(f"/investor/licences/{NUMBER}/")
    holder.goto(f"{base}/investor/licences/{NUMBER}/")
    ledger = holder.locator("#ledger")
    expect(ledger.get_by_role("heading", name=re.compile("Compliance ledger"))).to_be_visible()
    year2 = holder.get_by_role("table", name=re.compile("Obligations of licence year 2"))
    fee_row = year2.get_by_role("row").filter(has_text="Area fee")
    expect(fee_row).not_to_contain_text("Met on")
    screenshot(holder, "02-ledger")

    # A registrar records the payment from the bank statement line.
    registrar = person()
    sign_in(registrar, base, "registrar@example.com", official=True)
    registrar.goto(base + "/registrar/payments/")
    registrar.get_by_label("Invoice number or payment reference").fill(life["invoice"])
    registrar.get_by_role("button", name="Find").click()
    expect(registrar.get_by_role("heading", name=f"Invoice {life['invoice']}")).to_be_visible()
    registrar.get_by_label("Bank's reference of the payment").fill(BANK_REFERENCE)
    registrar.get_by_label("Amount, KZT").fill(str(life["amount"]))
    registrar.get_by_label("Paid on").fill(NOW.date().isoformat())
    registrar.get_by_label("Bank statement line").fill(f"Halyk Bank 17.03.2026 {life['invoice']} {life['amount']} KZT")
    registrar.get_by_role("button", name="Check the payment").click()
    screenshot(registrar, "03-payment-confirm")
    registrar.get_by_role("button", name="Record the payment").click()
    expect(registrar.get_by_text(f"Payment {BANK_REFERENCE} recorded.")).to_be_visible()

    holder.reload()
    expect(fee_row).to_contain_text("Met on 17 March 2026")
    screenshot(holder, "04-ledger-fee-met")

    # The holder drafts the annual report for 2025, attaches the geological report and lodges it.
    holder.goto(f"{base}/investor/licences/{NUMBER}/reports/2025/")
    holder.get_by_label("Work done in the year").fill("Geological mapping at 1:25,000 and 14 trenches.")
    holder.get_by_label("Kazakh staff, % of all staff").fill("92")
    holder.get_by_label("Local goods and services, % of purchases").fill("61")
    holder.get_by_label("Training spend, KZT").fill("4500000")
    holder.get_by_label("No").check()
    for spend in holder.get_by_label(re.compile(r"^Expenditure: .*, KZT")).all():
        spend.fill("1000000")
    holder.get_by_role("button", name="Save the report").click()
    expect(holder.get_by_text("Attach the geological report.")).to_be_visible()  # what stops the lodgement
    holder.get_by_label("What it is").select_option("geological")
    holder.get_by_label("File").set_input_files(
        files=[{"name": "geology-2025.pdf", "mimeType": "application/pdf", "buffer": pdf("Geological report 2025")}]
    )
    holder.get_by_role("button", name="Attach").click()
    in_own_thread(check_pending_documents)
    holder.reload()
    holder.get_by_label(re.compile("I confirm that this report is true and complete")).check()
    holder.get_by_role("button", name="Lodge the report").click()
    expect(holder.get_by_text("The report is lodged.")).to_be_visible()
    screenshot(holder, "05-report-lodged")

    # The holder gives up the eastern 4 of its 10 blocks on the relinquishment planner.
    holder.goto(f"{base}/investor/licences/{NUMBER}/")
    holder.get_by_role("link", name="Relinquish some blocks").click()
    expect(holder.locator("#map .leaflet-container, #map.leaflet-container").first).to_be_visible()
    given = [code for i, code in enumerate(relinquishable(life["blocks"])) if i < 4]
    # The first block by a click on the map, the others by their boxes.
    holder.wait_for_load_state("networkidle")  # the map has settled on the licence's blocks
    longitude, latitude = block_centre(given[0])
    point = holder.evaluate(
        "([lat, lng]) => window.ashyqkenMap.latLngToContainerPoint([lat, lng])", [latitude, longitude]
    )
    holder.locator("#map").click(position={"x": point["x"], "y": point["y"]})
    expect(holder.get_by_role("checkbox", name=given[0])).to_be_checked()
    for code in given[1:]:
        holder.get_by_role("checkbox", name=code).check()
    expect(holder.locator("#relinquish-summary")).to_contain_text("40 per cent")
    screenshot(holder, "06-planner")
    holder.get_by_role("button", name="Preview").click()
    expect(holder.get_by_text("40 %")).to_be_visible()
    holder.get_by_label(re.compile("I confirm the relinquishment of these blocks")).check()
    holder.get_by_role("button", name="Lodge the relinquishment").click()
    change = re.search(r"TC-\d{4}-\d{6}", holder.get_by_text(re.compile(r"Lodged as TC-")).inner_text()).group(0)
    screenshot(holder, "07-relinquishment-lodged")

    # One official recommends it, another approves it: the blocks open at the next opening time.
    in_own_thread(lambda: four_eyes(change, life["people"]))

    # The holder lodges an extension of the term (10 blocks at the grant, 40 % given up).
    holder.goto(f"{base}/investor/licences/{NUMBER}/")
    holder.get_by_role("link", name="Apply for an extension of term").click()
    holder.get_by_label("Extension, years").fill("5")
    holder.get_by_label("Your statement").fill("Drilling outlined a pegmatite field; five more years to delineate it.")
    holder.get_by_label(re.compile("I confirm that this is true and complete")).check()
    holder.get_by_role("button", name="Lodge", exact=True).click()
    expect(holder.get_by_text(re.compile(r"Lodged as TC-\d{4}-\d{6}"))).to_be_visible()
    screenshot(holder, "08-extension-lodged")

    # Anyone sees the freed blocks and when they open on the release calendar.
    visitor = person(width=390)
    visitor.goto(base + "/register/openings/")
    opening = visitor.get_by_role("row").filter(has_text="Freed by a relinquishment")
    expect(opening).to_contain_text("19 March 2026, 09:00 (Astana time)")  # the next opening time after the approval
    for code in given:
        expect(opening).to_contain_text(code)
    screenshot(visitor, "09-release-calendar-phone")
    assert not errors, errors


def relinquishable(codes: list[str]) -> list[str]:
    """The blocks of the eastern two columns of the 2 × 5 rectangle (the rest stays joined)."""
    from licensing.domain import grid

    blocks = sorted(grid.parse(c) for c in codes)
    west = min(blocks) % grid.MINUTES_LON
    return [grid.code(b) for b in blocks if b % grid.MINUTES_LON - west >= 3]


def block_centre(code: str) -> tuple[float, float]:
    from licensing.domain import grid

    return grid.centre(grid.parse(code))


def four_eyes(change: str, people: dict) -> None:
    from accounts.roles import Role
    from licensing.models import TitleChange
    from licensing.titles.services import title_change_decide, title_change_recommend

    relinquishment = TitleChange.objects.get(number=change)
    title_change_recommend(
        actor=people[Role.REVIEWER], change=relinquishment, approve=True, reasons="The rest stays joined."
    )
    title_change_decide(actor=people[Role.APPROVER], change=relinquishment, approve=True, reasons="As recommended.")


def check_pending_documents() -> int:
    from documents.models import Document, DocumentStatus
    from documents.services import document_check

    pending = list(Document.objects.filter(status=DocumentStatus.PENDING).values_list("pk", flat=True))
    for document_id in pending:
        document_check(document_id=document_id)
    return len(pending)
