"""The workbench: who may see it, the queue and its counts, the case page and every action by role."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from accounts.roles import Role
from licensing.models import Application, ApplicationState, CaseNote
from licensing.review import information
from licensing.review import services as review_services
from tests.licensing import factories

pytestmark = pytest.mark.django_db
S = ApplicationState
ASTANA = ZoneInfo("Asia/Almaty")


def act(client, application: Application, action: str, **fields: str):
    data = {f"{action}-{name}": value for name, value in fields.items()}
    return client.post(reverse("licensing:case-action", args=[application.pk, action]), data)


def test_investors_and_the_public_are_kept_out(client, applicant) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    response = client.get(reverse("licensing:workbench"))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    client.force_login(owner)
    assert client.get(reverse("licensing:workbench")).status_code == 403
    assert client.get(reverse("licensing:case", args=[application.pk])).status_code == 403
    assert act(client, application, "accept").status_code == 403
    assert Application.objects.get().state == S.LODGED


def test_the_queue_counts_and_flags_overdue_cases(client, applicant, crew, time_machine) -> None:
    owner, org = applicant
    late = factories.lodged(owner, org, factories.rectangle(1, 1))
    time_machine.move_to(datetime(2026, 12, 3, 10, 0, tzinfo=ASTANA))  # late's 5 working days ran out on 1 Dec
    fresh = factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 5))
    review_services.application_assign(actor=crew.reviewer, application=fresh, assignee=crew.reviewer)
    client.force_login(crew.reviewer)
    page = client.get(reverse("licensing:workbench")).content.decode()
    assert "Open: 2" in page and "Mine: 1" in page and "Unassigned: 1" in page and "Overdue: 1" in page
    assert page.index(late.reference) < page.index(fresh.reference)  # most urgent first
    assert "2 days overdue" in page
    overdue_only = client.get(reverse("licensing:workbench"), {"overdue": "on"}).content.decode()
    assert late.reference in overdue_only and fresh.reference not in overdue_only
    assert client.get(reverse("licensing:workbench"), {"stage": "nonsense"}).status_code == 400


def test_the_queue_runs_the_same_queries_for_2_and_10_cases(client, applicant, crew) -> None:
    owner, org = applicant
    client.force_login(crew.reviewer)

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse("licensing:workbench")).status_code == 200
        return len(queries)

    for i in range(2):
        factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * i))
    count()  # warm the per-process caches (content types, the session)
    few = count()
    for i in range(2, 10):
        factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 3 * i))
    assert count() == few


def test_claim_release_and_assign(client, applicant, crew, make_user) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    other = make_user(Role.REVIEWER)
    client.force_login(crew.reviewer)
    assert act(client, application, "claim").status_code == 302
    client.force_login(other)
    assert act(client, application, "claim").status_code == 403  # taken: only a registrar reassigns
    assert Application.objects.get().assigned_to == crew.reviewer
    client.force_login(crew.registrar)
    assert act(client, application, "assign", assignee=str(other.pk)).status_code == 302
    assert Application.objects.get().assigned_to == other
    assert act(client, application, "assign", assignee=str(owner.pk)).status_code == 400  # not an official
    client.force_login(other)
    assert act(client, application, "release").status_code == 302
    assert Application.objects.get().assigned_to is None


def test_internal_notes_never_reach_the_applicant(client, applicant, crew) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    client.force_login(crew.reviewer)
    assert act(client, application, "note", text="Check the ownership chart twice").status_code == 302
    assert (
        "Check the ownership chart twice"
        in client.get(reverse("licensing:case", args=[application.pk])).content.decode()
    )
    client.force_login(owner)
    assert "Check the ownership chart" not in client.get(application.get_absolute_url()).content.decode()
    assert (
        "Check the ownership chart"
        not in client.get(reverse("licensing:register-application", args=[application.reference])).content.decode()
    )
    assert CaseNote.objects.count() == 1


def test_reviewer_to_approver_through_the_case_page(client, applicant, crew, time_machine) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 2))
    client.force_login(crew.reviewer)
    assert act(client, application, "request-info", message="Send the licence map").status_code == 302
    information.application_answer(actor=owner, application=application, answer="Attached the map")
    assert Application.objects.get().state == S.UNDER_REVIEW
    assert act(client, application, "publish-notice").status_code == 302
    assert act(client, application, "close-objections").status_code == 409  # still open
    time_machine.move_to(datetime(2026, 12, 26, 10, 0, tzinfo=ASTANA))
    client.force_login(crew.reviewer)  # a month later: a new session
    assert act(client, application, "close-objections").status_code == 302
    response = act(client, application, "recommend", recommendation="grant", reasons="Complete")
    assert response.status_code == 409 and "Record the assessment" in response.content.decode()
    assert act(client, application, "assess", programme_adequate="on", financially_capable="on").status_code == 302
    page = client.get(reverse("licensing:case", args=[application.pk])).content.decode()
    # Kazakh staff 90 % of 90: 40; local goods 60 % of 70: 25.71; no processing: 0; training 5 M KZT is
    # 38 % of the first year's 12.98 M, above the 1 % for full marks: 10.
    assert "Local-content score: 75.71 of 100." in page
    assert act(client, application, "recommend", recommendation="grant", reasons="Complete").status_code == 302
    # The reviewer cannot decide; an approver can.
    assert act(client, application, "decide", decision="grant").status_code == 403
    client.force_login(crew.approver)
    assert act(client, application, "decide", decision="grant").status_code == 302
    assert Application.objects.get().state == S.GRANTED
    # The case page links to the licence granted on it.
    number = Application.objects.get().licence.number
    page = client.get(reverse("licensing:case", args=[application.pk])).content.decode()
    assert f"Granted: licence {number}." in page
    assert reverse("licensing:workbench-licence", args=[number]) in page


@pytest.mark.parametrize(
    ("role", "action", "fields"),
    [
        (Role.APPROVER, "accept", {}),
        (Role.REGISTRAR, "accept", {}),
        (Role.APPROVER, "request-info", {"message": "x"}),
        (Role.REGISTRAR, "publish-notice", {}),
    ],
)
def test_actions_refuse_the_wrong_official(client, applicant, make_user, role, action, fields) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    client.force_login(make_user(role))
    assert act(client, application, action, **fields).status_code == 403
    assert Application.objects.get().state == S.LODGED


def test_unknown_actions_and_forged_ids(client, applicant, crew) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    draft = factories.draft(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 9))
    client.force_login(crew.reviewer)
    assert act(client, application, "explode").status_code == 400
    assert client.get(reverse("licensing:case", args=[99999])).status_code == 404
    assert client.get(reverse("licensing:case", args=[draft.pk])).status_code == 404  # drafts are the investor's


def test_a_stage_that_runs_late_is_counted(applicant, crew, time_machine) -> None:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    time_machine.move_to(application.lodged_at + timedelta(days=14))
    application = review_services.application_accept(actor=crew.reviewer, application=application)
    assert application.late_stages == 1


def test_registrars_open_ground_and_everyone_on_the_workbench_sees_the_openings(client, crew, applicant) -> None:
    from licensing.domain import grid
    from licensing.models import GroundOpening

    url = reverse("licensing:workbench-openings")
    codes = " ".join(grid.code(b) for b in factories.rectangle(1, 2))
    client.force_login(applicant[0])
    assert client.get(url).status_code == 403
    client.force_login(crew.reviewer)
    assert client.post(url, {"open-codes": codes, "open-region": "east_kazakhstan"}).status_code == 403
    client.force_login(crew.registrar)
    assert client.post(url, {"open-codes": "N49XX", "open-region": "east_kazakhstan"}).status_code == 400
    assert client.post(url, {"open-codes": codes, "open-region": "east_kazakhstan"}).status_code == 302
    opening = GroundOpening.objects.get()
    assert sorted(opening.blocks.values_list("block", flat=True)) == factories.rectangle(1, 2)
    assert opening.opens_at.astimezone(ASTANA).hour == 9
    client.force_login(crew.reviewer)
    page = client.get(url).content.decode()
    assert "Opened by the state" in page and "Window open" in page


def test_a_reviewer_answers_an_objection_and_the_objector_is_told(client, crew, applicant, make_user) -> None:
    from events.models import Event

    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    review_services.application_accept(actor=crew.reviewer, application=application)
    review_services.application_publish_notice(actor=crew.reviewer, application=application)
    neighbour = make_user()
    objection = review_services.objection_lodge(actor=neighbour, application=application, grounds="Our wells are there")
    # A member of an organisation objects for it (their only one, by default); others may not name it.
    rival_owner, rival = factories.applicant(make_user, crew.registrar, "Rival Wells LLP")
    review_services.objection_lodge(actor=rival_owner, application=application, grounds="Our licence borders it")
    with pytest.raises(PermissionDenied):
        review_services.objection_lodge(actor=neighbour, application=application, grounds="x", organisation=rival)
    client.force_login(crew.reviewer)
    page = client.get(reverse("licensing:case", args=[application.pk])).content.decode()
    assert f"<strong>{rival.legal_name_latin}</strong> ({rival_owner.email})" in page
    assert f"{neighbour.email} (for themselves)" in page
    fields = {"objection-objection": str(objection.pk), "objection-outcome": "dismissed"}
    assert client.post(reverse("licensing:case-action", args=[application.pk, "objection"]), fields).status_code == 400
    fields["objection-response"] = "The wells lie outside the blocks applied for."
    assert client.post(reverse("licensing:case-action", args=[application.pk, "objection"]), fields).status_code == 302
    objection.refresh_from_db()
    assert objection.outcome == "dismissed" and objection.handled_by == crew.reviewer
    event = Event.objects.get(type="application.objection_handled")
    assert event.payload["objector"] == neighbour.pk
    from licensing.recipients import objector

    assert list(objector(event)) == [neighbour]
    client.force_login(owner)
    forged = {**fields, "objection-outcome": "upheld"}
    assert client.post(reverse("licensing:case-action", args=[application.pk, "objection"]), forged).status_code == 403


def test_an_information_request_names_a_document_and_the_answer_attaches_it(client, applicant, crew) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.files import pdf

    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 2))
    client.force_login(crew.reviewer)
    response = act(
        client,
        application,
        "request-info",
        message="The map is missing.",
        document_wanted="the licence area map",
        document_kind="map",
    )
    assert response.status_code == 302 and Application.objects.get().state == S.INFO_REQUESTED

    client.force_login(owner)
    url = reverse("licensing:application-answer", args=[application.pk])
    page = client.get(application.get_absolute_url()).content.decode()
    assert "Document wanted:" in page and "the licence area map" in page and 'enctype="multipart/form-data"' in page
    # Words alone do not answer a request for a document; a file of the wrong kind is refused.
    response = client.post(url, {"answer": "Here it is"})
    assert response.status_code == 400 and "Attach the document asked for: the licence area map." in (
        response.content.decode()
    )
    response = client.post(url, {"answer": "", "file": SimpleUploadedFile("map.csv", b"a,b\n1,2\n")})
    assert response.status_code == 400
    assert Application.objects.get().state == S.INFO_REQUESTED
    request = Application.objects.get().information_requests.get()
    assert request.answered_at is None and request.answer_document is None

    response = client.post(url, {"answer": "Attached.", "file": SimpleUploadedFile("map.pdf", pdf(1))})
    assert response.status_code == 302 and Application.objects.get().state == S.UNDER_REVIEW
    request.refresh_from_db()
    assert request.answer_document.original_name == "map.pdf" and request.answer_document.kind == "map"

    client.force_login(crew.reviewer)
    page = client.get(reverse("licensing:case", args=[application.pk])).content.decode()
    assert request.answer_document.get_absolute_url() in page and "the licence area map" in page
    assert client.get(request.answer_document.get_absolute_url()).status_code == 200


def test_a_partner_answers_with_the_wanted_document_over_the_api(client, applicant, crew) -> None:
    from django.core.files.uploadedfile import SimpleUploadedFile

    from tests.documents.files import pdf

    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 2))
    information.application_request_info(
        actor=crew.reviewer, application=application, message="Map", document_wanted="the map", document_kind="map"
    )
    client.force_login(owner)
    url = f"/api/v1/applications/{application.pk}/answer/"
    detail = client.get(f"/api/v1/applications/{application.pk}/").json()
    assert detail["open_request"]["document_wanted"] == "the map" and detail["open_request"]["document_kind"] == "map"
    response = client.post(url, {"answer": "No map"}, content_type="application/json")
    assert response.status_code == 400 and "the map" in response.content.decode()
    response = client.post(url, {"answer": "Map attached", "file": SimpleUploadedFile("map.pdf", pdf(1))})
    assert response.status_code == 200, response.content
    assert Application.objects.get().state == S.UNDER_REVIEW
