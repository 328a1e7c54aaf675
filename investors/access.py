from django.contrib.contenttypes.models import ContentType

from accounts.models import User
from accounts.roles import is_registrar
from documents.models import Document
from investors.models import Membership, Organisation


def organisation_document(user: User, document: Document) -> bool:
    """An organisation's due-diligence files are read by its members and by registrars."""
    if not user.is_authenticated or document.owner_type_id != ContentType.objects.get_for_model(Organisation).pk:
        return False
    return is_registrar(user) or Membership.objects.filter(organisation_id=document.owner_id, user=user).exists()
