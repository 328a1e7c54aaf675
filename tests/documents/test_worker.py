"""Document checks with a real Celery worker on Redis."""

import pytest
from django.core import mail

from documents import services
from documents.models import Document, DocumentStatus
from events.models import Event, Notification
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


def test_a_deeply_nested_geojson_ends_rejected_with_its_reason_once(celery_worker, registrar) -> None:
    from tests.documents import corpus

    upload = files.upload("area.geojson", corpus.deep_geometry_collection())
    document = services.document_upload(actor=registrar, upload=upload, kind="boundary")
    wait_for(lambda: Document.objects.get(pk=document.pk).status != DocumentStatus.PENDING, "check the document")
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED
    assert document.reasons == ["The JSON is nested too deeply (more than 12 levels)."]
    assert Event.objects.filter(type="document.checked", subject_id=str(document.pk)).count() == 1


def test_a_check_that_raises_rejects_the_document_once_and_is_logged(
    celery_worker, registrar, monkeypatch, caplog
) -> None:
    from documents import checks

    def broken(path: str) -> dict[str, object]:  # the bug this stands for: RecursionError in check_geojson
        raise RecursionError("maximum recursion depth exceeded")

    monkeypatch.setattr(checks, "check_geojson", broken)
    upload = files.upload("area.geojson", files.geojson(files.SQUARE_IN_KAZAKHSTAN))
    document = services.document_upload(actor=registrar, upload=upload, kind="boundary")
    wait_for(lambda: Document.objects.get(pk=document.pk).status != DocumentStatus.PENDING, "check the document")
    document.refresh_from_db()
    assert document.status == DocumentStatus.REJECTED and document.facts == {"check_error": "RecursionError"}
    assert document.reasons == ["The file could not be checked: its content is malformed in a way we cannot read."]
    assert "Traceback" not in " ".join(document.reasons)
    assert [r.message for r in caplog.records if r.name == "documents.services"] == [
        f"The check of document {document.pk} failed"
    ]
    assert services.documents_pending(older_than_seconds=0) == []  # the sweeper will not queue it again
    assert Event.objects.filter(type="document.checked", subject_id=str(document.pk)).count() == 1
