"""What an investor does on the application pages, done through `/api/v1/applications/`:
documents, answers to information requests, sealed bids, the refusal letter, and objections on
the public register. The same services answer, with the same refusals; bad input changes nothing."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from documents import services as document_services
from documents.models import Document
from events.models import Event
from investors.models import MemberRole
from licensing.drafting import services as drafting_services
from licensing.models import Application, ApplicationDocument, ApplicationState, Bid, Objection
from licensing.review import information
from licensing.review import services as review_services
from partners.scopes import SCOPES
from tests.documents import files
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.partners.factories import bearer, partner_client

S = ApplicationState
pytestmark = pytest.mark.django_db

APPLICATIONS = "/api/v1/applications/"


def url(application: Application, action: str) -> str:
    return f"{APPLICATIONS}{application.pk}/{action}/"


def post(client: Client, path: str, body: object = None):
    return client.post(path, body or {}, content_type="application/json")


def problem(response) -> dict:
    assert response["Content-Type"] == "application/problem+json", response["Content-Type"]
    return response.json()


def requirement_of(application: Application, code: str = "work-programme"):
    return application.licence_type.required_documents.get(code=code)


@pytest.fixture
def draft(first) -> Application:
    return factories.draft(*first, factories.rectangle(1, 2))


def viewer_of(organisation, owner: User, make_user) -> User:
    viewer = make_user(Role.INVESTOR)
    investor_factories.join(organisation, viewer, MemberRole.VIEWER, invited_by=owner)
    return viewer


# Documents -----------------------------------------------------------------------------


def test_a_document_is_attached_checked_and_removed_over_the_api(client: Client, first, draft) -> None:
    owner, _org = first
    client.force_login(owner)
    sent = client.post(
        url(draft, "documents"), {"requirement": "work-programme", "file": files.upload("plan.pdf", files.pdf())}
    )
    assert sent.status_code == 201, sent.json()
    attached = sent.json()
    assert attached["requirement"] == "work-programme" and attached["name"] == "plan.pdf"
    assert (attached["check_status"], attached["reasons"]) == ("pending", [])
    assert Event.objects.filter(type="application.document_added").count() == 1

    document_services.document_check(document_id=Document.objects.latest("id").pk)
    detail = client.get(f"{APPLICATIONS}{draft.pk}/").json()
    assert [(d["id"], d["requirement"], d["check_status"]) for d in detail["documents"]] == [
        (attached["id"], "work-programme", "accepted")
    ]

    removed = client.delete(url(draft, f"documents/{attached['id']}"))
    assert removed.status_code == 204 and not ApplicationDocument.objects.exists()
    again = client.delete(url(draft, f"documents/{attached['id']}"))
    assert again.status_code == 404
    assert problem(again)["detail"] == "That document is not part of this application."


@pytest.mark.parametrize(
    ("body", "field", "message"),
    [
        ({"requirement": "no-such-document"}, "requirement", "not asked for by the application's licence type"),
        ({"requirement": "work\x00programme"}, None, "NUL character"),
        ({"requirement": ""}, "requirement", "This field may not be blank."),
        ({"requirement": "work-programme", "file": None}, "file", "No file was submitted."),
        ({"requirement": "work-programme", "file": b""}, "file", "The submitted file is empty."),
        ({"requirement": "work-programme", "file": b"MZ\x90\x00 a program"}, None, "not one of the types allowed"),
    ],
    ids=["unknown-requirement", "nul", "blank", "no-file", "empty-file", "wrong-type"],
)
def test_a_bad_upload_is_refused_with_400_and_nothing_is_attached(client, first, draft, body, field, message) -> None:
    client.force_login(first[0])
    documents = Document.objects.count()
    data = {k: v for k, v in body.items() if k != "file"}
    if body.get("file") is not None:
        data["file"] = files.upload("plan.pdf", body["file"])
    elif "file" not in body:
        data["file"] = files.upload("plan.pdf", files.pdf())
    response = client.post(url(draft, "documents"), data)
    assert response.status_code == 400
    refused = problem(response)
    words = " ".join(refused["errors"][field]) if field else refused["detail"]
    assert message in words, refused
    assert not ApplicationDocument.objects.exists() and Document.objects.count() == documents


def test_an_oversized_upload_is_refused_with_the_limit(client, first, draft, settings) -> None:
    settings.DOCUMENTS_MAX_BYTES = 3000
    client.force_login(first[0])
    big = files.upload("plan.pdf", files.pdf() + b" " * 4000)
    response = client.post(url(draft, "documents"), {"requirement": "work-programme", "file": big})
    assert response.status_code == 400 and "the limit is" in problem(response)["detail"]
    assert not ApplicationDocument.objects.exists()


def test_a_json_body_is_refused_with_415(client, first, draft) -> None:
    client.force_login(first[0])
    response = post(client, url(draft, "documents"), {"requirement": "work-programme"})
    assert response.status_code == 415 and not ApplicationDocument.objects.exists()


def test_a_lodged_applications_documents_cannot_change(client, first) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    attached = application.documents.first()
    client.force_login(owner)
    sent = client.post(
        url(application, "documents"), {"requirement": "work-programme", "file": files.upload("a.pdf", files.pdf())}
    )
    assert sent.status_code == 409 and problem(sent)["detail"] == "The application is lodged; this cannot be done now."
    removed = client.delete(url(application, f"documents/{attached.pk}"))
    assert removed.status_code == 409
    assert application.documents.count() == 2


def test_only_the_applicants_owners_and_managers_change_documents(
    client, first, second, draft, make_user, crew
) -> None:
    owner, org = first
    attached = drafting_services.application_document_add(
        actor=owner, application=draft, requirement=requirement_of(draft), upload=investor_factories.pdf_upload()
    )
    upload = {"requirement": "financial-capacity", "file": files.upload("funds.pdf", files.pdf())}
    client.force_login(viewer_of(org, owner, make_user))
    sent = client.post(url(draft, "documents"), upload)
    assert (sent.status_code, problem(sent)["detail"]) == (
        403,
        "Only the organisation's owners and managers may do this.",
    )
    assert client.delete(url(draft, f"documents/{attached.pk}")).status_code == 403
    for outsider in (second[0], crew.reviewer):  # officials never see drafts
        client.force_login(outsider)
        assert client.post(url(draft, "documents"), upload).status_code == 404
        assert client.delete(url(draft, f"documents/{attached.pk}")).status_code == 404
    client.logout()
    assert client.post(url(draft, "documents"), upload).status_code == 403
    assert list(ApplicationDocument.objects.values_list("pk", flat=True)) == [attached.pk]


def test_a_document_of_another_application_cannot_be_removed_through_this_one(client, first, draft) -> None:
    owner, org = first
    other = factories.draft(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 7))
    theirs = drafting_services.application_document_add(
        actor=owner, application=other, requirement=requirement_of(other), upload=investor_factories.pdf_upload()
    )
    client.force_login(owner)
    assert client.delete(url(draft, f"documents/{theirs.pk}")).status_code == 404
    assert ApplicationDocument.objects.filter(pk=theirs.pk).exists()


# Information requests ------------------------------------------------------------------


def test_the_open_request_is_shown_and_answered_over_the_api(client, first, crew, make_user) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    review_services.application_accept(actor=crew.reviewer, application=application)
    information.application_request_info(actor=crew.reviewer, application=application, message="Send the map")
    client.force_login(owner)
    detail = client.get(f"{APPLICATIONS}{application.pk}/").json()
    assert detail["state"] == "info_requested" and detail["open_request"]["message"] == "Send the map"

    empty = post(client, url(application, "answer"), {"answer": "   "})
    assert empty.status_code == 400 and problem(empty)["errors"] == {"answer": ["Write the answer."]}
    client.force_login(viewer_of(org, owner, make_user))
    assert post(client, url(application, "answer"), {"answer": "Attached"}).status_code == 403
    assert Application.objects.get(pk=application.pk).state == S.INFO_REQUESTED

    client.force_login(owner)
    answered = post(client, url(application, "answer"), {"answer": "The map is attached."})
    assert answered.status_code == 200, answered.json()
    assert (answered.json()["state"], answered.json()["open_request"]) == ("under_review", None)
    assert application.information_requests.get().answer == "The map is attached."
    again = post(client, url(application, "answer"), {"answer": "Again"})
    assert again.status_code == 409
    assert application.information_requests.get().answer == "The map is attached."


def test_nobody_else_answers(client, first, second, crew) -> None:
    owner, org = first
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    information.application_request_info(actor=crew.reviewer, application=application, message="Send the map")
    client.force_login(second[0])
    assert post(client, url(application, "answer"), {"answer": "Mine"}).status_code == 404
    client.force_login(crew.reviewer)
    assert post(client, url(application, "answer"), {"answer": "Mine"}).status_code == 403
    assert application.information_requests.get().answered_at is None


# Sealed bids ---------------------------------------------------------------------------


@pytest.fixture
def auction(first, second, crew, time_machine):
    """Two applications lodged in one opening's window, called to its auction."""
    held, (a, b) = factories.auction_called([first, second], crew.registrar, time_machine)
    return held, a, b


def test_a_sealed_bid_is_placed_once_over_the_api(client, first, auction, make_user) -> None:
    _held, application, _other = auction
    owner, org = first
    client.force_login(owner)
    shown = client.get(f"{APPLICATIONS}{application.pk}/").json()["auction"]
    assert shown["placed"] is False and shown["placed_at"] is None and "amount_kzt" not in shown
    for amount, message in (("0", "greater than or equal to 1"), ("abc", "valid number"), ("NaN", "valid number")):
        refused = post(client, url(application, "bid"), {"amount_kzt": amount})
        assert refused.status_code == 400 and message in " ".join(problem(refused)["errors"]["amount_kzt"]), amount
    client.force_login(viewer_of(org, owner, make_user))
    assert post(client, url(application, "bid"), {"amount_kzt": "1000"}).status_code == 403
    assert Bid.objects.get(application=application).amount_kzt is None

    client.force_login(owner)
    placed = post(client, url(application, "bid"), {"amount_kzt": "5000000"})
    assert placed.status_code == 201, placed.json()
    assert placed.json()["placed"] is True and "amount_kzt" not in placed.json()
    assert Bid.objects.get(application=application).amount_kzt == Decimal("5000000.00")
    again = post(client, url(application, "bid"), {"amount_kzt": "9000000"})
    assert again.status_code == 409
    assert problem(again)["detail"] == "A sealed bid was already placed for this application."
    assert Bid.objects.get(application=application).amount_kzt == Decimal("5000000.00")


def test_no_bid_outside_an_open_auction(client, first, second, auction, time_machine) -> None:
    held, _application, theirs = auction
    client.force_login(first[0])
    assert post(client, url(theirs, "bid"), {"amount_kzt": "1000"}).status_code == 404
    uncalled = factories.lodged(*first, factories.rectangle(1, 1, factories.ORIGIN + 9))
    response = post(client, url(uncalled, "bid"), {"amount_kzt": "1000"})
    assert response.status_code == 409
    assert problem(response)["detail"] == "This application is not called to an open auction."
    time_machine.move_to(held.bids_close_at + timedelta(minutes=1))
    client.force_login(second[0])
    late = post(client, url(theirs, "bid"), {"amount_kzt": "1000"})
    assert late.status_code == 409 and problem(late)["detail"].startswith("Bids closed at")
    assert not Bid.objects.filter(amount_kzt__isnull=False).exists()


# The refusal letter --------------------------------------------------------------------


def refused(applicant, crew, time_machine) -> Application:
    owner, org = applicant
    application = factories.to_assessment(
        factories.lodged(owner, org, factories.rectangle(1, 1)), crew.reviewer, time_machine
    )
    if application.screening_required:
        review_services.application_refer_screening(actor=crew.reviewer, application=application)
        review_services.application_screening_result(actor=crew.reviewer, application=application, cleared=True)
    review_services.application_recommend(
        actor=crew.reviewer,
        application=application,
        recommendation="refuse",
        reasons="The work programme is not funded.",
    )
    return review_services.application_decide(actor=crew.approver, application=application, decision="refuse")


def test_the_refusal_letter_is_served_to_the_applicant_as_on_the_page(
    client, first, second, crew, time_machine
) -> None:
    application = refused(first, crew, time_machine)
    client.force_login(first[0])
    detail = client.get(f"{APPLICATIONS}{application.pk}/").json()
    assert detail["state"] == "refused" and detail["reasons"] == "The work programme is not funded."
    letter = client.get(url(application, "refusal-letter"))
    page = client.get(f"/investor/applications/{application.pk}/refusal.pdf")
    assert letter.status_code == 200 and letter["Content-Type"] == "application/pdf"
    assert letter.content.startswith(b"%PDF-") and letter["Content-Disposition"] == page["Content-Disposition"]
    asked = client.get(url(application, "refusal-letter"), HTTP_ACCEPT="application/pdf")
    assert asked.status_code == 200 and asked["Content-Type"] == "application/pdf"
    client.force_login(second[0])
    assert client.get(url(application, "refusal-letter")).status_code == 404
    client.logout()
    assert client.get(url(application, "refusal-letter")).status_code == 403


def test_an_application_not_refused_has_no_letter(client, first) -> None:
    application = factories.lodged(*first, factories.rectangle(1, 1))
    client.force_login(first[0])
    for accept in ("application/json", "application/pdf"):
        response = client.get(url(application, "refusal-letter"), HTTP_ACCEPT=accept)
        assert response.status_code == 404
        assert problem(response)["detail"] == "Only a refused application has a refusal letter."


# Objections ----------------------------------------------------------------------------


@pytest.fixture
def published(first, crew) -> Application:
    application = factories.lodged(*first, factories.rectangle(1, 1))
    review_services.application_accept(actor=crew.reviewer, application=application)
    return review_services.application_publish_notice(actor=crew.reviewer, application=application)


def test_anyone_signed_in_objects_during_the_period_with_an_optional_document(client, published, make_user) -> None:
    neighbour = make_user()
    client.force_login(neighbour)
    plain = client.post(url(published, "objections"), {"grounds": "Our wells are there."})
    assert plain.status_code == 201, plain.json()
    assert (plain.json()["grounds"], plain.json()["document"]) == ("Our wells are there.", None)
    with_file = client.post(
        url(published, "objections"), {"grounds": "See the survey.", "file": files.upload("survey.pdf", files.pdf())}
    )
    assert with_file.status_code == 201
    assert (with_file.json()["document"], with_file.json()["check_status"]) == ("survey.pdf", "pending")
    objections = Objection.objects.filter(application=published).order_by("pk")
    assert [(o.lodged_by, o.document is not None) for o in objections] == [(neighbour, False), (neighbour, True)]
    assert Event.objects.filter(type="application.objection_lodged").count() == 2


def test_bad_or_late_objections_are_refused_and_nothing_is_lodged(
    client, first, published, make_user, time_machine, settings
) -> None:
    draft = factories.draft(*first, factories.rectangle(1, 1, factories.ORIGIN + 5))
    before = factories.lodged(*first, factories.rectangle(1, 1, factories.ORIGIN + 9))
    objector = make_user()
    client.force_login(objector)
    documents = Document.objects.count()
    blank = client.post(url(published, "objections"), {"grounds": "  "})
    assert blank.status_code == 400 and problem(blank)["errors"] == {"grounds": ["This field may not be blank."]}
    nul = client.post(url(published, "objections"), {"grounds": "Our\x00wells"})
    assert nul.status_code == 400 and "NUL character" in problem(nul)["detail"]
    settings.DOCUMENTS_MAX_BYTES = 3000
    big = client.post(
        url(published, "objections"), {"grounds": "See", "file": files.upload("s.pdf", files.pdf() + b" " * 4000)}
    )
    assert big.status_code == 400 and "the limit is" in problem(big)["detail"]
    assert client.post(url(draft, "objections"), {"grounds": "Our wells"}).status_code == 404
    early = client.post(url(before, "objections"), {"grounds": "Our wells"})
    assert early.status_code == 409
    factories.after_objections([published], time_machine)
    client.force_login(objector)  # a month on: a new session
    late = client.post(url(published, "objections"), {"grounds": "Our wells"})
    assert late.status_code == 409 and problem(late)["detail"] == "The objection period has closed."
    client.logout()
    assert client.post(url(published, "objections"), {"grounds": "Our wells"}).status_code == 403
    assert not Objection.objects.exists() and Document.objects.count() == documents


# Partner tokens ------------------------------------------------------------------------


def test_partner_tokens_may_not_act_for_an_investor(client, first, published) -> None:
    headers = bearer(client, partner_client(*SCOPES))
    calls = [
        ("post", url(published, "documents"), {"requirement": "work-programme"}),
        ("delete", url(published, "documents/1"), None),
        ("post", url(published, "answer"), {"answer": "x"}),
        ("post", url(published, "bid"), {"amount_kzt": "1"}),
        ("get", url(published, "refusal-letter"), None),
        ("post", url(published, "objections"), {"grounds": "x"}),
    ]
    for method, path, body in calls:
        response = getattr(client, method)(path, body, **headers) if body else getattr(client, method)(path, **headers)
        assert response.status_code == 403, (method, path, response.status_code)
        assert problem(response)["detail"] == "Partner clients may not use this operation."
    assert not Objection.objects.exists()
