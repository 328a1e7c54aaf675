"""The hostile-upload corpus against every surface that takes a file: the investor
organisation page, application documents (page and API), objections (page and API), the
deposit admin's attachments (data room and public documents), the blocks form's boundary, and
the applications API's JSON body.

Each answer is a 4xx naming the problem, or a stored document that the deep check rejects
with its reason; in no case is the file served while pending or once rejected."""

import html
import re

import pytest
from django.urls import reverse

from documents import services
from documents.models import Document, DocumentStatus
from licensing.models import Application
from licensing.review import services as review_services
from tests.documents import corpus
from tests.investors import factories as investor_factories
from tests.licensing import factories

pytestmark = pytest.mark.django_db
DOCUMENT_CASES = corpus.document_cases()
BOUNDARY_CASES = corpus.boundary_cases()


def _ids(cases: list[corpus.Case]) -> list[str]:
    return [c.id for c in cases]


def _answered(response, case: corpus.Case, user, client) -> str:
    """The refusal's words: from the page or the API (4xx), or from the document's deep check
    (stored: the page redirects, the API answers 201)."""
    if 400 <= response.status_code < 500:
        return html.unescape(response.content.decode())
    assert response.status_code in (201, 302), response.status_code
    document = Document.objects.latest("id")
    client.force_login(user)
    assert client.get(document.get_download_url()).status_code == 404  # not served while pending
    services.document_check(document_id=document.pk)
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED, (document.facts, document.reasons)
    assert client.get(document.get_download_url()).status_code == 404  # nor once rejected
    return " ".join(document.reasons)


def _post_file(client, url: str, field: str, case: corpus.Case, **data: str):
    return client.post(url, {**data, field: corpus.upload(case)})


@pytest.fixture
def ground(applicant):
    owner, org = applicant
    return owner, org, factories.draft(owner, org, factories.rectangle(1, 1))


def _limit(settings, case: corpus.Case) -> None:
    if case.max_bytes:
        settings.DOCUMENTS_MAX_BYTES = case.max_bytes


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=_ids(DOCUMENT_CASES))
def test_organisation_page_refuses_hostile_documents(client, investor, settings, case) -> None:
    _limit(settings, case)
    organisation = investor_factories.organisation(investor)
    client.force_login(investor)
    response = _post_file(
        client, reverse("investors:document-add", args=[organisation.pk]), "file", case, kind="charter"
    )
    assert re.search(case.expect, _answered(response, case, investor, client))


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=_ids(DOCUMENT_CASES))
def test_application_documents_refuse_hostile_documents(client, ground, settings, case) -> None:
    _limit(settings, case)
    owner, _org, application = ground
    requirement = next(r for r in application.licence_type.required_documents.all() if r.document_kind != "boundary")
    client.force_login(owner)
    url = reverse("licensing:application-document", args=[application.pk])
    response = _post_file(client, url, "file", case, requirement=str(requirement.pk))
    assert re.search(case.expect, _answered(response, case, owner, client))


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=_ids(DOCUMENT_CASES))
def test_the_applications_api_refuses_hostile_documents(client, ground, settings, case) -> None:
    _limit(settings, case)
    owner, _org, application = ground
    requirement = next(r for r in application.licence_type.required_documents.all() if r.document_kind != "boundary")
    client.force_login(owner)
    url = f"/api/v1/applications/{application.pk}/documents/"
    response = _post_file(client, url, "file", case, requirement=requirement.code)
    assert re.search(case.expect, _answered(response, case, owner, client))


def _objection_period(applicant, crew) -> Application:
    owner, org = applicant
    application = factories.lodged(owner, org, factories.rectangle(1, 1))
    review_services.application_accept(actor=crew.reviewer, application=application)
    return review_services.application_publish_notice(actor=crew.reviewer, application=application)


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=_ids(DOCUMENT_CASES))
def test_objections_over_the_api_refuse_hostile_documents(client, applicant, crew, make_user, settings, case) -> None:
    application = _objection_period(applicant, crew)
    _limit(settings, case)
    neighbour = make_user()
    client.force_login(neighbour)
    response = _post_file(client, f"/api/v1/applications/{application.pk}/objections/", "file", case, grounds="Wells")
    assert re.search(case.expect, _answered(response, case, neighbour, client))


@pytest.mark.parametrize("case", DOCUMENT_CASES, ids=_ids(DOCUMENT_CASES))
def test_objections_refuse_hostile_documents(client, applicant, crew, make_user, settings, case) -> None:
    application = _objection_period(applicant, crew)
    _limit(settings, case)
    neighbour = make_user()
    client.force_login(neighbour)
    url = reverse("licensing:register-application", args=[application.reference])
    response = _post_file(client, url, "file", case, grounds="Our wells")
    assert re.search(case.expect, _answered(response, case, neighbour, client))


def _admin_form(case: corpus.Case, kind: str) -> dict:
    from tests.deposits.test_admin import _form

    data = _form({"deposit_commodities-0-commodity": ""})
    data.update(
        {
            "deposit_commodities-TOTAL_FORMS": "0",
            "documents-TOTAL_FORMS": "1",
            "documents-0-title": "Drill logs",
            "documents-0-kind": "report",
            "documents-0-visibility": "data_room",
            "documents-0-upload_kind": kind,
            "documents-0-upload": corpus.upload(case),
        }
    )
    return data


@pytest.mark.parametrize(
    ("case", "kind"),
    [(c, "report") for c in DOCUMENT_CASES] + [(c, "boundary") for c in BOUNDARY_CASES],
    ids=[f"report-{c.id}" for c in DOCUMENT_CASES] + [f"boundary-{c.id}" for c in BOUNDARY_CASES],
)
def test_deposit_admin_refuses_hostile_attachments(client, registrar, settings, case, kind) -> None:
    _limit(settings, case)
    client.force_login(registrar)
    response = client.post("/admin/deposits/deposit/add/", _admin_form(case, kind))
    if response.status_code == 200:  # the admin shows its form again with the field's error
        response.status_code = 400
    expect = case.document_expect or case.expect
    assert re.search(expect, _answered(response, case, registrar, client))


@pytest.mark.parametrize("case", BOUNDARY_CASES, ids=_ids(BOUNDARY_CASES))
def test_the_blocks_form_refuses_hostile_boundaries(client, ground, case) -> None:
    owner, _org, application = ground
    client.force_login(owner)
    url = reverse("licensing:application-blocks", args=[application.pk])
    response = _post_file(client, url, "boundary", case, codes="")
    assert response.status_code == 400
    assert re.search(case.expect, html.unescape(response.content.decode()))
    assert Application.objects.get(pk=application.pk).blocks == factories.rectangle(1, 1)


@pytest.mark.parametrize(
    ("body", "expect"),
    [
        ('{"blocks": ' + "[" * 50_000 + "]" * 50_000 + "}", "nested too deeply"),
        ('{"title": "x", "blocks": [' + '{"a": ' * 100 + "1" + "}" * 100 + "]}", "nested too deeply"),
        ('{"kazakh_staff_percent": NaN}', "not a number"),
        ('{"kazakh_staff_percent": 1e999}', "not a number"),
    ],
    ids=["deep-list", "deep-object", "nan", "infinity"],
)
def test_the_applications_api_refuses_hostile_json_with_400(client, ground, body, expect) -> None:
    owner, _org, application = ground
    client.force_login(owner)
    response = client.patch(f"/api/v1/applications/{application.pk}/", body, content_type="application/json")
    assert response.status_code == 400 and expect in response.json()["detail"]
    assert Application.objects.get(pk=application.pk).blocks == factories.rectangle(1, 1)


@pytest.mark.parametrize("path", ["/api/v1/notifications/mark-read/", "/api/v1/applications/"])
def test_every_api_endpoint_refuses_deeply_nested_json_with_400(client, ground, path) -> None:
    owner, _org, _application = ground
    client.force_login(owner)
    body = '{"ids": ' + "[" * 50_000 + "]" * 50_000 + "}"
    response = client.post(path, body, content_type="application/json")
    assert response.status_code == 400 and "nested too deeply" in response.json()["detail"]
