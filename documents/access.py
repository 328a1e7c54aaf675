"""Who may read a document. The uploader and officials may; apps above register who else
(e.g. anyone, for a document attached to a published deposit as public)."""

from collections.abc import Callable

from accounts.models import User
from documents.models import Document

Reader = Callable[[User, Document], bool]
_READERS: list[Reader] = []


def register_reader(rule: Reader) -> None:
    if rule not in _READERS:
        _READERS.append(rule)


def may_read(user: User, document: Document) -> bool:
    if user.is_authenticated and (user.pk == document.uploaded_by_id or user.has_perm("documents.view_document")):
        return True
    return any(rule(user, document) for rule in _READERS)
