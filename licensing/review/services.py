"""Every write after lodgement: accept, request information and answer, publish the notice,
objections, screening, assessment, recommendation and decision (four eyes), lapse; assigning
cases and internal notes. Each checks the actor's role and the transition table, and records its event."""

from dateutil.relativedelta import relativedelta
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.formatting import format_day
from accounts.models import User
from accounts.roles import is_registrar
from documents.services import document_upload
from events.services import record_event
from investors.models import Membership, Organisation
from investors.ownership import ownership_profile
from licensing import calendar
from licensing.domain import states
from licensing.domain.rubric import local_content_score
from licensing.ground.selectors import strategic_blocks
from licensing.ground.services import claims_release, priority_counter_locked
from licensing.licences.services import licence_issue
from licensing.models import (
    CLOSED_STATES,
    Application,
    ApplicationState,
    Assessment,
    CaseNote,
    Objection,
    ObjectionOutcome,
    OpeningReason,
)
from licensing.permissions import (
    is_approver,
    is_reviewer,
    may_record_screening,
    require,
    works_cases,
)
from licensing.workflow import application_locked, move_to, require_allowed

S = ApplicationState


def application_accept(*, actor: User, application: Application) -> Application:
    """The completeness checks pass: the application goes under review."""
    require(is_reviewer(actor), _("Only reviewers may accept an application for review."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "accept")
        move_to(application, actor, S.UNDER_REVIEW, "application.accepted")
    return application


def application_publish_notice(*, actor: User, application: Application) -> Application:
    """Publish the application on the register and open the objection period."""
    require(is_reviewer(actor), _("Only reviewers may publish the notice."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "publish-notice")
        today = timezone.localdate()
        # Calendar days, but never ending on a weekend or holiday: an objector can still lodge
        # at the office on the last day.
        closes = calendar.working_day_on_or_after(today + relativedelta(days=application.licence_type.objection_days))
        application.objection_closes_on = closes
        application.save(update_fields=["objection_closes_on"])
        move_to(
            application,
            actor,
            S.OBJECTION_PERIOD,
            "application.notice_published",
            due_on=closes,
            objections_close=closes,
        )
    return application


def objection_lodge(
    *,
    actor: User,
    application: Application,
    grounds: str,
    upload: UploadedFile | None = None,
    organisation: Organisation | None = None,
) -> Objection:
    """Anyone signed in may object while the objection period runs, with grounds; for an
    organisation they are a member of (by default their only one), or for themselves."""
    require(actor.is_authenticated, _("Sign in to lodge an objection."))
    memberships = Membership.objects.filter(user=actor).values_list("organisation_id", flat=True)
    if organisation is not None:
        require(organisation.pk in memberships, _("You may object only for an organisation you are a member of."))
    else:
        only = list(memberships[:2])
        organisation = Organisation.objects.get(pk=only[0]) if len(only) == 1 else None
    if not grounds.strip():
        raise ValidationError({"grounds": _("Give the grounds of the objection.")})
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "object")
        if application.objection_closes_on and timezone.localdate() > application.objection_closes_on:
            raise TransitionError(_("The objection period has closed."))
        objection = Objection.objects.create(
            application=application, lodged_by=actor, organisation=organisation, grounds=grounds.strip()[:20000]
        )
        if upload is not None:
            objection.document = document_upload(actor=actor, upload=upload, kind="report", owner=objection)
            objection.save(update_fields=["document"])
        record_event(actor=actor, type="application.objection_lodged", subject=application, objection=objection.pk)
    return objection


def objection_handle(*, actor: User, objection: Objection, outcome: str, response: str) -> Objection:
    """The reviewer's answer to an objection, with reasons; the objector is told."""
    require(is_reviewer(actor), _("Only reviewers handle objections."))
    if outcome not in ObjectionOutcome.values:
        raise ValidationError({"outcome": _("Choose upheld, partly upheld or dismissed.")})
    if not response.strip():
        raise ValidationError({"response": _("Give the reasons.")})
    with transaction.atomic():
        application = application_locked(objection.application)
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
        require(is_reviewer(actor), _("Only reviewers may close the objection period."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "close-objections")
        if timezone.localdate() <= application.objection_closes_on:
            raise TransitionError(
                _("Objections are open until %(date)s.")
                % {"date": date_format(application.objection_closes_on, "DATE_FORMAT")}
            )
        application.screening_required = screening_required(application)
        application.save(update_fields=["screening_required"])
        move_to(
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

    return bool(strategic_blocks() & set(application.blocks))


def application_refer_screening(*, actor: User, application: Application) -> Application:
    require(is_reviewer(actor), _("Only reviewers may refer an application to screening."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "refer-screening")
        move_to(
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
    require(may_record_screening(actor), _("Only the screening agency or a reviewer may record the screening result."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "screening-result")
        application.screening_required = False
        application.save(update_fields=["screening_required"])
        move_to(application, actor, S.ASSESSMENT, "application.screening_recorded", cleared=cleared, note=note[:2000])
    return application


class Decision:
    GRANT = "grant"
    REFUSE = "refuse"
    ALL = (GRANT, REFUSE)


def application_recommend(*, actor: User, application: Application, recommendation: str, reasons: str) -> Application:
    require(is_reviewer(actor), _("Only reviewers may recommend a decision."))
    if recommendation not in Decision.ALL:
        raise ValidationError({"recommendation": _("Recommend grant or refusal.")})
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the recommendation.")})
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "recommend")
        if application.screening_required:
            raise TransitionError(_("This application must be screened before a recommendation."))
        if not Assessment.objects.filter(application=application).exists():
            raise TransitionError(_("Record the assessment before recommending."))
        application.recommendation, application.recommended_by = recommendation, actor
        application.reasons = reasons.strip()
        application.save(update_fields=["recommendation", "recommended_by", "reasons"])
        move_to(application, actor, S.RECOMMENDED, "application.recommended", recommendation=recommendation)
    return application


def application_decide(*, actor: User, application: Application, decision: str, reasons: str = "") -> Application:
    """Grant or refuse. Only an approver who did not recommend may decide (four eyes). A grant
    issues the licence: its blocks' tenures become active and later claims on them are excised."""
    require(is_approver(actor), _("Only approvers may decide."))
    if decision not in Decision.ALL:
        raise ValidationError({"decision": _("Decide grant or refuse.")})
    with transaction.atomic():
        priority_counter_locked()  # grants and lodgements queue on one lock: no lodgement slips past a grant
        application = application_locked(application)
        require_allowed(application, "decide")
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
            licence = licence_issue(actor, application, now)
            move_to(
                application,
                actor,
                S.GRANTED,
                "application.granted",
                due_on=None,
                licence=licence.number,
                organisation=application.organisation_id,
            )
        else:
            move_to(
                application,
                actor,
                S.REFUSED,
                "application.refused",
                due_on=None,
                reasons=application.reasons,
                organisation=application.organisation_id,
            )
            claims_release(actor, application, OpeningReason.REFUSED)
    return application


def application_lapse(*, application: Application) -> Application:
    """No answer by the due date: the application lapses (run by the daily task)."""
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "lapse")
        request = application.information_requests.get(answered_at__isnull=True)
        if timezone.localdate() <= request.due_on:
            raise TransitionError(
                _("The answer is due on %(date)s; it has not lapsed.") % {"date": format_day(request.due_on)}
            )
        move_to(
            application,
            None,
            S.LAPSED,
            "application.lapsed",
            due_on=None,
            answer_due=request.due_on,
            organisation=application.organisation_id,
        )
        claims_release(None, application, OpeningReason.LAPSED)
    return application


def applications_lapse_due() -> list[int]:
    """Lapse every application whose information request went unanswered past its due date."""
    today = timezone.localdate()
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


# The workbench -------------------------------------------------------------------------


def application_assign(*, actor: User, application: Application, assignee: User | None) -> Application:
    """Claim a case (assign it to yourself), hand it to another official, or release it. Anyone
    working cases may claim an unassigned one or release their own; registrars assign anyone."""
    require(works_cases(actor), _("Only officials work on applications."))
    if assignee is not None:
        require(works_cases(assignee), _("Cases are assigned to officials only."))
    with transaction.atomic():
        application = application_locked(application)
        if not states.allowed("assign", application.state):
            raise TransitionError(_("Only open applications are worked on."))
        registrar = is_registrar(actor)
        claiming = assignee is not None and assignee.pk == actor.pk and application.assigned_to_id is None
        releasing = assignee is None and application.assigned_to_id == actor.pk
        require(
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
    require(works_cases(actor), _("Only officials write internal notes."))
    if not text.strip():
        raise ValidationError({"text": _("Write the note.")})
    with transaction.atomic():
        application = application_locked(application)
        note = CaseNote.objects.create(application=application, author=actor, text=text.strip()[:20000])
        record_event(actor=actor, type="application.note_added", subject=application, note=note.pk)
    return note


def application_assess(
    *, actor: User, application: Application, programme_adequate: bool, financially_capable: bool, comment: str = ""
) -> Assessment:
    """Record the assessment; the local-content score follows from the commitments by the
    published rubric, so two reviewers get the same score for the same application."""

    require(is_reviewer(actor), _("Only reviewers assess applications."))
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "assess")
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
