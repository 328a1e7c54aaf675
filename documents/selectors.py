from django.http import Http404

from accounts.models import User
from documents.access import may_read
from documents.models import Document


def document_for(*, user: User, uuid: str) -> Document:
    """The document if this user may read it; 404 otherwise (never 403: its existence is not told)."""
    document = Document.objects.filter(uuid=uuid).first()
    if document is None or not may_read(user, document):
        raise Http404("No such document.")
    return document
