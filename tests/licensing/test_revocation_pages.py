"""Revocation on the pages and in the API: the holder reads the revocation with its last day to
contest and contests it (with the confirmation); officials recommend, decide, decide the
contest and record force majeure from the workbench; the queue of contests; the API for the
holder and officials, never for partner tokens."""

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from licensing.models import Breach, LicenceStatus, RevocationState
from partners.scopes import REGISTER_READ
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.licensing.factories import applicant as make_applicant
from tests.licensing.test_revocations import breach_overdue, notified
from tests.partners.factories import bearer, partner_client

S = RevocationState


def test_officials_recommend_and_decide_from_the_workbench(client, crew, applicant) -> None:
    breach = breach_overdue(applicant[1])
    number = breach.licence.number
    client.force_login(crew.reviewer)
    page = client.get(reverse("licensing:workbench-licence", args=[number])).content.decode()
    assert "Recommend revocation" in page and "Record force majeure" in page
    url = reverse("licensing:workbench-revocation-recommend", args=[number])
    unconfirmed = client.post(url, {"breach": breach.pk, "reasons": "Unpaid."})
    assert unconfirmed.status_code == 400 and "There is a problem" in unconfirmed.content.decode()
    assert client.post(url, {"breach": breach.pk, "reasons": "Unpaid.", "confirm": "on"}).status_code == 302
    client.force_login(crew.approver)
    url = reverse("licensing:workbench-revocation-decide", args=[number])
    assert "Unpaid." in client.get(url).content.decode()
    answer = client.post(url, {"decision": "revoke", "reasons": "No payment.", "confirm": "on"})
    assert answer.status_code == 302
    revocation = breach.revocations.get()
    assert revocation.state == S.NOTIFIED


def test_the_holder_reads_the_deadline_and_contests_on_its_licence_page(client, crew, applicant) -> None:
    owner, org = applicant
    revocation = notified(crew, breach_overdue(org))
    number = revocation.licence.number
    client.force_login(owner)
    page = client.get(reverse("licensing:holder-licence", args=[number])).content.decode()
    assert "15 December 2026" in page and "Contest the revocation" in page and "No payment after the notice." in page
    url = reverse("licensing:holder-revocation-contest", args=[number])
    assert client.get(url).status_code == 200
    answer = client.post(
        url, {"reasons": "We paid.", "confirm": "on", "documents": investor_factories.pdf_upload("receipt.pdf")}
    )
    assert answer.status_code == 302
    revocation.refresh_from_db()
    assert revocation.state == S.CONTESTED and revocation.documents.count() == 1
    assert client.get(url).status_code == 404  # nothing left to contest


def test_the_queue_lists_contests_and_an_approver_allows_one(client, make_user, crew, applicant) -> None:
    for n in range(4):
        owner, org = make_applicant(make_user, crew.registrar, f"Contesting {n} LLP")
        revocation = notified(crew, breach_overdue(org, factories.rectangle(1, 1, origin=factories.ORIGIN + 50 + n)))
        client.force_login(owner)
        url = reverse("licensing:holder-revocation-contest", args=[revocation.licence.number])
        assert client.post(url, {"reasons": "Paid.", "confirm": "on"}).status_code == 302
    client.force_login(crew.approver2)
    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("licensing:workbench-contests")).content.decode()
    assert page.count("Contesting") == 4 and len(queries) <= 12
    url = reverse("licensing:workbench-revocation-contest", args=[revocation.licence.number])
    answer = client.post(url, {"decision": "allow", "reasons": "Payment found.", "confirm": "on"})
    assert answer.status_code == 302
    revocation.refresh_from_db()
    assert revocation.state == S.CANCELLED and revocation.licence.status == LicenceStatus.ACTIVE


def test_force_majeure_is_recorded_from_the_workbench_with_a_document(client, crew, applicant) -> None:
    breach = breach_overdue(applicant[1])
    client.force_login(crew.reviewer)
    url = reverse("licensing:workbench-force-majeure", args=[breach.licence.number])
    data = {"breach": breach.pk, "remedy_by": "2027-02-01", "reasons": "Flood."}
    assert client.post(url, data).status_code == 400  # no document
    answer = client.post(url, {**data, "document": investor_factories.pdf_upload("flood.pdf")})
    assert answer.status_code == 302
    assert Breach.objects.get(pk=breach.pk).remedy_by == date(2027, 2, 1)


def test_the_api_serves_the_holder_and_officials_and_refuses_partners(client, make_user, crew, applicant) -> None:
    owner, org = applicant
    revocation = notified(crew, breach_overdue(org))
    url = reverse("api:licence-revocations", args=[revocation.licence.number])
    headers = bearer(client, partner_client(REGISTER_READ))
    assert client.get(url, **headers).status_code == 403
    client.force_login(make_applicant(make_user, crew.registrar, "Stranger LLP")[0])
    assert client.get(url).status_code == 403
    client.force_login(crew.reviewer)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).json()[0]["contest_by"] == "2026-12-15"
    assert len(queries) <= 12
    client.force_login(owner)
    answer = client.post(url, {"reasons": "We paid.", "confirm": True}, content_type="application/json")
    assert answer.status_code == 201 and answer.json()["state"] == "contested"
    again = client.post(url, {"reasons": "We paid.", "confirm": True}, content_type="application/json")
    assert again.status_code == 409  # contested already
