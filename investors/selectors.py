"""Reads on investor organisations, shaped for their pages and endpoints, with the visibility
rule in one place: members see their own organisations, registrars see all, nobody else any."""

from collections.abc import Iterable

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404, HttpRequest

from accounts.models import User
from accounts.roles import Role, is_registrar
from deposits.models import Deposit, DepositDocument, DocumentVisibility, Region
from documents.models import DocumentStatus
from events.models import Event
from investors.models import (
    BeneficialOwner,
    DataRoomAccess,
    Invitation,
    Membership,
    Organisation,
    OrganisationDocument,
    OrganisationStatus,
    VerificationCheck,
    Watch,
    WatchTarget,
)

ACTIVE_ORGANISATION = "organisation_id"


def organisations_visible_to(user: User) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    if is_registrar(user):
        return Organisation.objects.all()
    return Organisation.objects.filter(memberships__user=user)


def organisation_detail_for(user: User, pk: object) -> Organisation:
    """The organisation with everything its page and API answer show; 404 for anyone who may not see it."""
    try:
        pk = int(str(pk))
    except ValueError as exc:
        raise Http404 from exc
    organisation = (
        organisations_visible_to(user)
        .prefetch_related(
            Prefetch("memberships", queryset=Membership.objects.select_related("user").order_by("role", "user__email")),
            Prefetch("owners", queryset=BeneficialOwner.objects.select_related("held_through")),
            Prefetch("documents", queryset=OrganisationDocument.objects.select_related("file", "decided_by")),
            Prefetch("checks", queryset=VerificationCheck.objects.select_related("checked_by")),
            Prefetch(
                "invitations",
                queryset=Invitation.objects.filter(accepted_at__isnull=True, revoked_at__isnull=True),
                to_attr="open_invitations",
            ),
        )
        .filter(pk=pk)
        .first()
    )
    if organisation is None:
        raise Http404
    return organisation


# What an event of the organisation's history shows under its label: the first of these it holds.
HISTORY_NOTES = ("reason", "note", "ownership_explanation")


def organisation_history(
    organisation: Organisation, limit: int = 100, *, internal: bool = False
) -> list[dict[str, object]]:
    """The organisation's audit trail, newest first: each event with its label, who and when.
    Events for officials only (the registrar's checklist) are left out unless `internal`."""
    from django.contrib.contenttypes.models import ContentType

    from events import catalogue, routing
    from events.catalogue import Audience

    events = Event.objects.filter(
        subject_type=ContentType.objects.get_for_model(Organisation), subject_id=str(organisation.pk)
    )
    if not internal:
        hidden = [t.name for t in catalogue.types() if t.audience == Audience.INTERNAL]
        events = events.exclude(type__in=hidden)
    return [
        {
            "event": e,
            "label": routing.label(e.type),
            "reason": e.payload.get("reason", "")
            or e.payload.get("note", "")
            or e.payload.get("ownership_explanation", ""),
        }
        for e in events.select_related("actor").order_by("-id")[:limit]
    ]


def membership_of(user: User, organisation: Organisation) -> Membership | None:
    if not user.is_authenticated:
        return None
    for membership in organisation.memberships.all():  # prefetched
        if membership.user_id == user.pk:
            return membership
    return None


def memberships_of(user: User) -> list[Membership]:
    return list(
        Membership.objects.filter(user=user).select_related("organisation").order_by("organisation__legal_name_latin")
    )


def active_organisation(request: HttpRequest) -> Organisation | None:
    """The organisation the person acts for: the one chosen in this session, else their first."""
    user = request.user
    if not user.is_authenticated:
        return None
    memberships = Membership.objects.filter(user=user).select_related("organisation").order_by("joined_at")
    chosen = request.session.get(ACTIVE_ORGANISATION)
    first = None
    for membership in memberships:
        first = first or membership.organisation
        if membership.organisation_id == chosen:
            return membership.organisation
    return first


def registrar_queue() -> QuerySet[Organisation]:
    """Organisations waiting for a registrar's decision, oldest request first; then the others."""
    return Organisation.objects.filter(status=OrganisationStatus.SUBMITTED).order_by("status_changed_at", "pk")


def organisations_for_registrar(status: str | None = None) -> QuerySet[Organisation]:
    queryset = Organisation.objects.order_by("legal_name_latin", "pk")
    return queryset.filter(status=status) if status else queryset


def organisation_ids_named(text: str) -> list[int]:
    """The ids of the organisations whose legal name, in either script, holds the text (any case):
    one query, which pg_trgm's indexes serve on PostgreSQL. A register searches its rows by these
    ids, so that a name and a number are each found by their own index."""
    return list(
        Organisation.objects.filter(Q(legal_name__icontains=text) | Q(legal_name_latin__icontains=text))
        .order_by()
        .values_list("pk", flat=True)
    )


def data_room_document_for(deposit_slug: str, document_id: int) -> DepositDocument:
    """A data-room document of a published deposit whose file passed its checks (the URL
    gives an integer id); 404 otherwise, before anything reads the file."""
    document = (
        DepositDocument.objects.select_related("deposit", "file")
        .filter(
            pk=document_id,
            deposit__slug=deposit_slug,
            deposit__is_published=True,
            visibility=DocumentVisibility.DATA_ROOM,
            file__status=DocumentStatus.ACCEPTED,
        )
        .first()
    )
    if document is None:
        raise Http404
    return document


def data_room_log(
    *, deposit: Deposit | None = None, organisation: Organisation | None = None
) -> QuerySet[DataRoomAccess]:
    queryset = DataRoomAccess.objects.select_related("user", "organisation", "deposit")
    if deposit is not None:
        queryset = queryset.filter(deposit=deposit)
    if organisation is not None:
        queryset = queryset.filter(organisation=organisation)
    return queryset


def watchlist_of(user: User) -> QuerySet[Watch]:
    return Watch.objects.filter(user=user).select_related("deposit", "commodity")


def recent_notifications(user: User, limit: int = 5) -> list[object]:
    from events.selectors import notification_list_for

    return list(notification_list_for(user=user)[:limit])


def watchers_of_deposit_event(event: Event) -> Iterable[User]:
    """Who follows the deposit an event is about: directly, by one of its commodities, or by its region."""
    deposit = Deposit.objects.filter(pk=event.subject_id, is_published=True).first()
    if deposit is None:
        return []
    commodity_ids = list(deposit.deposit_commodities.values_list("commodity_id", flat=True))
    return User.objects.filter(
        Q(watches__target=WatchTarget.DEPOSIT, watches__deposit=deposit)
        | Q(watches__target=WatchTarget.COMMODITY, watches__commodity_id__in=commodity_ids)
        | Q(watches__target=WatchTarget.REGION, watches__region=deposit.region),
        is_active=True,
    ).distinct()


def watchers_of_region_event(event: Event) -> Iterable[User]:
    region = event.payload.get("region", "")
    if region not in Region.values:
        return []
    return User.objects.filter(watches__target=WatchTarget.REGION, watches__region=region, is_active=True).distinct()


def members_of_subject(event: Event, roles: frozenset[str] | set[str] | None = None) -> Iterable[User]:
    """The members of the organisation the event is about, except the person who acted."""
    if event.subject_type is None or event.subject_type.model_class() is not Organisation:
        return []
    memberships = Membership.objects.filter(organisation_id=event.subject_id).select_related("user")
    if roles:
        memberships = memberships.filter(role__in=roles)
    return [m.user for m in memberships if m.user_id != event.actor_id]


def registrars(event: Event) -> Iterable[User]:
    return User.objects.filter(Q(groups__name=Role.REGISTRAR.value) | Q(is_superuser=True), is_active=True).distinct()
