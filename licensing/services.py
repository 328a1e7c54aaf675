"""Every write on applications, their claims on blocks, openings, auctions and licences.

Each function is transactional, checks who acts and from which state, and records its event;
notifications go out from the events after commit. Lodgements and grants lock the single
priority-counter row, so the database settles who came first; the one-active-tenure-per-block
constraint makes it impossible to hold a block twice whatever happens above it."""

import random
import secrets
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.roles import Role
from documents.models import DocumentStatus
from documents.services import document_upload
from events.services import record_event
from geography.kazakhstan import points_in_kazakhstan
from investors.models import MemberRole, Membership, Organisation, OrganisationStatus
from investors.ownership import ownership_profile
from investors.services import TransitionError, is_registrar
from licensing import grid, workdays
from licensing.models import (
    CLOSED_STATES,
    Application,
    ApplicationDocument,
    ApplicationState,
    Assessment,
    Auction,
    AuctionStatus,
    Bid,
    CaseNote,
    Claim,
    ClaimStatus,
    GroundOpening,
    InformationRequest,
    Licence,
    LicenceObligation,
    LicenceType,
    MciValue,
    Objection,
    ObjectionOutcome,
    ObligationKind,
    OpeningBlock,
    OpeningReason,
    PriorityCounter,
    RateKind,
    RequiredDocument,
    Tenure,
    WorkProgrammeYear,
)

__all__ = ["TransitionError", "is_registrar"]

S = ApplicationState
APPLICANT_ROLES = {MemberRole.OWNER, MemberRole.MANAGER}


def _role(user: User, role: Role) -> bool:
    return user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(role))


def is_reviewer(user: User) -> bool:
    return _role(user, Role.REVIEWER)


def is_approver(user: User) -> bool:
    return _role(user, Role.APPROVER)


def is_official(user: User) -> bool:
    return is_reviewer(user) or is_approver(user) or is_registrar(user)


def _require(allowed: bool, message: str) -> None:
    if not allowed:
        raise PermissionDenied(message)


def _require_applicant(actor: User, organisation_id: int) -> None:
    membership = Membership.objects.filter(organisation_id=organisation_id, user=actor).first()
    _require(
        membership is not None and membership.role in APPLICANT_ROLES,
        _("Only the organisation's owners and managers may do this."),
    )


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("licence_type").get(pk=application.pk)


def _require_state(application: Application, *states: str) -> None:
    if application.state not in states:
        raise TransitionError(
            _("The application is %(state)s; this cannot be done now.") % {"state": application.state_label.lower()}
        )


# Money ---------------------------------------------------------------------------------


def mci_table() -> dict[int, Decimal]:
    return dict(MciValue.objects.values_list("year", "value_kzt"))


def mci_for(year: int, table: dict[int, Decimal] | None = None) -> Decimal:
    """The MCI of a calendar year; for a year not yet set, the latest known value (the earliest,
    for a year before them all)."""
    table = mci_table() if table is None else table
    if not table:
        raise ValidationError(_("No MCI value is configured; an official must add one in the admin."))
    known = [y for y in table if y <= year]
    return table[max(known)] if known else table[min(table)]


@dataclass
class ObligationYear:
    year: int
    calendar_year: int
    rent_mci: Decimal
    rent_kzt: Decimal
    expenditure_mci: Decimal
    expenditure_kzt: Decimal


@dataclass
class Obligations:
    blocks: int
    area_km2: float
    mci_kzt: Decimal
    fee_kzt: Decimal
    years: list[ObligationYear] = field(default_factory=list)

    @property
    def total_rent_kzt(self) -> Decimal:
        return sum((y.rent_kzt for y in self.years), Decimal(0))

    @property
    def total_expenditure_kzt(self) -> Decimal:
        return sum((y.expenditure_kzt for y in self.years), Decimal(0))


def obligations(*, licence_type: LicenceType, blocks: list[int], start: date | None = None) -> Obligations:
    """The fee and, for each licence year of the term, the rent and the minimum work expenditure
    for this many blocks, in MCI and in tenge (at each year's MCI, or the latest known)."""
    start = start or timezone.localdate()
    table = mci_table()
    mci = mci_for(start.year, table)
    rates = list(licence_type.rates.all())
    result = Obligations(
        blocks=len(blocks),
        area_km2=grid.total_area_km2(blocks),
        mci_kzt=mci,
        fee_kzt=(licence_type.application_fee_mci * mci).quantize(Decimal("0.01")),
    )
    for year in range(1, licence_type.term_years + 1):
        year_mci = mci_for(start.year + year - 1, table)
        per_block = {kind: Decimal(0) for kind in RateKind.values}
        for rate in rates:
            if rate.from_year <= year <= rate.to_year:
                per_block[rate.kind] += rate.mci_per_block
        rent_mci = per_block[RateKind.RENT] * len(blocks)
        exp_mci = per_block[RateKind.EXPENDITURE] * len(blocks)
        result.years.append(
            ObligationYear(
                year=year,
                calendar_year=start.year + year - 1,
                rent_mci=rent_mci,
                rent_kzt=(rent_mci * year_mci).quantize(Decimal("0.01")),
                expenditure_mci=exp_mci,
                expenditure_kzt=(exp_mci * year_mci).quantize(Decimal("0.01")),
            )
        )
    return result


# Blocks --------------------------------------------------------------------------------


@dataclass
class BlockCheck:
    """What a set of blocks meets on the grid and the register right now."""

    errors: list[str] = field(default_factory=list)
    held: dict[int, str] = field(default_factory=dict)  # block -> licence number
    conditional: dict[int, list[str]] = field(default_factory=dict)  # block -> earlier applications
    not_open: dict[int, datetime] = field(default_factory=dict)
    windows: dict[int, int] = field(default_factory=dict)  # block -> opening id, equal ranking

    @property
    def ok(self) -> bool:
        return not self.errors


def parse_blocks(values: Iterable[Any]) -> list[int]:
    """Block ids from codes or integers; raises ValidationError naming the first bad one."""
    result: list[int] = []
    for value in values:
        try:
            block = grid.parse(value) if isinstance(value, str) and not value.isdigit() else int(value)
            grid.minutes(block)
        except (grid.GridError, TypeError, ValueError) as exc:
            raise ValidationError(_("%(value)s is not a block code like N4812E08134.") % {"value": value}) from exc
        result.append(block)
    return sorted(set(result))


def _codes(blocks: Iterable[int], limit: int = 12) -> str:
    blocks = sorted(blocks)
    shown = ", ".join(grid.code(b) for b in blocks[:limit])
    return shown + (_(" and %(count)s more") % {"count": len(blocks) - limit} if len(blocks) > limit else "")


def blocks_check(
    *, licence_type: LicenceType, blocks: list[int], at: datetime | None = None, exclude_application: int | None = None
) -> BlockCheck:
    """Check blocks against the licence type's limits, the map and the register, in four queries."""
    at = at or timezone.now()
    check = BlockCheck()
    if len(blocks) < licence_type.min_blocks or len(blocks) > licence_type.max_blocks:
        check.errors.append(
            _("%(type)s: %(min)s to %(max)s blocks; you chose %(count)s.")
            % {
                "type": licence_type.name,
                "min": licence_type.min_blocks,
                "max": licence_type.max_blocks,
                "count": len(blocks),
            }
        )
        if len(blocks) > licence_type.max_blocks * 5 or not blocks:
            return check
    if licence_type.must_be_contiguous and len(grid.components(blocks)) > 1:
        check.errors.append(
            _("The blocks must form one area joined edge to edge; they fall into %(n)s separate parts.")
            % {"n": len(grid.components(blocks))}
        )
    centres = [grid.centre(b) for b in blocks]
    inside = points_in_kazakhstan([c[0] for c in centres], [c[1] for c in centres])
    outside = [b for b, ok in zip(blocks, inside, strict=True) if not ok]
    if outside:
        check.errors.append(_("These blocks are not in Kazakhstan: %(codes)s.") % {"codes": _codes(outside)})
    check.held = dict(Tenure.objects.filter(block__in=blocks, is_active=True).values_list("block", "licence__number"))
    if check.held:
        check.errors.append(
            _("These blocks are held under a licence and cannot be applied for: %(codes)s.")
            % {"codes": _codes(check.held)}
        )
    for block, opens_at, opening_id in OpeningBlock.objects.filter(
        block__any=blocks, opening__window_closes_at__gt=at
    ).values_list("block", "opening__opens_at", "opening_id"):
        if opens_at > at:
            check.not_open[block] = opens_at
        else:
            check.windows[block] = opening_id
    if check.not_open:
        first = min(check.not_open.values())
        check.errors.append(
            _("These blocks open for applications only at %(when)s (Astana time): %(codes)s.")
            % {"when": workdays.local(first).strftime("%Y-%m-%d %H:%M"), "codes": _codes(check.not_open)}
        )
    claims = Claim.objects.filter(block__any=blocks, status=ClaimStatus.LIVE)
    if exclude_application:
        claims = claims.exclude(application_id=exclude_application)
    for block, priority, opening_id in claims.order_by("rank").values_list(
        "block", "application__priority_number", "opening_id"
    ):
        if opening_id is not None and check.windows.get(block) == opening_id:
            continue  # ranks equally in the same opening window: settled by auction, not by time
        check.conditional.setdefault(block, []).append(f"A-{priority:06d}")
    return check


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
    application = _locked(application)
    _require_applicant(actor, application.organisation_id)
    _require_state(application, S.DRAFT)
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
        _require_applicant(actor, organisation.pk)
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


def programme_problems(application: Application, *, duty: Obligations | None = None, missing: bool = True) -> list[str]:
    """Years of the term with no plan (unless `missing=False`), and years planning less than the
    minimum expenditure, against `duty`, the application's obligations, when the caller has them."""
    if not application.blocks:
        return []
    duty = duty or obligations(licence_type=application.licence_type, blocks=application.blocks)
    minimum = {y.year: y.expenditure_kzt for y in duty.years}
    planned = {row.year: row.expenditure_kzt for row in application.programme.all()}
    problems = []
    missing_years = [str(y) for y in minimum if y not in planned]
    if missing and missing_years:
        problems.append(
            _("The work programme has no plan for year(s) %(years)s.") % {"years": ", ".join(missing_years)}
        )
    for year, spend in sorted(planned.items()):
        if year in minimum and spend < minimum[year]:
            problems.append(
                _("Year %(year)s plans %(spend)s KZT, less than the minimum of %(minimum)s KZT.")
                % {"year": year, "spend": f"{spend:,.2f}", "minimum": f"{minimum[year]:,.2f}"}
            )
    return problems


def application_problems(
    application: Application, *, at: datetime | None = None, duty: Obligations | None = None
) -> tuple[list[str], BlockCheck]:
    """What stops the draft from being lodged, as sentences, and what its blocks meet."""
    licence_type = application.licence_type
    problems: list[str] = []
    if application.organisation.status != OrganisationStatus.VERIFIED:
        problems.append(_("The organisation is not verified."))
    check = blocks_check(
        licence_type=licence_type, blocks=list(application.blocks), at=at, exclude_application=application.pk
    )
    problems += check.errors
    problems += programme_problems(application, duty=duty)
    if application.kazakh_staff_percent is None or application.local_goods_percent is None:
        problems.append(_("State the local-content commitments: Kazakh staff and local goods and services."))
    if application.training_spend_kzt is None:
        problems.append(_("State the yearly training spend (0 if none)."))
    if application.in_country_processing and not application.processing_plan.strip():
        problems.append(_("Describe the processing plan in Kazakhstan."))
    attached = {d.requirement_id: d.document for d in application.documents.select_related("document")}
    for requirement in licence_type.required_documents.all():
        document = attached.get(requirement.pk)
        if document is None:
            problems.append(_("Attach: %(label)s.") % {"label": requirement.label})
        elif document.status == DocumentStatus.REJECTED:
            problems.append(
                _("%(label)s was refused by the file check; attach another.") % {"label": requirement.label}
            )
    if application.declared_at is None:
        problems.append(_("Make the declaration."))
    return problems, check


# Clocks --------------------------------------------------------------------------------


def _stage_days(application: Application, state: str) -> int | None:
    for target in application.licence_type.stage_targets.all():
        if target.stage == state:
            return target.working_days
    return None


def _enter(application: Application, state: str, now: datetime, *, due_on: date | None = None) -> list[str]:
    """Move to `state` and start its clock, counting the stage left if it ran past its target;
    returns the fields changed."""
    today = workdays.local(now).date()
    # The applicant's answer time and the public's objection period are not the officials' to miss.
    officials_stage = application.state not in (S.INFO_REQUESTED, S.OBJECTION_PERIOD)
    if application.stage_due_on and today > application.stage_due_on and officials_stage:
        application.late_stages += 1
    application.state = state
    application.stage_started_at = now
    if due_on is None:
        days = _stage_days(application, state)
        due_on = workdays.add_working_days(workdays.local(now).date(), days) if days is not None else None
    application.stage_due_on = due_on
    return ["state", "stage_started_at", "stage_due_on", "late_stages", "updated_at"]


# Lodgement -----------------------------------------------------------------------------


def _counter() -> PriorityCounter:
    counter, _created = PriorityCounter.objects.select_for_update().get_or_create(pk=1)
    return counter


def application_lodge(*, actor: User, application: Application) -> Application:
    """Lodge a complete draft: in one transaction, a server timestamp, the next priority number
    and a claim on every block. Held blocks refuse the lodgement; blocks claimed by an earlier
    pending application are lodged as conditional and the event names them."""
    with transaction.atomic():
        counter = _counter()
        application = _locked(application)
        _require_applicant(actor, application.organisation_id)
        if application.state != S.DRAFT:
            raise TransitionError(
                _("This application was already lodged, as %(ref)s.") % {"ref": application.reference}
            )
        now = timezone.now()
        problems, check = application_problems(application, at=workdays.received_at(now))
        if problems:
            raise ValidationError(problems)
        counter.last_number += 1
        counter.save(update_fields=["last_number"])
        application.priority_number = counter.last_number
        application.lodged_at, application.received_at, application.lodged_by = now, workdays.received_at(now), actor
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
        changed = _enter(application, S.LODGED, application.received_at)  # the clock starts when received
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


# Workflow ------------------------------------------------------------------------------


def _move(application: Application, actor: User | None, state: str, event: str, **payload: Any) -> None:
    now = timezone.now()
    changed = _enter(application, state, now, due_on=payload.pop("due_on", None))
    application.save(update_fields=changed)
    record_event(actor=actor, type=event, subject=application, state=state, **payload)


def application_accept(*, actor: User, application: Application) -> Application:
    """The completeness checks pass: the application goes under review."""
    _require(is_reviewer(actor), _("Only reviewers may accept an application for review."))
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.LODGED)
        _move(application, actor, S.UNDER_REVIEW, "application.accepted")
    return application


def application_request_info(
    *, actor: User, application: Application, message: str, due_on: date | None = None
) -> InformationRequest:
    """Ask the applicant for something; the stage's clock stops until they answer, and the
    application lapses if they do not answer by the due date."""
    _require(is_reviewer(actor), _("Only reviewers may ask for information."))
    if not message.strip():
        raise ValidationError({"message": _("Say what is needed.")})
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.LODGED, S.UNDER_REVIEW, S.ASSESSMENT)
        today = workdays.local(timezone.now()).date()
        due_on = due_on or workdays.add_working_days(today, settings.LICENSING_INFO_WORKING_DAYS)
        if due_on <= today:
            raise ValidationError({"due_on": _("The answer must be due after today.")})
        remaining = workdays.working_days_between(today, application.stage_due_on) if application.stage_due_on else None
        application.resume_state = application.state
        application.clock_remaining = max(remaining, 0) if remaining is not None else None
        request = InformationRequest.objects.create(
            application=application, message=message.strip(), due_on=due_on, requested_by=actor
        )
        application.save(update_fields=["resume_state", "clock_remaining"])
        _move(
            application,
            actor,
            S.INFO_REQUESTED,
            "application.information_requested",
            due_on=due_on,
            answer_due=due_on,
            message=message.strip(),
        )
    return request


def application_answer(*, actor: User, application: Application, answer: str) -> Application:
    """The applicant answers; the clock starts again with the working days that were left."""
    if not answer.strip():
        raise ValidationError({"answer": _("Write the answer.")})
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application.organisation_id)
        _require_state(application, S.INFO_REQUESTED)
        now = timezone.now()
        request = application.information_requests.select_for_update().get(answered_at__isnull=True)
        request.answer, request.answered_by, request.answered_at = answer.strip(), actor, now
        request.save(update_fields=["answer", "answered_by", "answered_at"])
        due = None
        if application.clock_remaining is not None:
            due = workdays.add_working_days(workdays.local(now).date(), application.clock_remaining)
        state = application.resume_state or S.UNDER_REVIEW
        if state == S.LODGED:
            state = S.UNDER_REVIEW  # the missing piece was the answer: checks now pass
        application.resume_state, application.clock_remaining = "", None
        application.save(update_fields=["resume_state", "clock_remaining"])
        _move(application, actor, state, "application.answered", due_on=due, organisation=application.organisation_id)
    return application


def application_publish_notice(*, actor: User, application: Application) -> Application:
    """Publish the application on the register and open the objection period."""
    _require(is_reviewer(actor), _("Only reviewers may publish the notice."))
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.UNDER_REVIEW)
        today = workdays.local(timezone.now()).date()
        closes = today + relativedelta(days=application.licence_type.objection_days)
        application.objection_closes_on = closes
        application.save(update_fields=["objection_closes_on"])
        _move(
            application,
            actor,
            S.OBJECTION_PERIOD,
            "application.notice_published",
            due_on=closes,
            objections_close=closes,
        )
    return application


def objection_lodge(
    *, actor: User, application: Application, grounds: str, upload: UploadedFile | None = None
) -> Objection:
    """Anyone signed in may object while the objection period runs, with grounds."""
    _require(actor.is_authenticated, _("Sign in to lodge an objection."))
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds of the objection.")})
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.OBJECTION_PERIOD)
        if application.objection_closes_on and workdays.local(timezone.now()).date() > application.objection_closes_on:
            raise TransitionError(_("The objection period has closed."))
        objection = Objection.objects.create(application=application, lodged_by=actor, grounds=grounds.strip()[:20000])
        if upload is not None:
            objection.document = document_upload(actor=actor, upload=upload, kind="report", owner=objection)
            objection.save(update_fields=["document"])
        record_event(actor=actor, type="application.objection_lodged", subject=application, objection=objection.pk)
    return objection


def objection_handle(*, actor: User, objection: Objection, outcome: str, response: str) -> Objection:
    """The reviewer's answer to an objection, with reasons; the objector is told."""
    _require(is_reviewer(actor), _("Only reviewers handle objections."))
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose upheld, partly upheld or dismissed.")})
    if not response.strip():
        raise ValidationError({"response": _("Give the reasons.")})
    with transaction.atomic():
        application = _locked(objection.application)
        if application.state in CLOSED_STATES:
            raise TransitionError(_("The application is decided; its objections can no longer be answered."))
        objection = Objection.objects.select_for_update().get(pk=objection.pk)
        objection.outcome, objection.response = outcome, response.strip()[:20000]
        objection.handled_by, objection.handled_at = actor, timezone.now()
        objection.save(update_fields=["outcome", "response", "handled_by", "handled_at"])
        record_event(
            actor=actor,
            type="application.objection_handled",
            subject=application,
            objection=objection.pk,
            outcome=outcome,
            objector=objection.lodged_by_id,
        )
    return objection


def application_close_objections(*, actor: User | None, application: Application) -> Application:
    """After the objection period: on to assessment."""
    if actor is not None:
        _require(is_reviewer(actor), _("Only reviewers may close the objection period."))
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.OBJECTION_PERIOD)
        if workdays.local(timezone.now()).date() <= application.objection_closes_on:
            raise TransitionError(
                _("Objections are open until %(date)s.")
                % {"date": date_format(application.objection_closes_on, "DATE_FORMAT")}
            )
        application.screening_required = screening_required(application)
        application.save(update_fields=["screening_required"])
        _move(
            application,
            actor,
            S.ASSESSMENT,
            "application.objections_closed",
            objections=application.objections.count(),
            screening_required=application.screening_required,
        )
    return application


def screening_required(application: Application) -> bool:
    """Foreign state-linked applicants, and ground on a strategic deposit, are screened."""
    if ownership_profile(application.organisation).screening_required:
        return True
    from licensing.selectors import strategic_blocks

    return bool(strategic_blocks() & set(application.blocks))


def application_refer_screening(*, actor: User, application: Application) -> Application:
    _require(is_reviewer(actor), _("Only reviewers may refer an application to screening."))
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.ASSESSMENT)
        _move(
            application,
            actor,
            S.SCREENING,
            "application.referred_to_screening",
            organisation=application.organisation_id,
            country=str(application.organisation.country),
        )
    return application


def application_screening_result(*, actor: User, application: Application, cleared: bool, note: str) -> Application:
    """The screening agency's answer; the application returns to assessment with it on record."""
    _require(
        is_reviewer(actor) or actor.has_perm("licensing.record_screening"),
        _("Only the screening agency or a reviewer may record the screening result."),
    )
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.SCREENING)
        application.screening_required = False
        application.save(update_fields=["screening_required"])
        _move(application, actor, S.ASSESSMENT, "application.screening_recorded", cleared=cleared, note=note[:2000])
    return application


class Decision:
    GRANT = "grant"
    REFUSE = "refuse"
    ALL = (GRANT, REFUSE)


def application_recommend(*, actor: User, application: Application, recommendation: str, reasons: str) -> Application:
    _require(is_reviewer(actor), _("Only reviewers may recommend a decision."))
    if recommendation not in Decision.ALL:
        raise ValidationError({"recommendation": _("Recommend grant or refusal.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the recommendation.")})
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.ASSESSMENT)
        if application.screening_required:
            raise TransitionError(_("This application must be screened before a recommendation."))
        if not Assessment.objects.filter(application=application).exists():
            raise TransitionError(_("Record the assessment before recommending."))
        application.recommendation, application.recommended_by = recommendation, actor
        application.reasons = reasons.strip()
        application.save(update_fields=["recommendation", "recommended_by", "reasons"])
        _move(application, actor, S.RECOMMENDED, "application.recommended", recommendation=recommendation)
    return application


def application_decide(*, actor: User, application: Application, decision: str, reasons: str = "") -> Application:
    """Grant or refuse. Only an approver who did not recommend may decide (four eyes). A grant
    issues the licence: its blocks' tenures become active and later claims on them are excised."""
    _require(is_approver(actor), _("Only approvers may decide."))
    if decision not in Decision.ALL:
        raise ValidationError({"decision": _("Decide grant or refuse.")})
    with transaction.atomic():
        _counter()  # grants and lodgements queue on one lock: no lodgement slips past a grant
        application = _locked(application)
        _require_state(application, S.RECOMMENDED)
        if application.recommended_by_id == actor.pk:
            raise PermissionDenied(_("You recommended this application; another approver must decide."))
        if decision != application.recommendation and not reasons.strip():
            raise ValidationError({"reasons": _("Give reasons for deciding against the recommendation.")})
        now = timezone.now()
        application.decided_by, application.decided_at = actor, now
        if reasons.strip():
            application.reasons = reasons.strip()
        application.save(update_fields=["decided_by", "decided_at", "reasons"])
        if decision == Decision.GRANT:
            licence = _issue_licence(actor, application, now)
            _move(
                application,
                actor,
                S.GRANTED,
                "application.granted",
                due_on=None,
                licence=licence.number,
                organisation=application.organisation_id,
            )
        else:
            _move(
                application,
                actor,
                S.REFUSED,
                "application.refused",
                due_on=None,
                reasons=application.reasons,
                organisation=application.organisation_id,
            )
            _release(actor, application, OpeningReason.REFUSED)
    return application


def _issue_licence(actor: User, application: Application, now: datetime) -> Licence:
    claims = list(application.claims.filter(status=ClaimStatus.LIVE))
    if any(c.contested for c in claims):
        raise TransitionError(_("Some blocks are contested in an opening window; the auction must be decided first."))
    blocks = [c.block for c in claims]
    earlier = (
        Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE, rank__lt=application.priority_number)
        .exclude(application=application)
        .values_list("block", "application__priority_number")
    )
    waiting = {b: f"A-{p:06d}" for b, p in earlier}
    if waiting:
        raise TransitionError(
            _("Blocks %(codes)s are still claimed by earlier applications (%(refs)s); decide those first.")
            % {"codes": _codes(waiting), "refs": ", ".join(sorted(set(waiting.values())))}
        )
    if not blocks:
        raise TransitionError(_("No blocks remain in this application; it can only be refused."))
    licence_type = application.licence_type
    year = workdays.local(now).year
    prefix = f"KZ-{licence_type.number_prefix}-{year}-"
    sequence = Licence.objects.filter(number__startswith=prefix).count() + 1
    starts = workdays.local(now).date()
    licence = Licence.objects.create(
        number=f"{prefix}{sequence:06d}",
        holder=application.organisation,
        licence_type=licence_type,
        application=application,
        granted_at=now,
        starts_on=starts,
        expires_on=starts + relativedelta(years=licence_type.term_years),
    )
    Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=now) for b in blocks)
    LicenceObligation.objects.bulk_create(obligation_schedule(licence=licence, blocks=blocks))
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=ClaimStatus.GRANTED)
    later = Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).exclude(application=application)
    excised: dict[int, list[int]] = defaultdict(list)
    for application_id, block in later.values_list("application_id", "block"):
        excised[application_id].append(block)
    later.update(status=ClaimStatus.EXCISED)
    for loser in Application.objects.filter(pk__in=excised):
        record_event(
            actor=actor,
            type="application.blocks_excised",
            subject=loser,
            blocks=[grid.code(b) for b in excised[loser.pk]],
            licence=licence.number,
            organisation=loser.organisation_id,
        )
    record_event(
        actor=actor,
        type="licence.granted",
        subject=licence,
        application=application.pk,
        blocks=len(blocks),
        holder=application.organisation_id,
    )
    return licence


def obligation_schedule(*, licence: Licence, blocks: list[int]) -> list[LicenceObligation]:
    """The licence's duties year by year: rent and minimum expenditure (in MCI and at the MCI
    known now), the annual work and local-content reports (due a quarter after each licence
    year ends) and relinquishment at the end of the years its type sets."""
    duty = obligations(licence_type=licence.licence_type, blocks=blocks, start=licence.starts_on)
    rows = []
    for year in duty.years:
        starts = licence.starts_on + relativedelta(years=year.year - 1)
        ends = licence.starts_on + relativedelta(years=year.year, days=-1)
        rows += [
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.RENT,
                licence_year=year.year,
                due_on=starts,
                amount_mci=year.rent_mci,
                amount_kzt=year.rent_kzt,
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.EXPENDITURE,
                licence_year=year.year,
                due_on=ends,
                amount_mci=year.expenditure_mci,
                amount_kzt=year.expenditure_kzt,
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.WORK_REPORT,
                licence_year=year.year,
                due_on=ends + relativedelta(months=3),
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.LOCAL_CONTENT_REPORT,
                licence_year=year.year,
                due_on=ends + relativedelta(months=3),
            ),
        ]
    for rule in licence.licence_type.relinquishments.all():
        if rule.after_year <= licence.licence_type.term_years:
            rows.append(
                LicenceObligation(
                    licence=licence,
                    kind=ObligationKind.RELINQUISHMENT,
                    licence_year=rule.after_year,
                    due_on=licence.starts_on + relativedelta(years=rule.after_year, days=-1),
                    percent=rule.percent,
                )
            )
    return rows


def application_withdraw(*, actor: User, application: Application, reason: str = "") -> Application:
    """The applicant withdraws; its claims are released to the next in line, or the ground opens."""
    with transaction.atomic():
        application = _locked(application)
        _require_applicant(actor, application.organisation_id)
        if application.state in CLOSED_STATES:
            raise TransitionError(
                _("The application is %(state)s already.") % {"state": application.state_label.lower()}
            )
        was_draft = application.state == S.DRAFT
        _move(
            application,
            actor,
            S.WITHDRAWN,
            "application.withdrawn",
            due_on=None,
            reason=reason.strip()[:2000],
            organisation=application.organisation_id,
        )
        if not was_draft:
            _release(actor, application, OpeningReason.WITHDRAWN)
    return application


def application_lapse(*, application: Application) -> Application:
    """No answer by the due date: the application lapses (run by the daily task)."""
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.INFO_REQUESTED)
        request = application.information_requests.get(answered_at__isnull=True)
        if workdays.local(timezone.now()).date() <= request.due_on:
            raise TransitionError(_("The answer is due on %(date)s; it has not lapsed.") % {"date": request.due_on})
        _move(
            application,
            None,
            S.LAPSED,
            "application.lapsed",
            due_on=None,
            answer_due=request.due_on,
            organisation=application.organisation_id,
        )
        _release(None, application, OpeningReason.LAPSED)
    return application


def _release(actor: User | None, application: Application, reason: str) -> None:
    """Release an ended application's live claims: each block goes to the next claim in rank
    order, or, with none left, opens as free ground at the next published opening."""
    claims = list(application.claims.filter(status=ClaimStatus.LIVE))
    if not claims:
        return
    blocks = [c.block for c in claims]
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=ClaimStatus.RELEASED)
    remaining = Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).order_by("block", "rank")
    promoted: dict[int, list[int]] = defaultdict(list)
    taken = set()
    for claim in remaining.values("block", "application_id", "rank"):
        if claim["block"] in taken:
            continue
        taken.add(claim["block"])
        if claim["rank"] > application.priority_number:
            promoted[claim["application_id"]].append(claim["block"])
    for winner in Application.objects.filter(pk__in=promoted):
        record_event(
            actor=actor,
            type="application.blocks_promoted",
            subject=winner,
            blocks=[grid.code(b) for b in promoted[winner.pk]],
            after=application.reference,
            organisation=winner.organisation_id,
        )
    freed = [b for b in blocks if b not in taken]
    if freed:
        ground_open(actor=actor, blocks=freed, reason=reason, region=application.region)


def ground_open(
    *, actor: User | None, blocks: list[int], reason: str, region: str = "", opens_at: datetime | None = None
) -> GroundOpening:
    """Publish ground that opens for applications at 09:00 Astana time on a coming working day;
    lodgements in the month after rank equally."""
    if actor is not None and reason == OpeningReason.RELEASED_BY_STATE:
        _require(is_registrar(actor), _("Only registrars may open ground."))
    now = timezone.now()
    opens_at = opens_at or workdays.next_opening(now, notice_working_days=settings.LICENSING_OPENING_NOTICE_DAYS)
    local = workdays.local(opens_at)
    if opens_at <= now or local.time().hour != settings.LICENSING_OFFICE_OPENS or local.minute or local.second:
        raise ValidationError(_("Ground opens at 09:00 Astana time on a future working day."))
    if not workdays.calendar_for(local.date()).is_working_day(local.date()):
        raise ValidationError(_("Ground opens on a working day."))
    with transaction.atomic():
        held = set(Tenure.objects.filter(block__in=blocks, is_active=True).values_list("block", flat=True))
        if held:
            raise ValidationError(_("These blocks are held: %(codes)s.") % {"codes": _codes(held)})
        claimed = set(Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).values_list("block", flat=True))
        if claimed:
            raise ValidationError(
                _("These blocks are claimed by pending applications: %(codes)s.") % {"codes": _codes(claimed)}
            )
        opening = GroundOpening.objects.create(
            opens_at=opens_at, window_closes_at=opens_at + relativedelta(months=1), reason=reason, region=region
        )
        OpeningBlock.objects.bulk_create(OpeningBlock(opening=opening, block=b) for b in blocks)
        record_event(
            actor=actor,
            type="ground.freed",
            subject=opening,
            region=region,
            reason=reason,
            blocks=len(blocks),
            opens_at=opens_at,
            codes=[grid.code(b) for b in sorted(blocks)[:50]],
        )
    return opening


# Opening windows and auctions ----------------------------------------------------------


def opening_settle(*, actor: User | None, opening: GroundOpening) -> Auction | None:
    """After the equal-ranking month: blocks claimed by more than one application of the window
    are contested, and those applications are called to a sealed-bid auction."""
    with transaction.atomic():
        _counter()
        opening = GroundOpening.objects.select_for_update().get(pk=opening.pk)
        now = timezone.now()
        if opening.settled_at is not None:
            raise TransitionError(_("This opening is already settled."))
        if now < opening.window_closes_at:
            raise TransitionError(_("The equal-ranking window is still open."))
        claims = Claim.objects.filter(opening=opening, status=ClaimStatus.LIVE)
        by_block: dict[int, set[int]] = defaultdict(set)
        for block, application_id in claims.values_list("block", "application_id"):
            by_block[block].add(application_id)
        contested = {b for b, apps in by_block.items() if len(apps) > 1}
        participants = sorted({a for b in contested for a in by_block[b]})
        opening.settled_at = now
        opening.save(update_fields=["settled_at"])
        if not participants:
            record_event(actor=actor, type="opening.settled", subject=opening, contested=0)
            return None
        claims.filter(block__in=contested).update(contested=True)
        auction = Auction.objects.create(
            opening=opening,
            bids_close_at=workdays.next_opening(now, notice_working_days=settings.LICENSING_AUCTION_WORKING_DAYS),
        )
        Bid.objects.bulk_create(Bid(auction=auction, application_id=a) for a in participants)
        record_event(
            actor=actor,
            type="opening.settled",
            subject=opening,
            contested=len(contested),
            participants=len(participants),
        )
        for application in Application.objects.filter(pk__in=participants):
            record_event(
                actor=actor,
                type="application.auction_called",
                subject=application,
                bids_close_at=auction.bids_close_at,
                organisation=application.organisation_id,
                blocks=[grid.code(b) for b in sorted(contested) if application.pk in by_block[b]],
            )
    return auction


def bid_place(*, actor: User, application: Application, amount_kzt: Decimal) -> Bid:
    """A sealed bid: recorded with who and when; nobody sees the amount until the bids are opened."""
    try:
        amount = Decimal(str(amount_kzt))
    except ArithmeticError as exc:
        raise ValidationError({"amount_kzt": _("Give the bid in tenge.")}) from exc
    if not amount.is_finite() or amount <= 0 or amount >= Decimal("1e14"):
        raise ValidationError({"amount_kzt": _("The bid must be a positive sum of tenge.")})
    with transaction.atomic():
        _require_applicant(actor, application.organisation_id)
        bid = (
            Bid.objects.select_for_update()
            .select_related("auction")
            .filter(application=application, auction__status=AuctionStatus.OPEN)
            .first()
        )
        if bid is None:
            raise TransitionError(_("This application is not called to an open auction."))
        if timezone.now() >= bid.auction.bids_close_at:
            raise TransitionError(_("Bids closed at %(when)s.") % {"when": bid.auction.bids_close_at})
        if bid.amount_kzt is not None:
            raise TransitionError(_("A sealed bid was already placed for this application."))
        bid.amount_kzt, bid.placed_by, bid.placed_at = amount.quantize(Decimal("0.01")), actor, timezone.now()
        bid.save(update_fields=["amount_kzt", "placed_by", "placed_at"])
        record_event(actor=actor, type="auction.bid_placed", subject=bid.auction, application=application.pk)
    return bid


def auction_decide(*, actor: User | None, auction: Auction) -> list[Bid]:
    """Open every sealed bid together: the highest wins, ties are broken by a draw from a recorded
    seed, applications that did not bid come last. The order becomes the claims' rank."""
    if actor is not None:
        _require(is_reviewer(actor) or is_registrar(actor), _("Only officials may open the bids."))
    with transaction.atomic():
        _counter()
        auction = Auction.objects.select_for_update().get(pk=auction.pk)
        if auction.status != AuctionStatus.OPEN:
            raise TransitionError(_("The bids were already opened."))
        now = timezone.now()
        if now < auction.bids_close_at:
            raise TransitionError(_("Bids are sealed until %(when)s.") % {"when": auction.bids_close_at})
        bids = list(auction.bids.select_related("application").order_by("application__priority_number"))
        auction.draw_seed = secrets.token_hex(16)
        # A seeded generator on purpose: anyone can replay the recorded seed and get the same draw.
        draws = random.Random(auction.draw_seed).sample(range(1, len(bids) + 1), len(bids))  # noqa: S311
        for bid, draw in zip(bids, draws, strict=True):
            bid.draw = draw
        ordered = sorted(bids, key=lambda b: (b.amount_kzt is None, -(b.amount_kzt or 0), b.draw))
        slots = sorted(b.application.priority_number for b in bids)
        for position, (bid, rank) in enumerate(zip(ordered, slots, strict=True), start=1):
            bid.position = position
            Claim.objects.filter(application=bid.application, opening=auction.opening).update(
                rank=rank, contested=False
            )
        Bid.objects.bulk_update(bids, ["draw", "position"])
        auction.status, auction.opened_at, auction.opened_by = AuctionStatus.DECIDED, now, actor
        auction.save(update_fields=["status", "opened_at", "opened_by", "draw_seed"])
        record_event(
            actor=actor,
            type="auction.decided",
            subject=auction,
            seed=auction.draw_seed,
            result=[
                {
                    "application": b.application.reference,
                    "amount_kzt": b.amount_kzt,
                    "draw": b.draw,
                    "place": b.position,
                }
                for b in ordered
            ],
        )
    return ordered


def applications_lapse_due() -> list[int]:
    """Lapse every application whose information request went unanswered past its due date."""
    today = workdays.local(timezone.now()).date()
    due = Application.objects.filter(
        state=S.INFO_REQUESTED, information_requests__answered_at__isnull=True, information_requests__due_on__lt=today
    ).values_list("pk", flat=True)
    lapsed = []
    for pk in list(due):
        try:
            application_lapse(application=Application(pk=pk))
            lapsed.append(pk)
        except TransitionError:
            continue  # answered meanwhile
    return lapsed


def auctions_decide_due() -> list[int]:
    """Open the bids of every auction whose bidding has closed (run by the beat task)."""
    due = Auction.objects.filter(status=AuctionStatus.OPEN, bids_close_at__lte=timezone.now())
    decided = []
    for auction in due:
        try:
            auction_decide(actor=None, auction=auction)
            decided.append(auction.pk)
        except TransitionError:
            continue
    return decided


def openings_settle_due() -> list[int]:
    windows = GroundOpening.objects.filter(settled_at__isnull=True, window_closes_at__lte=timezone.now())
    settled = []
    for opening in windows:
        try:
            opening_settle(actor=None, opening=opening)
            settled.append(opening.pk)
        except TransitionError:
            continue
    return settled


# The workbench -------------------------------------------------------------------------


def application_assign(*, actor: User, application: Application, assignee: User | None) -> Application:
    """Claim a case (assign it to yourself), hand it to another official, or release it. Anyone
    working cases may claim an unassigned one or release their own; registrars assign anyone."""
    _require(is_official(actor), _("Only officials work on applications."))
    if assignee is not None:
        _require(is_official(assignee), _("Cases are assigned to officials only."))
    with transaction.atomic():
        application = _locked(application)
        if application.state in CLOSED_STATES or application.state == S.DRAFT:
            raise TransitionError(_("Only open applications are worked on."))
        registrar = is_registrar(actor)
        claiming = assignee is not None and assignee.pk == actor.pk and application.assigned_to_id is None
        releasing = assignee is None and application.assigned_to_id == actor.pk
        _require(
            registrar or claiming or releasing,
            _("Only a registrar may assign a case to someone else or take it from them."),
        )
        if application.assigned_to_id == (assignee.pk if assignee else None):
            return application
        previous = application.assigned_to_id
        application.assigned_to = assignee
        application.save(update_fields=["assigned_to", "updated_at"])
        record_event(
            actor=actor,
            type="application.assigned",
            subject=application,
            assignee=assignee.pk if assignee else None,
            previous=previous,
        )
    return application


def note_add(*, actor: User, application: Application, text: str) -> CaseNote:
    """An internal note; it never reaches the applicant or the public."""
    _require(is_official(actor), _("Only officials write internal notes."))
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        application = _locked(application)
        note = CaseNote.objects.create(application=application, author=actor, text=text.strip()[:20000])
        record_event(actor=actor, type="application.note_added", subject=application, note=note.pk)
    return note


def application_assess(
    *, actor: User, application: Application, programme_adequate: bool, financially_capable: bool, comment: str = ""
) -> Assessment:
    """Record the assessment; the local-content score follows from the commitments by the
    published rubric, so two reviewers get the same score for the same application."""
    from licensing.rubric import local_content_score

    _require(is_reviewer(actor), _("Only reviewers assess applications."))
    with transaction.atomic():
        application = _locked(application)
        _require_state(application, S.ASSESSMENT)
        score, breakdown = local_content_score(application)
        assessment, _created = Assessment.objects.update_or_create(
            application=application,
            defaults={
                "programme_adequate": programme_adequate,
                "financially_capable": financially_capable,
                "local_content_score": score,
                "score_breakdown": breakdown,
                "comment": comment.strip()[:20000],
                "assessed_by": actor,
                "assessed_at": timezone.now(),
            },
        )
        record_event(
            actor=actor,
            type="application.assessed",
            subject=application,
            score=score,
            programme_adequate=programme_adequate,
            financially_capable=financially_capable,
        )
    return assessment


# Configuration -------------------------------------------------------------------------


def configuration_saved(*, actor: User, instance: Any, created: bool) -> None:
    """Officials change licence types, rates, MCI values and the calendar in the admin; each
    change is recorded with who made it. Call inside the admin's save transaction."""
    _require(
        actor.is_superuser or actor.has_perm(f"licensing.change_{instance._meta.model_name}"),
        _("You may not change the licensing configuration."),
    )
    record_event(
        actor=actor,
        type="configuration.changed",
        subject=instance,
        model=instance._meta.model_name,
        created=created,
        value=str(instance),
    )
