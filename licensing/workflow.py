"""The one writer of an application's state field: it locks the application, checks the
transition table (`licensing.domain.states`), enters the new state with its service-time clock
and records the event."""

from datetime import date, datetime
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from events.services import record_event
from licensing import calendar
from licensing.domain import states
from licensing.models import Application, ApplicationState

S = ApplicationState


def application_locked(application: Application) -> Application:
    return Application.objects.select_for_update().select_related("licence_type").get(pk=application.pk)


def require_state(application: Application, *states: str) -> None:
    if application.state not in states:
        raise TransitionError(
            _("The application is %(state)s; this cannot be done now.") % {"state": application.state_label.lower()}
        )


def require_allowed(application: Application, action: str) -> None:
    """Refuse `action` unless the transition table allows it from the application's state."""
    require_state(application, *states.sources(action))


# Clocks --------------------------------------------------------------------------------


def _stage_days(application: Application, state: str) -> int | None:
    for target in application.licence_type.stage_targets.all():
        if target.stage == state:
            return target.working_days
    return None


def enter_state(application: Application, state: str, now: datetime, *, due_on: date | None = None) -> list[str]:
    """Move to `state` and start its clock, counting the stage left if it ran past its target;
    returns the fields changed."""
    today = timezone.localdate(now)
    # The applicant's answer time and the public's objection period are not the officials' to miss.
    officials_stage = application.state not in (S.INFO_REQUESTED, S.OBJECTION_PERIOD)
    if application.stage_due_on and today > application.stage_due_on and officials_stage:
        application.late_stages += 1
    application.state = state
    application.stage_started_at = now
    if due_on is None:
        days = _stage_days(application, state)
        due_on = calendar.add_working_days(timezone.localdate(now), days) if days is not None else None
    application.stage_due_on = due_on
    return ["state", "stage_started_at", "stage_due_on", "late_stages", "updated_at"]


# Workflow ------------------------------------------------------------------------------


def move_to(application: Application, actor: User | None, state: str, event: str, **payload: Any) -> None:
    now = timezone.now()
    changed = enter_state(application, state, now, due_on=payload.pop("due_on", None))
    application.save(update_fields=changed)
    record_event(actor=actor, type=event, subject=application, state=state, **payload)
