"""The event types documents records."""

from django.utils.translation import gettext_lazy as _

from events.catalogue import Audience, EventType, declare

# A document is its uploader's (and their organisation's) until something public uses it.
declare(
    "documents",
    EventType("document.uploaded", _("Document uploaded"), Audience.PARTIES, "documents.document"),
    EventType("document.checked", _("Document checked"), Audience.PARTIES, "documents.document"),
)
