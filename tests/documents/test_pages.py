import pytest

from deposits.models import DepositDocument, DocumentVisibility
from documents import services
from documents.models import Document, DocumentStatus
from events.models import Event, Notification
from tests.deposits.factories import DepositDocumentFactory, DepositFactory
from tests.documents import files

pytestmark = pytest.mark.django_db


def _accepted(user, name: str = "report.pdf", content: bytes | None = None) -> Document:
    document = services.document_upload(actor=user, upload=files.upload(name, content or files.pdf()), kind="report")
    services.document_check(document_id=document.pk)
    document.refresh_from_db()
    return document


def test_the_uploader_downloads_the_file_as_an_attachment(client, registrar) -> None:
    document = _accepted(registrar, "Отчёт 2024.pdf")
    client.force_login(registrar)
    response = client.get(document.get_download_url())
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_others_get_404_for_a_file_that_is_not_public(client, investor, make_user) -> None:
    from accounts.roles import Role

    document = _accepted(make_user(Role.REGISTRAR))
    for who in (None, investor):
        if who:
            client.force_login(who)
        assert client.get(document.get_download_url()).status_code == 404
        assert client.get(document.get_absolute_url()).status_code == 404
    assert client.get("/documents/00000000-0000-0000-0000-000000000000/download/").status_code == 404


def test_a_public_deposit_document_is_open_to_everyone_once_accepted(client, registrar) -> None:
    deposit = DepositFactory()
    document = services.document_upload(actor=registrar, upload=files.upload("r.pdf", files.pdf()), kind="report")
    DepositDocumentFactory(
        deposit=deposit, title="Feasibility study", file=document, visibility=DocumentVisibility.PUBLIC
    )
    assert client.get(document.get_download_url()).status_code == 404  # not checked yet
    services.document_check(document_id=document.pk)
    assert client.get(document.get_download_url()).status_code == 200
    page = client.get(deposit.get_absolute_url()).content.decode()
    assert document.get_download_url() in page and "Feasibility study" in page


def test_a_data_room_document_is_not_open_to_the_public(client, registrar) -> None:
    deposit = DepositFactory()
    document = _accepted(registrar)
    DepositDocumentFactory(deposit=deposit, title="Drill logs", file=document, visibility=DocumentVisibility.DATA_ROOM)
    assert client.get(document.get_download_url()).status_code == 404
    page = client.get(deposit.get_absolute_url()).content.decode()
    assert "Drill logs" in page and document.get_download_url() not in page


def test_the_status_page_polls_while_the_check_runs(client, registrar) -> None:
    document = services.document_upload(actor=registrar, upload=files.upload("r.pdf", files.pdf()), kind="report")
    client.force_login(registrar)
    pending = client.get(document.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Being checked" in pending
    services.document_check(document_id=document.pk)
    done = client.get(document.get_absolute_url(), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in done and "Accepted" in done


def test_the_uploader_is_notified_of_the_result_once(registrar) -> None:
    from events import services as event_services

    document = services.document_upload(
        actor=registrar, upload=files.upload("r.pdf", files.pdf(password="x")), kind="report"
    )
    services.document_check(document_id=document.pk)
    services.document_check(document_id=document.pk)  # a repeated task changes nothing
    checked = Event.objects.filter(type="document.checked")
    assert checked.count() == 1
    for delivery_id in event_services.event_dispatch(event_id=checked.get().pk):
        event_services.delivery_send(delivery_id=delivery_id)
    notification = Notification.objects.get(user=registrar)
    assert "rejected" in notification.title.lower() and "encrypted" in notification.body
    assert Document.objects.get().status == DocumentStatus.REJECTED


def _inline_form(upload, kind: str = "report") -> dict:
    data = {
        "slug": "new-deposit",
        "name_en": "New deposit",
        "name_ru": "",
        "name_kk": "",
        "region": "karaganda",
        "district_en": "",
        "district_ru": "",
        "district_kk": "",
        "latitude": "48.5",
        "longitude": "73.0",
        "outline": "",
        "deposit_type": "greisen",
        "stage": "exploration",
        "summary_en": "",
        "summary_ru": "",
        "summary_kk": "",
        "geology_en": "",
        "geology_ru": "",
        "geology_kk": "",
        "history_en": "",
        "history_ru": "",
        "history_kk": "",
        "rail_km": "",
        "road_km": "",
        "power_km": "",
        "water_km": "",
    }
    for prefix in ("deposit_commodities", "estimates", "sources"):
        data.update(
            {
                f"{prefix}-TOTAL_FORMS": "0",
                f"{prefix}-INITIAL_FORMS": "0",
                f"{prefix}-MIN_NUM_FORMS": "0",
                f"{prefix}-MAX_NUM_FORMS": "1000",
            }
        )
    data.update(
        {
            "documents-TOTAL_FORMS": "1",
            "documents-INITIAL_FORMS": "0",
            "documents-MIN_NUM_FORMS": "0",
            "documents-MAX_NUM_FORMS": "1000",
            "documents-0-title": "Resource report",
            "documents-0-kind": "report",
            "documents-0-visibility": "public",
            "documents-0-url": "",
            "documents-0-published_on": "",
            "documents-0-upload_kind": kind,
            "documents-0-upload": upload,
        }
    )
    return data


def test_a_registrar_attaches_a_file_to_a_deposit_in_the_admin(client, registrar) -> None:
    client.force_login(registrar)
    response = client.post("/admin/deposits/deposit/add/", _inline_form(files.upload("report.pdf", files.pdf())))
    assert response.status_code == 302, response.content.decode()[:2000]
    attached = DepositDocument.objects.get(title="Resource report")
    assert attached.file.status == DocumentStatus.PENDING and attached.file.uploaded_by == registrar


def test_a_bad_file_in_the_admin_is_refused_next_to_the_field(client, registrar) -> None:
    client.force_login(registrar)
    response = client.post("/admin/deposits/deposit/add/", _inline_form(files.upload("report.pdf", files.image())))
    assert response.status_code == 200
    assert "not one of the types allowed for Report (PDF)" in response.content.decode()
    assert not Document.objects.exists() and not DepositDocument.objects.exists()
