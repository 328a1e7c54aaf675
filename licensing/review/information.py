"""Information requests: a reviewer asks the applicant for something (and a document, named and
of a checked kind); the stage's clock stops until the applicant answers."""

from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from documents.kinds import KINDS
from documents.services import document_upload
from licensing import calendar
from licensing.models import Application, ApplicationState, InformationRequest
from licensing.permissions import is_reviewer, require, require_applicant
from licensing.workflow import application_locked, move_to, require_allowed

S = ApplicationState


def application_request_info(
    *,
    actor: User,
    application: Application,
    message: str,
    due_on: date | None = None,
    document_wanted: str = "",
    document_kind: str = "",
) -> InformationRequest:
    """Ask the applicant for something, and for a document if one is wanted (named, and of a
    kind whose files are checked); the stage's clock stops until they answer, and the
    application lapses if they do not answer by the due date."""
    require(is_reviewer(actor), _("Only reviewers may ask for information."))
    if not message.strip():
        raise ValidationError({"message": _("Say what is needed.")})
    document_wanted = document_wanted.strip()[:200]
    if document_wanted and document_kind not in KINDS:
        raise ValidationError({"document_kind": _("Choose the kind of document wanted.")})
    document_kind = document_kind if document_wanted else ""
    with transaction.atomic():
        application = application_locked(application)
        require_allowed(application, "request-info")
        today = timezone.localdate()
        due_on = due_on or calendar.add_working_days(today, settings.LICENSING_INFO_WORKING_DAYS)
        if due_on <= today:
            raise ValidationError({"due_on": _("The answer must be due after today.")})
        remaining = calendar.working_days_between(today, application.stage_due_on) if application.stage_due_on else None
        application.resume_state = application.state
        application.clock_remaining = max(remaining, 0) if remaining is not None else None
        request = InformationRequest.objects.create(
            application=application,
            message=message.strip(),
            document_wanted=document_wanted,
            document_kind=document_kind,
            due_on=due_on,
            requested_by=actor,
        )
        application.save(update_fields=["resume_state", "clock_remaining"])
        move_to(
            application,
            actor,
            S.INFO_REQUESTED,
            "application.information_requested",
            due_on=due_on,
            answer_due=due_on,
            message=message.strip(),
            document_wanted=document_wanted,
        )
    return request


def application_answer(
    *, actor: User, application: Application, answer: str, upload: UploadedFile | None = None
) -> Application:
    """The applicant answers, in words, with the document the request wants (checked like every
    upload, kept with the application's documents); the clock starts again with the working days
    that were left."""
    with transaction.atomic():
        application = application_locked(application)
        require_applicant(actor, application.organisation_id)
        require_allowed(application, "answer")
        now = timezone.now()
        request = application.information_requests.select_for_update().get(answered_at__isnull=True)
        if request.document_wanted and upload is None:
            raise ValidationError(
                {"file": _("Attach the document asked for: %(what)s.") % {"what": request.document_wanted}}
            )
        if not answer.strip() and upload is None:
            raise ValidationError({"answer": _("Write the answer.")})
        if upload is not None:
            request.answer_document = document_upload(
                actor=actor, upload=upload, kind=request.document_kind or "report", owner=application
            )
        request.answer, request.answered_by, request.answered_at = answer.strip(), actor, now
        request.save(update_fields=["answer", "answered_by", "answered_at", "answer_document"])
        due = None
        if application.clock_remaining is not None:
            due = calendar.add_working_days(timezone.localdate(now), application.clock_remaining)
        state = application.resume_state or S.UNDER_REVIEW
        if state == S.LODGED:
            state = S.UNDER_REVIEW  # the missing piece was the answer: checks now pass
        application.resume_state, application.clock_remaining = "", None
        application.save(update_fields=["resume_state", "clock_remaining"])
        move_to(application, actor, state, "application.answered", due_on=due, organisation=application.organisation_id)
    return application
