from celery import shared_task
from django.conf import settings
from django.db import DatabaseError

from documents import services


@shared_task(
    autoretry_for=(DatabaseError,),
    retry_backoff=2,
    retry_jitter=True,
    max_retries=8,
    soft_time_limit=600,
    time_limit=660,
)
def check_document(document_id: int) -> str:
    return services.document_check(document_id=document_id).value


@shared_task
def check_pending_documents() -> int:
    """The sweeper's share for documents: check those whose check was never queued."""
    pending = services.documents_pending(older_than_seconds=settings.EVENTS_SWEEP_AFTER_SECONDS)
    for document_id in pending:
        check_document.delay(document_id)
    return len(pending)


@shared_task
def remove_orphan_files() -> int:
    return services.document_files_remove_orphans(older_than_seconds=3600)
