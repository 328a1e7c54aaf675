"""Organisations in each state, built through the services as a user would."""

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from documents.services import document_check
from investors import services
from investors.models import DueDiligenceKind, Organisation, OwnerKind
from tests.documents.files import pdf

_counter = iter(range(1, 100_000))


def organisation(owner: User, *, country: str = "NL", **fields: object) -> Organisation:
    n = next(_counter)
    values = {
        "legal_name": f"Test Metals {n}",
        "legal_name_latin": f"Test Metals {n} B.V.",
        "country": country,
        "registration_number": f"REG-{n}",
        "address": "Herengracht 1, Amsterdam",
        "contact_email": owner.email,
        **fields,
    }
    return services.organisation_create(actor=owner, **values)


def complete(organisation: Organisation, owner: User, share: int = 100) -> Organisation:
    """Owners declared and every required document uploaded and accepted."""
    services.owner_add(
        actor=owner, organisation=organisation, kind=OwnerKind.NATURAL, name="A. Person", country="GB", share=share
    )
    for kind in DueDiligenceKind:
        added = services.organisation_document_add(
            actor=owner, organisation=organisation, kind=kind, upload=SimpleUploadedFile(f"{kind.value}.pdf", pdf(1))
        )
        document_check(document_id=added.file_id)
    return organisation


def verified(owner: User, registrar: User, **fields: object) -> Organisation:
    org = complete(organisation(owner, **fields), owner)
    services.organisation_submit(actor=owner, organisation=org)
    return services.organisation_decide(actor=registrar, organisation=org, decision="verify")
