"""Document checks with a real Celery worker on Redis."""

import pytest
from django.core import mail

from documents import services
from documents.models import Document, DocumentStatus
from events.models import Notification
from tests.documents import files
from tests.worker import wait_for

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_an_upload_is_checked_and_its_uploader_notified_once(celery_worker, registrar) -> None:
    document = services.document_upload(actor=registrar, upload=files.upload("report.pdf", files.pdf(4)), kind="report")
    wait_for(lambda: Document.objects.get(pk=document.pk).status != DocumentStatus.PENDING, "check the document")
    wait_for(
        lambda: Notification.objects.filter(user=registrar).exists() and len(mail.outbox) >= 1, "notify the uploader"
    )
    document.refresh_from_db()
    assert document.status == DocumentStatus.ACCEPTED and document.facts == {"pages": 4}
    assert Notification.objects.filter(user=registrar, kind="document.checked").count() == 1
    assert [m.to for m in mail.outbox] == [[registrar.email]]
    assert "accepted" in mail.outbox[0].subject
