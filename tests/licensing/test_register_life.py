"""The public register of a licence's life: its status history (public events only), its changes
of title, its certificate versions and the public standing of its obligations, on the register's
page, in the API's licence and on /verify/: what they show, what they never show (amounts,
payments, a waiver's reasons, a change's statement and reasons), and at what cost in queries.
And the annual reports in the API, for the holder and officials only."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from events.services import record_event
from investors.models import MemberRole
from licensing.licences import register_selectors, reports, services
from licensing.models import (
    ExpenditureCategory,
    Invoice,
    Payment,
    Rate,
    ReportState,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)
from partners.scopes import REGISTER_READ
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # the conftest's working morning
STATEMENT = "We keep the eastern blocks because of the lithium brine we found."
WAIVER = "Force majeure: the spring flood closed the road."
DECISION = "The holder showed 40 % of the blocks given up."


def _long_type():
    long = factories.LicenceTypeFactory(term_years=11, max_blocks=50)
    for kind in ("rent", "expenditure"):
        Rate.objects.create(licence_type=long, kind=kind, from_year=1, to_year=11, mci_per_block=Decimal(10))
    return long


def _started(org, *, years_ago: int, origin=factories.ORIGIN, **fields):
    """A licence (with its obligations) that started `years_ago` years before today."""
    starts = TODAY.replace(year=TODAY.year - years_ago)
    return factories.licence_scheduled(
        org, factories.rectangle(2, 2, origin=origin), starts_on=starts, granted_at=timezone.now(), **fields
    )


def _title_change(licence, owner, n: int, **fields) -> TitleChange:
    values = {
        "kind": TitleChangeKind.EXTENSION,
        "state": TitleChangeState.REFUSED,
        "extension_years": 5,
        "statement": STATEMENT,
        "decision_reasons": DECISION,
        "recommendation_reasons": DECISION,
        "decided_at": timezone.now() - timedelta(days=10),
    }
    return TitleChange.objects.create(
        number=f"TC-{licence.pk}-{n}",
        licence=licence,
        holder=licence.holder,
        lodged_by=owner,
        lodged_at=timezone.now() - timedelta(days=40 + n),
        **{**values, **fields},
    )


def _events(licence, *types: str) -> None:
    with transaction.atomic():
        for type in types:
            record_event(actor=None, type=type, subject=licence, version=1, sha256="0" * 64, blocks=[])


@pytest.fixture
def lived(crew, applicant):
    """A licence three years in: year 1's rent met late, its expenditure waived with reasons (and
    an invoice and payment), year 2's report late; a refused extension with a statement; two
    certificate versions; a public event and private ones about it."""
    owner, org = applicant
    licence = _started(org, years_ago=2)
    rent = licence.obligations.get(kind="rent", licence_year=1)
    invoice = Invoice.objects.create(
        number="INV-LIFE-1", licence=licence, obligation=rent, kind="area_fee", amount_mci=Decimal(40),
        mci_year=2024, mci_kzt=Decimal(3692), amount_kzt=Decimal("147680.00"), payment_reference="PR-LIFE-1",
        due_on=rent.due_on, issued_at=licence.granted_at,
    )  # fmt: skip
    Payment.objects.create(
        invoice=invoice, reference="BANK-LIFE-1", amount_kzt=Decimal("147680.00"), paid_on=rent.due_on,
        source="registrar", recorded_by=crew.registrar,
    )  # fmt: skip
    rent.met_at = timezone.make_aware(datetime.combine(rent.due_on + timedelta(days=3), time(12)))
    rent.save(update_fields=["met_at"])
    expenditure = licence.obligations.get(kind="expenditure", licence_year=1)
    services.obligation_waive(actor=crew.reviewer, obligation=expenditure, reasons=WAIVER)
    _title_change(licence, owner, 1)
    for version in (1, 2):
        factories.CertificateVersionFactory(licence=licence, version=version, sha256=f"{version:x}" * 64)
    _events(licence, "licence.granted", "licence.certificate_issued", "report.drafted", "application.assigned")
    return licence


def _text(response) -> str:
    return response.content.decode()


# What the register shows, and what it never shows ---------------------------------------


def test_the_register_page_shows_status_history_changes_versions_and_obligations_to_anyone(client, lived) -> None:
    page = client.get(reverse("licensing:register-licence", args=[lived.number]))
    assert page.status_code == 200
    text = _text(page)
    assert "Licence issued" in text and "Certificate issued" in text
    assert f"TC-{lived.pk}-1" in text and "Extension of term" in text and "Refused" in text
    assert "2" * 64 in text and "(current)" in text
    assert "Licence year 1" in text and "Licence year 3" in text and "Licence year 4" not in text
    assert "after its due date" in text  # the rent was met three days late
    assert "Waived" in text and "Late" in text


def test_the_register_page_never_shows_amounts_payments_reasons_or_statements(client, lived) -> None:
    text = _text(client.get(reverse("licensing:register-licence", args=[lived.number])))
    money = ("147680", "147,680", "147 680", "INV-LIFE-1", "BANK-LIFE-1", "PR-LIFE-1")
    for secret in (WAIVER, STATEMENT, DECISION, *money):
        assert secret not in text
    # Private events about the licence (the holder's draft report, an official's assignment).
    assert "Annual report started" not in text and "Assigned to an official" not in text


def test_a_private_event_never_enters_the_status_history(lived) -> None:
    types = [e.type for e in register_selectors.status_history(lived)]
    assert types == ["licence.granted", "licence.certificate_issued"]
    assert "obligation.waived" not in types  # the waiver recorded by the service is the parties'


def test_the_public_obligations_say_met_late_or_waived_and_on_which_day(lived) -> None:
    years = register_selectors.obligations_public(lived, TODAY)
    assert [y.licence_year for y in years] == [1, 2, 3]
    first = {o.kind: o for o in years[0].obligations}
    assert first["rent"].status == "met" and first["rent"].met_late
    assert first["rent"].met_on == first["rent"].due_on + timedelta(days=3)
    assert first["expenditure"].status == "waived" and first["expenditure"].waived_on == TODAY
    assert "late" in {o.status for o in years[1].obligations}
    assert not hasattr(first["rent"], "amount_mci") and not hasattr(first["expenditure"], "waiver_reason")


def test_the_api_licence_carries_the_same_facts_without_amounts_or_reasons(client, lived) -> None:
    response = client.get(reverse("api:licence-detail", args=[lived.number]))
    assert response.status_code == 200
    body = response.json()
    assert [h["type"] for h in body["status_history"]] == ["licence.granted", "licence.certificate_issued"]
    assert body["history"] == body["status_history"]
    assert body["changes_of_title"] == [
        {
            "number": f"TC-{lived.pk}-1",
            "kind": "extension",
            "state": "refused",
            "lodged_at": body["changes_of_title"][0]["lodged_at"],
            "decided_at": body["changes_of_title"][0]["decided_at"],
        }
    ]
    first = {o["kind"]: o for o in body["obligations_public"][0]["obligations"]}
    assert first["rent"]["status"] == "met" and first["rent"]["met_late"] is True
    assert first["expenditure"] == {
        "kind": "expenditure",
        "due_on": first["expenditure"]["due_on"],
        "status": "waived",
        "met_on": None,
        "met_late": False,
        "waived_on": TODAY.isoformat(),
    }
    assert [v["version"] for v in body["certificate_versions"]] == [1, 2]
    raw = _text(response)
    for secret in (WAIVER, STATEMENT, DECISION, "amount", "paid", "INV-LIFE-1", "waiver_reason"):
        assert secret not in raw


def test_a_partner_with_register_read_sees_the_public_facts(client, lived) -> None:
    headers = bearer(client, partner_client(REGISTER_READ))
    body = client.get(reverse("api:licence-detail", args=[lived.number]), headers=headers).json()
    assert body["status_history"] and body["changes_of_title"] and body["obligations_public"]


def test_verify_shows_the_current_version_and_the_history_of_versions(client, lived) -> None:
    page = client.get(reverse("licensing:verify", args=[lived.number]))
    text = _text(page)
    assert page.status_code == 200
    assert "Version 2, issued" in text and "1" * 64 in text and "2" * 64 in text
    assert "Grant" in text and text.index("1" * 64) < text.index("(current)")


# Query counts ------------------------------------------------------------------------------


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_register_api_and_verify_cost_the_same_queries_for_a_long_life(
    client, crew, applicant, django_assert_max_num_queries
) -> None:
    owner, org = applicant
    short = _started(org, years_ago=0)
    long = _started(org, years_ago=10, origin=factories.ORIGIN + 10, licence_type=_long_type())
    long.expires_on = long.starts_on.replace(year=long.starts_on.year + 11)
    long.save()
    assert long.obligations.values("licence_year").distinct().count() == 11
    for version in range(1, 11):
        factories.CertificateVersionFactory(licence=long, version=version)
    for n in range(5):
        _title_change(long, owner, n, state=TitleChangeState.WITHDRAWN if n else TitleChangeState.UNDER_REVIEW)
    _events(long, *(["licence.certificate_issued", "report.drafted", "licence.granted"] * 10))
    for obligation in long.obligations.filter(licence_year__lte=5):
        services.obligation_waive(actor=crew.reviewer, obligation=obligation, reasons=WAIVER)
    for name in ("licensing:register-licence", "api:licence-detail", "licensing:verify"):
        small = _queries(client, reverse(name, args=[short.number]))
        with django_assert_max_num_queries(small):
            response = client.get(reverse(name, args=[long.number]))
        assert response.status_code == 200
        assert name == "licensing:verify" or f"TC-{long.pk}-4" in _text(response)


# Annual reports in the API -----------------------------------------------------------------


def _report(owner, licence, year: int):
    report = reports.report_draft(actor=owner, licence=licence, year=year)
    return reports.report_update(
        actor=owner, report=report, work_done="Mapping.", kazakh_staff_percent=Decimal(80),
        local_goods_percent=Decimal(30), training_spend_kzt=Decimal(1000), in_country_processing=False,
        processing_text="", expenditure={c: Decimal(5000) for c in ExpenditureCategory.values},
    )  # fmt: skip


def test_the_holder_reads_its_reports_in_the_api_and_lodges_through_the_service(
    client, make_user, crew, applicant
) -> None:
    owner, org = applicant
    licence = _started(org, years_ago=1)
    _report(owner, licence, TODAY.year - 1)
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    client.force_login(viewer)
    listed = client.get(reverse("api:licence-reports", args=[licence.number])).json()
    assert [(r["year"], r["state"]) for r in listed] == [(2026, None), (2025, "draft")]
    detail = client.get(reverse("api:licence-report", args=[licence.number, 2025])).json()
    assert detail["work_done"] == "Mapping." and detail["expenditure_total_kzt"] == "20000.00"
    assert detail["problems"] == ["Attach the geological report."]
    lodge = reverse("api:licence-report-lodge", args=[licence.number, 2025])
    assert client.post(lodge, {"confirmed": True}, content_type="application/json").status_code == 403
    client.force_login(owner)
    refused = client.post(lodge, {"confirmed": True}, content_type="application/json")
    assert refused.status_code == 400 and "geological report" in _text(refused)
    reports.report_document_add(
        actor=owner, report=licence.annual_reports.get(), role="geological",
        upload=investor_factories.pdf_upload("geology.pdf"),
    )  # fmt: skip
    lodged = client.post(lodge, {"confirmed": True}, content_type="application/json")
    assert lodged.status_code == 200 and lodged.json()["state"] == ReportState.LODGED
    assert client.get(reverse("api:licence-report", args=[licence.number, 2024])).status_code == 404
    client.force_login(crew.reviewer)
    assert client.get(reverse("api:licence-report", args=[licence.number, 2025])).json()["state"] == "lodged"


def test_strangers_anonymous_and_partner_tokens_get_no_report(client, make_user, applicant) -> None:
    owner, org = applicant
    licence = _started(org, years_ago=1)
    _report(owner, licence, 2025)
    urls = [
        reverse("api:licence-reports", args=[licence.number]),
        reverse("api:licence-report", args=[licence.number, 2025]),
    ]
    for url in urls:
        assert client.get(url).status_code in (401, 403)
    headers = bearer(client, partner_client(REGISTER_READ))
    for url in urls:
        assert client.get(url, headers=headers).status_code == 403
    client.force_login(make_user(Role.INVESTOR))
    for url in urls:
        assert client.get(url).status_code == 403


def test_the_register_list_says_how_many_obligations_of_each_licence_are_late(client, applicant, lived) -> None:
    _owner, org = applicant
    fresh = _started(org, years_ago=0, origin=factories.ORIGIN + 20)
    text = _text(client.get(reverse("licensing:register-licences")))
    late = sum(
        1
        for year in register_selectors.obligations_public(lived, TODAY)
        for o in year.obligations
        if o.status == "late"
    )
    assert late and f"{late} late" in text and "None late" in text and fresh.number in text
