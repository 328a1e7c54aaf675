"""Two notices of one payment at once, on PostgreSQL with real threads: one payment row, and
both callers answered with it; two invoices issued at once for one obligation: one invoice."""

from datetime import date
from decimal import Decimal

import pytest

from events.services import event_chain_verify
from licensing.licences import money
from licensing.models import Invoice, ObligationKind, Payment, PaymentSource
from tests.licensing import factories
from tests.licensing.test_concurrency import at_once

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


@pytest.fixture
def obligation(applicant):
    _owner, organisation = applicant
    licence = factories.licence_scheduled(
        organisation, factories.rectangle(1, 2), starts_on=date(2026, 11, 24), expires_on=date(2032, 11, 24)
    )
    return licence.obligations.get(kind=ObligationKind.RENT, licence_year=1)


def test_two_notices_of_the_same_payment_at_once_record_one(obligation, crew) -> None:
    invoice = money.invoice_issue(obligation=obligation)

    def notify():
        return money.payment_record(
            actor=crew.registrar,
            invoice=invoice,
            reference="HB-SAME",
            amount_kzt=Decimal("129750.00"),
            paid_on=date(2026, 11, 24),
            source=PaymentSource.REGISTRAR,
        )

    outcomes = at_once([notify, notify, notify])
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert sorted(o.created for o in outcomes) == [False, False, True]
    assert {o.payment.pk for o in outcomes} == {Payment.objects.get().pk}
    assert event_chain_verify().ok


def test_two_issues_of_one_obligation_at_once_make_one_invoice(obligation) -> None:
    outcomes = at_once([lambda: money.invoice_issue(obligation=obligation)] * 3)
    assert not [o for o in outcomes if isinstance(o, Exception)], outcomes
    assert {o.pk for o in outcomes} == {Invoice.objects.get().pk}
