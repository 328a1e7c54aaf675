"""Three people, three browsers: the investor lodges → a reviewer asks for information → the
investor answers → the reviewer publishes, assesses and recommends → an approver grants →
the investor downloads the certificate → an anonymous visitor verifies it at its QR target."""

import re
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from pypdf import PdfReader

from tests.demo_snapshot import demo_loaded
from tests.e2e.test_investor_journey import pdf, registrar_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def draft() -> int:
    """The demo investor's complete draft for four free blocks near the Bakennoye lithium deposit."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from accounts.models import User
    from documents.services import document_check
    from investors.models import Membership
    from licensing.domain import grid
    from licensing.drafting import services as drafting_services
    from licensing.ground import selectors as ground_selectors
    from licensing.licences import selectors as licences_selectors
    from licensing.models import LicenceType

    demo_loaded()
    investor = User.objects.get(email="investor@example.com")
    # The demo investor owns its own organisation (and is a notice contact, a viewer, of another).
    organisation = Membership.objects.get(user=investor, role="owner").organisation
    licence_type = LicenceType.objects.get(code="exploration")
    for step in range(20):
        origin = grid.block_at(latitude=49.30 + step * 0.04, longitude=82.60)
        blocks = [origin, origin + 1, origin + grid.MINUTES_LON, origin + grid.MINUTES_LON + 1]
        check = ground_selectors.blocks_check(licence_type=licence_type, blocks=blocks)
        if check.ok and not check.conditional:
            break
    application = drafting_services.application_create(
        actor=investor,
        organisation=organisation,
        licence_type=licence_type,
        title="Bakennoye south lithium",
        region="east_kazakhstan",
        blocks=blocks,
        kazakh_staff_percent=Decimal(92),
        local_goods_percent=Decimal(65),
        training_spend_kzt=Decimal(20_000_000),
        in_country_processing=True,
        processing_plan="Concentrator at Ust-Kamenogorsk.",
    )
    duty = licences_selectors.obligations(licence_type=licence_type, blocks=blocks)
    drafting_services.application_programme_set(
        actor=investor,
        application=application,
        years=[{"year": y.year, "activities": "Drilling", "expenditure_kzt": y.expenditure_kzt} for y in duty.years],
    )
    for requirement in licence_type.required_documents.all():
        upload = SimpleUploadedFile(f"{requirement.code}.pdf", pdf(requirement.label_en))
        attached = drafting_services.application_document_add(
            actor=investor, application=application, requirement=requirement, upload=upload
        )
        document_check(document_id=attached.document_id)
    drafting_services.application_declare(actor=investor, application=application)
    return application.pk


def sign_in(page, base: str, email: str, official: bool) -> None:
    from playwright.sync_api import expect

    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill("ashyqken-demo")
    page.get_by_role("button", name="Sign In").click()
    if official:
        page.wait_for_url("**/accounts/2fa/authenticate/")
        page.locator("input[name=code]").fill(registrar_code())
        page.get_by_role("button", name="Sign In").click()
    expect(page.get_by_role("button", name=f"Sign out ({email})")).to_be_visible()


def test_lodge_request_answer_recommend_grant_download_and_verify(
    draft, live_server, browser, screenshot, time_machine
) -> None:
    from playwright.sync_api import expect

    time_machine.move_to(timezone.now(), tick=True)
    base = live_server.url
    errors: list[str] = []

    def person(width: int = 1280):
        context = browser.new_context(viewport={"width": width, "height": 900}, accept_downloads=True)
        context.set_default_timeout(10_000)
        page = context.new_page()
        page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
        page.on("dialog", lambda dialog: dialog.accept())  # confirm before irreversible steps: yes
        return page

    # The investor lodges the draft.
    investor = person()
    sign_in(investor, base, "investor@example.com", official=False)
    investor.goto(f"{base}/investor/applications/{draft}/lodge/")
    investor.get_by_role("button", name="Lodge now").click()
    reference = re.search(r"A-\d{6}", investor.get_by_text(re.compile(r"Lodged as A-\d{6}")).inner_text()).group(0)

    # A reviewer claims it, accepts it and asks for information.
    reviewer = person()
    sign_in(reviewer, base, "reviewer@example.com", official=True)
    reviewer.goto(base + "/workbench/")
    reviewer.get_by_role("link", name=reference).click()
    reviewer.get_by_role("button", name="Claim this case").click()
    expect(reviewer.get_by_text("Assigned to reviewer@example.com.")).to_be_visible()
    reviewer.get_by_role("button", name="Accept for review (checks pass)").click()
    expect(reviewer.get_by_text("Accepted for review.")).to_be_visible()
    reviewer.get_by_label("What is needed").fill("Send the signed licence-area map.")
    reviewer.get_by_role("button", name="Request information").click()
    expect(reviewer.get_by_text("Information requested; the clock is stopped")).to_be_visible()
    screenshot(reviewer, "01-case")

    # The investor answers in the portal; the clock runs again.
    investor.reload()
    expect(investor.get_by_text("Send the signed licence-area map.")).to_be_visible()
    investor.get_by_label("Your answer").fill("The signed map is attached to our file.")
    investor.get_by_role("button", name="Send the answer").click()
    expect(investor.get_by_text("Answer sent; the clock runs again.")).to_be_visible()

    # The reviewer publishes the notice; a month later closes objections, assesses, recommends.
    reviewer.reload()
    reviewer.get_by_role("button", name="Publish the notice and open objections").click()
    expect(reviewer.get_by_text("Published; the objection period runs.")).to_be_visible()
    time_machine.move_to(timezone.now() + timedelta(days=32), tick=True)
    sign_in(reviewer, base, "reviewer@example.com", official=True)  # the session ended meanwhile
    reviewer.goto(base + "/workbench/")
    reviewer.get_by_role("link", name=reference).click()
    reviewer.get_by_role("button", name="Close the objection period").click()
    reviewer.get_by_label("The work programme is technically adequate").check()
    reviewer.get_by_label("The applicant is financially capable").check()
    reviewer.get_by_role("button", name="Record the assessment").click()
    expect(reviewer.get_by_text("Assessment recorded.")).to_be_visible()
    reviewer.get_by_label("Recommendation").select_option("grant")
    reviewer.get_by_label("Reasons").fill("Complete and adequate; strong local content.")
    reviewer.get_by_role("button", name="Recommend").click()
    expect(reviewer.get_by_text("Recommendation recorded; an approver decides.")).to_be_visible()
    expect(reviewer.get_by_role("button", name="Decide")).to_have_count(0)  # four eyes

    # An approver grants it.
    approver = person()
    sign_in(approver, base, "approver@example.com", official=True)
    approver.goto(base + "/workbench/")
    approver.get_by_role("link", name=reference).click()
    approver.get_by_label("Decision").select_option("grant")
    approver.get_by_role("button", name="Decide").click()
    expect(approver.get_by_text("Decision recorded.")).to_be_visible()
    screenshot(approver, "02-granted")

    # The investor downloads the certificate.
    sign_in(investor, base, "investor@example.com", official=False)
    investor.goto(f"{base}/investor/applications/{draft}/")
    heading = investor.get_by_role("heading", name=re.compile(r"^Licence KZ-EXP-\d{4}-\d{6}$"))
    number = heading.inner_text().removeprefix("Licence ")
    with investor.expect_download() as download:
        investor.get_by_role("link", name="Download the certificate (PDF)").click()
    text = "".join(p.extract_text() for p in PdfReader(download.value.path()).pages)
    assert number in text and f"/verify/{number}/" in text

    # Anyone verifies it at the QR code's target.
    visitor = person(width=390)
    visitor.goto(f"{base}/verify/{number}/")
    expect(visitor.get_by_role("heading", level=1)).to_contain_text(number)
    expect(visitor.get_by_text("Steppe Metals Investment B.V.").first).to_be_visible()
    screenshot(visitor, "03-verified-phone")
    # And checks the downloaded file itself: the register issued it, and it is current.
    certificate = Path(download.value.path()).read_bytes()
    visitor.get_by_label("Certificate file (PDF)").set_input_files(
        files=[{"name": f"{number}.pdf", "mimeType": "application/pdf", "buffer": certificate}]
    )
    visitor.get_by_role("button", name="Check the file").click()
    expect(visitor.get_by_text("Genuine and current.")).to_be_visible()
    screenshot(visitor, "04-file-checked-phone")
    assert visitor.goto(f"{base}/verify/KZ-EXP-1999-000000/").status == 404
    assert not errors, errors
