"""Every write on investor organisations, their members and owners, due diligence, the data
room and watchlists. Each function is transactional, checks the actor's right and the state,
and records its event; notifications go out from the events after commit."""

from datetime import timedelta
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from accounts.roles import is_registrar
from deposits.models import Commodity, Deposit, DepositDocument, DocumentVisibility, Region
from documents.models import DocumentStatus
from documents.services import document_upload
from events.services import record_event
from investors.models import (
    AgreementAcceptance,
    BeneficialOwner,
    ConfidentialityAgreement,
    DataRoomAccess,
    DocumentDecision,
    DueDiligenceKind,
    Invitation,
    MemberRole,
    Membership,
    Organisation,
    OrganisationDocument,
    OrganisationStatus,
    OwnerKind,
    PersonalDataConsent,
    Watch,
    WatchTarget,
)
from investors.permissions import MANAGING_ROLES
from investors.verification import declared_direct_share, ownership_short, percent, verification_state

# Which document kind (of the documents app) each due-diligence document is checked as.
DOCUMENT_KINDS = {
    DueDiligenceKind.INCORPORATION: "certificate",
    DueDiligenceKind.CHARTER: "certificate",
    DueDiligenceKind.OWNERSHIP_CHART: "chart",
    DueDiligenceKind.FINANCIAL_STATEMENTS: "financial",
    DueDiligenceKind.AUTHORITY: "certificate",
}

ORGANISATION_FIELDS = [
    "legal_name",
    "legal_name_latin",
    "country",
    "registration_number",
    "address",
    "website",
    "contact_email",
    "contact_phone",
]

# The states in which the organisation's own people may change its details, owners and documents.
EDITABLE = {OrganisationStatus.DRAFT, OrganisationStatus.REJECTED, OrganisationStatus.RETURNED}


def _locked(organisation: Organisation) -> Organisation:
    """The organisation's row, locked for this transaction: concurrent changes queue here."""
    return Organisation.objects.select_for_update().get(pk=organisation.pk)


def _require_member(actor: User, organisation: Organisation, roles: frozenset[str] | set[str]) -> Membership:
    membership = Membership.objects.filter(organisation=organisation, user=actor).first()
    if membership is None or membership.role not in roles:
        raise PermissionDenied(_("Your role in this organisation does not allow this."))
    return membership


def _require_editable(organisation: Organisation) -> None:
    if organisation.status not in EDITABLE:
        raise TransitionError(
            _("The organisation is %(status)s: its details can no longer be changed here. Ask the registrar.")
            % {"status": organisation.get_status_display().lower()}
        )


def _locked_for_editing(actor: User, organisation: Organisation) -> Organisation:
    """The organisation locked for a change by its owners or managers while it is still editable."""
    organisation = _locked(organisation)
    _require_member(actor, organisation, MANAGING_ROLES)
    _require_editable(organisation)
    return organisation


def _validate_unique(organisation: Organisation) -> None:
    try:
        organisation.full_clean()
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


# Organisations ------------------------------------------------------------------------


def organisation_create(*, actor: User, **fields: Any) -> Organisation:
    """Create an organisation in draft with the actor as its owner."""
    organisation = Organisation(**{k: v for k, v in fields.items() if k in ORGANISATION_FIELDS})
    _validate_unique(organisation)
    with transaction.atomic():
        organisation.save()
        Membership.objects.create(organisation=organisation, user=actor, role=MemberRole.OWNER)
        record_event(actor=actor, type="organisation.created", subject=organisation, name=str(organisation))
    return organisation


def organisation_update(*, actor: User, organisation: Organisation, **fields: Any) -> Organisation:
    """Change the organisation's details (owners and managers, in draft or after a rejection)."""
    with transaction.atomic():
        organisation = _locked_for_editing(actor, organisation)
        changed = sorted(k for k, v in fields.items() if k in ORGANISATION_FIELDS and getattr(organisation, k) != v)
        for name in changed:
            setattr(organisation, name, fields[name])
        _validate_unique(organisation)
        organisation.save(update_fields=[*changed, "updated_at"])
        record_event(actor=actor, type="organisation.updated", subject=organisation, fields=changed)
    return organisation


def organisation_missing(organisation: Organisation) -> list[str]:
    """What the organisation still needs before it can ask to be verified, in words for its people."""
    missing: list[str] = []
    if not organisation.owners.exists():
        missing.append(_("Declare the beneficial owners."))
    documents = list(OrganisationDocument.objects.filter(organisation=organisation).select_related("file"))
    present = {d.kind: d.file.status for d in sorted(documents, key=lambda d: d.added_at)}
    labels = dict(DueDiligenceKind.choices)
    for kind in sorted({d.kind for d in documents if d.decision == DocumentDecision.RETURNED}):
        missing.append(_("Replace the %(kind)s the registrar returned.") % {"kind": str(labels[kind]).lower()})
    for kind in settings.INVESTORS_REQUIRED_DOCUMENTS:
        status = present.get(kind)
        if status is None:
            missing.append(_("Upload the %(kind)s.") % {"kind": str(labels[kind]).lower()})
        elif status == DocumentStatus.PENDING:
            missing.append(_("Wait for the checks of the %(kind)s.") % {"kind": str(labels[kind]).lower()})
        elif status == DocumentStatus.REJECTED:
            missing.append(_("Replace the rejected %(kind)s.") % {"kind": str(labels[kind]).lower()})
    return missing


def _set_status(
    *, actor: User, organisation: Organisation, status: str, event: str, reason: str = "", **payload: Any
) -> Organisation:
    previous = organisation.status
    organisation.status = status
    organisation.status_reason = reason
    organisation.status_changed_at = timezone.now()
    organisation.save(update_fields=["status", "status_reason", "status_changed_at", "updated_at"])
    record_event(
        actor=actor, type=event, subject=organisation, previous=previous, status=status, reason=reason, **payload
    )
    return organisation


def organisation_submit(
    *, actor: User, organisation: Organisation, ownership_explanation: str | None = None
) -> Organisation:
    """Ask the registrar to verify the organisation (owners and managers; from draft, after a
    rejection or a return for correction), once nothing is missing. When the declared direct
    ownership does not add up to 100 %, an explanation is required (the one given now, else the
    one stored); it is kept for the registrar. Registrars are notified."""
    with transaction.atomic():
        organisation = _locked_for_editing(actor, organisation)
        missing = organisation_missing(organisation)
        if missing:
            raise ValidationError(missing)
        owners = list(organisation.owners.all())
        explanation = (
            organisation.ownership_explanation if ownership_explanation is None else ownership_explanation
        ).strip()
        if not ownership_short(owners):
            explanation = ""
        elif not explanation:
            raise ValidationError(
                {
                    "ownership_explanation": _(
                        "Declared direct ownership adds up to %(share)s %%. Explain why the rest is not declared."
                    )
                    % {"share": percent(declared_direct_share(owners))}
                }
            )
        organisation.ownership_explanation = explanation
        organisation.submitted_at = timezone.now()
        organisation.save(update_fields=["ownership_explanation", "submitted_at"])
        return _set_status(
            actor=actor,
            organisation=organisation,
            status=OrganisationStatus.SUBMITTED,
            event="organisation.submitted",
            declared_share=str(declared_direct_share(owners)),
            ownership_explanation=explanation,
        )


# What a registrar may do, from which states, to which state.
REGISTRAR_DECISIONS: dict[str, tuple[set[str], str, bool]] = {
    # decision: (allowed from, new state, reason required)
    "verify": ({OrganisationStatus.SUBMITTED}, OrganisationStatus.VERIFIED, False),
    "reject": ({OrganisationStatus.SUBMITTED}, OrganisationStatus.REJECTED, True),
    "return": ({OrganisationStatus.SUBMITTED}, OrganisationStatus.RETURNED, True),
    "suspend": ({OrganisationStatus.VERIFIED}, OrganisationStatus.SUSPENDED, True),
    "reinstate": ({OrganisationStatus.SUSPENDED}, OrganisationStatus.VERIFIED, False),
}
DECISION_EVENTS = {
    "verify": "organisation.verified",
    "reject": "organisation.rejected",
    "return": "organisation.returned",
    "suspend": "organisation.suspended",
    "reinstate": "organisation.reinstated",
}


def organisation_decide(*, actor: User, organisation: Organisation, decision: str, reason: str = "") -> Organisation:
    """A registrar verifies, rejects (with reasons), returns for correction (with the message its
    people act on), suspends (with reasons) or reinstates an organisation. Verifying needs the
    checklist done and every document accepted. Its members are notified."""
    if not is_registrar(actor):
        raise PermissionDenied(_("Only a registrar can decide on an organisation."))
    if decision not in REGISTRAR_DECISIONS:
        raise TransitionError(_("Unknown decision."))
    allowed_from, new_status, needs_reason = REGISTRAR_DECISIONS[decision]
    reason = reason.strip()
    if needs_reason and not reason:
        raise ValidationError({"reason": _("Give the reasons, so the organisation knows what to fix.")})
    with transaction.atomic():
        organisation = _locked(organisation)
        if organisation.status not in allowed_from:
            raise TransitionError(
                _("This cannot be done while the organisation is %(status)s.")
                % {"status": organisation.get_status_display().lower()}
            )
        if decision == "verify":
            gaps = verification_state(organisation).gaps
            if gaps:
                raise ValidationError([_("The organisation cannot be verified yet."), *gaps])
        return _set_status(
            actor=actor, organisation=organisation, status=new_status, event=DECISION_EVENTS[decision], reason=reason
        )


# Members and invitations ------------------------------------------------------------------


def member_invite(*, actor: User, organisation: Organisation, email: str, role: str) -> Invitation:
    """Invite someone by email (owners invite anyone; managers invite managers and viewers).
    The email goes out after commit, once."""
    email = email.strip().lower()
    with transaction.atomic():
        organisation = _locked(organisation)
        membership = _require_member(actor, organisation, MANAGING_ROLES)
        if role not in MemberRole.values:
            raise ValidationError({"role": _("Choose a role.")})
        if role == MemberRole.OWNER and membership.role != MemberRole.OWNER:
            raise PermissionDenied(_("Only an owner can invite another owner."))
        if Membership.objects.filter(organisation=organisation, user__email__iexact=email).exists():
            raise ValidationError({"email": _("This person is already a member.")})
        Invitation.objects.filter(
            organisation=organisation, email__iexact=email, accepted_at__isnull=True, revoked_at__isnull=True
        ).update(revoked_at=timezone.now())  # a new invitation replaces an open one
        invitation = Invitation.objects.create(
            organisation=organisation,
            email=email,
            role=role,
            invited_by=actor,
            expires_at=timezone.now() + timedelta(days=settings.INVESTORS_INVITATION_DAYS),
        )
        record_event(actor=actor, type="member.invited", subject=organisation, email=email, role=role)
        transaction.on_commit(lambda: _enqueue_invitation(invitation.pk))
    return invitation


def _enqueue_invitation(invitation_id: int) -> None:
    from investors.tasks import send_invitation

    send_invitation.delay(invitation_id)


def invitation_send(*, invitation_id: int) -> bool:
    """Email the invitation, at most once: the row is claimed before the email is sent, so a
    task that runs twice (or dies after sending) never sends a second email."""
    from django.core.mail import send_mail
    from django.utils import translation

    from events.channels import render_text

    with transaction.atomic():
        claimed = Invitation.objects.filter(pk=invitation_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    if not claimed:
        return False
    invitation = Invitation.objects.select_related("organisation", "invited_by").get(pk=invitation_id)
    language = invitation.invited_by.preferred_language
    context = {"invitation": invitation, "url": settings.SITE_URL + invitation.get_accept_url()}
    with translation.override(language):
        subject = render_text("investors/email/invitation_subject.txt", context).strip()
        body = render_text("investors/email/invitation_body.txt", context)
    try:
        send_mail(" ".join(subject.split()), body, None, [invitation.email])
    except Exception:
        # Not sent: release the claim so that the retry sends it.
        Invitation.objects.filter(pk=invitation_id).update(emailed_at=None)
        raise
    return True


def invitation_accept(*, actor: User, token: str) -> Membership:
    """Join the organisation the invitation is for. The invitation is used once, before it
    expires, by the person it was sent to (the signed-in address must match)."""
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().filter(token=token).first()
        if invitation is None:
            raise PermissionDenied(_("This invitation does not exist."))
        if invitation.accepted_at is not None:
            raise TransitionError(_("This invitation has already been used."))
        if invitation.revoked_at is not None:
            raise TransitionError(_("This invitation was withdrawn or replaced by a newer one."))
        if invitation.expires_at <= timezone.now():
            raise TransitionError(_("This invitation has expired. Ask for a new one."))
        if invitation.email.lower() != actor.email.lower():
            raise PermissionDenied(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": invitation.email}
            )
        if Membership.objects.filter(organisation_id=invitation.organisation_id, user=actor).exists():
            raise TransitionError(_("You are already a member of this organisation."))
        membership = Membership.objects.create(
            organisation_id=invitation.organisation_id, user=actor, role=invitation.role
        )
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = actor
        invitation.save(update_fields=["accepted_at", "accepted_by"])
        record_event(
            actor=actor, type="member.joined", subject=invitation.organisation, email=actor.email, role=invitation.role
        )
    return membership


def invitation_revoke(*, actor: User, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
        _require_member(actor, invitation.organisation, MANAGING_ROLES)
        if invitation.accepted_at is not None or invitation.revoked_at is not None:
            raise TransitionError(_("This invitation is no longer open."))
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
        record_event(
            actor=actor, type="member.invitation_withdrawn", subject=invitation.organisation, email=invitation.email
        )
    return invitation


def member_change(*, actor: User, membership: Membership, role: str | None) -> Membership | None:
    """An owner changes a member's role, or removes the member (role None). The last owner
    stays: an organisation always has one."""
    with transaction.atomic():
        organisation = _locked(membership.organisation)
        _require_member(actor, organisation, {MemberRole.OWNER})
        membership = Membership.objects.select_for_update().get(pk=membership.pk)
        if role is not None and role not in MemberRole.values:
            raise ValidationError({"role": _("Choose a role.")})
        losing_owner = membership.role == MemberRole.OWNER and role != MemberRole.OWNER
        if (
            losing_owner
            and not Membership.objects.filter(organisation=organisation, role=MemberRole.OWNER)
            .exclude(pk=membership.pk)
            .exists()
        ):
            raise TransitionError(_("An organisation needs at least one owner. Make someone else an owner first."))
        email = membership.user.email
        if role is None:
            membership.delete()
            record_event(actor=actor, type="member.removed", subject=organisation, email=email)
            return None
        previous, membership.role = membership.role, role
        membership.save(update_fields=["role"])
        record_event(
            actor=actor, type="member.role_changed", subject=organisation, email=email, previous=previous, role=role
        )
    return membership


# Beneficial owners -----------------------------------------------------------------------


def owner_add(*, actor: User, organisation: Organisation, **fields: Any) -> BeneficialOwner:
    """Declare a beneficial owner. The shares held directly, and those held through each legal
    person, must not add up to more than 100 %; checked under the organisation's row lock."""
    with transaction.atomic():
        organisation = _locked_for_editing(actor, organisation)
        owner = BeneficialOwner(organisation=organisation, **fields)
        parent = owner.held_through
        if parent is not None and (parent.organisation_id != organisation.pk or parent.kind != OwnerKind.LEGAL):
            raise ValidationError({"held_through": _("Choose a legal person that is an owner of this organisation.")})
        owner.full_clean()
        held = BeneficialOwner.objects.filter(organisation=organisation, held_through=parent).aggregate(
            total=Sum("share")
        )["total"] or Decimal(0)
        if held + owner.share > 100:
            raise ValidationError(
                {
                    "share": _("Shares would add up to %(total)s %%; they cannot exceed 100 %%. %(left)s %% is left.")
                    % {"total": held + owner.share, "left": max(Decimal(100) - held, Decimal(0))}
                }
            )
        owner.save()
        record_event(
            actor=actor, type="owner.added", subject=organisation, name=owner.name, share=owner.share, owner_id=owner.pk
        )
    return owner


def owner_remove(*, actor: User, owner: BeneficialOwner) -> None:
    with transaction.atomic():
        organisation = _locked_for_editing(actor, owner.organisation)
        name, owner_id = owner.name, owner.pk
        owner.delete()  # owners held through it go with it
        record_event(actor=actor, type="owner.removed", subject=organisation, name=name, owner_id=owner_id)


# Due-diligence documents ---------------------------------------------------------------


def organisation_document_add(
    *, actor: User, organisation: Organisation, kind: str, upload: UploadedFile
) -> OrganisationDocument:
    """Upload a due-diligence document; the documents app checks it (at once, then in the worker)."""
    if kind not in DueDiligenceKind.values:
        raise ValidationError({"kind": _("Choose the kind of document.")})
    with transaction.atomic():
        organisation = _locked_for_editing(actor, organisation)
        stored = document_upload(
            actor=actor, upload=upload, kind=DOCUMENT_KINDS[DueDiligenceKind(kind)], owner=organisation
        )
        document = OrganisationDocument.objects.create(organisation=organisation, kind=kind, file=stored)
        record_event(
            actor=actor, type="organisation.document_added", subject=organisation, kind=kind, document=stored.pk
        )
    return document


def organisation_document_replace(
    *, actor: User, document: OrganisationDocument, upload: UploadedFile
) -> OrganisationDocument:
    """Replace a document (the one the registrar returned, say) with a new file of the same kind;
    the new one waits for its checks and the registrar's decision."""
    with transaction.atomic():
        organisation = _locked_for_editing(actor, document.organisation)
        document = OrganisationDocument.objects.select_for_update().get(pk=document.pk)
        kind, previous = document.kind, document.file_id
        stored = document_upload(
            actor=actor, upload=upload, kind=DOCUMENT_KINDS[DueDiligenceKind(kind)], owner=organisation
        )
        document.delete()
        replacement = OrganisationDocument.objects.create(organisation=organisation, kind=kind, file=stored)
        record_event(
            actor=actor,
            type="organisation.document_replaced",
            subject=organisation,
            kind=kind,
            document=stored.pk,
            previous=previous,
        )
    return replacement


def organisation_document_remove(*, actor: User, document: OrganisationDocument) -> None:
    with transaction.atomic():
        organisation = _locked_for_editing(actor, document.organisation)
        kind, file_id = document.kind, document.file_id
        document.delete()
        record_event(
            actor=actor, type="organisation.document_removed", subject=organisation, kind=kind, document=file_id
        )


# Data room -----------------------------------------------------------------------------


def agreement_current() -> ConfidentialityAgreement | None:
    return ConfidentialityAgreement.objects.filter(in_force_from__lte=timezone.now()).order_by("-version").first()


def agreement_publish(*, actor: User, text_en: str, text_ru: str, text_kk: str) -> ConfidentialityAgreement:
    """Put a new version of the confidentiality agreement in force: everyone accepts it again."""
    if not is_registrar(actor):
        raise PermissionDenied(_("Only a registrar can change the confidentiality agreement."))
    with transaction.atomic():
        latest = ConfidentialityAgreement.objects.select_for_update().order_by("-version").first()
        agreement = ConfidentialityAgreement.objects.create(
            version=(latest.version + 1) if latest else 1, text_en=text_en, text_ru=text_ru, text_kk=text_kk
        )
        record_event(actor=actor, type="agreement.published", subject=agreement, version=agreement.version)
    return agreement


def _require_verified_member(actor: User, organisation: Organisation) -> None:
    _require_member(actor, organisation, set(MemberRole.values))
    if organisation.status != OrganisationStatus.VERIFIED:
        raise PermissionDenied(_("The data room opens once the registrar has verified your organisation."))


def agreement_accept(*, actor: User, organisation: Organisation, version: int) -> AgreementAcceptance:
    """Accept the confidentiality agreement in force, for this organisation. `version` is the one
    the person read: if a newer one came into force meanwhile, nothing is recorded."""
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=organisation.pk)
        _require_verified_member(actor, organisation)
        agreement = agreement_current()
        if agreement is None or agreement.version != version:
            raise TransitionError(_("The agreement has changed since you opened it. Read the current version."))
        try:
            with transaction.atomic():
                acceptance = AgreementAcceptance.objects.create(
                    agreement=agreement, organisation=organisation, user=actor
                )
        except IntegrityError:
            return AgreementAcceptance.objects.get(agreement=agreement, organisation=organisation, user=actor)
        record_event(actor=actor, type="agreement.accepted", subject=organisation, version=agreement.version)
    return acceptance


def has_accepted_current(*, user: User, organisation: Organisation) -> bool:
    agreement = agreement_current()
    return (
        agreement is not None
        and AgreementAcceptance.objects.filter(agreement=agreement, organisation=organisation, user=user).exists()
    )


def data_room_open(*, actor: User, organisation: Organisation, document: DepositDocument) -> DataRoomAccess:
    """Record that a member of a verified organisation that accepted the agreement in force
    opens a data-room document. Raises PermissionDenied (with what to do) otherwise."""
    if document.visibility != DocumentVisibility.DATA_ROOM or not document.deposit.is_published:
        raise PermissionDenied(_("This is not a data-room document."))
    if document.file is None or document.file.status != DocumentStatus.ACCEPTED:
        raise PermissionDenied(_("This document is not available yet."))
    with transaction.atomic():
        organisation = Organisation.objects.get(pk=organisation.pk)  # its status now, not when loaded
        _require_verified_member(actor, organisation)
        agreement = agreement_current()
        if (
            agreement is None
            or not AgreementAcceptance.objects.filter(
                agreement=agreement, organisation=organisation, user=actor
            ).exists()
        ):
            raise PermissionDenied(_("Accept the current confidentiality agreement to open data-room documents."))
        access = DataRoomAccess.objects.create(
            user=actor,
            organisation=organisation,
            deposit=document.deposit,
            document=document,
            document_title=document.title,
            agreement=agreement,
        )
        record_event(
            actor=actor,
            type="data_room.opened",
            subject=document.deposit,
            organisation=organisation.pk,
            document=document.pk,
            title=document.title,
        )
    return access


# Watchlists ----------------------------------------------------------------------------


def watch_add(
    *,
    actor: User,
    deposit: Deposit | None = None,
    commodity: Commodity | None = None,
    region: str = "",
) -> Watch:
    """Follow a deposit, a commodity or a region (exactly one); following twice changes nothing."""
    given = [
        t
        for t, v in ((WatchTarget.DEPOSIT, deposit), (WatchTarget.COMMODITY, commodity), (WatchTarget.REGION, region))
        if v
    ]
    if len(given) != 1:
        raise ValidationError(_("Choose one deposit, commodity or region to follow."))
    if region and region not in Region.values:
        raise ValidationError({"region": _("Unknown region.")})
    if deposit is not None and not deposit.is_published:
        raise PermissionDenied(_("This deposit is not published."))
    target = given[0]
    lookup = {"user": actor, "target": target, "deposit": deposit, "commodity": commodity, "region": region}
    with transaction.atomic():
        existing = Watch.objects.filter(**lookup).first()
        if existing is not None:
            return existing
        try:
            with transaction.atomic():
                watch = Watch.objects.create(**lookup)
        except IntegrityError:
            return Watch.objects.get(**lookup)
        record_event(actor=actor, type="watch.added", subject=watch, target=target, label=str(watch))
    return watch


def watch_remove(*, actor: User, watch: Watch) -> None:
    if watch.user_id != actor.pk:
        raise PermissionDenied(_("This is not on your watchlist."))
    with transaction.atomic():
        label, target = str(watch), watch.target
        watch.delete()
        record_event(actor=actor, type="watch.removed", subject=None, target=target, label=label)


# The privacy notice a person consents to at sign-up (templates/legal/privacy.html); raise it when
# the notice changes, so every consent says which text it was given to.
PRIVACY_NOTICE_VERSION = "2026-12"


def person_signed_up(*, user: User, first_name: str, last_name: str, language: str) -> PersonalDataConsent:
    """A new account's name and its consent to the processing of personal data, recorded with the
    version of the privacy notice and the language it was read in."""
    with transaction.atomic():
        user = User.objects.select_for_update().get(pk=user.pk)
        user.first_name, user.last_name = first_name.strip(), last_name.strip()
        user.save(update_fields=["first_name", "last_name"])
        consent = PersonalDataConsent.objects.create(
            user=user, notice_version=PRIVACY_NOTICE_VERSION, language=language
        )
        record_event(
            actor=user,
            type="person.consent_given",
            subject=user,
            notice_version=PRIVACY_NOTICE_VERSION,
            language=language,
        )
    return consent
