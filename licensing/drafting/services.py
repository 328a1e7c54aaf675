"""Draft, validate, lodge: the applicant's writes on a draft, the lodgement (one transaction:
server timestamp, next priority number, a claim on every block) and withdrawal."""

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from deposits import selectors as deposit_selectors
from documents.services import document_upload
from events.services import record_event
from investors.models import Organisation, OrganisationStatus
from licensing import calendar
from licensing.domain import grid, states
from licensing.drafting.selectors import application_problems
from licensing.ground.outlines import application_outline_write
from licensing.ground.selectors import block_codes, parse_blocks
from licensing.ground.services import claims_release, priority_counter_locked
from licensing.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    Claim,
    Licence,
    LicenceKind,
    LicenceStatus,
    LicenceType,
    OpeningReason,
    RequiredDocument,
    WorkProgrammeYear,
)
from licensing.permissions import require_applicant
from licensing.workflow import application_locked, enter_state, move_to, require_allowed

S = ApplicationState


# Drafts --------------------------------------------------------------------------------

DRAFT_FIELDS = {
    "title",
    "region",
    "kazakh_staff_percent",
    "local_goods_percent",
    "in_country_processing",
    "processing_plan",
    "training_spend_kzt",
}


def _locked_draft(actor: User, application: Application) -> Application:
    application = application_locked(application)
    require_applicant(actor, application.organisation_id)
    require_allowed(application, "edit")
    return application


def _check_fields(application: Application, names: Iterable[str]) -> None:
    try:
        application.full_clean(exclude=[f.name for f in Application._meta.fields if f.name not in set(names)])
    except ValidationError as exc:
        raise ValidationError(exc.message_dict) from exc


def application_create(
    *, actor: User, organisation: Organisation, licence_type: LicenceType, **fields: Any
) -> Application:
    """A draft for a verified organisation, by one of its owners or managers."""
    with transaction.atomic():
        organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
        require_applicant(actor, organisation.pk)
        if organisation.status != OrganisationStatus.VERIFIED:
            raise TransitionError(_("Only a verified organisation may apply for a licence."))
        if not licence_type.is_open:
            raise ValidationError({"licence_type": _("This licence type is not open for applications.")})
        unknown = set(fields) - DRAFT_FIELDS - {"blocks"}
        if unknown:
            raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        blocks = parse_blocks(fields.pop("blocks", []))
        application = Application(
            organisation=organisation, licence_type=licence_type, created_by=actor, blocks=blocks, **fields
        )
        _check_fields(application, {"title", "region", *fields})
        application.save()
        record_event(
            actor=actor,
            type="application.drafted",
            subject=application,
            organisation=organisation.pk,
            licence_type=licence_type.code,
        )
    return application


def conversion_draft(
    *, actor: User, licence: Licence, licence_type: LicenceType, blocks: Iterable[Any] | None = None
) -> Application:
    """A draft application for a mining licence over blocks of the organisation's active
    exploration licence (all it holds unless `blocks` picks some), prefilled with the licence's
    region. Its blocks stay held by the licence: the lodgement accepts them for this application
    only, with priority over anyone else, and the grant moves them (licence_issue). Refused to
    anyone but the holder's owners and managers (PermissionDenied), for another licence or
    licence type (ValidationError), or for blocks the licence does not hold (ValidationError)."""
    with transaction.atomic():
        licence = (
            Licence.objects.select_for_update(of=("self",))
            .select_related("licence_type", "application")
            .get(pk=licence.pk)
        )
        require_applicant(actor, licence.holder_id)
        if licence.licence_type.kind != LicenceKind.EXPLORATION or licence.status != LicenceStatus.ACTIVE:
            raise ValidationError(_("Only an active exploration licence can be converted to a mining licence."))
        if licence_type.kind != LicenceKind.MINING:
            raise ValidationError({"licence_type": _("A conversion is an application for a mining licence.")})
        held = set(licence.tenures.filter(is_active=True).values_list("block", flat=True))
        picked = parse_blocks(blocks) if blocks is not None else sorted(held)
        if not picked:
            raise ValidationError({"blocks": _("Pick at least one block of the licence.")})
        if set(picked) - held:
            raise ValidationError(
                {"blocks": _("The licence does not hold %(codes)s.") % {"codes": block_codes(set(picked) - held)}}
            )
        application = application_create(
            actor=actor,
            organisation=licence.holder,
            licence_type=licence_type,
            title=_("Mining licence over %(number)s") % {"number": licence.number},
            region=licence.application.region if licence.application else "",
            blocks=picked,
        )
        application.converts = licence
        application.save(update_fields=["converts", "updated_at"])
        record_event(
            actor=actor,
            type="application.conversion_drafted",
            subject=application,
            licence=licence.number,
            blocks=len(picked),
            organisation=licence.holder_id,
        )
    return application


def _region_of_blocks(blocks: list[int]) -> str | None:
    area = grid.outline(blocks)
    return deposit_selectors.region_of_area(area) if area else None


def application_update(*, actor: User, application: Application, **fields: Any) -> Application:
    """Change a draft: its details, its licence type, or its blocks (codes or ids)."""
    with transaction.atomic():
        application = _locked_draft(actor, application)
        unknown = set(fields) - DRAFT_FIELDS - {"blocks", "licence_type"}
        if unknown:
            raise ValidationError(_("Unknown fields: %(names)s.") % {"names": ", ".join(sorted(unknown))})
        if "blocks" in fields:
            fields["blocks"] = parse_blocks(fields["blocks"])
        if "licence_type" in fields and not fields["licence_type"].is_open:
            raise ValidationError({"licence_type": _("This licence type is not open for applications.")})
        if {"blocks", "region"} & set(fields):
            # With the regions' boundaries loaded, the region is where the blocks lie, not a choice.
            derived = _region_of_blocks(fields.get("blocks", application.blocks))
            if derived:
                fields["region"] = derived
        changed = [name for name, value in fields.items() if getattr(application, name) != value]
        for name in changed:
            setattr(application, name, fields[name])
        if changed:
            _check_fields(application, set(changed) - {"licence_type", "blocks"})
            application.save(update_fields=[*changed, "updated_at"])
            record_event(actor=actor, type="application.updated", subject=application, fields=sorted(changed))
    return application


def application_programme_set(*, actor: User, application: Application, years: list[dict[str, Any]]) -> None:
    """Replace the work programme: one row per licence year with the planned work and spend."""
    with transaction.atomic():
        application = _locked_draft(actor, application)
        rows = []
        seen = set()
        for row in years:
            try:
                year = int(row["year"])
                spend = Decimal(str(row["expenditure_kzt"]))
            except (KeyError, TypeError, ValueError, ArithmeticError) as exc:
                raise ValidationError(_("Each year needs a year number and a planned expenditure.")) from exc
            if year < 1 or year > application.licence_type.term_years or year in seen:
                raise ValidationError(
                    _("Year %(year)s is not a year of the term (1 to %(term)s), or is given twice.")
                    % {"year": year, "term": application.licence_type.term_years}
                )
            if spend < 0 or not spend.is_finite() or spend >= Decimal("1e14"):
                raise ValidationError(_("The planned expenditure for year %(year)s is not a sum.") % {"year": year})
            seen.add(year)
            rows.append(
                WorkProgrammeYear(
                    application=application,
                    year=year,
                    activities=str(row.get("activities", ""))[:5000],
                    expenditure_kzt=spend.quantize(Decimal("0.01")),
                )
            )
        application.programme.all().delete()
        WorkProgrammeYear.objects.bulk_create(rows)
        record_event(actor=actor, type="application.programme_set", subject=application, years=sorted(seen))


def application_document_add(
    *, actor: User, application: Application, requirement: RequiredDocument, upload: UploadedFile
) -> ApplicationDocument:
    with transaction.atomic():
        application = _locked_draft(actor, application)
        if requirement.licence_type_id != application.licence_type_id:
            raise ValidationError(_("This document is not asked for by the application's licence type."))
        document = document_upload(actor=actor, upload=upload, kind=requirement.document_kind, owner=application)
        attached = ApplicationDocument.objects.create(
            application=application, requirement=requirement, document=document
        )
        record_event(
            actor=actor,
            type="application.document_added",
            subject=application,
            requirement=requirement.code,
            document=str(document.uuid),
        )
    return attached


def application_document_remove(*, actor: User, attached: ApplicationDocument) -> None:
    with transaction.atomic():
        application = _locked_draft(actor, attached.application)
        code = attached.requirement.code
        attached.delete()
        record_event(actor=actor, type="application.document_removed", subject=application, requirement=code)


def application_declare(*, actor: User, application: Application) -> Application:
    """The applicant declares that the application is true and complete."""
    with transaction.atomic():
        application = _locked_draft(actor, application)
        application.declared_by, application.declared_at = actor, timezone.now()
        application.save(update_fields=["declared_by", "declared_at", "updated_at"])
        record_event(actor=actor, type="application.declared", subject=application)
    return application


def application_lodge(*, actor: User, application: Application) -> Application:
    """Lodge a complete draft: in one transaction, a server timestamp, the next priority number
    and a claim on every block. Held blocks refuse the lodgement; blocks claimed by an earlier
    pending application are lodged as conditional and the event names them."""
    # The outline is dissolved before the counter is locked, so that lodgements queue no longer
    # for it; drafted blocks changed meanwhile are dissolved again.
    drafted = list(application.blocks)
    geometry = grid.outline(drafted)
    with transaction.atomic():
        counter = priority_counter_locked()
        application = application_locked(application)
        require_applicant(actor, application.organisation_id)
        if not states.allowed("lodge", application.state):
            raise TransitionError(
                _("This application was already lodged, as %(ref)s.") % {"ref": application.reference}
            )
        now = timezone.now()
        problems, check = application_problems(application, at=calendar.received_at(now))
        if problems:
            raise ValidationError(problems)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        application.priority_number = counter.last_number
        application.lodged_at, application.received_at, application.lodged_by = now, calendar.received_at(now), actor
        Claim.objects.bulk_create(
            Claim(
                application=application,
                block=block,
                rank=application.priority_number,
                conditional=block in check.conditional,
                opening_id=check.windows.get(block),
            )
            for block in application.blocks
        )
        if application.blocks != drafted:
            geometry = grid.outline(application.blocks)
        application_outline_write(application=application, geometry=geometry)
        changed = enter_state(application, S.LODGED, application.received_at)  # the clock starts when received
        application.save(update_fields=[*changed, "priority_number", "lodged_at", "received_at", "lodged_by"])
        record_event(
            actor=actor,
            type="application.lodged",
            subject=application,
            priority_number=application.priority_number,
            received_at=application.received_at,
            blocks=len(application.blocks),
            conditional=[grid.code(b) for b in sorted(check.conditional)],
            equal_ranking=[grid.code(b) for b in sorted(check.windows)],
            organisation=application.organisation_id,
        )
    return application


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    """The applicant withdraws; its claims are released to the next in line, or the ground opens."""
    with transaction.atomic():
        application = application_locked(application)
        require_applicant(actor, application.organisation_id)
        if application.state == S.DRAFT:
            raise TransitionError(_("A draft has not been lodged: there is nothing to withdraw. It stays a draft."))
        if not states.allowed("withdraw", application.state):
            raise TransitionError(
                _("The application is %(state)s already.") % {"state": application.state_label.lower()}
            )
        move_to(
            application,
            actor,
            S.WITHDRAWN,
            "application.withdrawn",
            due_on=None,
            reason=reason.strip()[:2000],
            organisation=application.organisation_id,
        )
        claims_release(actor, application, OpeningReason.WITHDRAWN)
    return application
