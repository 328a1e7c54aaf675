"""What the public register shows of a licence's life, and nothing more (README, "What the
register shows of a licence"): its status history (the public events about it), its changes of
title (no statement, no reasons), its certificate versions, and, for each licence year begun,
whether each obligation was met (on which day, and whether late), is late, or was waived (on
which day). Never an amount due or paid, a payment, an expenditure, a report's contents or an
official's reasons. Each read is one query, whatever the licence's age."""

from dataclasses import dataclass, field
from datetime import date

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone

from events import catalogue
from events.models import Event
from licensing.domain import ledger as rules
from licensing.models import (
    CertificateVersion,
    Licence,
    LicenceObligation,
    ObligationKind,
    ObligationStatus,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)


@dataclass(frozen=True)
class StatusEvent:
    type: str
    label: str
    occurred_at: object


def public_event_types() -> list[str]:
    return [t.name for t in catalogue.types() if t.audience == catalogue.Audience.PUBLIC]


def status_history(licence: Licence) -> list[StatusEvent]:
    """Every public event whose subject is the licence, oldest first, labelled by the catalogue:
    granted, extended, transferred, expired, revoked… whatever types are declared public. An
    internal or parties-only event about the licence never appears. One query."""
    events = (
        Event.objects.filter(
            subject_type=ContentType.objects.get_for_model(Licence),
            subject_id=str(licence.pk),
            type__in=public_event_types(),
        )
        .order_by("id")
        .only("type", "occurred_at")
    )
    return [StatusEvent(e.type, str(catalogue.label(e.type)), e.occurred_at) for e in events]


@dataclass(frozen=True)
class PublicTitleChange:
    number: str
    kind: str
    kind_label: str
    state: str
    state_label: str
    lodged_at: object
    decided_at: object | None


def changes_of_title(licence: Licence) -> list[PublicTitleChange]:
    """The licence's changes of title, newest first: number, kind, state and dates only. One query."""
    rows = (
        TitleChange.objects.filter(licence=licence)
        .order_by("-lodged_at", "-id")
        .values_list("number", "kind", "state", "lodged_at", "decided_at")
    )
    return [
        PublicTitleChange(
            number, kind, _label(TitleChangeKind, kind), state, _label(TitleChangeState, state), lodged, decided
        )
        for number, kind, state, lodged, decided in rows
    ]


def _label(choices: type, value: str) -> str:
    return str(choices(value).label) if value in choices.values else value


def certificate_versions(licence: Licence) -> list[CertificateVersion]:
    """The versions, earliest first (the last is the current one): the prefetched ones if the
    caller read them with the licence, else one query."""
    cache = getattr(licence, "_prefetched_objects_cache", {})
    if "certificate_versions" in cache:
        return list(licence.certificate_versions.all())
    return list(licence.certificate_versions.order_by("version"))


@dataclass(frozen=True)
class PublicObligation:
    kind: str
    label: str
    due_on: date
    status: str
    status_label: str
    met_on: date | None  # the day it was met
    met_late: bool  # met after its due date
    waived_on: date | None  # the day an official waived it (the reasons are not public)


@dataclass
class PublicYear:
    licence_year: int
    starts_on: date
    ends_on: date
    obligations: list[PublicObligation] = field(default_factory=list)


def _day(moment: object) -> date | None:
    return timezone.localdate(moment) if moment is not None else None


def obligations_public(licence: Licence, today: date | None = None) -> list[PublicYear]:
    """For each licence year begun by `today` (earliest first), each obligation's standing: met
    (and on which day, and whether after its due date), late, waived (and on which day), due or
    upcoming. Reads no amount, invoice, payment or waiver reasons. One query."""
    today = today or timezone.localdate()
    rows = (
        LicenceObligation.objects.filter(licence=licence)
        .order_by("licence_year", "due_on", "kind")
        .values_list("licence_year", "kind", "due_on", "met_at", "waived_at")
    )
    years: dict[int, PublicYear] = {}
    for licence_year, kind, due_on, met_at, waived_at in rows:
        first, last = rules.licence_year_span(licence.starts_on, licence_year)
        if first > today:
            continue  # a year not yet begun: nothing public to say of it
        year = years.setdefault(licence_year, PublicYear(licence_year, first, last))
        met_on, waived_on = _day(met_at), _day(waived_at)
        status = rules.obligation_status(
            due_on=due_on, today=today, met=met_at is not None, waived=waived_at is not None
        )
        year.obligations.append(
            PublicObligation(
                kind=kind,
                label=_label(ObligationKind, kind),
                due_on=due_on,
                status=status,
                status_label=str(ObligationStatus(status).label),
                met_on=met_on,
                met_late=met_on is not None and met_on > due_on,
                waived_on=waived_on,
            )
        )
    return list(years.values())
