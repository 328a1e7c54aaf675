"""The life of a licence, its ledger: the sourced figures in the catalogue, an obligation met or
waived (and by whom), the holder's licence pages, the officials' ledger with its waiver, and the
ledger in the API: who reads them, what they show, and at what cost in queries."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import strip_tags

from accounts.errors import TransitionError
from accounts.roles import Role
from events.models import Event
from investors.models import MemberRole
from licensing.licences import selectors as licences_selectors
from licensing.licences import services
from licensing.models import Invoice, LicenceObligation, MciValue, ObligationKind, Payment, Rate
from partners.scopes import REGISTER_READ
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db

TODAY = date(2026, 11, 24)  # the conftest's working morning


def _licence(org, *, origin=factories.ORIGIN, size=(2, 2), **fields):
    return factories.licence_scheduled(org, factories.rectangle(*size, origin=origin), **fields)


def _obligation(licence, kind=ObligationKind.RENT, year=1) -> LicenceObligation:
    return licence.obligations.get(kind=kind, licence_year=year)


# The sourced figures ---------------------------------------------------------------------


def test_the_exploration_licence_carries_the_tax_and_subsoil_codes_figures_with_their_sources() -> None:
    exploration = factories.licence_type()
    rent = sorted(exploration.rates.filter(kind="rent").values_list("from_year", "to_year", "mci_per_block"))
    assert rent == [(1, 3, Decimal(15)), (4, 5, Decimal(23)), (6, 7, Decimal(32)), (8, 11, Decimal(60))]
    # Years 7-11 of minimum expenditure are not confirmed: still a placeholder rate, and said so.
    assert list(exploration.rates.filter(kind="expenditure").values_list("from_year", "to_year")) == [(7, 11)]
    assert exploration.is_placeholder and "Art. 563" in exploration.source and "2026" in exploration.source
    assert exploration.expenditure_tiers.count() == 8
    assert all("Subsoil Code" in t.source for t in exploration.expenditure_tiers.all())
    assert str(ObligationKind.RENT.label) == "Area fee"


@pytest.mark.parametrize(
    ("blocks", "years_1_3", "years_4_6"),
    factories.DESIGN_EXPENDITURE,
)
def test_a_licences_minimum_expenditure_comes_from_the_tiers(blocks: int, years_1_3: int, years_4_6: int) -> None:
    duty = licences_selectors.obligations(licence_type=factories.licence_type(), blocks=list(range(1, blocks + 1)))
    assert [y.expenditure_mci for y in duty.years] == [years_1_3] * 3 + [years_4_6] * 3
    assert [y.rent_mci for y in duty.years] == [15 * blocks] * 3 + [23 * blocks] * 2 + [32 * blocks]


# Services ------------------------------------------------------------------------------------


def test_an_official_waives_an_obligation_with_reasons_and_the_event_is_recorded_once(crew, applicant) -> None:
    _owner, org = applicant
    obligation = _obligation(_licence(org))
    services.obligation_waive(actor=crew.reviewer, obligation=obligation, reasons="  Force majeure: flood.  ")
    obligation.refresh_from_db()
    assert obligation.waived_by == crew.reviewer and obligation.waiver_reason == "Force majeure: flood."
    with pytest.raises(TransitionError):
        services.obligation_waive(actor=crew.registrar, obligation=obligation, reasons="Again")
    events = Event.objects.filter(type="obligation.waived")
    assert events.count() == 1
    assert events.get().payload["reasons"] == "Force majeure: flood." and events.get().actor == crew.reviewer


@pytest.mark.parametrize(
    ("who", "reasons", "error"), [("owner", "Why not", PermissionDenied), ("reviewer", " ", ValidationError)]
)
def test_a_waiver_needs_an_official_and_reasons_and_changes_nothing_otherwise(crew, applicant, who, reasons, error):
    owner, org = applicant
    obligation = _obligation(_licence(org))
    actor = owner if who == "owner" else crew.reviewer
    with pytest.raises(error):
        services.obligation_waive(actor=actor, obligation=obligation, reasons=reasons)
    obligation.refresh_from_db()
    assert obligation.waived_at is None and not Event.objects.filter(type="obligation.waived").exists()


def test_an_obligation_is_met_once(crew, applicant) -> None:
    _owner, org = applicant
    obligation = _obligation(_licence(org))
    services.obligation_meet(actor=crew.registrar, obligation=obligation)
    with pytest.raises(TransitionError):
        services.obligation_meet(actor=crew.registrar, obligation=obligation)
    with pytest.raises(TransitionError):
        services.obligation_waive(actor=crew.reviewer, obligation=obligation, reasons="Too late")
    obligation.refresh_from_db()
    assert obligation.met_at is not None and Event.objects.filter(type="obligation.met").count() == 1


# The holder's pages ---------------------------------------------------------------------------


def test_the_holders_ledger_shows_each_year_with_status_amounts_payments_and_certificates(
    client, crew, applicant, time_machine
) -> None:
    owner, org = applicant
    licence = _licence(org)  # 4 blocks, from 24 Nov 2026: year 1's area fee due that day
    factories.CertificateVersionFactory(licence=licence, sha256="ab" * 32)
    fee = _obligation(licence)
    invoice = Invoice.objects.create(
        number="INV-1", licence=licence, obligation=fee, kind="area_fee", amount_mci=Decimal(60), mci_year=2026,
        mci_kzt=Decimal(4325), amount_kzt=Decimal("259500.00"), payment_reference="PR-1", due_on=fee.due_on,
        issued_at=fee.licence.granted_at,
    )  # fmt: skip
    Payment.objects.create(
        invoice=invoice, reference="BANK-1", amount_kzt=Decimal("100000.00"), paid_on=TODAY, source="registrar",
        recorded_by=crew.registrar,
    )  # fmt: skip
    time_machine.move_to("2026-12-10 10:00 +05:00")
    client.force_login(owner)
    page = client.get(reverse("licensing:holder-licence", args=[licence.number])).content.decode()
    assert "Licence year 1 (24 November 2026 – 23 November 2027)" in strip_tags(page) and "Licence year 6" in page
    assert "Area fee" in page and "Late" in page and "1 obligation is late." in page
    assert "259,500.00 KZT" in page and "paid 100,000.00 KZT" in page and "159,500.00 KZT" in page
    assert "invoice INV-1" in page
    assert "(estimate)" in page  # year 2 falls due in 2027, whose MCI is not set
    assert "ab" * 32 in page and "?version=1" in page
    assert "30 days before its due date" in page and "Tax Code of 2026" in page
    assert 'data-codes="' in page  # the map of its blocks


def test_a_waived_obligation_shows_its_reasons_and_nothing_short(client, crew, applicant) -> None:
    owner, org = applicant
    licence = _licence(org)
    services.obligation_waive(actor=crew.reviewer, obligation=_obligation(licence), reasons="Flooded access road")
    client.force_login(owner)
    page = strip_tags(client.get(reverse("licensing:holder-licence", args=[licence.number])).content.decode())
    assert "Waived on 24 November 2026" in page and "Flooded access road" in page


@pytest.mark.parametrize(
    ("who", "holder_page", "workbench"),
    [
        ("owner", 200, 404),
        ("viewer", 200, 404),
        ("stranger", 404, 404),
        ("reviewer", 200, 200),
        ("registrar", 200, 200),
    ],
)
def test_who_reads_a_licences_ledger(client, make_user, crew, applicant, who, holder_page, workbench) -> None:
    owner, org = applicant
    licence = _licence(org)
    people = {"owner": owner, "reviewer": crew.reviewer, "registrar": crew.registrar}
    people["viewer"] = make_user(Role.INVESTOR)
    investor_factories.join(org, people["viewer"], MemberRole.VIEWER, invited_by=owner)
    people["stranger"] = factories.applicant(make_user, crew.registrar, "Stranger LLP")[0]
    client.force_login(people[who])
    assert client.get(reverse("licensing:holder-licence", args=[licence.number])).status_code == holder_page
    assert client.get(reverse("licensing:workbench-licence", args=[licence.number])).status_code == workbench
    api = client.get(reverse("api:licence-ledger", args=[licence.number]))
    assert api.status_code == (200 if holder_page == 200 else 403)


def test_anonymous_visitors_are_sent_to_sign_in_for_the_holders_pages(client, applicant) -> None:
    licence = _licence(applicant[1])
    for url in (reverse("licensing:holder-licences"), reverse("licensing:holder-licence", args=[licence.number])):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_holders_licences_list_each_with_its_next_obligation(client, crew, applicant, make_user) -> None:
    owner, org = applicant
    late = _licence(org, number="KZ-EXP-2026-000001")
    kept = _licence(org, number="KZ-EXP-2026-000002", origin=factories.ORIGIN + 10)
    services.obligation_meet(actor=crew.registrar, obligation=_obligation(kept))
    other = factories.applicant(make_user, crew.registrar, "Other LLP")[1]
    _licence(other, number="KZ-EXP-2026-000003", origin=factories.ORIGIN + 20)
    client.force_login(owner)
    page = client.get(reverse("licensing:holder-licences")).content.decode()
    assert late.number in page and kept.number in page and "KZ-EXP-2026-000003" not in page
    assert "Area fee, <time" in page and "Minimum work expenditure, <time" in page
    assert reverse("licensing:holder-due") in client.get(reverse("investors:dashboard")).content.decode()


def test_the_due_page_lists_what_falls_due_in_90_days_late_first(client, crew, applicant, time_machine) -> None:
    owner, org = applicant
    first = _licence(org, number="KZ-EXP-2026-000001")
    second = _licence(
        org, number="KZ-EXP-2026-000002", origin=factories.ORIGIN + 10, starts_on=TODAY + timedelta(days=60)
    )
    services.obligation_meet(actor=crew.registrar, obligation=_obligation(second))
    time_machine.move_to("2026-12-01 10:00 +05:00")
    client.force_login(owner)
    page = client.get(reverse("licensing:holder-due")).content.decode()
    # first's year-1 area fee is late; second's is met; the reports and spending fall due next year
    assert first.number in page and "Late" in page and second.number not in page
    assert "Minimum work expenditure" not in page
    time_machine.move_to("2027-10-01 10:00 +05:00")
    client.force_login(owner)  # a new session: the first expired meanwhile
    page = client.get(reverse("licensing:holder-due")).content.decode()
    # by due date: the late area fee of year 1, year 1's spending (23 Nov), year 2's area fee (24 Nov)
    assert page.index("Area fee") < page.index("Minimum work expenditure") < page.rindex("Area fee")
    assert "(estimate)" in page and second.number not in page


# The officials' waiver ---------------------------------------------------------------------


def test_an_official_waives_on_the_workbench_after_giving_reasons(client, crew, applicant) -> None:
    _owner, org = applicant
    licence = _licence(org)
    obligation = _obligation(licence)
    client.force_login(crew.reviewer)
    ledger = client.get(reverse("licensing:workbench-licence", args=[licence.number])).content.decode()
    url = reverse("licensing:workbench-obligation-waive", args=[licence.number, obligation.pk])
    assert url in ledger
    form = client.get(url).content.decode()
    assert "Waive the Area fee of licence year 1" in form and "data-confirm=" in form
    assert client.post(url, {"reasons": ""}).status_code == 400
    assert not LicenceObligation.objects.filter(waived_at__isnull=False).exists()
    response = client.post(url, {"reasons": "Access closed by the akimat"})
    assert response.status_code == 302 and response["Location"].endswith(f"/workbench/licences/{licence.number}/")
    assert client.post(url, {"reasons": "Again"}).status_code == 409
    assert Event.objects.filter(type="obligation.waived").count() == 1


def test_an_obligation_of_another_licence_is_not_found_on_the_workbench(client, crew, applicant) -> None:
    _owner, org = applicant
    licence = _licence(org)
    other = _obligation(_licence(org, origin=factories.ORIGIN + 10))
    client.force_login(crew.reviewer)
    url = reverse("licensing:workbench-obligation-waive", args=[licence.number, other.pk])
    assert client.post(url, {"reasons": "Mismatch"}).status_code == 404
    other.refresh_from_db()
    assert other.waived_at is None


def test_the_register_links_officials_to_the_ledger(client, crew, applicant) -> None:
    _owner, org = applicant
    licence = _licence(org)
    services.obligation_waive(actor=crew.reviewer, obligation=_obligation(licence), reasons="Internal words")
    client.force_login(crew.reviewer)
    page = client.get(reverse("licensing:register-licence", args=[licence.number])).content.decode()
    assert reverse("licensing:workbench-licence", args=[licence.number]) in page
    client.logout()
    public = client.get(reverse("licensing:register-licence", args=[licence.number])).content.decode()
    assert "Licence obligation waived" not in public  # the holder's business, not the register's


# The API ----------------------------------------------------------------------------------


def test_the_ledger_api_gives_each_year_with_its_obligations(client, crew, applicant, time_machine) -> None:
    owner, org = applicant
    licence = _licence(org)
    services.obligation_waive(actor=crew.reviewer, obligation=_obligation(licence, year=2), reasons="Flood")
    time_machine.move_to("2026-12-10 10:00 +05:00")
    client.force_login(owner)
    body = client.get(reverse("api:licence-ledger", args=[licence.number])).json()
    assert body["number"] == licence.number and body["late"] == 1 and body["on"] == "2026-12-10"
    assert [y["licence_year"] for y in body["years"]] == [1, 2, 3, 4, 5, 6]
    fee = next(o for o in body["years"][0]["obligations"] if o["kind"] == "rent")
    assert (fee["status"], fee["amount_mci"], fee["due_kzt"], fee["estimate"]) == ("late", "60.00", "259500.00", False)
    assert (fee["paid_kzt"], fee["short_kzt"], fee["mci_year"]) == ("0.00", "259500.00", 2026)
    waived = next(o for o in body["years"][1]["obligations"] if o["kind"] == "rent")
    assert (waived["status"], waived["short_kzt"], waived["waiver_reason"]) == ("waived", "0.00", "Flood")
    assert body["years"][0]["in_good_standing"] is False


def test_partner_tokens_do_not_reach_the_ledger_whatever_their_scope(client, applicant) -> None:
    licence = _licence(applicant[1])
    headers = bearer(client, partner_client(REGISTER_READ))
    assert client.get(reverse("api:licence-detail", args=[licence.number]), **headers).status_code == 200
    answer = client.get(reverse("api:licence-ledger", args=[licence.number]), **headers)
    assert answer.status_code == 403 and answer["Content-Type"].startswith("application/problem+json")


def test_an_unknown_licence_has_no_ledger(client, applicant) -> None:
    client.force_login(applicant[0])
    assert client.get(reverse("api:licence-ledger", args=["KZ-NOPE"])).status_code == 404
    assert client.get(reverse("licensing:holder-licence", args=["KZ-NOPE"])).status_code == 404


# Query counts -------------------------------------------------------------------------------


def _long_type():
    long = factories.LicenceTypeFactory(term_years=11, max_blocks=50)
    for kind in ("rent", "expenditure"):
        Rate.objects.create(licence_type=long, kind=kind, from_year=1, to_year=11, mci_per_block=Decimal(10))
    return long


def _queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_a_licence_page_costs_the_same_queries_whatever_its_years_and_payments(client, crew, applicant) -> None:
    owner, org = applicant
    MciValue.objects.create(year=2031, value_kzt=Decimal(5000))
    short = factories.licence_scheduled(
        org, factories.rectangle(1, 1), licence_type=factories.LicenceTypeFactory(term_years=1)
    )
    long = _licence(org, origin=factories.ORIGIN + 10, licence_type=_long_type())
    long.expires_on = long.starts_on.replace(year=long.starts_on.year + 11)
    long.save()
    for year, obligation in enumerate(long.obligations.filter(kind="rent"), start=1):
        invoice = Invoice.objects.create(
            number=f"INV-{year}", licence=long, obligation=obligation, kind="area_fee", amount_mci=Decimal(40),
            mci_year=2026, mci_kzt=Decimal(4325), amount_kzt=Decimal(173000), payment_reference=f"PR-{year}",
            due_on=obligation.due_on, issued_at=long.granted_at,
        )  # fmt: skip
        for n in range(2):
            Payment.objects.create(
                invoice=invoice, reference=f"B-{year}-{n}", amount_kzt=Decimal(1000), paid_on=TODAY,
                source="registrar", recorded_by=crew.registrar,
            )  # fmt: skip
        factories.CertificateVersionFactory(licence=long, version=year)
    assert long.obligations.count() == 44
    for who, name in ((owner, "licensing:holder-licence"), (crew.reviewer, "licensing:workbench-licence")):
        client.force_login(who)
        small = _queries(client, reverse(name, args=[short.number]))
        large = _queries(client, reverse(name, args=[long.number]))
        assert large == small, name
    client.force_login(owner)
    assert _queries(client, reverse("api:licence-ledger", args=[long.number])) == _queries(
        client, reverse("api:licence-ledger", args=[short.number])
    )


def test_the_holders_lists_cost_the_same_queries_whatever_the_number_of_licences(
    client, applicant, django_assert_max_num_queries
) -> None:
    owner, org = applicant
    client.force_login(owner)
    _licence(org, size=(1, 1), number="KZ-EXP-2026-100000")
    few = {name: _queries(client, reverse(name)) for name in ("licensing:holder-licences", "licensing:holder-due")}
    for n in range(1, 40):
        _licence(org, size=(1, 1), origin=factories.ORIGIN + 2 * n, number=f"KZ-EXP-2026-{100000 + n}")
    for name, count in few.items():
        with django_assert_max_num_queries(count):
            page = client.get(reverse(name))
        assert page.status_code == 200 and page.content.decode().count("KZ-EXP-2026-1") >= 25
    assert "Page 1 of 2" in client.get(reverse("licensing:holder-licences")).content.decode()


def test_the_licence_types_page_publishes_the_tiers_with_their_source(client) -> None:
    page = client.get(reverse("licensing:licence-types")).content.decode()
    assert "2,300 plus 120 for each block from block 11 on" in page and "3,500 plus 180" in page
    assert "Area fee per block" in page and "Subsoil Code No. 125-VI" in page
