"""Anonymous answers about deposits (API, open data, pages) served from the cache while the
disclosure is unchanged, and never anything of one visitor's own to another."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.middleware.csrf import get_token
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from accounts.roles import Role
from deposits import services
from deposits.caching import cached_disclosure
from deposits.models import DepositDocument
from documents.services import document_check, document_upload
from tests.deposits.factories import DepositFactory
from tests.documents.files import pdf

pytestmark = pytest.mark.django_db


def _get(client, url: str) -> tuple[object, int]:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    return response, len(ctx.captured_queries)


# The open-data files are built ahead and served as stored (tests/licensing/test_publication.py).
@pytest.mark.parametrize("url", ["/api/v1/deposits/"])
def test_a_repeated_anonymous_request_is_answered_from_the_cache_with_one_query(client, url: str) -> None:
    DepositFactory()
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert cold > 1 and warm == 1  # the revision check
    assert second.content == first.content and second["Content-Type"] == first["Content-Type"]


def test_a_change_through_a_service_is_seen_at_once(client, registrar) -> None:
    deposit = DepositFactory(slug="bakennoye")
    assert [d["slug"] for d in client.get("/api/v1/deposits/").json()["results"]] == ["bakennoye"]
    services.deposit_unpublish(actor=registrar, deposit=deposit)
    assert client.get("/api/v1/deposits/").json()["results"] == []
    assert client.get("/api/v1/deposits/bakennoye/").status_code == 404


def test_signed_in_users_are_never_served_from_the_cache(client, registrar) -> None:
    DepositFactory()
    client.force_login(registrar)
    client.get("/api/v1/deposits/")
    _, queries = _get(client, "/api/v1/deposits/")
    assert queries > 1


def test_errors_are_not_cached(client) -> None:
    assert client.get("/api/v1/deposits/", {"stage": "x"}).status_code == 400
    DepositFactory(slug="late")
    assert client.get("/api/v1/deposits/late/").status_code == 200


# The pages ---------------------------------------------------------------------------------

PAGES = ["/deposits/", "/deposits/?commodity=Li&sort=-name", "/deposits/bakennoye/"]


@pytest.mark.parametrize("url", PAGES)
def test_a_repeated_anonymous_page_is_the_same_page_from_the_cache(client, url: str) -> None:
    DepositFactory(slug="bakennoye", name_en="Bakennoye")
    first, cold = _get(client, url)
    second, warm = _get(client, url)
    assert cold > 1 and warm == 1  # the revision check
    assert second.content == first.content and "Bakennoye" in second.content.decode()
    assert second["Content-Type"] == first["Content-Type"] == "text/html; charset=utf-8"
    # Nothing of one visitor's own for the next: no CSRF token in the page, no cookie set.
    assert "csrfmiddlewaretoken" not in first.content.decode() and not first.cookies and not second.cookies


def test_each_language_has_its_cached_page(client) -> None:
    DepositFactory(slug="bakennoye", name_en="Bakennoye", name_ru="Бакенное")
    english = client.get("/deposits/bakennoye/").content.decode()
    client.get("/i18n/language/", {"language": "ru", "next": "/"})
    russian = client.get("/deposits/bakennoye/").content.decode()
    assert "<h1>Bakennoye</h1>" in english and "<h1>Бакенное</h1>" in russian
    assert '<html lang="ru">' in client.get("/deposits/bakennoye/").content.decode()


def test_a_cached_page_changes_as_soon_as_a_deposit_changes(client, registrar) -> None:
    deposit = DepositFactory(slug="bakennoye", name_en="Bakennoye")
    for url in ("/deposits/", "/deposits/bakennoye/"):
        client.get(url)
        assert "Bakennoye" in client.get(url).content.decode()
    deposit.name_en = "Bakennoye North"
    services.deposit_save(actor=registrar, deposit=deposit, changed_fields=["name_en"])
    for url in ("/deposits/", "/deposits/bakennoye/"):
        page, queries = _get(client, url)
        assert "Bakennoye North" in page.content.decode() and queries > 1
    services.deposit_unpublish(actor=registrar, deposit=deposit)
    assert "Bakennoye" not in client.get("/deposits/").content.decode()
    assert client.get("/deposits/bakennoye/").status_code == 404


def test_a_deposit_file_passing_its_checks_renews_the_disclosure_page(client, registrar) -> None:
    deposit = DepositFactory(slug="bakennoye")
    stored = document_upload(actor=registrar, upload=SimpleUploadedFile("report.pdf", pdf(1)), kind="report")
    part = DepositDocument(deposit=deposit, title="Feasibility report", kind="report", file=stored)
    services.deposit_part_save(actor=registrar, part=part)
    client.get("/deposits/bakennoye/")
    assert stored.get_download_url() not in client.get("/deposits/bakennoye/").content.decode()  # not yet checked
    document_check(document_id=stored.pk)
    assert stored.get_download_url() in client.get("/deposits/bakennoye/").content.decode()


@pytest.mark.parametrize("url", PAGES)
def test_a_signed_in_user_gets_a_fresh_page_of_their_own(client, url: str, make_user) -> None:
    DepositFactory(slug="bakennoye")
    Client().get(url)  # cached for anonymous visitors
    client.force_login(make_user(Role.INVESTOR, email="investor@example.com"))
    page, queries = _get(client, url)
    text = page.content.decode()
    assert queries > 1 and "Sign out (investor@example.com)" in text and "csrfmiddlewaretoken" in text
    assert ("Follow this deposit" in text) == url.endswith("bakennoye/")


def test_messages_are_shown_to_their_visitor_and_never_cached(client, make_user) -> None:
    DepositFactory()
    Client().get("/deposits/")  # the anonymous page, cached
    client.force_login(make_user(Role.INVESTOR))
    client.post("/accounts/logout/")
    assert "You have signed out." in client.get("/deposits/").content.decode()
    assert "You have signed out." not in client.get("/deposits/").content.decode()  # shown once
    assert "You have signed out." not in Client().get("/deposits/").content.decode()


def test_an_answer_that_uses_a_csrf_token_is_not_kept() -> None:
    """A masked token gives away the visitor's secret: an anonymous answer that rendered one
    (and has its cookie set by the middleware afterwards) is answered afresh next time."""
    rendered = []

    @cached_disclosure
    def view(request: HttpRequest) -> HttpResponse:
        rendered.append(get_token(request))
        return HttpResponse(rendered[-1])

    for _ in range(2):
        request = RequestFactory().get("/with-a-form/")
        request.user = AnonymousUser()
        view(request)
    assert len(rendered) == 2 and rendered[0] != rendered[1]
