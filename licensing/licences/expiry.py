"""The end of a licence's term: the beat ends every active licence past its expiry date, and its
ground comes back through the opening mechanism (licensing.ground.services.ground_open), as for
every other end of title."""

from datetime import date

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from events.services import record_event
from licensing.ground.services import ground_free_after_title, priority_counter_locked
from licensing.models import (
    OPEN_TITLE_CHANGE_STATES,
    Licence,
    LicenceStatus,
    OpeningReason,
    Tenure,
    TitleChange,
    TitleChangeKind,
)


def extension_pending(licence: Licence) -> bool:
    """Whether an extension of the licence's term is being decided: the licence stays in force
    meanwhile (Subsoil Code; DESIGN.md "The life of a licence"), and `licences_expire_due`
    leaves it alone. Refused, withdrawn or approved, the next run decides again."""
    return TitleChange.objects.filter(
        licence=licence, kind=TitleChangeKind.EXTENSION, state__in=OPEN_TITLE_CHANGE_STATES
    ).exists()


def licence_expire(*, licence: Licence, today: date) -> bool:
    """End the licence if it is active and its term ended before `today`: status expired, every
    active tenure ended, one `licence.expired` event, and its blocks published as ground that
    opens at the next opening time (reason: expired), with its equal-ranking month.

    Returns whether this call expired it. Safe to call twice or at once from two workers: the
    licence's row is locked and its state read again, so only the first ends it. Fees owed
    stay owed: its obligations and invoices are not touched."""
    with transaction.atomic():
        # The same lock order as a grant (priority counter, then the licence): a lodgement on the
        # freed blocks waits for the opening to exist, and nothing deadlocks.
        priority_counter_locked()
        licence = Licence.objects.select_related("application").select_for_update(of=("self",)).get(pk=licence.pk)
        if licence.status != LicenceStatus.ACTIVE or licence.expires_on >= today or extension_pending(licence):
            return False
        now = timezone.now()
        tenures = Tenure.objects.filter(licence=licence, is_active=True)
        blocks = sorted(tenures.values_list("block", flat=True))
        # Both fields at once: the database holds that an active tenure has no end.
        tenures.update(is_active=False, ended_at=now)
        licence.status = LicenceStatus.EXPIRED
        licence.save(update_fields=["status", "updated_at"])
        record_event(
            actor=None,
            type="licence.expired",
            subject=licence,
            number=licence.number,
            blocks=len(blocks),
            ended_on=licence.expires_on,
            holder=licence.holder_id,
        )
        # Blocks a pending conversion claims open when that application ends (claims_release);
        # it cannot be granted now that the licence it converts has ended.
        if blocks:
            region = licence.application.region if licence.application else ""
            ground_free_after_title(actor=None, blocks=blocks, reason=OpeningReason.EXPIRED, region=region)
    return True


def licences_expire_due(*, today: date) -> list[str]:
    """Expire the licences whose term ended before `today`, oldest expiry first, at most
    LICENSING_EXPIRY_BATCH of them (the beat runs again for the rest). Returns their numbers."""
    due = (
        Licence.objects.filter(status=LicenceStatus.ACTIVE, expires_on__lt=today)
        .exclude(title_changes__kind=TitleChangeKind.EXTENSION, title_changes__state__in=OPEN_TITLE_CHANGE_STATES)
        .order_by("expires_on", "id")
        .values_list("pk", "number")[: settings.LICENSING_EXPIRY_BATCH]
    )
    expired = []
    for pk, number in list(due):
        if licence_expire(licence=Licence(pk=pk), today=today):
            expired.append(number)
    return expired
