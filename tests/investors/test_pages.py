"""What the organisation page shows while due-diligence documents are being checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import document_check
from investors import services
from tests.documents.files import pdf
from tests.investors import factories

pytestmark = pytest.mark.django_db


def test_the_document_list_refreshes_itself_only_while_checks_run(client, investor) -> None:
    org = factories.organisation(investor)
    added = services.organisation_document_add(
        actor=investor, organisation=org, kind="charter", upload=SimpleUploadedFile("charter.pdf", pdf(1))
    )
    client.force_login(investor)
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'id="documents-list" hx-get=' in page and "Being checked" in page
    document_check(document_id=added.file_id)
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'id="documents-list">' in page and "Accepted" in page


def test_the_uploader_hears_how_a_due_diligence_document_was_checked(investor) -> None:
    from events.models import Notification
    from tests.investors.test_services import deliver

    org = factories.organisation(investor)
    added = services.organisation_document_add(
        actor=investor, organisation=org, kind="charter", upload=SimpleUploadedFile("charter.pdf", pdf(1, password="x"))
    )
    document_check(document_id=added.file_id)
    deliver("document.checked")
    notification = Notification.objects.get(user=investor, kind="document.checked")
    # Seven uploads make seven notifications: each names its file.
    assert notification.title == "Your document “charter.pdf” was rejected"
    assert "Document: “charter.pdf” (Certificate or legal document (PDF))." in notification.body


def test_registrar_reasons_read_as_typed_in_notifications(investor, registrar) -> None:
    from events.models import Notification
    from tests.investors.test_services import deliver

    org = factories.ready_to_submit(factories.organisation(investor), investor)
    factories.submit(org, investor)
    services.organisation_decide(
        actor=registrar, organisation=org, decision="reject", reason="Aigerim Sadykova's share is < 5 %"
    )
    deliver("organisation.rejected")
    body = Notification.objects.get(user=investor, kind="organisation.rejected").body
    assert "Aigerim Sadykova's share is < 5 %" in body


def test_the_registrar_is_offered_only_the_decisions_allowed_now(client, investor, registrar) -> None:
    org = factories.ready_to_submit(factories.organisation(investor), investor)
    client.force_login(registrar)
    assert 'value="verify"' not in client.get(org.get_absolute_url()).content.decode()  # a draft: nothing to decide
    factories.submit(org, investor)
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'value="verify"' in page and 'value="reject"' in page and 'value="suspend"' not in page


def test_the_organisation_page_keeps_its_history_with_the_registrars_reasons(client, investor, registrar) -> None:
    org = factories.ready_to_submit(factories.organisation(investor), investor)
    factories.submit(org, investor)
    services.organisation_decide(actor=registrar, organisation=org, decision="reject", reason="Charter unsigned.")
    factories.submit(org, investor)  # the reason is cleared from the status
    client.force_login(registrar)
    page = client.get(org.get_absolute_url()).content.decode()
    history = page[page.index('id="history-heading"') :]
    assert "Organisation registered" in history and "My organisation was rejected" in history
    assert "Charter unsigned." in history and registrar.email in history


def test_a_data_room_image_is_served_whole_and_a_pdf_stamped(client, investor, registrar) -> None:
    import io

    from pypdf import PdfReader

    from deposits.models import DepositDocument, DocumentVisibility
    from deposits.services import deposit_part_save
    from documents.services import document_upload
    from tests.deposits.factories import DepositFactory
    from tests.documents.files import image

    deposit = DepositFactory()
    services.agreement_publish(actor=registrar, text_en="Secret.", text_ru="Секрет.", text_kk="Құпия.")
    parts = {}
    for name, content, kind in (("map.png", image(), "map"), ("assays.pdf", pdf(2), "report")):
        stored = document_upload(actor=registrar, upload=SimpleUploadedFile(name, content), kind=kind)
        document_check(document_id=stored.pk)
        stored.refresh_from_db()
        part = DepositDocument(
            deposit=deposit, title=name, kind=kind, visibility=DocumentVisibility.DATA_ROOM, file=stored
        )
        deposit_part_save(actor=registrar, part=part)
        parts[name] = (part, content)
    org = factories.verified_organisation(investor, registrar)
    services.agreement_accept(actor=investor, organisation=org, version=1)
    investor.first_name, investor.last_name = "Айгерим", "Сапарова"
    investor.save(update_fields=["first_name", "last_name"])
    client.force_login(investor)

    part, content = parts["map.png"]
    response = client.get(f"/data-room/{deposit.slug}/{part.pk}/")
    assert response.status_code == 200 and b"".join(response.streaming_content) == content
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    assert response["Content-Disposition"] == 'attachment; filename="map.png"'

    part, _ = parts["assays.pdf"]
    response = client.get(f"/data-room/{deposit.slug}/{part.pk}/")
    assert response.status_code == 200 and response["Content-Disposition"] == 'attachment; filename="assays.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff" and response["Cache-Control"] == "private, no-store"
    pages = PdfReader(io.BytesIO(response.content)).pages
    assert len(pages) == 2 and all(org.legal_name_latin in p.extract_text() for p in pages)
    # The person too, in whatever script the name is written, and the time in Astana time.
    assert all("Айгерим Сапарова" in p.extract_text() for p in pages)
    assert "(Astana time)" in pages[0].extract_text()


def test_a_data_room_file_still_being_checked_is_not_read_or_served(client, investor, registrar, monkeypatch) -> None:
    from deposits.models import DepositDocument, DocumentVisibility
    from deposits.services import deposit_part_save
    from documents.services import document_upload
    from investors import views
    from tests.deposits.factories import DepositFactory

    deposit = DepositFactory()
    services.agreement_publish(actor=registrar, text_en="Secret.", text_ru="Секрет.", text_kk="Құпия.")
    stored = document_upload(actor=registrar, upload=SimpleUploadedFile("assays.pdf", pdf(1)), kind="report")
    part = DepositDocument(
        deposit=deposit, title="Assays", kind="report", visibility=DocumentVisibility.DATA_ROOM, file=stored
    )
    deposit_part_save(actor=registrar, part=part)
    org = factories.verified_organisation(investor, registrar)
    services.agreement_accept(actor=investor, organisation=org, version=1)
    stamped = []
    monkeypatch.setattr(views, "stamp_pdf", lambda *args: stamped.append(args) or b"")
    client.force_login(investor)

    response = client.get(f"/data-room/{deposit.slug}/{part.pk}/")
    assert response.status_code == 404 and stamped == []  # not parsed before its checks pass
    document_check(document_id=stored.pk)
    assert client.get(f"/data-room/{deposit.slug}/{part.pk}/").status_code == 200
