"""`/api/v1/invoices/` and `/api/v1/payments/`: a bank with `payments:write` looks an invoice up by
its reference and notifies a payment once (201, then 200 for the same again, 409 for another
with the same reference); a token without the scope is refused; a holder reads its own invoices
with the session, in a constant number of queries."""

from datetime import date
from decimal import Decimal

import pytest
from django.test import Client

from licensing.licences import money
from licensing.models import Invoice, ObligationKind, Payment, PaymentSource
from partners.scopes import PAYMENTS_WRITE, REGISTER_READ
from tests.licensing import factories
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db
INVOICES, PAYMENTS = "/api/v1/invoices/", "/api/v1/payments/"


@pytest.fixture
def licence(applicant):
    _owner, organisation = applicant
    return factories.licence_scheduled(
        organisation, factories.rectangle(1, 2), starts_on=date(2026, 11, 24), expires_on=date(2032, 11, 24)
    )


@pytest.fixture
def invoice(licence) -> Invoice:
    obligation = licence.obligations.get(kind=ObligationKind.RENT, licence_year=1)
    return money.invoice_issue(obligation=obligation)  # 129,750.00 KZT


@pytest.fixture
def bank(client: Client):
    credentials = partner_client(PAYMENTS_WRITE, name="Halyk Bank")
    return credentials, bearer(client, credentials)


def notice(client: Client, headers: dict[str, str], **body: object):
    return client.post(PAYMENTS, body, content_type="application/json", **headers)


def test_a_bank_finds_an_invoice_by_its_payment_reference(client, bank, invoice) -> None:
    _credentials, headers = bank
    reference = invoice.payment_reference
    spaced = " ".join(reference[i : i + 4] for i in range(0, len(reference), 4)).lower()
    found = client.get(INVOICES, {"payment_reference": spaced}, **headers)
    assert found.status_code == 200
    [row] = found.json()["results"]
    assert (row["number"], row["amount_kzt"], row["balance_kzt"], row["status"]) == (
        invoice.number,
        "129750.00",
        "129750.00",
        "unpaid",
    )
    assert client.get(f"{INVOICES}{invoice.number}/", **headers).json()["payment_reference"] == reference


def test_a_bank_may_not_list_every_invoice(client, bank, invoice) -> None:
    _credentials, headers = bank
    answer = client.get(INVOICES, **headers)
    assert answer.status_code == 400 and "number" in answer.json()["errors"]
    for query, refused in (({"number": ""}, "number"), ({"number": invoice.number, "licence": " "}, "licence")):
        answer = client.get(INVOICES, query, **headers)
        assert answer.status_code == 400 and refused in answer.json()["errors"], answer.content


def test_a_bank_notifies_a_payment_once_and_a_repeat_answers_the_same(client, bank, invoice) -> None:
    credentials, headers = bank
    body = {"payment_reference": invoice.payment_reference, "reference": "HB-1", "amount_kzt": "100000.00"}
    first = notice(client, headers, **body, paid_on="2026-11-24")
    assert first.status_code == 201, first.content
    answer = first.json()
    assert answer["payment"]["reference"] == "HB-1" and answer["payment"]["source"] == "partner"
    assert (answer["invoice"]["paid_kzt"], answer["invoice"]["balance_kzt"]) == ("100000.00", "29750.00")
    assert answer["invoice"]["status"] == "part_paid"
    again = notice(client, headers, **body, paid_on="2026-11-24")
    assert again.status_code == 200 and again.json() == answer
    payment = Payment.objects.get()
    assert (payment.recorded_by, payment.source) == (credentials.client.user, PaymentSource.PARTNER)


def test_the_same_reference_for_another_payment_is_a_conflict(client, bank, invoice) -> None:
    _credentials, headers = bank
    notice(client, headers, invoice=invoice.number, reference="HB-1", amount_kzt="10.00", paid_on="2026-11-24")
    clash = notice(client, headers, invoice=invoice.number, reference="HB-1", amount_kzt="11.00", paid_on="2026-11-24")
    assert clash.status_code == 409
    assert clash["Content-Type"] == "application/problem+json" and "HB-1" in clash.json()["detail"]
    assert Payment.objects.get().amount_kzt == Decimal("10.00")


def test_paying_the_whole_amount_meets_the_obligation_and_more_is_shown_over(client, bank, invoice) -> None:
    _credentials, headers = bank
    answer = notice(
        client, headers, invoice=invoice.number, reference="HB-1", amount_kzt="130000.00", paid_on="2026-11-24"
    )
    assert (answer.json()["invoice"]["status"], answer.json()["invoice"]["balance_kzt"]) == ("overpaid", "-250.00")
    invoice.obligation.refresh_from_db()
    assert invoice.obligation.met_at is not None


@pytest.mark.parametrize(
    "body",
    [
        {"reference": "HB-1", "amount_kzt": "10.00", "paid_on": "2026-11-24"},  # which invoice?
        {"invoice": "X", "reference": "", "amount_kzt": "10.00", "paid_on": "2026-11-24"},
        {"invoice": "X", "reference": "HB-1", "amount_kzt": "0", "paid_on": "2026-11-24"},
        {"invoice": "X", "reference": "HB-1", "amount_kzt": "10.001", "paid_on": "2026-11-24"},
        {"invoice": "X", "reference": "HB-1", "amount_kzt": "10.00", "paid_on": "yesterday"},
        {"invoice": "X", "reference": "HB-1", "amount_kzt": "10.00", "paid_on": "2026-12-31"},  # in the future
    ],
)
def test_a_malformed_notice_is_refused_and_records_nothing(client, bank, invoice, body) -> None:
    _credentials, headers = bank
    body = {k: (invoice.number if v == "X" else v) for k, v in body.items()}
    answer = notice(client, headers, **body)
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    assert not Payment.objects.exists()


def test_an_unknown_invoice_answers_404(client, bank, invoice) -> None:
    _credentials, headers = bank
    answer = notice(client, headers, invoice="INV-1999-000001", reference="HB-1", amount_kzt="1", paid_on="2026-11-24")
    assert answer.status_code == 404 and not Payment.objects.exists()


def test_a_token_without_payments_write_is_refused(client, invoice) -> None:
    headers = bearer(client, partner_client(REGISTER_READ, name="Register reader"))
    assert client.get(INVOICES, {"number": invoice.number}, **headers).status_code == 403
    body = {"invoice": invoice.number, "reference": "HB-1", "amount_kzt": "1.00", "paid_on": "2026-11-24"}
    assert notice(client, headers, **body).status_code == 403
    assert not Payment.objects.exists()


def test_a_holder_reads_its_own_invoices_in_constant_queries(
    client, applicant, make_user, crew, django_assert_max_num_queries
) -> None:
    owner, organisation = applicant
    for n in range(6):
        licence = factories.licence_scheduled(
            organisation,
            factories.rectangle(1, 1, origin=factories.ORIGIN + 10 * n),
            starts_on=date(2026, 11, 24),
            expires_on=date(2032, 11, 24),
        )
        money.invoices_at_grant(licence=licence, now=licence.granted_at)
    stranger, stranger_org = factories.applicant(make_user, crew.registrar, "Stranger LLP")
    theirs = factories.licence_scheduled(stranger_org, factories.rectangle(1, 1, origin=factories.ORIGIN + 200))
    money.invoices_at_grant(licence=theirs, now=theirs.granted_at)
    client.force_login(owner)
    with django_assert_max_num_queries(8):
        answer = client.get(INVOICES, {"page_size": 50})
    numbers = {row["number"] for row in answer.json()["results"]}
    assert len(numbers) == 12 and not numbers & set(theirs.invoices.values_list("number", flat=True))
    client.force_login(stranger)
    assert client.get(f"{INVOICES}{sorted(numbers)[0]}/").status_code == 404


def test_a_holder_may_not_post_a_payment(client, applicant, invoice) -> None:
    owner, _organisation = applicant
    client.force_login(owner)
    body = {"invoice": invoice.number, "reference": "HB-1", "amount_kzt": "1.00", "paid_on": "2026-11-24"}
    assert notice(client, {}, **body).status_code == 403
    assert not Payment.objects.exists()
