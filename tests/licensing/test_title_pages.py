"""Changes of title on pages and in the API: the holder lodges with confirmation, follows and
withdraws; officials recommend and decide on the workbench; partners read without the statement."""

from datetime import date

import pytest
from django.urls import reverse

from documents.access import may_read
from licensing.models import LicenceStatus, TitleChange, TitleChangeState
from licensing.titles import services as titles
from partners.scopes import REGISTER_READ
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.licensing.test_title_changes import relinquish
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db
S = TitleChangeState


@pytest.fixture
def licence(applicant):
    licence = factories.licence_scheduled(
        applicant[1], factories.rectangle(3, 4), starts_on=date(2021, 1, 10), expires_on=date(2027, 1, 10)
    )
    relinquish(licence, 5)
    return licence


def signed_in(client, user):
    client.force_login(user)
    return client


def test_the_holder_lodges_an_extension_only_once_confirmed_and_withdraws_it(client, applicant, licence) -> None:
    owner = applicant[0]
    signed_in(client, owner)
    page = client.get(reverse("licensing:holder-licence", args=[licence.number]))
    assert b"Changes of title" in page.content and b"Apply for an extension of term" in page.content
    new = reverse("licensing:holder-title-change-new", args=[licence.number, "extension"])
    assert client.get(new).status_code == 200
    unconfirmed = client.post(new, {"extension_years": 5, "statement": "More drilling."})
    assert unconfirmed.status_code == 400 and not TitleChange.objects.exists()
    answer = client.post(new, {"extension_years": 5, "statement": "More drilling.", "confirm": "on"})
    change = TitleChange.objects.get()
    assert answer.status_code == 302 and answer["Location"].endswith(f"/changes/{change.number}/")
    shown = client.get(answer["Location"])
    assert b"10 January 2032" in shown.content and b"Withdraw" in shown.content
    again = client.post(new, {"extension_years": 5, "confirm": "on"})
    assert again.status_code == 409 and b"being decided" in again.content
    withdraw = reverse("licensing:holder-title-change-withdraw", args=[licence.number, change.number])
    assert client.post(withdraw, {}).status_code == 400
    assert client.post(withdraw, {"confirm": "on"}).status_code == 302
    change.refresh_from_db()
    assert change.state == S.WITHDRAWN


def test_a_refused_extension_shows_why_on_the_form(client, applicant) -> None:
    small = factories.licence_held(applicant[1], factories.rectangle(3, 3))
    signed_in(client, applicant[0])
    new = reverse("licensing:holder-title-change-new", args=[small.number, "extension"])
    answer = client.post(new, {"extension_years": 5, "confirm": "on"})
    assert answer.status_code == 400 and b"10 blocks or more" in answer.content


def test_another_organisations_licence_and_change_are_not_found(client, applicant, licence, second) -> None:
    change = titles.title_change_lodge(actor=applicant[0], licence=licence, kind="extension", extension_years=5)
    signed_in(client, second[0])
    for url in (
        reverse("licensing:holder-title-change-new", args=[licence.number, "extension"]),
        reverse("licensing:holder-title-change", args=[licence.number, change.number]),
        reverse("api:title-change-detail", args=[change.number]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(reverse("api:title-change-list")).json()["results"] == []


def test_investors_are_refused_the_workbench(client, applicant) -> None:
    signed_in(client, applicant[0])
    assert client.get(reverse("licensing:workbench-title-changes")).status_code == 403


def test_officials_recommend_then_another_decides_on_the_workbench(
    client, applicant, licence, crew, django_assert_max_num_queries
) -> None:
    change = titles.title_change_lodge(actor=applicant[0], licence=licence, kind="extension", extension_years=5)
    signed_in(client, crew.reviewer)
    with django_assert_max_num_queries(12):
        queue = client.get(reverse("licensing:workbench-title-changes"))
    assert change.number.encode() in queue.content
    case = reverse("licensing:workbench-title-change", args=[change.number])
    assert client.post(case, {"outcome": "approve", "reasons": "Fine."}).status_code == 400
    assert client.post(case, {"outcome": "approve", "reasons": "Fine.", "confirm": "on"}).status_code == 302
    assert client.post(case, {"outcome": "approve", "reasons": "Fine.", "confirm": "on"}).status_code == 403
    signed_in(client, crew.approver)
    assert client.post(case, {"outcome": "approve", "reasons": "Agreed.", "confirm": "on"}).status_code == 302
    licence.refresh_from_db()
    assert licence.expires_on == date(2032, 1, 10) and licence.status == LicenceStatus.ACTIVE


def test_the_api_lists_lodges_and_withdraws_for_the_holder_and_hides_the_statement_from_partners(
    client, applicant, licence, crew, django_assert_max_num_queries
) -> None:
    signed_in(client, applicant[0])
    answer = client.post(
        reverse("api:title-change-list"),
        {"licence": licence.number, "kind": "extension", "extension_years": 5, "statement": "Private plan."},
        content_type="application/json",
    )
    assert answer.status_code == 201, answer.content
    number = answer.json()["number"]
    assert answer.json()["statement"] == "Private plan." and answer.json()["new_expires_on"] == "2032-01-10"
    clash = client.post(
        reverse("api:title-change-list"),
        {"licence": licence.number, "kind": "extension", "extension_years": 5},
        content_type="application/json",
    )
    assert clash.status_code == 409
    for n in range(5):
        other = factories.licence_held(applicant[1], factories.rectangle(1, 1, origin=factories.ORIGIN + 40 + n))
        TitleChange.objects.create(
            number=f"TC-2026-99{n}",
            licence=other,
            kind="surrender",
            state=S.UNDER_REVIEW,
            holder=applicant[1],
            lodged_by=applicant[0],
            lodged_at=other.granted_at,
        )
    with django_assert_max_num_queries(10):
        rows = client.get(reverse("api:title-change-list")).json()["results"]
    assert len(rows) == 6
    headers = bearer(client, partner_client(REGISTER_READ))
    client.logout()
    seen = client.get(reverse("api:title-change-detail", args=[number]), **headers)
    assert seen.status_code == 200 and "statement" not in seen.json() and seen.json()["kind"] == "extension"
    refused = client.post(reverse("api:title-change-withdraw", args=[number]), **headers)
    assert refused.status_code == 403
    signed_in(client, applicant[0])
    withdrawn = client.post(reverse("api:title-change-withdraw", args=[number]))
    assert withdrawn.status_code == 200 and withdrawn.json()["state"] == "withdrawn"


def test_the_holder_surrenders_with_its_final_report_which_officials_read_and_strangers_do_not(
    client, applicant, licence, crew, second
) -> None:
    signed_in(client, applicant[0])
    new = reverse("licensing:holder-title-change-new", args=[licence.number, "surrender"])
    without = client.post(new, {"confirm": "on"})
    assert without.status_code == 400 and not TitleChange.objects.exists()
    report = investor_factories.pdf_upload("final.pdf")
    answer = client.post(new, {"final_report": report, "statement": "Done.", "confirm": "on"})
    assert answer.status_code == 302, answer.content
    change = TitleChange.objects.get()
    page = client.get(answer["Location"])
    download = reverse("documents:document-download", args=[change.documents.get().document.uuid])
    assert download.encode() in page.content
    signed_in(client, crew.reviewer)
    assert client.get(reverse("licensing:workbench-title-change", args=[change.number])).status_code == 200
    # The download answers once the deep check has accepted the file; who may read it is settled now.
    document = change.documents.get().document
    assert may_read(crew.reviewer, document) and may_read(applicant[0], document)
    assert not may_read(second[0], document)
