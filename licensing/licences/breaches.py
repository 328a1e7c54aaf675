"""Breaches of a licence's obligations: opened with a notice to remedy by a deadline (by the daily
run, beat: licensing.tasks.open_breaches, or by a report's review finding a shortfall), and
remedied when the obligation is met or waived. Revocation is decided elsewhere (four eyes).

The notice (`breach.opened`) reaches the holder's owners, managers and notice contacts through
routing (licensing.recipients.licence_notice_recipients_of_licence)."""

from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.functions import ExtractYear
from django.utils import timezone

from accounts.models import User
from events.services import record_event
from licensing.calendar import add_working_days
from licensing.models import (
    AnnualReport,
    Breach,
    BreachKind,
    BreachStatus,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    ReportState,
)

CHUNK = 500
# Which late obligations the daily run turns into breaches. The annual report is one
# document: its work-report obligation stands for it (the local-content report is met with it).
LATE_KINDS = {ObligationKind.WORK_REPORT: BreachKind.REPORT_NOT_LODGED, ObligationKind.RENT: BreachKind.FEE_UNPAID}


def remedy_deadline(today: date) -> date:
    return add_working_days(today, settings.LICENSING_BREACH_REMEDY_WORKING_DAYS)


def breach_open(
    *,
    obligation: LicenceObligation,
    kind: str,
    today: date,
    shortfall_kzt: Decimal | None = None,
    actor: User | None = None,
) -> Breach | None:
    """Open the obligation's breach with its notice to remedy (`breach.opened`, with the
    deadline), in the caller's transaction. None when it already has one (whoever opened it)."""
    with transaction.atomic():
        try:
            with transaction.atomic():
                breach = Breach.objects.create(
                    licence=obligation.licence,
                    obligation=obligation,
                    kind=kind,
                    opened_at=timezone.now(),
                    remedy_by=remedy_deadline(today),
                    shortfall_kzt=shortfall_kzt,
                )
        except IntegrityError:
            return None
        obligation.licence.save(update_fields=["updated_at"])
        record_event(
            actor=actor,
            type="breach.opened",
            subject=obligation.licence,
            breach=breach.pk,
            kind=kind,
            obligation=obligation.pk,
            obligation_kind=obligation.kind,
            licence_year=obligation.licence_year,
            due_on=obligation.due_on.isoformat(),
            remedy_by=breach.remedy_by.isoformat(),
            shortfall_kzt=str(shortfall_kzt) if shortfall_kzt is not None else None,
        )
    return breach


def breach_remedy(*, actor: User | None, obligation: LicenceObligation) -> Breach | None:
    """The obligation is met or waived: its open breach (if any) is remedied (`breach.remedied`).
    Called inside the transaction that settles the obligation."""
    # A breach whose revocation is recommended is remedied too: the decider then cannot revoke.
    open_statuses = [BreachStatus.OPEN, BreachStatus.REVOCATION_RECOMMENDED]
    breach = Breach.objects.select_for_update().filter(obligation=obligation, status__in=open_statuses).first()
    if breach is None:
        return None
    breach.status = BreachStatus.REMEDIED
    breach.remedied_at = timezone.now()
    breach.save(update_fields=["status", "remedied_at"])
    record_event(
        actor=actor,
        type="breach.remedied",
        subject=obligation.licence,
        breach=breach.pk,
        kind=breach.kind,
        obligation=obligation.pk,
    )
    return breach


def _candidates(today: date) -> QuerySet[LicenceObligation]:
    """Open obligations of active licences late beyond the grace, of a kind that opens a breach,
    without a breach yet. A report lodged (or accepted) for the calendar year the licence year
    starts in is the holder's part done: the review is the officials' to finish."""
    grace = today - timedelta(days=settings.LICENSING_BREACH_GRACE_DAYS)
    lodged = AnnualReport.objects.filter(
        licence=OuterRef("licence"),
        year=ExtractYear(OuterRef("licence__starts_on")) + OuterRef("licence_year") - 1,
        state__in=[ReportState.LODGED, ReportState.ACCEPTED],
    )
    return (
        LicenceObligation.objects.filter(
            kind__in=list(LATE_KINDS),
            due_on__lt=grace,
            met_at__isnull=True,
            waived_at__isnull=True,
            licence__status=LicenceStatus.ACTIVE,
        )
        .exclude(Exists(Breach.objects.filter(obligation=OuterRef("pk"))))
        .exclude(Q(kind=ObligationKind.WORK_REPORT) & Exists(lodged))
        .select_related("licence")
        .order_by("pk")
    )


def _chunks(today: date) -> Iterator[list[LicenceObligation]]:
    """Candidates in chunks by id: memory stays the same however large the register."""
    after = 0
    while chunk := list(_candidates(today).filter(pk__gt=after)[:CHUNK]):
        yield chunk
        after = chunk[-1].pk


def breaches_open_due(*, today: date) -> list[int]:
    """The daily run: a breach for every obligation late beyond the grace (a report not lodged,
    a fee unpaid). Safe to run twice or on several workers at once: one breach per obligation.
    Returns the ids of the breaches this run opened."""
    opened = []
    for chunk in _chunks(today):
        for obligation in chunk:
            breach = breach_open(obligation=obligation, kind=LATE_KINDS[obligation.kind], today=today)
            if breach is not None:
                opened.append(breach.pk)
    return opened
