"""The transfer of a licence to another verified organisation (DESIGN.md "The life of a licence").

Not in an exploration licence's first year (before the first anniversary of its start). Lodged by
the holder, it waits for the transferee's owners or managers to accept (services
`title_change_accept` / `title_change_decline`); on acceptance it goes to the officials and is
referred to the national-security review, which the reviewing agency answers through the API.
The state's pre-emptive right applies only when the licence's blocks touch a deposit marked
with it (`Deposit.preemptive_right`: data, not a rule for every lithium deposit); the competent
body's waiver is then recorded by an official before an approval.

Approved: the licence is re-issued to the transferee (a certificate version, reason transfer,
naming the new holder). Its obligations and the fees not yet invoiced follow the licence; the
invoices already issued stay on the licence too (the state bills the licence, and the new holder
takes it with what is owed on it, as a transfer of the subsoil use right carries its duties)."""

from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import User
from events.services import record_event
from investors.models import OrganisationStatus
from licensing.ground.selectors import preemptive_right_blocks
from licensing.licences.services import certificate_issue
from licensing.models import (
    CertificateReason,
    Licence,
    LicenceKind,
    SecurityReview,
    Tenure,
    TitleChange,
    TitleChangeKind,
    TitleChangeState,
)
from licensing.titles.kinds import Kind, register


def first_year_ends(licence: Licence):
    """The first anniversary of the licence's start: licence year 1 is before it."""
    return licence.starts_on + relativedelta(years=1)


def touches_preemptive_ground(licence: Licence) -> bool:
    held = set(Tenure.objects.filter(licence=licence, is_active=True).values_list("block", flat=True))
    return bool(held & preemptive_right_blocks())


def prepare(*, licence: Licence, change: TitleChange) -> None:
    change.preemptive_right_applies = touches_preemptive_ground(licence)


def _lodgement_problems(licence: Licence, change: TitleChange) -> list[str]:
    found = []
    transferee = change.transferee
    if transferee is None:
        return [_("Name the organisation the licence is transferred to.")]
    if transferee.pk == licence.holder_id:
        found.append(_("A licence cannot be transferred to its own holder."))
    if transferee.status != OrganisationStatus.VERIFIED:
        found.append(_("A licence can be transferred only to a verified organisation."))
    lodged_on = timezone.localdate(change.lodged_at)
    if licence.licence_type.kind == LicenceKind.EXPLORATION and lodged_on < first_year_ends(licence):
        found.append(
            _("An exploration licence cannot be transferred in its first year: not before %(date)s.")
            % {"date": date_format(first_year_ends(licence), "DATE_FORMAT")}
        )
    return found


def problems(*, licence: Licence, change: TitleChange) -> list[str]:
    found = _lodgement_problems(licence, change)
    if not change.pk:
        return found
    if change.accepted_at is None:
        found.append(_("The transferee has not accepted the transfer."))
    if change.security_review == SecurityReview.OBJECTED:
        found.append(_("The national-security review objected to the transfer: it must be refused."))
    elif change.security_review != SecurityReview.CLEARED:
        found.append(_("The national-security review has not cleared the transfer yet."))
    if change.preemptive_right_applies and change.preemptive_waived_at is None:
        found.append(_("The state's pre-emptive right applies: record the competent body's waiver first."))
    return found


def apply(*, actor: User, change: TitleChange, now: datetime) -> None:
    """Re-issue the licence to the transferee, with the licence locked by the deciding service."""
    licence = Licence.objects.get(pk=change.licence_id)
    previous = licence.holder_id
    licence.holder_id = change.transferee_id
    licence.save(update_fields=["holder", "updated_at"])
    record_event(
        actor=actor,
        type="licence.transferred",
        subject=licence,
        number=licence.number,
        previous_holder=previous,
        holder=licence.holder_id,
    )
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.TRANSFER, now=now)


TRANSFER = register(
    Kind(
        TitleChangeKind.TRANSFER,
        problems=problems,
        apply=apply,
        fields=("transferee",),
        prepare=prepare,
        initial_state=TitleChangeState.AWAITING_ACCEPTANCE,
    )
)
