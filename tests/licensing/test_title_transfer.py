"""A transfer of a licence: its rules at lodgement, the transferee's acceptance, the national-
security review answered through the API, the state's pre-emptive right on strategic ground,
and the approval that re-issues the licence to the new holder."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from accounts.errors import TransitionError
from events import routing
from events.models import Event
from licensing.domain import grid
from licensing.licences.money import invoice_issue
from licensing.models import CertificateReason, Invoice, LicenceObligation, SecurityReview, TitleChangeState
from licensing.titles import services as titles
from partners.scopes import REGISTER_READ, TITLE_REVIEW_WRITE
from tests.deposits.factories import DepositFactory
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.licensing.test_title_changes import decide
from tests.partners.factories import bearer, partner_client

pytestmark = pytest.mark.django_db
S = TitleChangeState
NOW = date(2026, 12, 5)


@pytest.fixture
def licence(applicant):
    """An exploration licence in its third year."""
    return factories.licence_scheduled(
        applicant[1], factories.rectangle(2, 2), starts_on=date(2024, 3, 1), expires_on=date(2030, 3, 1)
    )


def lodge(applicant, licence, transferee):
    return titles.title_change_lodge(actor=applicant[0], licence=licence, kind="transfer", transferee=transferee)


def accepted(applicant, licence, second):
    change = lodge(applicant, licence, second[1])
    return titles.title_change_accept(actor=second[0], change=change)


def clear(make_user, change):
    agency = partner_client(TITLE_REVIEW_WRITE, name="Security agency").client.user
    return titles.title_change_security_review(actor=agency, change=change, cleared=True, note="No objection.")


def test_a_transfer_is_refused_in_the_first_year_to_the_holder_itself_or_to_an_unverified_organisation(
    applicant, second, make_user
) -> None:
    young = factories.licence_held(applicant[1], factories.rectangle(1, 1), starts_on=NOW.replace(month=1, day=10))
    with pytest.raises(ValidationError, match="first year"):
        lodge(applicant, young, second[1])
    older = factories.licence_held(
        applicant[1], factories.rectangle(1, 1, origin=factories.ORIGIN + 9), starts_on=date(2023, 1, 10)
    )
    with pytest.raises(ValidationError, match="its own holder"):
        lodge(applicant, older, applicant[1])
    stranger = make_user()
    unverified = investor_factories.organisation(stranger)
    with pytest.raises(ValidationError, match="verified organisation"):
        lodge(applicant, older, unverified)


def test_only_the_transferees_managers_accept_and_acceptance_refers_the_security_review(
    applicant, licence, second
) -> None:
    # A lithium deposit on the licence's ground, not marked with the pre-emptive right: no waiver.
    longitude, latitude = grid.centre(factories.ORIGIN)
    DepositFactory(longitude=Decimal(str(round(longitude, 5))), latitude=Decimal(str(round(latitude, 5))))
    change = lodge(applicant, licence, second[1])
    assert change.state == S.AWAITING_ACCEPTANCE and not change.preemptive_right_applies
    with pytest.raises(PermissionDenied):
        titles.title_change_accept(actor=applicant[0], change=change)
    change = titles.title_change_accept(actor=second[0], change=change)
    assert change.state == S.UNDER_REVIEW and change.security_review == SecurityReview.REFERRED
    referred = Event.objects.get(type="title_change.security_review_referred")
    assert referred.payload["country"] == str(second[1].country) and referred.payload["licence"] == licence.number
    with pytest.raises(TransitionError):
        titles.title_change_decline(actor=second[0], change=change)


def test_a_declined_transfer_lapses_and_frees_the_licence_for_another_change(applicant, licence, second) -> None:
    offered = lodge(applicant, licence, second[1])
    lodged = Event.objects.get(type="title_change.lodged")
    assert second[0] in routing.users_for(lodged)
    change = titles.title_change_decline(actor=second[0], change=offered)
    assert applicant[0] in routing.users_for(Event.objects.get(type="title_change.declined"))
    assert change.state == S.WITHDRAWN and Event.objects.filter(type="title_change.declined").exists()
    assert lodge(applicant, licence, second[1]).state == S.AWAITING_ACCEPTANCE


def test_approval_waits_for_clearance_and_reissues_the_licence_to_the_new_holder(
    applicant, licence, second, crew, make_user
) -> None:
    invoice = invoice_issue(obligation=LicenceObligation.objects.filter(licence=licence).order_by("due_on").first())
    change = accepted(applicant, licence, second)
    with pytest.raises(ValidationError, match="not cleared"):
        decide(change, crew)
    change.refresh_from_db()
    assert change.state == S.RECOMMENDED
    clear(make_user, change)
    change = titles.title_change_decide(actor=crew.approver, change=change, approve=True, reasons="Cleared.")
    licence.refresh_from_db()
    assert change.state == S.APPROVED and licence.holder_id == second[1].pk
    version = licence.certificate_versions.get()
    assert version.reason == CertificateReason.TRANSFER
    assert LicenceObligation.objects.filter(licence=licence).count() > 0
    # The invoices issued before stay on the licence, now the new holder's to see and pay.
    assert Invoice.objects.get(pk=invoice.pk).licence_id == licence.pk
    assert Event.objects.filter(type="licence.transferred").exists()


def test_an_objection_makes_approval_impossible(applicant, licence, second, crew) -> None:
    change = accepted(applicant, licence, second)
    agency = partner_client(TITLE_REVIEW_WRITE, name="Security agency").client.user
    titles.title_change_security_review(actor=agency, change=change, cleared=False, note="Objection.")
    with pytest.raises(ValidationError, match="objected"):
        decide(change, crew)
    change.refresh_from_db()
    refused = titles.title_change_decide(actor=crew.approver, change=change, approve=False, reasons="Objected.")
    assert refused.state == S.REFUSED


def test_strategic_ground_needs_the_waiver_of_the_preemptive_right_before_approval(
    applicant, second, crew, make_user
) -> None:
    blocks = factories.rectangle(2, 2, origin=factories.ORIGIN + 300)
    longitude, latitude = grid.centre(blocks[0])
    DepositFactory(
        longitude=Decimal(str(round(longitude, 5))), latitude=Decimal(str(round(latitude, 5))), preemptive_right=True
    )
    ordinary = DepositFactory(longitude=Decimal("60.5"), latitude=Decimal("45.5"))
    assert not ordinary.preemptive_right
    strategic = factories.licence_held(applicant[1], blocks, starts_on=date(2023, 1, 10))
    change = accepted(applicant, strategic, second)
    assert change.preemptive_right_applies
    clear(make_user, change)
    with pytest.raises(ValidationError, match="pre-emptive right applies"):
        decide(change, crew)
    change.refresh_from_db()
    with pytest.raises(PermissionDenied):
        titles.title_change_record_preemptive_waiver(actor=applicant[0], change=change, waiver="We waive.")
    titles.title_change_record_preemptive_waiver(
        actor=crew.reviewer, change=change, waiver="Letter 12-3/456 of the Ministry: waived."
    )
    change.refresh_from_db()
    assert change.preemptive_waived_by == crew.reviewer and change.preemptive_waived_at
    approved = titles.title_change_decide(actor=crew.approver, change=change, approve=True, reasons="Waived.")
    assert approved.state == S.APPROVED


def test_the_security_review_api_needs_its_scope_and_replays_idempotently(client, applicant, licence, second) -> None:
    change = accepted(applicant, licence, second)
    url = reverse("api:title-change-security-review", args=[change.number])
    reader = bearer(client, partner_client(REGISTER_READ, name="Bank"))
    body = {"cleared": True, "note": "No objection."}
    assert client.post(url, body, content_type="application/json", **reader).status_code == 403
    client.force_login(applicant[0])
    assert client.post(url, body, content_type="application/json").status_code == 403
    client.logout()
    agency = bearer(client, partner_client(TITLE_REVIEW_WRITE, name="Agency"))
    first = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="review-1", **agency)
    again = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="review-1", **agency)
    assert first.status_code == 200, first.content
    assert again.status_code == 200 and again.json() == first.json() and first.json()["security_review"] == "cleared"
    assert Event.objects.filter(type="title_change.security_review_answered").count() == 1
    late = client.post(url, body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="review-2", **agency)
    assert late.status_code == 409


def test_the_pages_lodge_accept_and_move_access_to_the_new_holder(
    client, applicant, licence, second, crew, make_user
) -> None:
    client.force_login(applicant[0])
    new = reverse("licensing:holder-title-change-new", args=[licence.number, "transfer"])
    assert client.get(new).status_code == 200
    unconfirmed = client.post(new, {"transferee": second[1].registration_number})
    assert unconfirmed.status_code == 400
    nobody = client.post(new, {"transferee": "No Such LLP", "confirm": "on"})
    assert nobody.status_code == 400 and b"No single verified organisation" in nobody.content
    answer = client.post(new, {"transferee": second[1].legal_name, "confirm": "on"})
    assert answer.status_code == 302, answer.content
    change = licence.title_changes.get()
    holder_page = client.get(answer["Location"])
    assert second[1].legal_name.encode() in holder_page.content
    own = reverse("licensing:incoming-transfer-answer", args=[change.number, "accept"])
    assert client.get(own).status_code == 404
    client.force_login(second[0])
    listing = client.get(reverse("licensing:holder-licences"))
    assert b"Incoming transfers" in listing.content and change.number.encode() in listing.content
    assert client.get(reverse("licensing:holder-licence", args=[licence.number])).status_code == 404
    assert client.post(own, {}).status_code == 400
    assert client.post(own, {"confirm": "on"}).status_code == 302
    change.refresh_from_db()
    assert change.state == S.UNDER_REVIEW
    client.force_login(crew.reviewer)
    case = client.get(reverse("licensing:workbench-title-change", args=[change.number]))
    assert b"National-security review" in case.content and b"Referred" in case.content
    clear(make_user, change)
    decide(change, crew)
    client.force_login(second[0])
    assert client.get(reverse("licensing:holder-licence", args=[licence.number])).status_code == 200
    client.force_login(applicant[0])
    assert client.get(reverse("licensing:holder-licence", args=[licence.number])).status_code == 404


def test_the_waiver_page_is_for_officials_and_confirmed(client, applicant, second, crew) -> None:
    blocks = factories.rectangle(1, 1, origin=factories.ORIGIN + 60)
    longitude, latitude = grid.centre(blocks[0])
    DepositFactory(
        longitude=Decimal(str(round(longitude, 5))), latitude=Decimal(str(round(latitude, 5))), preemptive_right=True
    )
    strategic = factories.licence_held(applicant[1], blocks, starts_on=date(2023, 1, 10))
    change = accepted(applicant, strategic, second)
    url = reverse("licensing:workbench-preemptive-waiver", args=[change.number])
    client.force_login(applicant[0])
    assert client.get(url).status_code == 403
    client.force_login(crew.reviewer)
    case = client.get(reverse("licensing:workbench-title-change", args=[change.number]))
    assert url.encode() in case.content
    assert client.post(url, {"waiver": "Waived."}).status_code == 400
    assert client.post(url, {"waiver": "Waived.", "confirm": "on"}).status_code == 302
    change.refresh_from_db()
    assert change.preemptive_waiver == "Waived."
