"""Investor organisations and their people, in each state, built through the services as the
pages build them: a draft (`organisation`), ready to submit (`ready_to_submit`), verified
(`verified_organisation`), and a `crew` of members for every write to act on."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.models import User
from accounts.roles import Role
from documents.services import document_check
from investors import services, verification
from investors.models import (
    BeneficialOwner,
    CheckKind,
    DocumentDecision,
    DueDiligenceKind,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    OwnerKind,
)
from tests.documents.files import pdf

_serial = iter(range(1, 1_000_000))


def pdf_upload(name: str = "document.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, pdf(1), content_type="application/pdf")


def organisation(owner: User, **fields: object) -> Organisation:
    n = next(_serial)
    values: dict[str, object] = {
        "legal_name": f"Steppe Metals {n}",
        "legal_name_latin": f"Steppe Metals {n} B.V.",
        "country": "NL",
        "registration_number": f"NL-{n}",
        "address": "Herengracht 1, Amsterdam",
        "contact_email": owner.email,
        **fields,
    }
    return services.organisation_create(actor=owner, **values)


def join(organisation: Organisation, user: User, role: str, *, invited_by: User) -> Membership:
    invitation = services.member_invite(actor=invited_by, organisation=organisation, email=user.email, role=role)
    return services.invitation_accept(actor=user, token=invitation.token)


def owner(organisation: Organisation, actor: User, **fields: object) -> BeneficialOwner:
    values: dict[str, object] = {"kind": OwnerKind.LEGAL, "name": "Holding", "country": "GB", "share": Decimal(10)}
    return services.owner_add(actor=actor, organisation=organisation, **{**values, **fields})


def document(organisation: Organisation, actor: User, kind: str = DueDiligenceKind.CHARTER) -> OrganisationDocument:
    added = services.organisation_document_add(
        actor=actor, organisation=organisation, kind=kind, upload=pdf_upload(f"{kind}.pdf")
    )
    document_check(document_id=added.file_id)  # the worker's deep check, run here
    return added


def complete(organisation: Organisation, actor: User) -> Organisation:
    """Everything a submission needs: an owner, and every required document, checked."""
    if not organisation.owners.exists():
        owner(organisation, actor, kind=OwnerKind.NATURAL, name="A. Founder", share=Decimal(100))
    present = set(organisation.documents.values_list("kind", flat=True))
    for kind in DueDiligenceKind:
        if kind not in present:
            document(organisation, actor, kind)
    return organisation


def ready_to_submit(organisation: Organisation, actor: User, share: int = 100) -> Organisation:
    """Owners declared (one natural person holding `share` %) and every required document accepted."""
    owner(organisation, actor, kind=OwnerKind.NATURAL, name="A. Person", share=Decimal(share))
    return complete(organisation, actor)


EXPLANATION = "The rest is listed on the Astana International Exchange and widely held."


def submit(org: Organisation, owner: User) -> Organisation:
    """Send for verification, explaining a short declared direct ownership when there is one."""
    short = verification.ownership_short(org.owners.all())
    return services.organisation_submit(
        actor=owner, organisation=org, ownership_explanation=EXPLANATION if short else None
    )


def checklist_done(org: Organisation, registrar: User) -> Organisation:
    """The registrar's whole verification short of the decision: every check recorded (the
    explanation of a short ownership accepted) and every document accepted."""
    for kind in verification.RECORDED_CHECKS:
        verification.organisation_check_record(actor=registrar, organisation=org, kind=kind, note="ref. 1")
    if verification.ownership_short(org.owners.all()):
        verification.organisation_check_record(actor=registrar, organisation=org, kind=CheckKind.OWNERSHIP_EXPLANATION)
    for doc in org.documents.all():
        verification.organisation_document_decide(actor=registrar, document=doc, decision=DocumentDecision.ACCEPTED)
    return org


def verify(org: Organisation, registrar: User) -> Organisation:
    """The registrar's checklist and document decisions, then the verification."""
    checklist_done(org, registrar)
    return services.organisation_decide(actor=registrar, organisation=org, decision="verify")


def returned_for_correction(
    org: Organisation, owner: User, registrar: User | None = None, *, document: OrganisationDocument | None = None
) -> Organisation:
    """Completed, sent, and returned for correction by a registrar, with `document` (else the
    first) returned and the others accepted."""
    from tests.accounts.factories import user

    registrar = registrar or user(Role.REGISTRAR, email=f"returning-registrar-{next(_serial)}@example.com")
    complete(org, owner)
    submit(org, owner)
    returned = document or org.documents.order_by("pk").first()
    for doc in org.documents.all():
        if doc.pk == (returned.pk if returned else None):
            verification.organisation_document_decide(
                actor=registrar, document=doc, decision=DocumentDecision.RETURNED, reason="The copy is illegible."
            )
        else:
            verification.organisation_document_decide(actor=registrar, document=doc, decision=DocumentDecision.ACCEPTED)
    return services.organisation_decide(
        actor=registrar, organisation=org, decision="return", reason="Send a legible copy of the charter."
    )


def verified_organisation(owner: User, registrar: User, **fields: object) -> Organisation:
    """A new organisation, made ready, submitted by `owner` and verified by `registrar`."""
    org = ready_to_submit(organisation(owner, **fields), owner)
    submit(org, owner)
    return verify(org, registrar)


def verified_with_owners(
    owner: User, registrar: User, declare: Callable[[Organisation], object], **fields: object
) -> Organisation:
    """Like `verified_organisation`, with the owners `declare(organisation)` adds instead of one person."""
    org = organisation(owner, **fields)
    declare(org)
    complete(org, owner)
    submit(org, owner)
    return verify(org, registrar)


@dataclass
class Crew:
    """A draft organisation with an owner, a manager and a viewer, one declared owner, one
    document and one open invitation: something for every write to act on."""

    organisation: Organisation
    owner: User
    manager: User
    viewer: User
    beneficial_owner: BeneficialOwner
    document: OrganisationDocument
    invitation: Invitation

    def member(self, user: User) -> Membership:
        return Membership.objects.get(organisation=self.organisation, user=user)


def crew(make_user: Callable[..., User], **fields: object) -> Crew:
    first, manager, viewer = (make_user(Role.INVESTOR) for _ in range(3))
    org = organisation(first, **fields)
    join(org, manager, MemberRole.MANAGER, invited_by=first)
    join(org, viewer, MemberRole.VIEWER, invited_by=first)
    invitation = services.member_invite(
        actor=first, organisation=org, email="pending@example.com", role=MemberRole.VIEWER
    )
    return Crew(
        organisation=org,
        owner=first,
        manager=manager,
        viewer=viewer,
        beneficial_owner=owner(org, first),
        document=document(org, first),
        invitation=invitation,
    )
