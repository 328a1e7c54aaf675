"""What documents tells the layers above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the transaction that recorded a document's checks (`document.checked`), with
# `document`: what the pages that list the file show of it (a link, its size) changes with it.
document_checked = Signal()
