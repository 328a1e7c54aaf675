"""The screening agency through the API: it learns of a referral by webhook, reads the
application in full with a `screening:write` token, posts its result, and the case moves on."""

from decimal import Decimal

import pytest
from django.test import Client

from accounts.models import User
from accounts.roles import Role
from events.models import Event
from events.services import webhook_endpoint_save
from investors.models import OwnerKind
from licensing.models import Application, ApplicationState
from licensing.review import services as review_services
from partners.scopes import REGISTER_READ, SCREENING_WRITE
from tests.events.receiver import webhook_receiver
from tests.investors import factories as investor_factories
from tests.licensing import factories
from tests.partners.factories import bearer, partner_client
from tests.worker import wait_for

SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw"


def state_linked_application(make_user, crew: factories.Officials, time_machine) -> tuple[User, Application]:
    """A lodged application in assessment from a company a foreign state owns: it must be screened."""
    owner = make_user(Role.INVESTOR)
    org = investor_factories.organisation(owner, country="CN", legal_name_latin="Silk Road Metals")
    investor_factories.owner(
        org, owner, kind=OwnerKind.LEGAL, name="State Holding", share=Decimal(100), country="CN", state_owned=True
    )
    investor_factories.complete(org, owner)
    investor_factories.submit(org, owner)
    investor_factories.verify(org, crew.registrar)
    application = factories.to_assessment(
        factories.lodged(owner, org, factories.rectangle(1, 2)), crew.reviewer, time_machine
    )
    assert application.screening_required
    return owner, application


def result_url(application: Application) -> str:
    return f"/api/v1/applications/{application.pk}/screening-result/"


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_the_screening_agency_answers_a_referral_end_to_end(celery_worker, make_user, time_machine) -> None:
    crew = factories.officials(make_user)
    investor, application = state_linked_application(make_user, crew, time_machine)
    agency = partner_client(SCREENING_WRITE, name="Screening agency")
    http = Client()
    with webhook_receiver(SECRET) as receiver:
        webhook_endpoint_save(
            actor=None,
            endpoint=_endpoint(agency.client.user, receiver.url),
            changed_fields=["url", "event_types"],
        )
        review_services.application_refer_screening(actor=crew.reviewer, application=application)
        wait_for(lambda: len(receiver.received) == 1, "deliver the referral")
        referral = receiver.received[0]["body"]
        assert receiver.verified == [True]
        assert referral["type"] == "application.referred_to_screening"
        assert referral["data"] == {"state": "screening", "country": "CN"}
        link = referral["subject"]["link"]
        assert link.endswith(f"/api/v1/applications/{application.pk}/")

        headers = bearer(http, agency)
        full = http.get(link, **headers)
        assert full.status_code == 200
        owners = full.json()["organisation"]["owners"]
        assert [(o["name"], o["state_owned"]) for o in owners] == [("State Holding", True)]

        answer = http.post(
            result_url(application),
            {"cleared": True, "note": "No objection on national-security grounds."},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="screening-1",
            **headers,
        )
        assert answer.status_code == 200 and answer.json()["state"] == "assessment"
        again = http.post(
            result_url(application),
            {"cleared": True, "note": "No objection on national-security grounds."},
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="screening-1",
            **headers,
        )
        assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
        assert again.json() == answer.json()
        wait_for(lambda: len(receiver.received) == 2, "deliver the result")
        assert receiver.received[1]["body"]["type"] == "application.screening_recorded"
        assert receiver.received[1]["body"]["data"] == {"state": "assessment", "cleared": True}

    recorded = Event.objects.filter(type="application.screening_recorded", subject_id=str(application.pk))
    assert recorded.count() == 1
    assert recorded.get().actor == agency.client.user  # which client did it
    application.refresh_from_db()
    assert application.state == ApplicationState.ASSESSMENT and not application.screening_required

    http.force_login(crew.reviewer)
    case = http.get(f"/workbench/applications/{application.pk}/").content.decode()
    assert "Screening result recorded" in case and "No objection on national-security grounds." in case
    http.force_login(investor)
    page = http.get(f"/investor/applications/{application.pk}/").content.decode()
    assert "Screening result recorded" in page
    assert "No objection on national-security grounds." not in page  # the agency's note stays inside


def _endpoint(owner: User, url: str):
    from events.models import WebhookEndpoint

    return WebhookEndpoint(
        owner=owner,
        partner="Screening agency",
        url=url,
        event_types=["application.referred_to_screening", "application.screening_recorded"],
        secret=SECRET,
    )


@pytest.fixture
def referred(make_user, time_machine) -> Application:
    crew = factories.officials(make_user)
    _investor, application = state_linked_application(make_user, crew, time_machine)
    return review_services.application_refer_screening(actor=crew.reviewer, application=application)


@pytest.mark.django_db
def test_a_token_without_the_screening_scope_cannot_post_a_result(client, referred) -> None:
    reader = partner_client(REGISTER_READ, name="Survey")
    answer = client.post(
        result_url(referred), {"cleared": True}, content_type="application/json", **bearer(client, reader)
    )
    assert answer.status_code == 403 and "screening:write" in answer.json()["detail"]
    referred.refresh_from_db()
    assert referred.state == ApplicationState.SCREENING


@pytest.mark.django_db
def test_a_register_token_reads_the_referral_as_the_register_shows_it(client, referred) -> None:
    reader = partner_client(REGISTER_READ, name="Survey")
    answer = client.get(f"/api/v1/applications/{referred.pk}/", **bearer(client, reader))
    assert answer.status_code == 200
    body = answer.json()
    assert body["reference"] == referred.reference and body["applicant"]["name"] == "Silk Road Metals"
    assert "organisation" not in body and "programme" not in body and "kazakh_staff_percent" not in body


@pytest.mark.django_db
def test_a_screening_token_sees_only_what_is_referred(client, referred, make_user, time_machine) -> None:
    crew = factories.officials(make_user)
    owner, org = factories.applicant(make_user, crew.registrar, name="Plain Mining LLP")
    other = factories.lodged(owner, org, factories.rectangle(1, 1, factories.ORIGIN + 40))
    agency = partner_client(SCREENING_WRITE, name="Screening agency")
    headers = bearer(client, agency)
    listed = client.get("/api/v1/applications/", **headers).json()["results"]
    assert [row["id"] for row in listed] == [referred.pk]
    assert client.get(f"/api/v1/applications/{other.pk}/", **headers).status_code == 404
    refused = client.post(result_url(other), {"cleared": True}, content_type="application/json", **headers)
    assert refused.status_code == 404
    other.refresh_from_db()
    assert other.state == ApplicationState.LODGED


@pytest.mark.django_db
def test_a_result_on_an_application_not_referred_now_is_a_conflict(client, referred, make_user) -> None:
    agency = partner_client(SCREENING_WRITE, REGISTER_READ, name="Screening agency")
    headers = bearer(client, agency)
    body = {"cleared": False, "note": "Refer to the security council."}
    assert client.post(result_url(referred), body, content_type="application/json", **headers).status_code == 200
    again = client.post(result_url(referred), body, content_type="application/json", **headers)
    assert again.status_code == 409
    assert Event.objects.filter(type="application.screening_recorded").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("body", [{}, {"cleared": "perhaps"}, {"cleared": True, "note": "x" * 2001}])
def test_a_malformed_result_is_refused_and_changes_nothing(client, referred, body) -> None:
    agency = partner_client(SCREENING_WRITE, name="Screening agency")
    answer = client.post(result_url(referred), body, content_type="application/json", **bearer(client, agency))
    assert answer.status_code == 400 and answer["Content-Type"] == "application/problem+json"
    referred.refresh_from_db()
    assert referred.state == ApplicationState.SCREENING


@pytest.mark.django_db
def test_an_investor_cannot_record_a_screening_result(client, referred) -> None:
    client.force_login(referred.organisation.memberships.first().user)
    answer = client.post(result_url(referred), {"cleared": True}, content_type="application/json")
    assert answer.status_code == 403
    referred.refresh_from_db()
    assert referred.state == ApplicationState.SCREENING
