"""Every write on documents: upload (cheap checks at once) and the deep check (in Celery)."""

import hashlib
import logging
import time
from pathlib import Path
from typing import IO

from celery.exceptions import SoftTimeLimitExceeded
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.checks import CheckFailed, deep_check, precheck, safe_name
from documents.models import Document, DocumentStatus
from documents.signals import document_checked
from events.services import record_event

logger = logging.getLogger(__name__)


def _sha256(file: IO[bytes]) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in iter(lambda: file.read(1024 * 1024), b""):
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def document_upload(*, actor: User, upload: UploadedFile, kind: str, owner: models.Model | None = None) -> Document:
    """Store an upload after the cheap checks (size, empty, type sniffed from the bytes and
    allowed for the kind, a name that does not lie) and queue the deep check. Raises
    ValidationError with the reasons; then nothing is stored."""
    try:
        content_type = precheck(file=upload, name=upload.name or "", size=upload.size or 0, kind=kind)
    except CheckFailed as exc:
        raise ValidationError(exc.reasons) from exc
    document = Document(
        kind=kind,
        original_name=safe_name(upload.name or ""),
        size=upload.size,
        sha256=_sha256(upload),
        content_type=content_type,
        uploaded_by=actor,
    )
    if owner is not None:
        document.owner = owner
    try:
        with transaction.atomic():
            document.file.save(document.original_name, upload, save=False)
            document.save()
            record_event(
                actor=actor,
                type="document.uploaded",
                subject=document,
                kind=kind,
                size=document.size,
                content_type=content_type,
            )
            transaction.on_commit(lambda: _enqueue_check(document.pk))
    except BaseException:
        if document.file.name:  # the transaction failed: leave no file behind
            document.file.storage.delete(document.file.name)
        raise
    return document


def _enqueue_check(document_id: int) -> None:
    from documents.tasks import check_document

    try:
        check_document.apply_async(args=[document_id], retry=False)
    except Exception:
        logger.warning("Could not enqueue the check of document %s", document_id, exc_info=True)


MAX_CHECK_ATTEMPTS = 3


class CheckStopped(Exception):
    """Earlier runs of the check never finished."""


def document_check(*, document_id: int) -> DocumentStatus:
    """Run the deep checks once; records `document.checked` (the uploader is notified)."""
    document = Document.objects.get(pk=document_id)
    if document.status != DocumentStatus.PENDING:
        return DocumentStatus(document.status)
    reasons: list[str] = []
    facts: dict[str, object] = {}
    attempts = document.check_attempts + 1
    Document.objects.filter(pk=document_id).update(check_attempts=F("check_attempts") + 1)
    try:
        if attempts > MAX_CHECK_ATTEMPTS:
            # The runs before this one died without an answer (the worker was killed).
            logger.error("The check of document %s stopped %s times; rejecting it", document_id, attempts - 1)
            raise CheckStopped
        facts = deep_check(path=document.file.path, content_type=document.content_type, kind=document.kind)
    except CheckStopped:
        reasons = [_("The file could not be checked: checking it stopped the checker every time.")]
        facts = {"check_error": "stopped"}
    except CheckFailed as exc:
        reasons = exc.reasons
    except SoftTimeLimitExceeded:
        reasons, facts = [_("The file could not be checked: the check took too long.")], {"check_error": "timeout"}
        logger.warning("The check of document %s took too long", document_id)
    except Exception as exc:
        # A file no check foresaw (or a bug in a check): the uploader gets an answer, not an
        # endless wait, and the admin's list shows it under "check failed".
        logger.exception("The check of document %s failed", document_id)
        reasons = [_("The file could not be checked: its content is malformed in a way we cannot read.")]
        facts = {"check_error": exc.__class__.__name__}
    with transaction.atomic():
        document = Document.objects.select_for_update().get(pk=document_id)
        if document.status != DocumentStatus.PENDING:  # a concurrent run finished first
            return DocumentStatus(document.status)
        duplicate = (
            Document.objects.filter(sha256=document.sha256, status=DocumentStatus.ACCEPTED)
            .exclude(pk=document.pk)
            .first()
        )
        document.status = DocumentStatus.REJECTED if reasons else DocumentStatus.ACCEPTED
        document.reasons, document.facts, document.checked_at = reasons, facts, timezone.now()
        document.duplicate_of = duplicate if not reasons else None
        document.save(update_fields=["status", "reasons", "facts", "checked_at", "duplicate_of"])
        record_event(
            actor=None,
            type="document.checked",
            subject=document,
            status=document.status,
            reasons=reasons,
            duplicate_of=str(duplicate.uuid) if duplicate and not reasons else None,
        )
        document_checked.send(sender=Document, document=document)
    return DocumentStatus(document.status)


def documents_pending(*, older_than_seconds: float) -> list[int]:
    """Documents whose check never ran (the broker was down when they were uploaded)."""
    cutoff = timezone.now() - timezone.timedelta(seconds=older_than_seconds)
    return list(
        Document.objects.filter(status=DocumentStatus.PENDING, uploaded_at__lte=cutoff).values_list("id", flat=True)[
            :200
        ]
    )


def document_files_remove_orphans(*, older_than_seconds: float) -> int:
    """Delete stored files that no document row names: left by a transaction that rolled back
    after the file was written (a database cannot roll back a file system). Returns how many."""
    storage = Document._meta.get_field("file").storage
    root = Path(storage.location)
    if not root.exists():
        return 0
    cutoff = time.time() - older_than_seconds
    removed = 0
    for path in root.glob("*/*"):
        name = path.relative_to(root).as_posix()
        if path.is_file() and path.stat().st_mtime <= cutoff and not Document.objects.filter(file=name).exists():
            storage.delete(name)
            removed += 1
    return removed
