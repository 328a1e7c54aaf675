"""What the organisation page shows while due-diligence documents are being checked."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from documents.services import document_check
from investors import services
from tests.documents.files import pdf
from tests.investors import setup

pytestmark = pytest.mark.django_db


def test_the_document_list_refreshes_itself_only_while_checks_run(client, investor) -> None:
    org = setup.organisation(investor)
    added = services.organisation_document_add(
        actor=investor, organisation=org, kind="charter", upload=SimpleUploadedFile("charter.pdf", pdf(1))
    )
    client.force_login(investor)
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'id="documents-list" hx-get=' in page and "Being checked" in page
    document_check(document_id=added.file_id)
    page = client.get(org.get_absolute_url()).content.decode()
    assert 'id="documents-list">' in page and "Accepted" in page
