"""Reads on licence types, applications, blocks and the register, shaped for their pages and
endpoints. Visibility in one place: an application's own organisation and officials see its
draft and its file; everyone sees lodged applications on the public register."""

import contextlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from accounts.models import User
from deposits.models import Deposit
from events.models import Event
from investors.models import Membership
from licensing import grid, workdays
from licensing.models import (
    CLOSED_STATES,
    Application,
    ApplicationDocument,
    ApplicationState,
    Claim,
    ClaimStatus,
    GroundOpening,
    InformationRequest,
    LicenceType,
    OpeningBlock,
    Tenure,
)
from licensing.services import is_official

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


def licence_types() -> QuerySet[LicenceType]:
    return LicenceType.objects.prefetch_related("rates", "stage_targets", "required_documents", "relinquishments")


def _application_qs() -> QuerySet[Application]:
    return Application.objects.select_related("organisation", "licence_type", "licence").prefetch_related(
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
    if is_official(user):
        return Application.objects.exclude(state=S.DRAFT)
    return Application.objects.filter(organisation__memberships__user=user)


def application_for(user: User, pk: object) -> Application:
    """One application with what its page needs; 404 for anyone who may not see its file."""
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    application = _application_qs().filter(pk__in=applications_visible_to(user).values("pk"), pk=pk).first()
    if application is None:
        raise Http404
    return application


def applications_of(organisation_id: int) -> QuerySet[Application]:
    return (
        Application.objects.filter(organisation_id=organisation_id)
        .select_related("licence_type")
        .order_by("-created_at")
    )


def register_applications(
    *, state: str | None = None, query: str = "", licence_type: str = "", region: str = "", commodity: str = ""
) -> QuerySet[Application]:
    """The public register of applications: lodged and later, newest priority first. An
    application covers a commodity when a published deposit of it lies in one of its blocks."""
    qs = (
        Application.objects.filter(state__in=REGISTER_STATES)
        .select_related("organisation", "licence_type")
        .annotate(objection_count=Count("objections"))
        .order_by("-priority_number")
    )
    if state:
        qs = qs.filter(state=state)
    if query:
        qs = qs.filter(Q(organisation__legal_name_latin__icontains=query) | Q(title__icontains=query))
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
    try:
        number = int(reference.removeprefix("A-"))
    except ValueError as exc:
        raise Http404 from exc
    application = (
        Application.objects.filter(state__in=REGISTER_STATES, priority_number=number)
        .select_related("organisation", "licence_type")
        .prefetch_related("objections")
        .first()
    )
    if application is None:
        raise Http404
    return application


# Blocks --------------------------------------------------------------------------------


@dataclass
class BlockState:
    block: int
    status: str = "free"  # free | held | claimed | opening
    licence: str = ""
    claims: list[dict[str, object]] = field(default_factory=list)
    opens_at: datetime | None = None

    @property
    def code(self) -> str:
        return grid.code(self.block)


def availability(blocks: list[int]) -> list[BlockState]:
    """Each block: held by a licence, claimed by pending applications (in priority order), not
    yet open, or free. Three queries, whatever the number of blocks."""
    now = timezone.now()
    states = {b: BlockState(block=b) for b in blocks}
    for block, number in Tenure.objects.filter(block__any=blocks, is_active=True).values_list(
        "block", "licence__number"
    ):
        states[block].status, states[block].licence = "held", number
    claims = (
        Claim.objects.filter(block__any=blocks, status=ClaimStatus.LIVE)
        .order_by("block", "rank")
        .values_list("block", "application__priority_number", "rank", "contested", "application__received_at")
    )
    for block, number, rank, contested, received in claims:
        state = states[block]
        if state.status == "free":
            state.status = "claimed"
        state.claims.append(
            {"application": f"A-{number:06d}", "rank": rank, "contested": contested, "received_at": received}
        )
    for block, opens_at in OpeningBlock.objects.filter(block__any=blocks, opening__opens_at__gt=now).values_list(
        "block", "opening__opens_at"
    ):
        if states[block].status == "free":
            states[block].status, states[block].opens_at = "opening", opens_at
    return [states[b] for b in blocks]


def block_history(block: int) -> dict[str, object]:
    tenures = list(
        Tenure.objects.filter(block=block).select_related("licence", "licence__holder").order_by("started_at")
    )
    claims = list(
        Claim.objects.filter(block=block)
        .select_related("application", "application__organisation")
        .exclude(application__state=S.DRAFT)
        .order_by("application__received_at", "rank")
    )
    openings = list(OpeningBlock.objects.filter(block=block).select_related("opening").order_by("opening__opens_at"))
    return {"block": block, "tenures": tenures, "claims": claims, "openings": [o.opening for o in openings]}


def _blocks_under(deposits: QuerySet[Deposit], *, outlines: bool) -> set[int]:
    """The blocks in which the deposits' points lie, and with `outlines` their outlines too: one query."""
    blocks: set[int] = set()
    for longitude, latitude, outline in deposits.values_list("longitude", "latitude", "outline").distinct():
        with contextlib.suppress(grid.GridError):
            blocks.add(grid.block_at(longitude=float(longitude), latitude=float(latitude)))
            if outlines and outline:
                blocks.update(grid.blocks_in_shape(outline))
    return blocks


def strategic_blocks() -> frozenset[int]:
    """The blocks on which a deposit of a strategic commodity lies (its point and its outline)."""
    cached = cache.get("licensing:strategic-blocks")
    if cached is not None:
        return cached
    deposits = Deposit.objects.filter(deposit_commodities__commodity__is_strategic=True)
    frozen = frozenset(_blocks_under(deposits, outlines=True))
    cache.set("licensing:strategic-blocks", frozen, 300)
    return frozen


def commodity_blocks(code: str) -> set[int]:
    """The blocks on which a published deposit of the commodity lies (its point): one query."""
    return _blocks_under(Deposit.objects.filter(is_published=True, commodities__code=code), outlines=False)


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
        {"occurred_at": e.occurred_at, "label": STEPS.get(e.type) or routing.label(e.type), "type": e.type}
        for e in events
        if e.type not in hidden
    ]


def application_clock(application: Application) -> dict[str, object]:
    """The current stage, who holds it, when the next step is due and how many working days remain."""
    today = workdays.local(timezone.now()).date()
    due: date | None = application.stage_due_on
    if application.state == S.INFO_REQUESTED:
        open_request = next((r for r in application.information_requests.all() if r.answered_at is None), None)
        due = open_request.due_on if open_request else due
    return {
        "state": application.state_label,
        "holder": HOLDERS.get(application.state, ""),
        "due_on": due,
        "days_left": workdays.working_days_between(today, due) if due else None,
        "paused": application.state == S.INFO_REQUESTED,
    }


def claims_of(application: Application) -> list[dict[str, object]]:
    """The application's claims with, for each block, the earlier applications ahead of it."""
    claims = list(application.claims.order_by("block"))
    ahead: dict[int, list[str]] = {}
    earlier = (
        Claim.objects.filter(
            block__in=[c.block for c in claims], status=ClaimStatus.LIVE, rank__lt=application.priority_number or 0
        )
        .exclude(application=application)
        .order_by("rank")
        .values_list("block", "application__priority_number")
    )
    for block, number in earlier:
        ahead.setdefault(block, []).append(f"A-{number:06d}")
    return [{"claim": c, "code": grid.code(c.block), "ahead": ahead.get(c.block, [])} for c in claims]


# Who is told ---------------------------------------------------------------------------


def _application_of(event: Event) -> Application | None:
    if event.subject_type is None or event.subject_type.model_class() is not Application:
        return None
    return Application.objects.filter(pk=event.subject_id).first()


def applicant_members(event: Event) -> Iterable[User]:
    """The members of the applicant organisation, except the person who acted."""
    application = _application_of(event)
    if application is None:
        return []
    memberships = Membership.objects.filter(organisation_id=application.organisation_id).select_related("user")
    return [m.user for m in memberships if m.user_id != event.actor_id]


def objector(event: Event) -> Iterable[User]:
    """Who lodged the objection the event answers."""
    return User.objects.filter(pk=event.payload.get("objector") or 0, is_active=True)


def _holders_of(role: str) -> QuerySet[User]:
    return User.objects.filter(groups__name=role, is_active=True).distinct()


def reviewers(event: Event) -> Iterable[User]:
    return _holders_of("reviewer").exclude(pk=event.actor_id or 0)


def approvers(event: Event) -> Iterable[User]:
    return _holders_of("approver").exclude(pk=event.actor_id or 0)


def may_read_document(user: User, document: object) -> bool:
    """An application's documents are read by its organisation's members and by officials."""
    from documents.models import Document

    if not isinstance(document, Document) or not user.is_authenticated:
        return False
    if document.owner_type_id != ContentType.objects.get_for_model(Application).pk:
        return False
    return (
        is_official(user)
        or Membership.objects.filter(organisation__applications__pk=document.owner_id, user=user).exists()
    )


# The workbench -------------------------------------------------------------------------

WORKBENCH_STATES = [s for s in ApplicationState.values if s not in CLOSED_STATES and s != S.DRAFT]


def today() -> date:
    return workdays.local(timezone.now()).date()


def officials() -> QuerySet[User]:
    return (
        User.objects.filter(groups__name__in=["reviewer", "approver", "registrar"], is_active=True)
        .distinct()
        .order_by("email")
    )


def case_for(user: User, pk: object) -> Application:
    """An application as the workbench shows it: lodged and later, to officials only (404 otherwise)."""
    if not is_official(user):
        raise Http404
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    application = (
        _application_qs()
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
) -> list[QueueRow]:
    """Open applications, the most urgent first, with the working days left on each clock.
    A constant number of queries: the calendar of the whole span is read once."""
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
    now = today()
    if overdue:
        qs = qs.filter(stage_due_on__lt=now)
    applications = list(qs[:500])
    dues = [a.stage_due_on for a in applications if a.stage_due_on]
    calendar = workdays.WorkingCalendar(min([now, *dues]), max([now, *dues]))
    return [QueueRow(a, calendar.between(now, a.stage_due_on) if a.stage_due_on else None) for a in applications]


def workbench_counts(*, user: User) -> dict[str, int]:
    """How many open applications wait in each stage, are mine, are unassigned, or are overdue: one query."""
    from django.db.models import Count

    open_ = Application.objects.filter(state__in=WORKBENCH_STATES)
    row = open_.aggregate(
        total=Count("pk"),
        mine=Count("pk", filter=Q(assigned_to=user)),
        unassigned=Count("pk", filter=Q(assigned_to__isnull=True)),
        overdue=Count("pk", filter=Q(stage_due_on__lt=today())),
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


def openings_list() -> QuerySet[GroundOpening]:
    """Openings, the latest first, with their block count and auction (and its bids counted)."""
    return (
        GroundOpening.objects.annotate(block_count=Count("blocks", distinct=True))
        .select_related("auction")
        .annotate(bid_count=Count("auction__bids", filter=Q(auction__bids__amount_kzt__isnull=False), distinct=True))
        .order_by("-opens_at")[:200]
    )
