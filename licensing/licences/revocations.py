"""Revocation of a licence for a breach not remedied by its deadline (Subsoil Code; DESIGN.md
"The life of a licence"): a reviewer recommends it with reasons, an approver decides it with
reasons (four eyes, held by the database too), and the decision is the notice to the holder,
who may contest it within LICENSING_REVOCATION_CONTEST_WORKING_DAYS working days (15,
Kazakhstan's rule, in the government's calendar). A contest is a case on the workbench: an
approver upholds it (the revocation takes effect) or allows it (the licence stays). The daily
beat (licensing.tasks.revocations_take_effect) makes uncontested revocations effective after
their period.

Taking effect ends the title as expiry does (licensing.licences.expiry): the same lock order
(the priority counter, then the licence), status revoked, active tenures ended, the blocks
opened (reason: revoked), a certificate version (reason: revocation). Fees owed stay owed.

The notices (`revocation.*`) reach the holder's owners, managers and notice contacts by their
channels (licensing.recipients.licence_notice_recipients_of_licence)."""

from collections.abc import Iterable
from datetime import date

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.formatting import format_day
from accounts.models import User
from documents.services import document_upload
from events.services import record_event
from licensing.calendar import add_working_days
from licensing.ground.services import ground_free_after_title, priority_counter_locked
from licensing.licences.services import certificate_issue
from licensing.models import (
    Breach,
    BreachStatus,
    CertificateReason,
    Licence,
    LicenceStatus,
    OpeningReason,
    Revocation,
    RevocationDocument,
    RevocationState,
    Tenure,
)
from licensing.permissions import may_decide_revocation, may_recommend_revocation, require, require_applicant

S = RevocationState


def _reasons(reasons: str, message: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [message]})
    return reasons


def _confirmed(confirmed: bool) -> None:
    if not confirmed:
        raise ValidationError({"confirm": [_("Confirm that you mean it: this step cannot be undone.")]})


def _locked(revocation: Revocation, *states: str) -> Revocation:
    """The revocation's row, locked, in one of `states` (TransitionError otherwise)."""
    locked = Revocation.objects.select_for_update().select_related("licence", "breach").get(pk=revocation.pk)
    if locked.state not in states:
        raise TransitionError(
            _("This revocation is %(state)s: it cannot change that way now.") % {"state": locked.get_state_display()}
        )
    return locked


def contest_deadline(notified_on: date) -> date:
    """The last day the holder may contest: 15 working days after the notice (government calendar)."""
    return add_working_days(notified_on, settings.LICENSING_REVOCATION_CONTEST_WORKING_DAYS)


def revocation_recommend(*, actor: User, breach: Breach, reasons: str, confirmed: bool) -> Revocation:
    """A reviewer recommends revoking the licence of a breach not remedied by its deadline: the
    breach is marked revocation recommended, and approvers are told (`revocation.recommended`).
    Refused while another revocation of the licence is open (the database holds it too)."""
    require(may_recommend_revocation(actor), _("Only reviewers may recommend a revocation."))
    reasons = _reasons(reasons, _("Give the reasons for the recommendation."))
    _confirmed(confirmed)
    today = timezone.localdate()
    with transaction.atomic():
        licence = Licence.objects.select_for_update().get(pk=breach.licence_id)
        breach = Breach.objects.select_for_update().get(pk=breach.pk)
        if licence.status != LicenceStatus.ACTIVE:
            raise TransitionError(_("Only a licence in force can be revoked."))
        if breach.status != BreachStatus.OPEN:
            raise TransitionError(_("Only a breach that is still open can lead to revocation."))
        if breach.remedy_by >= today:
            raise TransitionError(
                _("The holder has until %(date)s to remedy the breach.") % {"date": format_day(breach.remedy_by)}
            )
        try:
            with transaction.atomic():
                revocation = Revocation.objects.create(
                    licence=licence,
                    breach=breach,
                    state=S.RECOMMENDED,
                    recommended_by=actor,
                    recommended_at=timezone.now(),
                    recommendation_reasons=reasons,
                )
        except IntegrityError as exc:
            raise TransitionError(_("A revocation of this licence is already under way.")) from exc
        breach.status = BreachStatus.REVOCATION_RECOMMENDED
        breach.save(update_fields=["status"])
        licence.save(update_fields=["updated_at"])
        record_event(
            actor=actor,
            type="revocation.recommended",
            subject=licence,
            revocation=revocation.pk,
            breach=breach.pk,
            reasons=reasons,
        )
    return revocation


def revocation_decide(*, actor: User, revocation: Revocation, revoke: bool, reasons: str) -> Revocation:
    """An approver other than the recommending reviewer decides. To revoke: the decision is the
    notice to the holder (`revocation.decided`, with the last day to contest); it takes effect
    after the contest period unless contested. Not to revoke: the breach is open again."""
    require(may_decide_revocation(actor), _("Only approvers may decide a revocation."))
    reasons = _reasons(reasons, _("Give the reasons for the decision."))
    today = timezone.localdate()
    with transaction.atomic():
        revocation = _locked(revocation, S.RECOMMENDED)
        if revocation.recommended_by_id == actor.pk:
            raise TransitionError(_("The official who recommended cannot decide (four eyes)."))
        breach = Breach.objects.select_for_update().get(pk=revocation.breach_id)
        if revoke and breach.status == BreachStatus.REMEDIED:
            raise TransitionError(_("The breach was remedied: the licence cannot be revoked for it."))
        revocation.decided_by, revocation.decided_at, revocation.decision_reasons = actor, timezone.now(), reasons
        fields = ["decided_by", "decided_at", "decision_reasons", "state", "updated_at"]
        if revoke:
            revocation.state = S.NOTIFIED
            revocation.notified_on, revocation.contest_by = today, contest_deadline(today)
            fields += ["notified_on", "contest_by"]
        else:
            revocation.state = S.DECLINED
            _breach_reopen(breach)
        revocation.save(update_fields=fields)
        revocation.licence.save(update_fields=["updated_at"])
        record_event(
            actor=actor,
            type="revocation.decided",
            subject=revocation.licence,
            revocation=revocation.pk,
            number=revocation.licence.number,
            revoked=revoke,
            decided_on=today.isoformat(),
            contest_by=revocation.contest_by.isoformat() if revoke else None,
            reasons=reasons,
        )
    return revocation


def _breach_reopen(breach: Breach) -> None:
    """A revocation that does not go ahead leaves its breach open (unless remedied meanwhile)."""
    if breach.status == BreachStatus.REVOCATION_RECOMMENDED:
        breach.status = BreachStatus.OPEN
        breach.save(update_fields=["status"])


def revocation_contest(
    *, actor: User, revocation: Revocation, reasons: str, confirmed: bool, uploads: Iterable[UploadedFile] = ()
) -> Revocation:
    """The holder's owners and managers contest a decided revocation within its period, with
    grounds and optional documents (through documents/, its checks apply). While the contest is
    open the revocation does not take effect (`revocation.contested` goes to reviewers too)."""
    require_applicant(actor, revocation.licence.holder_id)
    reasons = _reasons(reasons, _("Give the grounds of your contest."))
    _confirmed(confirmed)
    with transaction.atomic():
        revocation = _locked(revocation, S.NOTIFIED)
        if timezone.localdate() > revocation.contest_by:
            raise TransitionError(
                _("The period to contest ended on %(date)s.") % {"date": format_day(revocation.contest_by)}
            )
        revocation.state, revocation.contested_by, revocation.contested_at = S.CONTESTED, actor, timezone.now()
        revocation.contest_reasons = reasons
        revocation.save(update_fields=["state", "contested_by", "contested_at", "contest_reasons", "updated_at"])
        documents = []
        for upload in uploads:
            document = document_upload(actor=actor, upload=upload, kind="report", owner=revocation)
            RevocationDocument.objects.create(revocation=revocation, document=document)
            documents.append(str(document.uuid))
        revocation.licence.save(update_fields=["updated_at"])
        record_event(
            actor=actor,
            type="revocation.contested",
            subject=revocation.licence,
            revocation=revocation.pk,
            reasons=reasons,
            documents=documents,
        )
    return revocation


def revocation_contest_decide(*, actor: User, revocation: Revocation, uphold: bool, reasons: str) -> Revocation:
    """An approver decides a contest with reasons: upheld, the revocation takes effect now
    (`revocation.upheld`, then `revocation.effective`); allowed, it is cancelled and the licence
    stays (`revocation.allowed`; the breach is open again)."""
    require(may_decide_revocation(actor), _("Only approvers may decide a contest."))
    reasons = _reasons(reasons, _("Give the reasons for the decision on the contest."))
    with transaction.atomic():
        # The lock order of taking effect (the counter, the licence, then the revocation).
        priority_counter_locked()
        Licence.objects.select_for_update().get(pk=revocation.licence_id)
        revocation = _locked(revocation, S.CONTESTED)
        revocation.contest_decided_by, revocation.contest_decided_at = actor, timezone.now()
        revocation.contest_decision_reasons = reasons
        fields = ["contest_decided_by", "contest_decided_at", "contest_decision_reasons", "updated_at"]
        if not uphold:
            revocation.state = S.CANCELLED
            revocation.save(update_fields=[*fields, "state"])
            _breach_reopen(Breach.objects.select_for_update().get(pk=revocation.breach_id))
            revocation.licence.save(update_fields=["updated_at"])
        else:
            revocation.save(update_fields=fields)
        record_event(
            actor=actor,
            type="revocation.upheld" if uphold else "revocation.allowed",
            subject=revocation.licence,
            revocation=revocation.pk,
            reasons=reasons,
        )
        if uphold:
            _take_effect(actor, revocation)
    return revocation


def _take_effect(actor: User | None, revocation: Revocation) -> None:
    """The licence ends: the caller holds the counter, the licence and the revocation locked."""
    licence = Licence.objects.select_related("application").get(pk=revocation.licence_id)
    now = timezone.now()
    if licence.status != LicenceStatus.ACTIVE:
        revocation.state = S.LAPSED
        revocation.save(update_fields=["state", "updated_at"])
        return
    tenures = Tenure.objects.filter(licence=licence, is_active=True)
    blocks = sorted(tenures.values_list("block", flat=True))
    tenures.update(is_active=False, ended_at=now)
    licence.status = LicenceStatus.REVOKED
    licence.save(update_fields=["status", "updated_at"])
    revocation.state, revocation.effective_at = S.EFFECTIVE, now
    revocation.save(update_fields=["state", "effective_at", "updated_at"])
    record_event(
        actor=actor,
        type="revocation.effective",
        subject=licence,
        revocation=revocation.pk,
        number=licence.number,
        blocks=len(blocks),
        decided_on=revocation.notified_on.isoformat(),
        contest_by=revocation.contest_by.isoformat(),
        effective_on=timezone.localdate(now).isoformat(),
    )
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.REVOCATION, now=now)
    if blocks:
        region = licence.application.region if licence.application else ""
        ground_free_after_title(actor=None, blocks=blocks, reason=OpeningReason.REVOKED, region=region)


def revocation_take_effect(*, revocation: Revocation, today: date) -> bool:
    """Make a decided, uncontested revocation effective once its contest period ended before
    `today`. Returns whether this call did it: safe to run twice or from two workers at once
    (the licence and the revocation are locked and read again)."""
    with transaction.atomic():
        priority_counter_locked()
        Licence.objects.select_for_update().get(pk=revocation.licence_id)
        revocation = Revocation.objects.select_for_update().get(pk=revocation.pk)
        if revocation.state != S.NOTIFIED or revocation.contest_by >= today:
            return False
        _take_effect(None, revocation)
        return revocation.state == S.EFFECTIVE


def revocations_effective_due(*, today: date) -> list[str]:
    """The daily run: every revocation whose contest period ended uncontested takes effect.
    Returns the numbers of the licences revoked by this run."""
    due = (
        Revocation.objects.filter(state=S.NOTIFIED, contest_by__lt=today)
        .order_by("contest_by", "id")
        .values_list("pk", "licence_id", "licence__number")
    )
    done = []
    for pk, licence_id, number in list(due):
        if revocation_take_effect(revocation=Revocation(pk=pk, licence_id=licence_id), today=today):
            done.append(number)
    return done
