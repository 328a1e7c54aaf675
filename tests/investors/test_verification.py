"""The registrar's verification as it really is: a decision on each document (accepted, or
returned with a reason), a checklist recorded with who and when, verification refused until both
are complete, return for correction and back, and a declared direct ownership short of 100 %
flagged to both sides and sent only with an explanation."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from django.urls import reverse

from accounts.errors import TransitionError
from accounts.roles import Role
from events.models import Event, Notification
from investors import services, verification
from investors.models import (
    CheckKind,
    DocumentDecision,
    OrganisationDocument,
    OrganisationStatus,
    OwnerKind,
    VerificationCheck,
)
from tests.investors import factories
from tests.investors.test_services import deliver

pytestmark = pytest.mark.django_db


def _sent(investor, **owner):
    """A complete organisation, sent for verification (one natural person holding 100 % unless told)."""
    org = factories.organisation(investor)
    factories.owner(org, investor, **{"kind": OwnerKind.NATURAL, "name": "A. Person", "share": Decimal(100), **owner})
    factories.complete(org, investor)
    return factories.submit(org, investor)


def _url(name, org, **kwargs):
    return reverse(f"investors:{name}", kwargs={"pk": org.pk, **kwargs})


def _checks_done(org, registrar):
    for kind in verification.RECORDED_CHECKS:
        verification.organisation_check_record(actor=registrar, organisation=org, kind=kind)


# Documents ---------------------------------------------------------------------------------


def test_accepting_a_document_records_who_and_when_and_an_event(investor, registrar) -> None:
    org = _sent(investor)
    document = org.documents.get(kind="charter")
    verification.organisation_document_decide(actor=registrar, document=document, decision="accepted")
    document.refresh_from_db()
    assert (document.decision, document.decided_by, document.decision_reason) == ("accepted", registrar, "")
    assert document.decided_at is not None
    event = Event.objects.get(type="organisation.document_accepted")
    assert (event.actor, event.subject_id, event.payload["kind"]) == (registrar, str(org.pk), "charter")


def test_returning_a_document_needs_a_reason_and_the_investor_sees_it(client, investor, registrar) -> None:
    org = _sent(investor)
    document = org.documents.get(kind="charter")
    with pytest.raises(ValidationError) as refused:
        verification.organisation_document_decide(actor=registrar, document=document, decision="returned", reason=" ")
    assert "reason" in refused.value.message_dict
    document.refresh_from_db()
    assert document.decision == "" and not Event.objects.filter(type="organisation.document_returned").exists()

    verification.organisation_document_decide(
        actor=registrar, document=document, decision="returned", reason="Page 3 is missing."
    )
    event = Event.objects.get(type="organisation.document_returned")
    assert (event.actor, event.payload["reason"]) == (registrar, "Page 3 is missing.")
    client.force_login(investor)
    page = client.get(org.get_absolute_url()).content.decode()
    assert "Returned" in page and "Page 3 is missing." in page


def test_a_document_is_decided_only_while_the_organisation_waits(investor, registrar) -> None:
    org = factories.complete(factories.organisation(investor), investor)  # a draft
    with pytest.raises(TransitionError):
        verification.organisation_document_decide(actor=registrar, document=org.documents.first(), decision="accepted")
    with pytest.raises(TransitionError):
        verification.organisation_check_record(actor=registrar, organisation=org, kind=CheckKind.SANCTIONS)
    assert not OrganisationDocument.objects.filter(organisation=org).exclude(decision="").exists()


def test_the_registrar_decides_through_the_page(client, investor, registrar) -> None:
    org = _sent(investor)
    document = org.documents.get(kind="charter")
    client.force_login(registrar)
    response = client.post(_url("document-decide", org, document_id=document.pk), {"decision": "returned"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Say why the document is returned" in page and "<legend>" in page
    assert OrganisationDocument.objects.get(pk=document.pk).decision == ""
    response = client.post(
        _url("document-decide", org, document_id=document.pk), {"decision": "returned", "reason": "Unsigned."}
    )
    assert response.status_code == 302 and response.url == _url("organisation-verification", org)
    assert OrganisationDocument.objects.get(pk=document.pk).decision_reason == "Unsigned."


# Checklist ---------------------------------------------------------------------------------


def test_verify_is_refused_until_every_check_is_done_and_every_document_accepted(investor, registrar) -> None:
    org = _sent(investor)
    with pytest.raises(ValidationError) as refused:
        services.organisation_decide(actor=registrar, organisation=org, decision="verify")
    messages = refused.value.messages
    assert messages[0] == "The organisation cannot be verified yet."
    assert "Record the check: sanctions lists checked." in messages
    assert "Accept or return the charter." in messages
    verification.organisation_check_record(
        actor=registrar, organisation=org, kind=CheckKind.SANCTIONS, note="UN and EU lists, ref. S-17"
    )
    check = VerificationCheck.objects.get(organisation=org, kind=CheckKind.SANCTIONS)
    assert (check.checked_by, check.note) == (registrar, "UN and EU lists, ref. S-17") and check.checked_at
    assert Event.objects.get(type="organisation.check_recorded").payload["kind"] == "sanctions"
    _checks_done(org, registrar)
    with pytest.raises(ValidationError, match="Accept or return"):
        services.organisation_decide(actor=registrar, organisation=org, decision="verify")
    for document in org.documents.all():
        verification.organisation_document_decide(actor=registrar, document=document, decision="accepted")
    org.refresh_from_db()
    assert org.status == OrganisationStatus.SUBMITTED  # nothing changed by the refusals
    services.organisation_decide(actor=registrar, organisation=org, decision="verify")
    assert verification.verification_state(org).ready


def test_the_verification_page_shows_the_checklist_and_refuses_verify_with_the_reasons(
    client, investor, registrar
) -> None:
    org = _sent(investor)
    client.force_login(registrar)
    page = client.get(_url("organisation-verification", org)).content.decode()
    assert "Company register extract checked" in page and "Ownership fully declared" in page
    assert 'for="check-sanctions-note"' in page  # each note is labelled
    response = client.post(_url("organisation-decide", org), {"decision": "verify", "page": "verification"})
    assert response.status_code == 400
    assert "The organisation cannot be verified yet." in response.content.decode()
    response = client.post(_url("check-record", org), {"kind": "pep", "note": "World-Check ref. 42"})
    assert response.status_code == 302
    page = client.get(_url("organisation-verification", org)).content.decode()
    assert "World-Check ref. 42" in page and registrar.email in page
    assert client.post(_url("check-record", org), {"kind": "nonsense"}).status_code == 400


# Return for correction ---------------------------------------------------------------------


def test_return_for_correction_round_trip(client, investor, registrar, make_user) -> None:
    viewer = make_user(Role.INVESTOR)
    org = _sent(investor)
    factories.join(org, viewer, "viewer", invited_by=investor)
    _checks_done(org, registrar)
    charter = org.documents.get(kind="charter")
    for document in org.documents.all():
        decision = "returned" if document.pk == charter.pk else "accepted"
        verification.organisation_document_decide(
            actor=registrar, document=document, decision=decision, reason="Illegible scan."
        )
    with pytest.raises(ValidationError):
        services.organisation_decide(actor=registrar, organisation=org, decision="return", reason="")
    services.organisation_decide(actor=registrar, organisation=org, decision="return", reason="Send a legible charter.")
    org.refresh_from_db()
    assert (org.status, org.status_reason) == (OrganisationStatus.RETURNED, "Send a legible charter.")
    deliver("organisation.returned")
    notice = Notification.objects.get(user=viewer, kind="organisation.returned")
    assert "Send a legible charter." in notice.body

    assert "Replace the charter the registrar returned." in services.organisation_missing(org)
    client.force_login(investor)
    page = client.get(org.get_absolute_url()).content.decode()
    assert "Send a legible charter." in page and "Illegible scan." in page and "Replace the charter" in page
    response = client.post(
        _url("document-replace", org, document_id=charter.pk), {"file": factories.pdf_upload("charter-2.pdf")}
    )
    assert response.status_code == 302
    assert not OrganisationDocument.objects.filter(pk=charter.pk).exists()
    replacement = org.documents.get(kind="charter")
    assert replacement.decision == "" and Event.objects.filter(type="organisation.document_replaced").exists()
    from documents.services import document_check

    document_check(document_id=replacement.file_id)
    services.organisation_update(actor=investor, organisation=org, address="Keizersgracht 2, Amsterdam")
    factories.submit(org, investor)
    org.refresh_from_db()
    assert org.status == OrganisationStatus.SUBMITTED and org.status_reason == ""
    # A new submission: the checks are done again; the unchanged accepted documents stay accepted.
    gaps = verification.verification_state(org).gaps
    assert "Record the check: sanctions lists checked." in gaps
    assert [g for g in gaps if "Accept or return" in g] == ["Accept or return the charter."]


def test_a_returned_organisation_cannot_be_verified_or_returned_again(investor, registrar) -> None:
    org = factories.returned_for_correction(factories.organisation(investor), investor, registrar)
    for decision in ("verify", "return", "reject"):
        with pytest.raises(TransitionError):
            services.organisation_decide(actor=registrar, organisation=org, decision=decision, reason="x")


# Ownership short of 100 % ------------------------------------------------------------------


def test_short_ownership_is_flagged_and_needs_an_explanation_to_be_sent(client, investor, registrar) -> None:
    org = factories.organisation(investor)
    factories.owner(org, investor, kind=OwnerKind.NATURAL, name="A. Person", share=Decimal("87.5"))
    factories.complete(org, investor)
    client.force_login(investor)
    assert "Declared direct ownership adds up to 87.5 %." in client.get(org.get_absolute_url()).content.decode()

    with pytest.raises(ValidationError) as refused:
        services.organisation_submit(actor=investor, organisation=org)
    assert "Declared direct ownership adds up to 87.5 %" in refused.value.message_dict["ownership_explanation"][0]
    response = client.post(_url("organisation-submit", org), {"ownership_explanation": "  "})
    assert response.status_code == 400
    page = response.content.decode()
    assert 'id="id_ownership_explanation_error"' in page or "ownership_explanation_error" in page
    org.refresh_from_db()
    assert org.status == OrganisationStatus.DRAFT

    response = client.post(_url("organisation-submit", org), {"ownership_explanation": "12.5 % is treasury stock."})
    assert response.status_code == 302
    org.refresh_from_db()
    assert (org.status, org.ownership_explanation) == (OrganisationStatus.SUBMITTED, "12.5 % is treasury stock.")

    client.force_login(registrar)
    page = client.get(_url("organisation-verification", org)).content.decode()
    assert "Declared direct ownership adds up to 87.5 %." in page and "12.5 % is treasury stock." in page
    _checks_done(org, registrar)
    for document in org.documents.all():
        verification.organisation_document_decide(actor=registrar, document=document, decision="accepted")
    with pytest.raises(ValidationError, match="accept the organisation's explanation"):
        services.organisation_decide(actor=registrar, organisation=org, decision="verify")
    verification.organisation_check_record(actor=registrar, organisation=org, kind=CheckKind.OWNERSHIP_EXPLANATION)
    services.organisation_decide(actor=registrar, organisation=org, decision="verify")


def test_full_ownership_needs_no_explanation_and_none_can_be_accepted(investor, registrar) -> None:
    org = _sent(investor)
    assert org.ownership_explanation == ""
    with pytest.raises(TransitionError):
        verification.organisation_check_record(actor=registrar, organisation=org, kind=CheckKind.OWNERSHIP_EXPLANATION)


# Who may decide ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("actor", "expected"), [("owner", 403), ("reviewer", 403), ("stranger", 403), ("anonymous", 302)]
)
def test_only_a_registrar_decides_documents_and_checks(actor, expected, investor, make_user) -> None:
    org = _sent(investor)
    document = org.documents.get(kind="charter")
    users = {"owner": investor, "reviewer": make_user(Role.REVIEWER), "stranger": make_user(Role.INVESTOR)}
    client = Client()
    if actor in users:
        client.force_login(users[actor])
    events = Event.objects.count()
    answers = [
        client.get(_url("organisation-verification", org)).status_code,
        client.post(_url("document-decide", org, document_id=document.pk), {"decision": "accepted"}).status_code,
        client.post(_url("check-record", org), {"kind": "sanctions", "note": "x"}).status_code,
        client.post(_url("organisation-decide", org), {"decision": "return", "reason": "x"}).status_code,
    ]
    assert answers == [expected] * 4
    assert Event.objects.count() == events
    assert not VerificationCheck.objects.exists()
    assert not OrganisationDocument.objects.filter(organisation=org).exclude(decision="").exists()
    if actor in users:
        with pytest.raises(PermissionDenied):
            verification.organisation_document_decide(actor=users[actor], document=document, decision="accepted")
        with pytest.raises(PermissionDenied):
            verification.organisation_check_record(actor=users[actor], organisation=org, kind=CheckKind.PEP)


def test_the_investor_never_sees_the_registrars_checks_in_the_history(client, investor, registrar) -> None:
    org = _sent(investor)
    verification.organisation_check_record(
        actor=registrar, organisation=org, kind=CheckKind.SANCTIONS, note="Internal ref. S-99"
    )
    client.force_login(investor)
    assert "Internal ref. S-99" not in client.get(org.get_absolute_url()).content.decode()
    client.force_login(registrar)
    assert "Internal ref. S-99" in client.get(org.get_absolute_url()).content.decode()


def test_the_api_shows_the_returned_state_and_the_document_decisions(client, investor, registrar) -> None:
    org = factories.returned_for_correction(factories.organisation(investor), investor, registrar)
    client.force_login(investor)
    body = client.get(f"/api/v1/organisations/{org.pk}/").json()
    assert body["status"] == "returned" and body["status_reason"] == "Send a legible copy of the charter."
    decisions = sorted(d["decision"] for d in body["documents"])
    assert decisions.count(DocumentDecision.RETURNED) == 1 and decisions.count(DocumentDecision.ACCEPTED) == 4
    returned = next(d for d in body["documents"] if d["decision"] == "returned")
    assert returned["decision_reason"] == "The copy is illegible."


def test_bad_input_to_the_registrars_decisions_is_a_4xx_and_changes_nothing(
    client, investor, registrar, make_user
) -> None:
    """A NUL byte in a reason or note, an unknown decision or check, another organisation's
    document, a forged id: each a clear 4xx, and no decision, check or event recorded."""
    org = _sent(investor)
    other = _sent(make_user(Role.INVESTOR))
    document = org.documents.get(kind="charter")
    elsewhere = other.documents.get(kind="charter")
    client.force_login(registrar)
    events = Event.objects.count()
    answers = {
        "nul reason": client.post(
            _url("document-decide", org, document_id=document.pk), {"decision": "returned", "reason": "No\x00pe"}
        ).status_code,
        "unknown decision": client.post(
            _url("document-decide", org, document_id=document.pk), {"decision": "maybe"}
        ).status_code,
        "another's document": client.post(
            _url("document-decide", org, document_id=elsewhere.pk), {"decision": "accepted"}
        ).status_code,
        "forged document": client.post(
            _url("document-decide", org, document_id=999_999_999), {"decision": "accepted"}
        ).status_code,
        "nul note": client.post(_url("check-record", org), {"kind": "sanctions", "note": "a\x00b"}).status_code,
        "unknown check": client.post(_url("check-record", org), {"kind": "astrology", "note": ""}).status_code,
        "nul message": client.post(
            _url("organisation-decide", org), {"decision": "return", "reason": "Fix\x00it"}
        ).status_code,
    }
    assert all(400 <= status < 500 for status in answers.values()), answers
    assert Event.objects.count() == events
    assert not VerificationCheck.objects.exists()
    assert not OrganisationDocument.objects.exclude(decision="").exists()
    assert org.__class__.objects.get(pk=org.pk).status == OrganisationStatus.SUBMITTED
