"""Reads of applications after lodgement: who may see which, the public register of applications,
the timeline and clock, and the workbench queue and case."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from accounts.roles import Role, holders_of
from events.models import Event
from investors.selectors import organisation_ids_named
from licensing import calendar
from licensing.calendar import calendar_span
from licensing.ground.selectors import commodity_blocks
from licensing.models import (
    CLOSED_STATES,
    Application,
    ApplicationDocument,
    ApplicationState,
    Claim,
    InformationRequest,
    Licence,
    Objection,
)
from licensing.permissions import works_cases

S = ApplicationState


# Who holds an application in each open state: shown on its timeline by role, never by name.
HOLDERS = {
    S.DRAFT: _("The applicant"),
    S.LODGED: _("A reviewer (completeness check)"),
    S.UNDER_REVIEW: _("A reviewer"),
    S.INFO_REQUESTED: _("The applicant (answer due)"),
    S.OBJECTION_PERIOD: _("The public (objections open)"),
    S.ASSESSMENT: _("A reviewer (assessment)"),
    S.SCREENING: _("The screening agency"),
    S.RECOMMENDED: _("An approver (decision)"),
}


# States shown on the public register: lodged and after, drafts never.
REGISTER_STATES = [s for s in ApplicationState.values if s != S.DRAFT]


def application_queryset() -> QuerySet[Application]:
    return Application.objects.select_related("organisation", "licence_type", "licence", "converts").prefetch_related(
        "licence_type__rates",
        "licence_type__stage_targets",
        "licence_type__required_documents",
        "programme",
        Prefetch("documents", queryset=ApplicationDocument.objects.select_related("document", "requirement")),
        Prefetch("information_requests", queryset=InformationRequest.objects.order_by("-requested_at")),
    )


def applications_visible_to(user: User) -> QuerySet[Application]:
    if not user.is_authenticated:
        return Application.objects.none()
    if works_cases(user):
        return Application.objects.exclude(state=S.DRAFT)
    return Application.objects.filter(organisation__memberships__user=user)


def application_for(user: User, pk: object) -> Application:
    """One application with what its page needs; 404 for anyone who may not see its file."""
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    application = application_queryset().filter(pk__in=applications_visible_to(user).values("pk"), pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_for_partner(*, register: bool, screening: bool) -> QuerySet[Application]:
    """What a partner client's token may read: the public register's applications (`register`),
    and those referred to screening now (`screening`, in full)."""
    shown = Q(pk__in=[])
    if register:
        shown |= Q(state__in=REGISTER_STATES)
    if screening:
        shown |= Q(state=S.SCREENING)
    return Application.objects.filter(shown)


def application_for_partner(pk: object, *, register: bool, screening: bool) -> Application:
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    visible = applications_for_partner(register=register, screening=screening)
    application = application_queryset().filter(pk__in=visible.values("pk"), pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_of(organisation_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation_id=organisation_id)
        .select_related("licence_type")
        .order_by("-created_at", "-id")
    )


def register_applications(
    *, state: str | None = None, query: str = "", licence_type: str = "", region: str = "", commodity: str = ""
) -> QuerySet[Application]:
    """The public register of applications: lodged and later, newest priority first. An
    application covers a commodity when a published deposit of it lies in one of its blocks; the
    search finds the applicant's name (either script) or the project's, any part, any case. Each
    carries `objection_count`, a subquery that PostgreSQL runs for the rows of the page only."""
    objections = Objection.objects.filter(application=OuterRef("pk")).order_by().values("application")
    qs = (
        Application.objects.filter(state__in=REGISTER_STATES)
        .select_related("organisation", "licence_type")
        .annotate(objection_count=Coalesce(Subquery(objections.annotate(n=Count("pk")).values("n")), 0))
        .order_by("-priority_number")
    )
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(organisation_id__in=organisation_ids_named(query)) | Q(title__icontains=query))
    if licence_type:
        qs = qs.filter(licence_type__code=licence_type)
    if region:
        qs = qs.filter(region=region)
    if commodity:
        qs = qs.filter(
            pk__in=Claim.objects.filter(block__in=sorted(commodity_blocks(commodity))).values("application_id")
        )
    return qs


def register_application(reference: str) -> Application:
    """One application as the public register shows it, by its reference; 404 for drafts."""
    try:
        number = int(reference.removeprefix("A-"))
    except ValueError as exc:
        raise Http404 from exc
    return _on_register(priority_number=number)


def register_application_by_id(pk: object) -> Application:
    """The same, by its id (the API's address); 404 for drafts and ids that name nothing."""
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    return _on_register(pk=pk)


def _on_register(**match: int) -> Application:
    application = (
        Application.objects.filter(state__in=REGISTER_STATES, **match)
        .select_related("organisation", "licence_type")
        .prefetch_related("objections")
        .first()
    )
    if application is None:
        raise Http404
    return application


# Timeline ------------------------------------------------------------------------------


# Each step of an application as its timeline names it (notification labels speak to one audience).
STEPS = {
    "application.drafted": pgettext_lazy("timeline step", "Draft started"),
    "application.updated": pgettext_lazy("timeline step", "Draft changed"),
    "application.programme_set": pgettext_lazy("timeline step", "Work programme saved"),
    "application.document_added": pgettext_lazy("timeline step", "Document attached"),
    "application.document_removed": pgettext_lazy("timeline step", "Document removed"),
    "application.declared": pgettext_lazy("timeline step", "Declaration made"),
    "application.lodged": pgettext_lazy("timeline step", "Lodged"),
    "application.assigned": pgettext_lazy("timeline step", "Assigned to an official"),
    "application.accepted": pgettext_lazy("timeline step", "Accepted for review"),
    "application.information_requested": pgettext_lazy("timeline step", "Information requested"),
    "application.answered": pgettext_lazy("timeline step", "Information provided"),
    "application.notice_published": pgettext_lazy("timeline step", "Published; objection period opened"),
    "application.objection_lodged": pgettext_lazy("timeline step", "Objection lodged"),
    "application.objection_handled": pgettext_lazy("timeline step", "Objection answered"),
    "application.objections_closed": pgettext_lazy("timeline step", "Objection period closed"),
    "application.assessed": pgettext_lazy("timeline step", "Assessment recorded"),
    "application.referred_to_screening": pgettext_lazy("timeline step", "Referred to screening"),
    "application.screening_recorded": pgettext_lazy("timeline step", "Screening result recorded"),
    "application.recommended": pgettext_lazy("timeline step", "Recommendation made"),
    "application.granted": pgettext_lazy("timeline step", "Granted"),
    "application.refused": pgettext_lazy("timeline step", "Refused"),
    "application.withdrawn": pgettext_lazy("timeline step", "Withdrawn"),
    "application.lapsed": pgettext_lazy("timeline step", "Lapsed"),
    "application.blocks_excised": pgettext_lazy("timeline step", "Blocks excised"),
    "application.blocks_promoted": pgettext_lazy("timeline step", "Blocks passed to this application"),
    "application.auction_called": pgettext_lazy("timeline step", "Called to auction"),
}


def application_timeline(application: Application, *, internal: bool = False) -> list[dict[str, object]]:
    """The application's steps in order, oldest first, each with its date and label. Internal
    steps (notes, assignment) only on the workbench."""
    from events import routing

    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Application), subject_id=str(application.pk)
    ).order_by("id")
    # The applicant sees the steps; officials also see each draft change, note and assignment.
    drafting = {
        "application.updated",
        "application.programme_set",
        "application.document_added",
        "application.document_removed",
    }
    hidden = set() if internal else {"application.note_added", "application.assigned", *drafting}
    return [
        {
            "occurred_at": e.occurred_at,
            "label": STEPS.get(e.type) or routing.label(e.type),
            "type": e.type,
            "detail": _internal_detail(e) if internal else "",
        }
        for e in events.select_related("actor")
        if e.type not in hidden
    ]


def _internal_detail(event: Event) -> str:
    """What officials read beside a step that the applicant's timeline shows bare: the
    screening agency's answer and note, and who recorded it (a person, or a partner system)."""
    if event.type != "application.screening_recorded":
        return ""
    answer = _("cleared") if event.payload.get("cleared") else _("not cleared")
    by = event.actor.get_full_name() if event.actor else ""
    note = event.payload.get("note", "")
    return " · ".join(part for part in (str(answer), by, note) if part)


def application_clock(application: Application) -> dict[str, object]:
    """The current stage, who holds it, when the next step is due and how many working days remain."""
    today = timezone.localdate()
    due: date | None = application.stage_due_on
    if application.state == S.INFO_REQUESTED:
        open_request = next((r for r in application.information_requests.all() if r.answered_at is None), None)
        due = open_request.due_on if open_request else due
    return {
        "state": application.state_label,
        "holder": HOLDERS.get(application.state, ""),
        "due_on": due,
        "days_left": calendar.working_days_between(today, due) if due else None,
        "paused": application.state == S.INFO_REQUESTED,
    }


# The workbench -------------------------------------------------------------------------

WORKBENCH_STATES = [s for s in ApplicationState.values if s not in CLOSED_STATES and s != S.DRAFT]


def officials() -> QuerySet[User]:
    return holders_of(Role.REVIEWER, Role.APPROVER, Role.REGISTRAR).order_by("email")


def case_for(user: User, pk: object) -> Application:
    """An application as the workbench shows it: lodged and later, to officials only (404 otherwise)."""
    if not works_cases(user):
        raise Http404
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    application = (
        application_queryset()
        .select_related("assigned_to", "recommended_by", "decided_by", "assessment")
        .prefetch_related("organisation__owners", "organisation__documents__file")
        .exclude(state=S.DRAFT)
        .filter(pk=pk)
        .first()
    )
    if application is None:
        raise Http404
    return application


@dataclass
class QueueRow:
    application: Application
    days_left: int | None

    @property
    def overdue(self) -> bool:
        return self.days_left is not None and self.days_left < 0

    @property
    def days_overdue(self) -> int:
        return -self.days_left if self.days_left is not None and self.days_left < 0 else 0


def workbench_queue(
    *,
    user: User,
    stage: str = "",
    assignee: str = "",
    licence_type: object = None,
    country: str = "",
    overdue: bool = False,
    commodity: object = None,
) -> QuerySet[Application]:
    """Open applications, the most urgent first (the earliest due; those whose clock is paused
    last), narrowed by the queue's filters. The caller pages it and builds the rows of one page
    with `queue_rows`."""
    qs = (
        Application.objects.filter(state__in=WORKBENCH_STATES)
        .select_related("organisation", "licence_type", "assigned_to")
        .order_by("stage_due_on", "priority_number")
    )
    if stage:
        qs = qs.filter(state=stage)
    if assignee == "me":
        qs = qs.filter(assigned_to=user)
    elif assignee == "none":
        qs = qs.filter(assigned_to__isnull=True)
    if licence_type:
        qs = qs.filter(licence_type=licence_type)
    if country:
        qs = qs.filter(organisation__country=country.upper())
    if commodity:
        blocks = sorted(commodity_blocks(commodity.code))
        qs = qs.filter(pk__in=Claim.objects.filter(block__in=blocks).values("application_id"))
    if overdue:
        qs = qs.filter(stage_due_on__lt=timezone.localdate())
    return qs


def queue_rows(applications: Iterable[Application]) -> list[QueueRow]:
    """The rows of one page of the queue, with the working days left on each clock: the calendar
    of the page's span is read once."""
    applications = list(applications)
    now = timezone.localdate()
    dues = [a.stage_due_on for a in applications if a.stage_due_on]
    calendar = calendar_span(min([now, *dues]), max([now, *dues]))
    return [QueueRow(a, calendar.between(now, a.stage_due_on) if a.stage_due_on else None) for a in applications]


def workbench_counts(*, user: User) -> dict[str, int]:
    """How many open applications wait in each stage, are mine, are unassigned, or are overdue: one query."""
    from django.db.models import Count

    open_ = Application.objects.filter(state__in=WORKBENCH_STATES)
    row = open_.aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(assigned_to=user)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        overdue=Count("pk", filter=Q(stage_due_on__lt=timezone.localdate())),
        **{state: Count("pk", filter=Q(state=state)) for state in WORKBENCH_STATES},
    )
    return row


def completeness(application: Application) -> list[dict[str, object]]:
    """The licence type's checklist: each required document with what was attached and its check."""
    attached = {d.requirement_id: d.document for d in application.documents.all()}
    return [
        {
            "requirement": r,
            "document": attached.get(r.pk),
            "ok": attached.get(r.pk) is not None and attached[r.pk].status == "accepted",
        }
        for r in application.licence_type.required_documents.all()
    ]


def licence_of(application: Application) -> Licence | None:
    """The licence granted on the application, if any (its number, for the case page's link)."""
    return Licence.objects.filter(application=application).only("number").first()
