"""Every write on a change of title, whatever its kind: lodge and withdraw (the holder's owners
and managers), recommend (a reviewer) and decide (an approver who did not recommend: four eyes,
held by the database too). The kind's own rules and effect come from `licensing.titles.kinds`.

Lock order: the priority counter (decisions only, as a grant and expiry take it), then the
licence, then the change; the one-open-change-per-licence unique index settles any race the
licence lock does not."""

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from documents.services import document_upload
from events.services import record_event
from licensing import calendar
from licensing.ground.services import priority_counter_locked
from licensing.models import (
    OPEN_TITLE_CHANGE_STATES,
    Licence,
    LicenceStatus,
    SecurityReview,
    TitleChange,
    TitleChangeDocument,
    TitleChangeKind,
    TitleChangeState,
)
from licensing.permissions import (
    may_answer_security_review,
    may_decide_title_change,
    may_recommend_title_change,
    may_record_preemptive_waiver,
    require,
    require_applicant,
)
from licensing.titles import kinds

S = TitleChangeState
# The kind of Document a change of title's files are checked as (documents.checks).
DOCUMENT_KIND = "report"
MAX_TEXT = 20000


def _open_change_refused() -> TransitionError:
    return TransitionError(_("Another change of title of this licence is being decided; wait for its decision."))


def _licence_locked(licence: Licence) -> Licence:
    related = Licence.objects.select_related("licence_type", "application")
    return related.select_for_update(of=("self",)).get(pk=licence.pk)


def _change_locked(change: TitleChange) -> TitleChange:
    return TitleChange.objects.select_for_update().select_related("licence").get(pk=change.pk)


def _payload(change: TitleChange, **extra: Any) -> dict[str, Any]:
    return {
        "number": change.number,
        "licence": change.licence.number,
        "kind": change.kind,
        "state": change.state,
        "holder": change.holder_id,
        **extra,
    }


def _refuse_problems(problems: list[str]) -> None:
    if problems:
        raise ValidationError(problems)


def title_change_lodge(
    *,
    actor: User,
    licence: Licence,
    kind: str,
    statement: str = "",
    documents: Sequence[UploadedFile] = (),
    **fields: Any,
) -> TitleChange:
    """The holder's owner or manager lodges a change of title of an active licence.

    `fields` are the kind's own (kinds.Kind.fields; anything else is a ValidationError). Refused
    with PermissionDenied to anyone else, ValidationError with the kind's problems (or a missing
    required document), TransitionError when the licence is not active or another change of it
    is open (also when two are lodged at once: the unique index decides, exactly one wins).
    The change is numbered TC-<year>-<sequence>, gets its decision date in working days
    (LICENSING_TITLE_CHANGE_WORKING_DAYS) and records `title_change.lodged`."""
    require_applicant(actor, licence.holder_id)
    spec = kinds.get(kind)
    unknown = set(fields) - set(spec.fields)
    if unknown:
        raise ValidationError({name: [_("Not part of this kind of change of title.")] for name in sorted(unknown)})
    if spec.document and not documents:
        raise ValidationError({"documents": [_("Attach the %(document)s.") % {"document": str(spec.document).lower()}]})
    with transaction.atomic():
        licence = _licence_locked(licence)
        if licence.status != LicenceStatus.ACTIVE:
            raise TransitionError(_("Only an active licence can be changed."))
        if TitleChange.objects.filter(licence=licence, state__in=OPEN_TITLE_CHANGE_STATES).exists():
            raise _open_change_refused()
        now = timezone.now()
        today = timezone.localdate(now)
        change = TitleChange(
            licence=licence,
            kind=spec.kind,
            state=spec.initial_state,
            holder_id=licence.holder_id,
            statement=(statement or "").strip()[:MAX_TEXT],
            lodged_by=actor,
            lodged_at=now,
            decide_by=calendar.add_working_days(today, settings.LICENSING_TITLE_CHANGE_WORKING_DAYS),
            number=f"TC-{today.year}-new-{licence.pk}",
            **fields,
        )
        spec.prepare(licence=licence, change=change)
        _refuse_problems(spec.problems(licence=licence, change=change))
        try:
            with transaction.atomic():
                change.save()
        except IntegrityError:
            raise _open_change_refused() from None
        # The sequence is the row's id: unique across years without a counter to lock.
        change.number = f"TC-{today.year}-{change.pk:06d}"
        change.save(update_fields=["number"])
        for upload in documents:
            document = document_upload(actor=actor, upload=upload, kind=DOCUMENT_KIND, owner=change)
            TitleChangeDocument.objects.create(
                title_change=change, document=document, description=str(spec.document or "")[:200]
            )
        licence.save(update_fields=["updated_at"])
        record_event(actor=actor, type="title_change.lodged", subject=change, **_payload(change))
    return change


def title_change_withdraw(*, actor: User, change: TitleChange) -> TitleChange:
    """The holder's owner or manager withdraws its change while it is open (TransitionError after)."""
    require_applicant(actor, change.holder_id)
    with transaction.atomic():
        _licence_locked(change.licence)
        change = _change_locked(change)
        if not change.is_open:
            raise TransitionError(_("This change of title is decided; it can no longer be withdrawn."))
        change.state = S.WITHDRAWN
        change.save(update_fields=["state", "updated_at"])
        record_event(actor=actor, type="title_change.withdrawn", subject=change, **_payload(change))
    return change


def _reasons(reasons: str) -> str:
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons.")]})
    return reasons[:MAX_TEXT]


def title_change_recommend(*, actor: User, change: TitleChange, approve: bool, reasons: str) -> TitleChange:
    """A reviewer recommends approval or refusal of a change under review, with reasons; the change
    then waits for another official's decision. Records `title_change.recommended` (internal)."""
    require(may_recommend_title_change(actor), _("Only reviewers may recommend a decision."))
    reasons = _reasons(reasons)
    with transaction.atomic():
        change = _change_locked(change)
        if change.state != S.UNDER_REVIEW:
            raise TransitionError(_("This change of title is not under review; it cannot be recommended now."))
        change.state = S.RECOMMENDED
        change.recommended_by, change.recommended_at = actor, timezone.now()
        change.recommend_approval, change.recommendation_reasons = approve, reasons
        change.save(
            update_fields=[
                "state",
                "recommended_by",
                "recommended_at",
                "recommend_approval",
                "recommendation_reasons",
                "updated_at",
            ]
        )
        record_event(actor=actor, type="title_change.recommended", subject=change, **_payload(change, approve=approve))
    return change


def title_change_decide(*, actor: User, change: TitleChange, approve: bool, reasons: str) -> TitleChange:
    """An approver who did not recommend decides a recommended change, with reasons (PermissionDenied
    to the recommender; the database's four-eyes constraint holds it too). An approval checks the
    kind's problems again (ValidationError with them: refuse instead) and applies the kind's effect
    in the same transaction, with a new certificate version. Records `title_change.approved` or
    `title_change.refused`."""
    require(may_decide_title_change(actor), _("Only approvers may decide."))
    reasons = _reasons(reasons)
    with transaction.atomic():
        priority_counter_locked()
        licence = _licence_locked(change.licence)
        change = _change_locked(change)
        if change.state != S.RECOMMENDED:
            raise TransitionError(_("This change of title has no recommendation to decide on."))
        if change.recommended_by_id == actor.pk:
            raise PermissionDenied(_("You recommended this change of title; another official must decide."))
        now = timezone.now()
        if approve:
            spec = kinds.get(change.kind)
            _refuse_problems(spec.problems(licence=licence, change=change))
            spec.apply(actor=actor, change=change, now=now)
        change.state = S.APPROVED if approve else S.REFUSED
        change.decided_by, change.decided_at, change.decision_reasons = actor, now, reasons
        change.save(update_fields=["state", "decided_by", "decided_at", "decision_reasons", "updated_at"])
        Licence.objects.filter(pk=licence.pk).update(updated_at=now)
        event = "title_change.approved" if approve else "title_change.refused"
        record_event(actor=actor, type=event, subject=change, **_payload(change))
    return change


# A transfer's own steps: the transferee answers, the security agency answers, an official records
# the waiver of the state's pre-emptive right.


def _transfer_locked(change: TitleChange) -> TitleChange:
    change = (
        TitleChange.objects.select_for_update(of=("self",)).select_related("licence", "transferee").get(pk=change.pk)
    )
    if change.kind != TitleChangeKind.TRANSFER:
        raise TransitionError(_("This change of title is not a transfer."))
    return change


def title_change_accept(*, actor: User, change: TitleChange) -> TitleChange:
    """The transferee's owner or manager accepts a transfer awaiting it (PermissionDenied to anyone
    else, the holder too): it goes under review and is referred to the national-security review.
    Records `title_change.accepted` and `title_change.security_review_referred`."""
    require_applicant(actor, change.transferee_id)
    with transaction.atomic():
        _licence_locked(change.licence)
        change = _transfer_locked(change)
        if change.state != S.AWAITING_ACCEPTANCE:
            raise TransitionError(_("This transfer is not waiting for the transferee's answer."))
        change.state = S.UNDER_REVIEW
        change.accepted_by, change.accepted_at = actor, timezone.now()
        change.security_review = SecurityReview.REFERRED
        change.save(update_fields=["state", "accepted_by", "accepted_at", "security_review", "updated_at"])
        record_event(actor=actor, type="title_change.accepted", subject=change, **_payload(change))
        record_event(
            actor=actor,
            type="title_change.security_review_referred",
            subject=change,
            **_payload(change, country=str(change.transferee.country)),
        )
    return change


def title_change_decline(*, actor: User, change: TitleChange) -> TitleChange:
    """The transferee's owner or manager declines a transfer awaiting it: it lapses (withdrawn, no
    official decides it) and the licence may be changed again. Records `title_change.declined`."""
    require_applicant(actor, change.transferee_id)
    with transaction.atomic():
        _licence_locked(change.licence)
        change = _transfer_locked(change)
        if change.state != S.AWAITING_ACCEPTANCE:
            raise TransitionError(_("This transfer is not waiting for the transferee's answer."))
        change.state = S.WITHDRAWN
        change.save(update_fields=["state", "updated_at"])
        record_event(actor=actor, type="title_change.declined", subject=change, **_payload(change))
    return change


def title_change_security_review(*, actor: User, change: TitleChange, cleared: bool, note: str) -> TitleChange:
    """The reviewing agency's answer on a transfer referred to it: cleared, or objected (an approval
    is then impossible: the officials refuse). TransitionError when it is not referred now.
    Records `title_change.security_review_answered`."""
    require(may_answer_security_review(actor), _("Only the reviewing agency may answer the security review."))
    with transaction.atomic():
        change = _transfer_locked(change)
        if not change.is_open or change.security_review != SecurityReview.REFERRED:
            raise TransitionError(_("This transfer is not waiting for a security review answer."))
        change.security_review = SecurityReview.CLEARED if cleared else SecurityReview.OBJECTED
        change.security_review_note = (note or "").strip()[:MAX_TEXT]
        change.security_reviewed_at = timezone.now()
        change.save(update_fields=["security_review", "security_review_note", "security_reviewed_at", "updated_at"])
        record_event(
            actor=actor,
            type="title_change.security_review_answered",
            subject=change,
            **_payload(change, security_review=change.security_review),
        )
    return change


def title_change_record_preemptive_waiver(*, actor: User, change: TitleChange, waiver: str) -> TitleChange:
    """An official records the competent body's waiver of the state's pre-emptive right on an open
    transfer where it applies (its text; who and when are kept). Records
    `title_change.preemptive_waiver_recorded`."""
    require(may_record_preemptive_waiver(actor), _("Only reviewers and approvers may record the waiver."))
    waiver = (waiver or "").strip()
    if not waiver:
        raise ValidationError({"waiver": [_("Give the text of the competent body's waiver.")]})
    with transaction.atomic():
        change = _transfer_locked(change)
        if not change.is_open or not change.preemptive_right_applies:
            raise TransitionError(_("The state's pre-emptive right does not bind this transfer now."))
        if change.preemptive_waived_at is not None:
            raise TransitionError(_("The waiver is already recorded."))
        change.preemptive_waiver = waiver[:MAX_TEXT]
        change.preemptive_waived_by, change.preemptive_waived_at = actor, timezone.now()
        change.save(update_fields=["preemptive_waiver", "preemptive_waived_by", "preemptive_waived_at", "updated_at"])
        record_event(actor=actor, type="title_change.preemptive_waiver_recorded", subject=change, **_payload(change))
    return change
