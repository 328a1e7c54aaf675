"""The surrender of the whole licence, with the final report. Approved: the licence is
surrendered, its tenures end and its ground opens at the next opening time (reason: surrendered)
as after an expiry; fees owed up to the surrender stay owed (issued invoices are not touched),
and the duties that fall after it and were not yet invoiced are waived with the decision."""

from datetime import datetime

from django.db.models import Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import User
from events.services import record_event
from licensing.ground.services import ground_free_after_title
from licensing.licences.services import certificate_issue
from licensing.models import (
    CertificateReason,
    Licence,
    LicenceObligation,
    LicenceStatus,
    OpeningReason,
    Tenure,
    TitleChange,
    TitleChangeKind,
)
from licensing.titles.kinds import Kind, register


def problems(*, licence: Licence, change: TitleChange) -> list[str]:
    if change.pk and not change.documents.exists():
        return [_("Attach the final report.")]
    return []


def apply(*, actor: User, change: TitleChange, now: datetime) -> None:
    """Called with the priority counter and the licence locked (the order expiry takes)."""
    licence = Licence.objects.select_related("application").get(pk=change.licence_id)
    today = timezone.localdate(now)
    tenures = Tenure.objects.filter(licence=licence, is_active=True)
    blocks = sorted(tenures.values_list("block", flat=True))
    tenures.update(is_active=False, ended_at=now)
    licence.status = LicenceStatus.SURRENDERED
    licence.save(update_fields=["status", "updated_at"])
    later = LicenceObligation.objects.filter(
        licence=licence, due_on__gt=today, met_at__isnull=True, waived_at__isnull=True
    ).filter(Q(invoice__isnull=True) | Q(invoice__cancelled_at__isnull=False))
    later.update(
        waived_at=now,
        waived_by=actor,
        waiver_reason=_("The licence was surrendered on %(date)s (%(change)s).")
        % {"date": date_format(today, "DATE_FORMAT"), "change": change.number},
    )
    record_event(
        actor=actor,
        type="licence.surrendered",
        subject=licence,
        number=licence.number,
        blocks=len(blocks),
        ended_on=today,
        holder=licence.holder_id,
    )
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.SURRENDER, now=now)
    if blocks:
        region = licence.application.region if licence.application else ""
        ground_free_after_title(actor=None, blocks=blocks, reason=OpeningReason.SURRENDERED, region=region)


SURRENDER = register(
    Kind(
        TitleChangeKind.SURRENDER,
        problems=problems,
        apply=apply,
        document=gettext_lazy("Final report"),
    )
)
