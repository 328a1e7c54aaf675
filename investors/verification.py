"""The registrar's verification of an organisation: a decision on each document it sent (accepted,
or returned with a reason), the checklist (company register extract, sanctions, politically
exposed persons, each recorded with who and when; the ownership, derived from the declared
owners), and what still stands in the way of verifying it."""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from accounts.roles import is_registrar
from documents.models import DocumentStatus
from events.services import record_event
from investors.models import (
    BeneficialOwner,
    CheckKind,
    DocumentDecision,
    Organisation,
    OrganisationDocument,
    OrganisationStatus,
    VerificationCheck,
)

HUNDRED = Decimal(100)

# The checks a registrar records by hand on every submission, in the order the page lists them.
RECORDED_CHECKS = (CheckKind.REGISTER_EXTRACT, CheckKind.SANCTIONS, CheckKind.PEP)


def declared_direct_share(owners: Iterable[BeneficialOwner]) -> Decimal:
    """What the direct owners add up to, in percent."""
    return sum((o.share for o in owners if o.held_through_id is None), Decimal(0))


def ownership_short(owners: Iterable[BeneficialOwner]) -> bool:
    """The declared direct ownership does not add up to 100 %."""
    return declared_direct_share(owners) < HUNDRED


def _current(organisation: Organisation, check: VerificationCheck | None) -> bool:
    """A check counts only if done since the organisation was last sent for verification."""
    if check is None:
        return False
    return organisation.submitted_at is None or check.checked_at >= organisation.submitted_at


@dataclass(frozen=True)
class ChecklistItem:
    kind: str
    label: str
    done: bool
    check: VerificationCheck | None  # the recorded check, when it counts


@dataclass(frozen=True)
class Verification:
    """Where the registrar's verification of an organisation stands."""

    items: list[ChecklistItem]
    declared_share: Decimal
    ownership_complete: bool  # the direct owners add up to 100 %
    ownership_explained: bool  # short, but the registrar accepted the organisation's explanation
    documents: list[OrganisationDocument]
    gaps: list[str]  # what stands in the way of verifying it, in words for the registrar

    @property
    def ownership_done(self) -> bool:
        return self.ownership_complete or self.ownership_explained

    @property
    def declared_share_text(self) -> str:
        return percent(self.declared_share)

    @property
    def ready(self) -> bool:
        return not self.gaps


def percent(share: Decimal) -> str:
    """A share as people write it: 87.5, not 87.500."""
    return f"{share.normalize():f}"


def verification_state(
    organisation: Organisation,
    *,
    owners: Iterable[BeneficialOwner] | None = None,
    documents: Iterable[OrganisationDocument] | None = None,
    checks: Iterable[VerificationCheck] | None = None,
) -> Verification:
    """The checklist, the documents' decisions and the gaps; give what the caller has prefetched."""
    owners = list(owners if owners is not None else organisation.owners.all())
    documents = list(documents if documents is not None else organisation.documents.all())
    by_kind = {c.kind: c for c in (checks if checks is not None else organisation.checks.all())}
    items = []
    gaps: list[str] = []
    for kind in RECORDED_CHECKS:
        check = by_kind.get(kind)
        done = _current(organisation, check)
        items.append(ChecklistItem(kind, str(kind.label), done, check if done else None))
        if not done:
            gaps.append(_("Record the check: %(check)s.") % {"check": str(kind.label).lower()})
    declared = declared_direct_share(owners)
    complete = declared >= HUNDRED
    explanation_check = by_kind.get(CheckKind.OWNERSHIP_EXPLANATION)
    explained = not complete and _current(organisation, explanation_check)
    if not complete and not explained:
        gaps.append(
            _(
                "Declared direct ownership adds up to %(share)s %%: accept the organisation's explanation, "
                "or return it for correction."
            )
            % {"share": percent(declared)}
        )
    labels = dict(OrganisationDocument._meta.get_field("kind").choices or [])
    if not documents:
        gaps.append(_("The organisation has sent no documents."))
    for document in documents:
        kind = str(labels.get(document.kind, document.kind)).lower()
        if document.decision == DocumentDecision.RETURNED:
            gaps.append(
                _("The %(kind)s was returned: return the organisation for correction, or reject it.") % {"kind": kind}
            )
        elif document.decision != DocumentDecision.ACCEPTED:
            gaps.append(_("Accept or return the %(kind)s.") % {"kind": kind})
    return Verification(
        items=items,
        declared_share=declared,
        ownership_complete=complete,
        ownership_explained=explained,
        documents=documents,
        gaps=gaps,
    )


def _locked_for_registrar(actor: User, organisation: Organisation) -> Organisation:
    if not is_registrar(actor):
        raise PermissionDenied(_("Only a registrar can verify an organisation."))
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.status != OrganisationStatus.SUBMITTED:
        raise TransitionError(
            _("This can be done only while the organisation waits for verification; it is %(status)s.")
            % {"status": organisation.get_status_display().lower()}
        )
    return organisation


def organisation_document_decide(
    *, actor: User, document: OrganisationDocument, decision: str, reason: str = ""
) -> OrganisationDocument:
    """A registrar accepts a document the organisation sent, or returns it with the reason (which
    its people read). Only while the organisation waits for verification; recorded with who and
    when, and as an event."""
    reason = reason.strip()
    if decision not in DocumentDecision.values:
        raise ValidationError({"decision": _("Choose to accept or return the document.")})
    if decision == DocumentDecision.RETURNED and not reason:
        raise ValidationError({"reason": _("Say why the document is returned, so the organisation can replace it.")})
    with transaction.atomic():
        organisation = _locked_for_registrar(actor, document.organisation)
        document = OrganisationDocument.objects.select_for_update().select_related("file").get(pk=document.pk)
        if decision == DocumentDecision.ACCEPTED and document.file.status != DocumentStatus.ACCEPTED:
            raise ValidationError(
                {"decision": _("This file has not passed its automatic checks; it can only be returned.")}
            )
        document.decision = decision
        document.decision_reason = reason if decision == DocumentDecision.RETURNED else ""
        document.decided_by = actor
        document.decided_at = timezone.now()
        document.save(update_fields=["decision", "decision_reason", "decided_by", "decided_at"])
        record_event(
            actor=actor,
            type=(
                "organisation.document_accepted"
                if decision == DocumentDecision.ACCEPTED
                else "organisation.document_returned"
            ),
            subject=organisation,
            kind=document.kind,
            document=document.file_id,
            reason=document.decision_reason,
        )
    return document


def organisation_check_record(
    *, actor: User, organisation: Organisation, kind: str, note: str = ""
) -> VerificationCheck:
    """A registrar records an item of the checklist as done (with an optional note or reference),
    for the current submission. Accepting the explanation of undeclared ownership is possible only
    when the declared direct ownership is short of 100 % and the organisation explained it."""
    note = note.strip()
    if kind not in CheckKind.values:
        raise ValidationError({"kind": _("Unknown check.")})
    with transaction.atomic():
        organisation = _locked_for_registrar(actor, organisation)
        if kind == CheckKind.OWNERSHIP_EXPLANATION and (
            not ownership_short(organisation.owners.all()) or not organisation.ownership_explanation
        ):
            raise TransitionError(_("There is no explanation of undeclared ownership to accept."))
        check, _created = VerificationCheck.objects.update_or_create(
            organisation=organisation,
            kind=kind,
            defaults={"note": note, "checked_by": actor, "checked_at": timezone.now()},
        )
        record_event(actor=actor, type="organisation.check_recorded", subject=organisation, kind=kind, note=note)
    return check
