from accounts.models import User
from deposits.models import DepositDocument, DocumentVisibility
from documents.models import Document, DocumentStatus


def public_deposit_document(user: User, document: Document) -> bool:
    """Anyone may read an accepted file attached to a published deposit as a public document."""
    return (
        document.status == DocumentStatus.ACCEPTED
        and DepositDocument.objects.filter(
            file=document, visibility=DocumentVisibility.PUBLIC, deposit__is_published=True
        ).exists()
    )
