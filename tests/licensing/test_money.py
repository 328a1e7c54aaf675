"""Invoices and payments: issued at the grant and by the daily beat at the MCI of the year each
fee falls due, once; payments recorded once per bank reference, meeting the obligation when
they reach the amount, over- and under-payment kept and shown; the holder's invoices page, the
invoice PDF, and the registrar's payments page."""

import io
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from pypdf import PdfReader

from accounts.errors import TransitionError
from accounts.roles import Role
from events.models import Event
from investors.models import MemberRole
from licensing import tasks
from licensing.domain import money as rules
from licensing.licences import money
from licensing.models import Invoice, InvoiceKind, LicenceObligation, MciValue, ObligationKind, Payment, PaymentSource
from licensing.review import services as review_services
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db
ASTANA = ZoneInfo("Asia/Almaty")
START = date(2026, 11, 24)  # the licences here start on the conftest's working morning
BLOCKS = factories.rectangle(1, 2)  # 2 blocks: 30 MCI of area fee a year in years 1-3


@pytest.fixture
def mci_later_years() -> None:
    MciValue.objects.create(year=2027, value_kzt=Decimal("4600"), source="test")
    MciValue.objects.create(year=2028, value_kzt=Decimal("4900"), source="test")


@pytest.fixture
def licence(applicant):
    _owner, organisation = applicant
    return factories.licence_scheduled(organisation, BLOCKS, starts_on=START, expires_on=date(2032, 11, 24))


def area_fee(licence, year: int) -> LicenceObligation:
    return licence.obligations.get(kind=ObligationKind.RENT, licence_year=year)


def pay(actor, invoice, reference: str, amount: str, **fields):
    defaults = {"paid_on": date(2026, 11, 24), "source": PaymentSource.REGISTRAR}
    return money.payment_record(
        actor=actor, invoice=invoice, reference=reference, amount_kzt=Decimal(amount), **{**defaults, **fields}
    )


# Issuing -------------------------------------------------------------------------------


def test_a_grant_invoices_the_signature_bonus_and_the_first_years_area_fee(crew, applicant, time_machine) -> None:
    owner, organisation = applicant
    application = factories.lodged(owner, organisation, BLOCKS)
    application = factories.to_assessment(application, crew.reviewer, time_machine)
    review_services.application_recommend(
        actor=crew.reviewer, application=application, recommendation="grant", reasons="OK"
    )
    application = review_services.application_decide(actor=crew.approver, application=application, decision="grant")
    invoices = {i.kind: i for i in Invoice.objects.filter(licence=application.licence)}
    assert set(invoices) == {InvoiceKind.SIGNATURE_BONUS, InvoiceKind.AREA_FEE}
    bonus, fee = invoices[InvoiceKind.SIGNATURE_BONUS], invoices[InvoiceKind.AREA_FEE]
    assert (bonus.amount_mci, bonus.amount_kzt, bonus.mci_year) == (Decimal(100), Decimal("432500.00"), 2026)
    assert fee.obligation.licence_year == 1 and fee.amount_kzt == Decimal("129750.00")  # 30 MCI × 4,325
    assert bonus.number.startswith("INV-2026-") and rules.creditor_reference_valid(bonus.payment_reference)
    assert bonus.budget_code == ""  # no published source gives it
    issued = Event.objects.filter(type="invoice.issued").values_list("payload__number", flat=True)
    assert sorted(issued) == sorted([bonus.number, fee.number])


def test_each_years_area_fee_is_valued_at_the_mci_of_the_year_it_falls_due(licence, mci_later_years) -> None:
    amounts = {year: money.invoice_issue(obligation=area_fee(licence, year)) for year in (1, 2, 3, 4)}
    assert {y: (i.mci_year, i.amount_kzt) for y, i in amounts.items()} == {
        1: (2026, Decimal("129750.00")),  # 30 MCI × 4,325
        2: (2027, Decimal("138000.00")),  # 30 MCI × 4,600
        3: (2028, Decimal("147000.00")),  # 30 MCI × 4,900
        4: (2028, Decimal("225400.00")),  # 46 MCI (23 × 2) at the latest known: 2029's is not set
    }
    assert [i.due_on for i in amounts.values()] == [date(2026 + n, 11, 24) for n in range(4)]


def test_an_obligation_is_invoiced_once_however_often_asked(licence) -> None:
    first = money.invoice_issue(obligation=area_fee(licence, 1))
    again = money.invoice_issue(obligation=area_fee(licence, 1))
    assert again.pk == first.pk and Invoice.objects.count() == 1
    assert Event.objects.filter(type="invoice.issued").count() == 1


def test_invoice_numbers_run_on_within_the_year_and_references_are_unique(licence) -> None:
    numbers = [money.invoice_issue(obligation=area_fee(licence, y)).number for y in (1, 2, 3)]
    assert numbers == ["INV-2026-000001", "INV-2026-000002", "INV-2026-000003"]
    references = set(Invoice.objects.values_list("payment_reference", flat=True))
    assert len(references) == 3 and all(rules.creditor_reference_valid(r) for r in references)


def test_only_an_area_fee_with_an_amount_is_invoiced(licence) -> None:
    report = licence.obligations.get(kind=ObligationKind.WORK_REPORT, licence_year=1)
    with pytest.raises(ValidationError):
        money.invoice_issue(obligation=report)
    assert not Invoice.objects.exists()


def test_the_beat_invoices_later_years_90_days_before_they_are_due_and_twice_issues_once(
    licence, mci_later_years, time_machine
) -> None:
    money.invoice_issue(obligation=area_fee(licence, 1))
    time_machine.move_to(datetime(2027, 8, 25, 6, 0, tzinfo=ASTANA))  # 91 days before year 2
    assert tasks.issue_invoices() == []
    time_machine.move_to(datetime(2027, 8, 26, 6, 0, tzinfo=ASTANA))  # 90 days before
    issued = tasks.issue_invoices()
    assert tasks.issue_invoices() == []  # the second run finds it issued
    invoice = Invoice.objects.get(number__in=issued)
    assert (invoice.obligation.licence_year, invoice.amount_kzt, invoice.number) == (
        2,
        Decimal("138000.00"),
        "INV-2027-000001",
    )
    assert Event.objects.filter(type="invoice.issued").count() == 2


def test_the_beat_waits_for_the_mci_of_the_due_year_until_30_days_before(licence, time_machine) -> None:
    money.invoice_issue(obligation=area_fee(licence, 1))
    time_machine.move_to(datetime(2027, 8, 26, 6, 0, tzinfo=ASTANA))
    assert tasks.issue_invoices() == []  # 2027's MCI is not published yet
    time_machine.move_to(datetime(2027, 10, 25, 6, 0, tzinfo=ASTANA))  # 30 days before: issue at the latest known
    [number] = tasks.issue_invoices()
    invoice = Invoice.objects.get(number=number)
    assert (invoice.mci_year, invoice.amount_kzt) == (2026, Decimal("129750.00"))


def test_the_beat_skips_waived_and_met_obligations(licence, crew, mci_later_years, time_machine) -> None:
    LicenceObligation.objects.filter(pk=area_fee(licence, 2).pk).update(
        waived_at=datetime(2027, 1, 1, tzinfo=ASTANA), waived_by=crew.approver, waiver_reason="Force majeure"
    )
    time_machine.move_to(datetime(2028, 9, 1, 6, 0, tzinfo=ASTANA))
    issued = tasks.issue_invoices()
    years = sorted(Invoice.objects.filter(number__in=issued).values_list("obligation__licence_year", flat=True))
    assert years == [1, 3]  # year 1 still owed; year 2 waived


# Payments ------------------------------------------------------------------------------


@pytest.fixture
def invoice(licence) -> Invoice:
    return money.invoice_issue(obligation=area_fee(licence, 1))  # 129,750.00 KZT


def test_a_payment_in_full_meets_the_obligation(invoice, crew) -> None:
    recorded = pay(crew.registrar, invoice, "HALYK-0001", "129750.00")
    assert recorded.created and recorded.payment.recorded_by == crew.registrar
    invoice.obligation.refresh_from_db()
    assert invoice.obligation.met_at is not None
    event = Event.objects.get(type="payment.recorded")
    assert (event.payload["balance_kzt"], event.payload["obligation_met"]) == ("0.00", True)


def test_part_payments_leave_it_unmet_with_the_balance_until_they_reach_the_amount(invoice, crew) -> None:
    pay(crew.registrar, invoice, "HALYK-0001", "100000.00")
    invoice.obligation.refresh_from_db()
    assert invoice.obligation.met_at is None
    assert Event.objects.get(type="payment.recorded").payload["balance_kzt"] == "29750.00"
    pay(crew.registrar, invoice, "HALYK-0002", "29750.00")
    invoice.obligation.refresh_from_db()
    assert invoice.obligation.met_at is not None


def test_over_payment_is_kept_and_shown_never_absorbed(invoice, crew) -> None:
    pay(crew.registrar, invoice, "HALYK-0001", "130000.00")
    assert Payment.objects.get().amount_kzt == Decimal("130000.00")
    assert Event.objects.get(type="payment.recorded").payload["balance_kzt"] == "-250.00"
    invoice.obligation.refresh_from_db()
    assert invoice.obligation.met_at is not None


def test_the_same_payment_again_returns_the_first_and_records_nothing(invoice, crew) -> None:
    first = pay(crew.registrar, invoice, "HALYK-0001", "1000.00")
    events = Event.objects.count()
    again = pay(crew.registrar, invoice, " HALYK-0001 ", "1000.00")
    assert (again.created, again.payment.pk) == (False, first.payment.pk)
    assert Payment.objects.count() == 1 and Event.objects.count() == events


def test_the_same_reference_with_another_amount_or_invoice_is_a_conflict(invoice, licence, crew) -> None:
    pay(crew.registrar, invoice, "HALYK-0001", "1000.00")
    other = money.invoice_issue(obligation=area_fee(licence, 2))
    with pytest.raises(TransitionError, match="HALYK-0001"):
        pay(crew.registrar, invoice, "HALYK-0001", "1000.01")
    with pytest.raises(TransitionError):
        pay(crew.registrar, other, "HALYK-0001", "1000.00")
    assert Payment.objects.count() == 1


def test_only_registrars_and_partner_banks_record_payments(invoice, applicant, crew) -> None:
    owner, _organisation = applicant
    for actor in (owner, crew.reviewer):
        with pytest.raises(PermissionDenied):
            pay(actor, invoice, "HALYK-0001", "1000.00")
    assert not Payment.objects.exists()


@pytest.mark.parametrize(
    ("amount", "fields"),
    [("0", {}), ("-5", {}), ("1.001", {}), ("10", {"paid_on": date(2026, 11, 25)}), ("10", {"source": "cash"})],
)
def test_a_malformed_payment_is_refused_and_changes_nothing(invoice, crew, amount, fields) -> None:
    with pytest.raises(ValidationError):
        pay(crew.registrar, invoice, "HALYK-0001", amount, **fields)
    assert not Payment.objects.exists()


# Pages ---------------------------------------------------------------------------------


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_holder_sees_each_invoice_paid_and_its_balance(
    invoice, licence, applicant, crew, django_assert_max_num_queries
) -> None:
    owner, _organisation = applicant
    pay(crew.registrar, invoice, "HALYK-0001", "130000.00")
    for year in range(2, 7):
        money.invoice_issue(obligation=area_fee(licence, year))
    money.signature_bonus_issue(licence=licence)
    client = signed_in(owner)
    with django_assert_max_num_queries(12):
        page = client.get(f"/investor/licences/{licence.number}/invoices/")
    assert page.status_code == 200
    text = page.content.decode()
    assert invoice.number in text and invoice.payment_reference in text
    assert "250.00 paid over" in text and "Paid over the amount" in text
    assert text.count("Unpaid") == 6


def test_a_stranger_gets_no_invoices_of_another_holder(invoice, licence, make_user, crew) -> None:
    stranger, _org = factories.applicant(make_user, crew.registrar, "Stranger LLP")
    client = signed_in(stranger)
    assert client.get(f"/investor/licences/{licence.number}/invoices/").status_code == 404
    assert client.get(f"/investor/invoices/{invoice.number}.pdf").status_code == 404


def test_the_invoice_pdf_in_the_holders_language_carries_the_reference(invoice, applicant, make_user) -> None:
    owner, organisation = applicant
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(organisation, viewer, MemberRole.VIEWER, invited_by=owner)
    answer = signed_in(viewer).get(f"/investor/invoices/{invoice.number}.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(answer.content)).pages)
    for fact in (invoice.number, invoice.payment_reference, invoice.licence.number, "129,750.00", "4,325.00"):
        assert fact in text
    assert "Not given by a published source" in text and "MCI of 2026" in text


def test_the_registrar_finds_an_invoice_by_reference_checks_and_confirms_the_payment(invoice, crew) -> None:
    client = signed_in(crew.registrar)
    spaced = " ".join(invoice.payment_reference[i : i + 4] for i in range(0, len(invoice.payment_reference), 4))
    found = client.get("/registrar/payments/", {"q": spaced.lower()})
    assert found.status_code == 200 and invoice.number in found.content.decode()
    body = {"invoice": invoice.number, "reference": "KASPI-77", "amount_kzt": "129750.00", "paid_on": "2026-11-23"}
    check = client.post("/registrar/payments/", {**body, "statement_line": "KASPI 77 Steppe Lithium"})
    assert check.status_code == 200 and "Record this payment" in check.content.decode()
    assert not Payment.objects.exists()  # nothing before the confirmation
    done = client.post("/registrar/payments/", {**body, "confirmed": "yes"}, follow=True)
    assert "Payment KASPI-77 recorded." in done.content.decode()
    payment = Payment.objects.get()
    assert (payment.source, payment.recorded_by, payment.invoice) == (PaymentSource.REGISTRAR, crew.registrar, invoice)
    again = client.post("/registrar/payments/", {**body, "confirmed": "yes"}, follow=True)
    assert "already recorded; nothing changed" in again.content.decode() and Payment.objects.count() == 1
    conflict = client.post("/registrar/payments/", {**body, "amount_kzt": "5.00", "confirmed": "yes"})
    assert conflict.status_code == 409 and "KASPI-77" in conflict.content.decode()


def test_the_registrars_page_refuses_bad_input_and_other_people(invoice, crew, applicant) -> None:
    client = signed_in(crew.registrar)
    assert client.get("/registrar/payments/", {"q": "INV-1999-000001"}).status_code == 404
    bad = client.post("/registrar/payments/", {"invoice": invoice.number, "reference": "", "amount_kzt": "-1"})
    assert bad.status_code == 400
    assert client.post("/registrar/payments/", {"invoice": "nope", "reference": "x"}).status_code == 404
    owner, _organisation = applicant
    for person in (owner, crew.reviewer):
        assert signed_in(person).get("/registrar/payments/").status_code == 403
    assert Client().get("/registrar/payments/").status_code == 302
    assert not Payment.objects.exists()


def test_the_payment_reference_carries_iso_11649_check_digits() -> None:
    reference = rules.payment_reference("INV-2026-000123")
    assert reference.startswith("RF") and reference.endswith("2026000123")
    assert rules.creditor_reference_valid(reference)
    assert rules.creditor_reference_valid("RF18 5390 0754 7034")  # ISO 11649's own example
    mistyped = reference[:-1] + str((int(reference[-1]) + 1) % 10)
    assert not rules.creditor_reference_valid(mistyped)
    standings = [rules.Standing(Decimal(10), Decimal(paid)) for paid in ("0", "4", "10", "11")]
    assert [(s.status, s.balance_kzt) for s in standings] == [
        ("unpaid", Decimal(10)),
        ("part_paid", Decimal(6)),
        ("paid", Decimal(0)),
        ("overpaid", Decimal(-1)),
    ]
