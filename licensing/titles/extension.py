"""An extension of a licence's term, with its rules as data on the licence type: how many
extensions (`extension_max_count`), how long each (`extension_max_years`; empty: no longer than
the original term), the fewest blocks held at the grant (`extension_min_blocks`) and the share of
them relinquished by now (`extension_min_relinquished_percent`). Lodged before the expiry; the
licence stays in force while it is decided (licensing.licences.expiry.extension_pending).
Approved: the new expiry, the obligations of the added years, a certificate version."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from accounts.models import User
from licensing.licences.services import certificate_issue, obligation_schedule
from licensing.models import (
    CertificateReason,
    Licence,
    LicenceObligation,
    Tenure,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)
from licensing.titles.kinds import Kind, register


def blocks_at_grant(licence: Licence) -> int:
    """The blocks the licence ever held (its tenures, active or ended)."""
    return Tenure.objects.filter(licence=licence).values("block").distinct().count()


def blocks_held(licence: Licence) -> list[int]:
    return sorted(Tenure.objects.filter(licence=licence, is_active=True).values_list("block", flat=True))


def longest_extension(licence: Licence) -> int:
    licence_type = licence.licence_type
    return licence_type.extension_max_years or licence_type.term_years


def relinquished_percent(licence: Licence) -> float:
    granted = blocks_at_grant(licence)
    return 100.0 * (granted - len(blocks_held(licence))) / granted if granted else 0.0


def _years_of(licence: Licence) -> int:
    return relativedelta(licence.expires_on, licence.starts_on).years


def prepare(*, licence: Licence, change: TitleChange) -> None:
    if change.extension_years:
        change.new_expires_on = licence.expires_on + relativedelta(years=change.extension_years)


def problems(*, licence: Licence, change: TitleChange) -> list[str]:
    licence_type = licence.licence_type
    if licence_type.extension_max_count == 0:
        return [_("A licence of this type cannot be extended.")]
    found = []
    lodged_on = timezone.localdate(change.lodged_at)
    if lodged_on > licence.expires_on:
        found.append(
            _("The term ended on %(date)s: an extension is lodged before the expiry.")
            % {"date": date_format(licence.expires_on, "DATE_FORMAT")}
        )
    earlier = TitleChange.objects.filter(
        licence=licence, kind=TitleChangeKind.EXTENSION, state=TitleChangeState.APPROVED
    ).exclude(pk=change.pk)
    if earlier.count() >= licence_type.extension_max_count:
        found.append(
            ngettext(
                "A licence of this type is extended at most once; this one already was.",
                "A licence of this type is extended at most %(count)d times; this one already was.",
                licence_type.extension_max_count,
            )
            % {"count": licence_type.extension_max_count}
        )
    longest = longest_extension(licence)
    if not change.extension_years or not 1 <= change.extension_years <= longest:
        found.append(
            ngettext("An extension is from 1 to %(years)d year.", "An extension is from 1 to %(years)d years.", longest)
            % {"years": longest}
        )
    granted = blocks_at_grant(licence)
    if granted < licence_type.extension_min_blocks:
        found.append(
            _("Only a licence granted with %(least)d blocks or more can be extended; this one had %(count)d.")
            % {"least": licence_type.extension_min_blocks, "count": granted}
        )
    share = relinquished_percent(licence)
    if share < licence_type.extension_min_relinquished_percent:
        found.append(
            _(
                "At least %(least)d %% of the blocks held at the grant must be relinquished before an extension; "
                "%(share).0f %% are."
            )
            % {"least": licence_type.extension_min_relinquished_percent, "share": share}
        )
    return found


def apply(*, actor: User, change: TitleChange, now: datetime) -> None:
    """The new expiry, the duties of the added years on the blocks held now, a certificate version."""
    licence = Licence.objects.select_related("licence_type").get(pk=change.licence_id)
    first = _years_of(licence) + 1
    licence.expires_on = licence.expires_on + relativedelta(years=change.extension_years)
    licence.save(update_fields=["expires_on", "updated_at"])
    change.new_expires_on = licence.expires_on
    change.save(update_fields=["new_expires_on"])
    rows = obligation_schedule(
        licence=licence, blocks=blocks_held(licence), from_year=first, to_year=_years_of(licence)
    )
    LicenceObligation.objects.bulk_create(rows, ignore_conflicts=True)
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.EXTENSION, now=now)


EXTENSION = register(
    Kind(
        TitleChangeKind.EXTENSION,
        problems=problems,
        apply=apply,
        fields=("extension_years",),
        prepare=prepare,
    )
)
