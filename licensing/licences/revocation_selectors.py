"""Reads of revocations and force majeure: a licence's revocations with their contest files, its
open revocation, the breaches a revocation or an extension may be recorded on, and the
workbench's queue of contests; each in a constant number of queries."""

from datetime import date

from django.db.models import Prefetch, QuerySet

from licensing.models import (
    OPEN_REVOCATION_STATES,
    Breach,
    BreachStatus,
    ForceMajeure,
    Licence,
    Revocation,
    RevocationDocument,
    RevocationState,
)


def licence_revocations(licence: Licence) -> list[Revocation]:
    """The licence's revocations, newest first, with their breach and the contest's files: two queries."""
    documents = Prefetch("documents", queryset=RevocationDocument.objects.select_related("document"))
    return list(
        Revocation.objects.filter(licence=licence)
        .select_related("breach", "breach__obligation")
        .prefetch_related(documents)
        .order_by("-recommended_at", "-id")
    )


def open_revocation(licence: Licence) -> Revocation | None:
    return (
        Revocation.objects.filter(licence=licence, state__in=OPEN_REVOCATION_STATES)
        .select_related("licence", "breach")
        .first()
    )


def revocable_breaches(licence: Licence, today: date) -> QuerySet[Breach]:
    """Open breaches whose remedy deadline passed: what a revocation may be recommended for."""
    return Breach.objects.filter(licence=licence, status=BreachStatus.OPEN, remedy_by__lt=today).select_related(
        "obligation"
    )


def extendable_breaches(licence: Licence) -> QuerySet[Breach]:
    """Breaches not remedied: force majeure may extend their deadline."""
    return Breach.objects.filter(licence=licence).exclude(status=BreachStatus.REMEDIED).select_related("obligation")


def force_majeure_records(licence: Licence) -> list[ForceMajeure]:
    return list(
        ForceMajeure.objects.filter(breach__licence=licence).select_related("breach", "document").order_by("-id")
    )


def contests_to_decide() -> QuerySet[Revocation]:
    """The workbench's queue: contested revocations, oldest contest first, with their licence."""
    return (
        Revocation.objects.filter(state=RevocationState.CONTESTED)
        .select_related("licence", "licence__holder", "breach")
        .order_by("contested_at", "id")
    )
