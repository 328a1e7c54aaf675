"""The annual report on licence obligations and the breaches a shortfall opens: each transition
of the report (across calendar years), a shortfall's breach and its notice, the daily run that
opens breaches once, the remedy, and the holder's and officials' pages (who may, bad input,
queries)."""

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.errors import TransitionError
from accounts.roles import Role
from events.models import Event
from investors.models import MemberRole
from licensing.licences import breaches, reports, services
from licensing.models import (
    AnnualReport,
    Breach,
    BreachKind,
    BreachStatus,
    ExpenditureCategory,
    LicenceObligation,
    ObligationKind,
    ReportState,
)
from licensing.recipients import holder_notice_recipients
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db

ASTANA = ZoneInfo("Asia/Almaty")
PLENTY = {c: Decimal("50000000") for c in ExpenditureCategory.values}  # far above any minimum
LITTLE = {c: Decimal("1000") for c in ExpenditureCategory.values}


def _licence(org, origin=factories.ORIGIN):
    return factories.licence_scheduled(org, factories.rectangle(2, 2, origin=origin))


def _obligation(licence, kind, year=1) -> LicenceObligation:
    return licence.obligations.get(kind=kind, licence_year=year)


def _filled(owner, licence, year, spend=PLENTY) -> AnnualReport:
    report = reports.report_draft(actor=owner, licence=licence, year=year)
    reports.report_update(
        actor=owner,
        report=report,
        work_done="Mapping and 1,200 m of drilling.",
        expenditure=spend,
        kazakh_staff_percent=Decimal("85"),
        local_goods_percent=Decimal("40.5"),
        training_spend_kzt=Decimal("2500000"),
        in_country_processing=False,
        processing_text="",
    )
    reports.report_document_add(
        actor=owner, report=report, role="geological", upload=investor_factories.pdf_upload("geology.pdf")
    )
    return report


def _lodged(owner, licence, year, spend=PLENTY) -> AnnualReport:
    return reports.report_lodge(actor=owner, report=_filled(owner, licence, year, spend), confirmed=True)


# Services ----------------------------------------------------------------------------------------


def test_a_report_accepted_meets_the_years_report_and_expenditure_obligations(crew, applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    report = _lodged(owner, licence, 2026)
    assert report.state == ReportState.LODGED and report.lodged_by == owner
    reports.report_accept(actor=crew.reviewer, report=report)
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED and report.reviewed_by == crew.reviewer
    for kind in (ObligationKind.WORK_REPORT, ObligationKind.LOCAL_CONTENT_REPORT, ObligationKind.EXPENDITURE):
        assert _obligation(licence, kind).met_at is not None
    assert not Breach.objects.exists()
    types = list(Event.objects.filter(type__startswith="report.").order_by("id").values_list("type", flat=True))
    assert types == ["report.drafted", "report.updated", "report.document_added", "report.lodged", "report.accepted"]


def test_an_expenditure_below_the_minimum_opens_a_breach_with_a_notice_to_remedy(crew, applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    reports.report_accept(actor=crew.reviewer, report=_lodged(owner, licence, 2026, spend=LITTLE))
    spending = _obligation(licence, ObligationKind.EXPENDITURE)
    assert spending.met_at is None and _obligation(licence, ObligationKind.WORK_REPORT).met_at is not None
    breach = Breach.objects.get()
    minimum = reports.minimum_kzt(spending)
    assert breach.kind == BreachKind.EXPENDITURE_SHORTFALL and breach.status == BreachStatus.OPEN
    assert breach.shortfall_kzt == minimum - Decimal(4000) and breach.remedy_by > date(2026, 11, 24)
    notice = Event.objects.get(type="breach.opened")
    assert notice.payload["remedy_by"] == breach.remedy_by.isoformat() and notice.actor == crew.reviewer
    assert owner in holder_notice_recipients(org.pk)
    # Waiving the expenditure (say, force majeure) settles the obligation: the breach is remedied.
    services.obligation_waive(actor=crew.approver, obligation=spending, reasons="Flooded access road.")
    breach.refresh_from_db()
    assert breach.status == BreachStatus.REMEDIED and breach.remedied_at is not None
    assert Event.objects.filter(type="breach.remedied").count() == 1


def test_a_correction_is_asked_with_reasons_and_a_deadline_in_working_days(crew, applicant, settings) -> None:
    owner, org = applicant
    licence = _licence(org)
    report = _lodged(owner, licence, 2026)
    with pytest.raises(ValidationError):
        reports.report_request_correction(actor=crew.reviewer, report=report, reasons="  ")
    reports.report_request_correction(actor=crew.reviewer, report=report, reasons="The drilling spend lacks invoices.")
    report.refresh_from_db()
    assert report.state == ReportState.CORRECTION_REQUESTED
    # 20 working days from Tuesday 24 November 2026, with the Independence Day holiday (16 Dec).
    assert report.correction_due_on == date(2026, 12, 23)
    assert Event.objects.get(type="report.correction_requested").payload["due_on"] == "2026-12-23"
    # Back to the holder: changed and lodged again.
    reports.report_lodge(actor=owner, report=report, confirmed=True)
    report.refresh_from_db()
    assert report.state == ReportState.LODGED


def test_a_report_covers_a_calendar_year_and_answers_the_licence_year_starting_in_it(
    crew, applicant, time_machine
) -> None:
    owner, org = applicant
    licence = _licence(org)  # starts 24 November 2026
    with pytest.raises(ValidationError):
        reports.report_draft(actor=owner, licence=licence, year=2027)  # the year has not begun
    with pytest.raises(ValidationError):
        reports.report_draft(actor=owner, licence=licence, year=2025)  # before the licence
    time_machine.move_to(datetime(2028, 1, 12, 10, tzinfo=ASTANA))
    report = _lodged(owner, licence, 2027)
    reports.report_accept(actor=crew.reviewer, report=report)
    assert _obligation(licence, ObligationKind.WORK_REPORT, year=2).met_at is not None
    assert _obligation(licence, ObligationKind.WORK_REPORT, year=1).met_at is None
    with pytest.raises(TransitionError):
        reports.report_draft(actor=owner, licence=licence, year=2027)  # one report a year


def test_a_report_is_lodged_only_whole_and_confirmed(applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    report = reports.report_draft(actor=owner, licence=licence, year=2026)
    with pytest.raises(ValidationError) as refused:
        reports.report_lodge(actor=owner, report=report, confirmed=True)
    assert "Attach the geological report." in refused.value.messages
    with pytest.raises(ValidationError):
        reports.report_lodge(actor=owner, report=report, confirmed=False)
    report.refresh_from_db()
    assert report.state == ReportState.DRAFT and not Event.objects.filter(type="report.lodged").exists()


def test_who_may_write_and_review_a_report(make_user, crew, applicant) -> None:
    owner, org = applicant
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    licence = _licence(org)
    with pytest.raises(PermissionDenied):
        reports.report_draft(actor=viewer, licence=licence, year=2026)
    report = _lodged(owner, licence, 2026)
    with pytest.raises(PermissionDenied):
        reports.report_accept(actor=owner, report=report)
    with pytest.raises(TransitionError):
        reports.report_lodge(actor=owner, report=report, confirmed=True)  # already lodged
    reports.report_accept(actor=crew.registrar, report=report)
    with pytest.raises(TransitionError):
        reports.report_accept(actor=crew.reviewer, report=report)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("kazakh_staff_percent", Decimal("100.01")),
        ("local_goods_percent", Decimal(-1)),
        ("training_spend_kzt", Decimal(-5)),
    ],
)
def test_figures_out_of_range_are_refused_and_nothing_is_saved(applicant, field, value) -> None:
    owner, org = applicant
    report = reports.report_draft(actor=owner, licence=_licence(org), year=2026)
    figures = {"kazakh_staff_percent": None, "local_goods_percent": None, "training_spend_kzt": None, field: value}
    with pytest.raises(ValidationError) as refused:
        reports.report_update(
            actor=owner,
            report=report,
            work_done="x",
            expenditure={"drilling": Decimal(-1)},
            in_country_processing=None,
            processing_text="",
            **figures,
        )
    assert set(refused.value.message_dict) == {field, "drilling"}
    report.refresh_from_db()
    assert report.work_done == "" and not report.expenditure.exists()


# The daily run -------------------------------------------------------------------------------------


def test_the_daily_run_opens_each_breach_once_and_a_payment_remedies_it(crew, applicant, time_machine) -> None:
    _owner, org = applicant
    licence = _licence(org)
    # Year 1's reports fell due on 23 February 2028; 30 days' grace later nothing is lodged. The
    # area fees of years 1 and 2 are unpaid too.
    time_machine.move_to(datetime(2028, 3, 30, 6, tzinfo=ASTANA))
    opened = breaches.breaches_open_due(today=date(2028, 3, 30))
    assert breaches.breaches_open_due(today=date(2028, 3, 30)) == []
    rows = {(b.kind, b.obligation.licence_year) for b in Breach.objects.filter(pk__in=opened)}
    assert rows == {(BreachKind.REPORT_NOT_LODGED, 1), (BreachKind.FEE_UNPAID, 1), (BreachKind.FEE_UNPAID, 2)}
    assert Event.objects.filter(type="breach.opened").count() == 3
    rent = _obligation(licence, ObligationKind.RENT)
    services.obligation_meet(actor=crew.registrar, obligation=rent)
    assert Breach.objects.get(obligation=rent).status == BreachStatus.REMEDIED
    assert Breach.objects.filter(status=BreachStatus.OPEN).count() == 2


def test_a_report_lodged_and_under_review_opens_no_breach(crew, applicant, time_machine) -> None:
    owner, org = applicant
    licence = _licence(org)
    _lodged(owner, licence, 2026)
    time_machine.move_to(datetime(2028, 3, 30, 6, tzinfo=ASTANA))
    breaches.breaches_open_due(today=date(2028, 3, 30))
    assert not Breach.objects.filter(kind=BreachKind.REPORT_NOT_LODGED).exists()


# Pages ------------------------------------------------------------------------------------------


def _form(**overrides) -> dict[str, str]:
    data = {
        "action": "save",
        "work_done": "Trenching and mapping.",
        "kazakh_staff_percent": "90",
        "local_goods_percent": "35",
        "training_spend_kzt": "1000000",
        "in_country_processing": "no",
        "processing_text": "",
    }
    data.update({f"spend_{c}": "30000000" for c in ExpenditureCategory.values})
    data.update(overrides)
    return data


def test_the_holder_writes_attaches_and_lodges_on_the_page(client, applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    url = reverse("licensing:holder-report", args=[licence.number, 2026])
    client.force_login(owner)
    page = client.get(url)
    assert page.status_code == 200 and "Start the report" in page.content.decode()
    assert client.post(url, _form()).status_code == 302
    attached = client.post(
        url, {"action": "attach", "role": "geological", "file": investor_factories.pdf_upload("geology.pdf")}
    )
    assert attached.status_code == 302
    refused = client.post(url, {"action": "lodge"})
    assert refused.status_code == 400 and "Confirm that the report is true" in refused.content.decode()
    assert client.post(url, {"action": "lodge", "confirm": "on"}).status_code == 302
    report = AnnualReport.objects.get()
    assert report.state == ReportState.LODGED and report.expenditure.count() == 4
    again = client.post(url, _form())
    assert again.status_code == 409 and AnnualReport.objects.get().work_done == "Trenching and mapping."


@pytest.mark.parametrize(
    "overrides",
    [
        {"spend_drilling": "-1"},
        {"kazakh_staff_percent": "100.5"},
        {"work_done": "Mapping\x00"},
        {"in_country_processing": "maybe"},
    ],
)
def test_bad_input_on_the_page_is_refused_and_changes_nothing(client, applicant, overrides) -> None:
    owner, org = applicant
    licence = _licence(org)
    client.force_login(owner)
    response = client.post(reverse("licensing:holder-report", args=[licence.number, 2026]), _form(**overrides))
    # A NUL is refused before the form by the middleware, with its own explanation.
    assert response.status_code == 400
    assert any(words in response.content.decode() for words in ("There is a problem", "NUL character"))
    assert not AnnualReport.objects.exists() and not Event.objects.filter(type__startswith="report.").exists()


def test_a_viewer_reads_the_report_but_may_not_write_and_strangers_see_nothing(
    client, make_user, crew, applicant
) -> None:
    owner, org = applicant
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(org, viewer, MemberRole.VIEWER, invited_by=owner)
    stranger, _org = factories.applicant(make_user, crew.registrar, "Other Metals LLP")
    licence = _licence(org)
    url = reverse("licensing:holder-report", args=[licence.number, 2026])
    client.force_login(viewer)
    page = client.get(url)
    assert page.status_code == 200 and "Save the report" not in page.content.decode()
    assert client.post(url, _form()).status_code == 403 and not AnnualReport.objects.exists()
    client.force_login(stranger)
    assert client.get(url).status_code == 404
    assert client.get(reverse("licensing:holder-report", args=[licence.number, 2030])).status_code == 404


def test_an_official_accepts_or_sends_back_on_the_workbench(client, crew, applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    report = _lodged(owner, licence, 2026, spend=LITTLE)
    url = reverse("licensing:workbench-report", args=[licence.number, 2026])
    client.force_login(owner)
    assert client.get(url).status_code == 404
    client.force_login(crew.reviewer)
    page = client.get(url).content.decode()
    assert "Accept the report" in page and "85 %" in page
    assert client.post(url, {"action": "correct", "reasons": ""}).status_code == 400
    assert client.post(url, {"action": "accept"}).status_code == 302
    assert client.post(url, {"action": "accept"}).status_code == 409
    report.refresh_from_db()
    assert report.state == ReportState.ACCEPTED
    ledger = client.get(reverse("licensing:workbench-licence", args=[licence.number])).content.decode()
    assert "Expenditure below the minimum" in ledger and "Report for 2026" in ledger
    client.force_login(owner)
    holder = client.get(reverse("licensing:holder-licence", args=[licence.number])).content.decode()
    assert "Breaches and notices to remedy" in holder and "Expenditure below the minimum" in holder


def test_the_pages_read_in_a_constant_number_of_queries(
    client, crew, applicant, time_machine, django_assert_max_num_queries
) -> None:
    owner, org = applicant
    licences = [_licence(org, origin=factories.ORIGIN + 10 * i) for i in range(4)]
    for licence in licences:
        _lodged(owner, licence, 2026)
    time_machine.move_to(datetime(2028, 3, 30, 10, tzinfo=ASTANA))
    breaches.breaches_open_due(today=date(2028, 3, 30))
    assert Breach.objects.filter(licence=licences[0]).count() >= 2
    client.force_login(owner)
    with django_assert_max_num_queries(30):
        assert client.get(reverse("licensing:holder-licence", args=[licences[0].number])).status_code == 200
    with django_assert_max_num_queries(25):
        assert client.get(reverse("licensing:holder-report", args=[licences[0].number, 2026])).status_code == 200
    client.force_login(crew.reviewer)
    with django_assert_max_num_queries(25):
        assert client.get(reverse("licensing:workbench-report", args=[licences[0].number, 2026])).status_code == 200
