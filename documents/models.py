import os
import uuid

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from documents.kinds import kind_choices


class PrivateStorage(FileSystemStorage):
    """Files live in DOCUMENTS_ROOT, outside the web root, and are served only through the
    download view. The folder is read from settings on each use (tests point it elsewhere)."""

    @property
    def base_location(self) -> str:  # type: ignore[override]
        return str(settings.DOCUMENTS_ROOT)

    @property
    def location(self) -> str:  # type: ignore[override]
        return os.path.abspath(self.base_location)


def private_storage() -> FileSystemStorage:
    return PrivateStorage()


def _random_name(document: "Document", filename: str) -> str:
    return f"{document.uuid.hex[:2]}/{document.uuid.hex}"


class DocumentStatus(models.TextChoices):
    PENDING = "pending", _("Being checked")
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected")


class Document(models.Model):
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    kind = models.CharField(_("kind"), max_length=32, choices=kind_choices())
    file = models.FileField(_("file"), storage=private_storage, upload_to=_random_name, max_length=200)
    original_name = models.CharField(_("original name"), max_length=160)
    size = models.PositiveBigIntegerField(_("size, bytes"))
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    content_type = models.CharField(_("content type"), max_length=100)
    status = models.CharField(
        _("status"), max_length=16, choices=DocumentStatus.choices, default=DocumentStatus.PENDING
    )
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    facts = models.JSONField(_("facts"), default=dict, blank=True, help_text=_("Page count, size in pixels, …"))
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("duplicate of"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    # The organisation (or other party) the document is for; any model, so this layer
    # does not depend on the apps above it.
    owner_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    owner_id = models.CharField(max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    uploaded_at = models.DateTimeField(_("uploaded"), auto_now_add=True)
    checked_at = models.DateTimeField(_("checked"), null=True, blank=True)
    # Counted before each run, committed: a worker killed mid-check (out of memory, time
    # limit) leaves the count behind, and a file that kills every run is rejected, not retried forever.
    check_attempts = models.PositiveSmallIntegerField(_("check attempts"), default=0)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-id"]
        constraints = [
            models.CheckConstraint(condition=Q(size__gt=0), name="document_not_empty"),
            models.CheckConstraint(condition=Q(sha256__regex=r"^[0-9a-f]{64}$"), name="document_sha256_hex"),
            models.CheckConstraint(
                condition=Q(status="pending", checked_at__isnull=True) | ~Q(status="pending"),
                name="document_pending_not_checked",
            ),
        ]

    def __str__(self) -> str:
        return self.original_name

    def get_absolute_url(self) -> str:
        return reverse("documents:document-detail", kwargs={"uuid": self.uuid})

    def get_download_url(self) -> str:
        return reverse("documents:document-download", kwargs={"uuid": self.uuid})
