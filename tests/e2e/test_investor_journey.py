"""An investor's way into the data room: sign up → verify the address → register an
organisation → declare its owners → upload its documents → a registrar verifies it →
accept the confidentiality agreement → open a stamped data-room document."""

import io
import re
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pytest
from django.conf import settings
from django.core import mail
from pypdf import PdfReader
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

T = TypeVar("T")

EMAIL = "madina@tulpar-capital.example.com"
PASSWORD = "a-long-and-unguessable-passphrase"
LEGAL_NAME = "Тулпар Капитал Б.В."
LATIN_NAME = "Tulpar Capital B.V."
DEPOSIT = "/deposits/verkhnee-kairakty/"
DATA_ROOM_DOCUMENT = "Drill-hole summary and assay table (illustrative)"


def in_own_thread(work: Callable[[], T]) -> T:
    """Run ORM work, while the browser is open, in a thread of its own that closes its
    connection after: Playwright's event loop runs in the test's thread, and a connection
    opened there would outlive the test (see tests/e2e/conftest.py)."""
    from django.db import connections

    def run() -> T:
        try:
            return work()
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(run).result()


def check_pending_documents() -> int:
    """What the Celery worker would do for each upload; there is no worker in this test."""
    from documents.models import Document, DocumentStatus
    from documents.services import document_check

    pending = list(Document.objects.filter(status=DocumentStatus.PENDING).values_list("pk", flat=True))
    for document_id in pending:
        assert document_check(document_id=document_id) == DocumentStatus.ACCEPTED
    return len(pending)


def pdf(title: str) -> bytes:
    buffer = io.BytesIO()
    sheet = canvas.Canvas(buffer, pagesize=A4)
    sheet.drawString(60, 780, f"{LATIN_NAME}: {title}")
    sheet.showPage()
    sheet.save()
    return buffer.getvalue()


def registrar_code() -> str:
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    from demo.investors import DEMO_TOTP_SECRET

    # The test settings accept the code of the previous 30 s window too (MFA_TOTP_TOLERANCE),
    # so a code read at the end of its window is still good when the server checks it.
    return format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))


def test_investor_signs_up_gets_verified_accepts_the_agreement_and_opens_a_stamped_data_room_document(
    demo, live_server, browser, screenshot
) -> None:
    from playwright.sync_api import expect

    errors: list[str] = []

    def watch(page) -> None:
        def console(message) -> None:
            # The one refusal the journey asks for is expected; any other error is not.
            expected = "status of 403" in message.text and "/data-room/" in message.location.get("url", "")
            if message.type == "error" and not expected:
                errors.append(f"{page.url}: {message.text}")

        page.on("console", console)
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))

    investor_context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
    investor_context.set_default_timeout(10_000)
    page = investor_context.new_page()
    watch(page)

    # Sign up, then confirm the address from the link in the email.
    page.goto(live_server.url + "/accounts/signup/")
    page.get_by_label("Email").fill(EMAIL)
    page.get_by_label(re.compile(r"^Password:?$")).fill(PASSWORD)
    page.get_by_label("Password (again)").fill(PASSWORD)
    page.get_by_label("First name").fill("Aigerim")
    page.get_by_label("Last name").fill("Saparova")
    page.get_by_label(re.compile("I consent to the processing of my personal data")).check()
    screenshot(page, "01-sign-up")
    page.get_by_role("button", name="Sign Up").click()
    page.wait_for_url("**/accounts/confirm-email/")
    screenshot(page, "02-check-your-email")

    (message,) = [m for m in mail.outbox if EMAIL in m.to]
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+/", message.body).group(0)
    page.goto(link)
    screenshot(page, "03-confirm-address")
    page.get_by_role("button", name="Confirm").click()
    expect(page.get_by_role("button", name=f"Sign out ({EMAIL})")).to_be_visible()

    # Register the organisation.
    page.goto(live_server.url + "/investor/")
    assert page.get_by_role("heading", level=1).inner_text() == "Investor dashboard"
    page.get_by_role("link", name="Register an organisation").click()
    page.get_by_label(re.compile(r"^Legal name:?$")).fill(LEGAL_NAME)
    page.get_by_label("Legal name in Latin script").fill(LATIN_NAME)
    page.get_by_label("Country of incorporation").select_option("NL")
    page.get_by_label("Registration number").fill("NL-77001234")
    page.get_by_label("Registered address").fill("Keizersgracht 100\n1015 CV Amsterdam")
    page.get_by_label("Website").fill("https://tulpar-capital.example.com/")
    page.get_by_label("Contact email").fill(EMAIL)
    page.get_by_label("Contact phone").fill("+31 20 123 4567")
    screenshot(page, "04-register-organisation")
    page.get_by_role("button", name="Register").click()
    page.wait_for_url("**/investor/organisations/*/")
    organisation_url = page.url
    expect(page.get_by_role("heading", level=1)).to_have_text(LATIN_NAME)
    expect(page.get_by_text("Declare the beneficial owners.")).to_be_visible()

    # Declare the owners: a Dutch holding that owns it all, and the person behind the holding.
    owner_form = page.locator("form", has=page.get_by_role("button", name="Add owner"))
    for kind, name, country, share, held_through in [
        ("legal", "Tulpar Holding B.V.", "NL", "100", None),
        ("natural", "Madina Seitkali", "KZ", "100", "Tulpar Holding B.V."),
    ]:
        page.get_by_text("Add an owner", exact=True).click()
        owner_form.get_by_label("Kind").select_option(kind)
        owner_form.get_by_label("Name").fill(name)
        owner_form.get_by_label("Country").select_option(country)
        owner_form.get_by_label("Share").fill(share)
        if held_through:
            owner_form.get_by_label("Held through").select_option(label=f"{held_through} (100.000 %)")
        owner_form.get_by_role("button", name="Add owner").click()
        expect(page.get_by_role("row", name=re.compile(re.escape(name)))).to_be_visible()
    # Incorporated abroad, but held through the holding by a citizen of Kazakhstan.
    expect(page.get_by_text("Foreign investor. Held from abroad: 0 %.")).to_be_visible()

    # Upload the required documents; their checks run as the worker would run them.
    document_form = page.locator("form", has=page.get_by_role("button", name="Upload"))
    for uploaded, kind in enumerate(settings.INVESTORS_REQUIRED_DOCUMENTS, start=1):
        document_form.get_by_label("Kind of document").select_option(kind)
        document_form.get_by_label("File").set_input_files(
            {"name": f"{kind}.pdf", "mimeType": "application/pdf", "buffer": pdf(kind)}
        )
        document_form.get_by_role("button", name="Upload").click()
        expect(page.locator(".documents > li")).to_have_count(uploaded)
        expect(page.get_by_text("Document uploaded.")).to_be_visible()
    expect(page.get_by_text("Wait for the checks of the charter.")).to_be_visible()
    assert in_own_thread(check_pending_documents) == len(settings.INVESTORS_REQUIRED_DOCUMENTS)
    page.reload()
    expect(page.locator(".documents .status-accepted")).to_have_count(len(settings.INVESTORS_REQUIRED_DOCUMENTS))
    screenshot(page, "05-organisation-ready")

    page.get_by_role("link", name="Send for verification").click()
    screenshot(page, "06-send-for-verification")
    page.get_by_role("button", name="Yes, send it for verification").click()
    page.wait_for_url(organisation_url)
    expect(page.locator("h1 + p .status")).to_have_text("Submitted for verification")

    # A registrar, in a browser of their own, signs in with a second factor and verifies it.
    registrar_context = browser.new_context(viewport={"width": 1280, "height": 900})
    registrar_context.set_default_timeout(10_000)
    desk = registrar_context.new_page()
    watch(desk)
    desk.goto(live_server.url + "/accounts/login/")
    desk.get_by_label("Email").fill("registrar@example.com")
    desk.get_by_label("Password").fill("ashyqken-demo")
    desk.get_by_role("button", name="Sign In").click()
    desk.wait_for_url("**/accounts/2fa/authenticate/")
    desk.locator("input[name=code]").fill(registrar_code())
    desk.get_by_role("button", name="Sign In").click()
    expect(desk.get_by_role("button", name="Sign out (registrar@example.com)")).to_be_visible()
    desk.goto(live_server.url + "/registrar/organisations/")
    screenshot(desk, "07-registrar-queue")
    desk.get_by_role("link", name=LATIN_NAME).click()
    # The checklist (each check recorded with a reference), a decision on each document, then verify.
    desk.get_by_role("link", name="Documents and checklist").click()
    for check in ("Company register extract checked", "Sanctions lists checked", "Politically exposed persons checked"):
        desk.get_by_role("button", name=re.compile(rf"^Record as done\W+{check}$")).click()
        expect(desk.get_by_text("Check recorded.")).to_be_visible()
    for _ in settings.INVESTORS_REQUIRED_DOCUMENTS:
        # The first document still without a decision (decided ones fold theirs away).
        form = desk.locator("form").filter(has=desk.get_by_role("radio", name="Accepted")).first
        form.get_by_role("radio", name="Accepted").check()
        form.get_by_role("button", name=re.compile(r"^Record the decision\W+\w")).click()
        expect(desk.get_by_text("Document accepted.")).to_be_visible()
    desk.get_by_role("combobox", name="Decision").select_option("verify")
    screenshot(desk, "08-registrar-decision")
    desk.get_by_role("button", name="Record the decision", exact=True).click()
    expect(desk.get_by_text("Organisation verified.")).to_be_visible()
    expect(desk.locator("h1 + p .status")).to_have_text("Verified")

    # Verified but not yet bound by the agreement: the data room says what is missing.
    page.goto(live_server.url + DEPOSIT)
    with page.expect_response(lambda r: "/data-room/" in r.url) as refused:
        page.get_by_role("link", name=DATA_ROOM_DOCUMENT).click()
    assert refused.value.status == 403
    # The refusal has arrived, the page showing it maybe not yet: wait for its heading.
    expect(page.get_by_role("heading", level=1)).to_have_text(DATA_ROOM_DOCUMENT)
    expect(page.get_by_role("alert")).to_have_text(
        "Accept the current confidentiality agreement to open data-room documents."
    )
    screenshot(page, "09-data-room-closed")

    page.goto(live_server.url + "/investor/")
    page.get_by_role("link", name="Read and accept the confidentiality agreement").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Confidentiality agreement")
    page.get_by_label("I have read the agreement and accept it on behalf of my organisation.").check()
    screenshot(page, "10-agreement")
    page.get_by_role("button", name="Accept the agreement").click()
    expect(page.get_by_text("You accepted the current confidentiality agreement.")).to_be_visible()

    page.goto(live_server.url + DEPOSIT)
    screenshot(page, "11-deposit-with-data-room")
    with page.expect_download() as opened:
        page.get_by_role("link", name=DATA_ROOM_DOCUMENT).click()
    download = opened.value
    assert download.suggested_filename == "drill-holes.pdf"
    text = PdfReader(download.path()).pages[0].extract_text()
    assert LATIN_NAME in text and "Confidential" in text, text

    # The registrar sees the opening in the access log.
    desk.goto(live_server.url + "/registrar/data-room/")
    opening = desk.get_by_role("row").filter(has_text=EMAIL)
    expect(opening).to_have_count(1)
    expect(opening).to_contain_text(LATIN_NAME)
    expect(opening).to_contain_text(DATA_ROOM_DOCUMENT)
    screenshot(desk, "12-data-room-log")

    registrar_context.close()
    investor_context.close()
    assert not errors, errors
