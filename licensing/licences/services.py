"""Issuing a licence on a grant: its number, tenures on its blocks, its obligations, its
certificate, its first invoices (the signature bonus and year 1's area fee), and the later
claims excised."""

import hashlib
from collections import defaultdict
from datetime import datetime

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.models import User
from accounts.roles import is_official
from events.services import record_event
from licensing.domain import grid
from licensing.ground.selectors import block_codes
from licensing.licences import breaches, certificates, money, pdf_base, publication, signing
from licensing.licences.selectors import holder_language, licences_queryset, obligations
from licensing.models import (
    Application,
    CertificateReason,
    CertificateVersion,
    Claim,
    ClaimStatus,
    Licence,
    LicenceObligation,
    LicenceStatus,
    ObligationKind,
    Tenure,
)
from licensing.permissions import may_waive_obligation, require


def licence_issue(actor: User, application: Application, now: datetime) -> Licence:
    claims = list(application.claims.filter(status=ClaimStatus.LIVE))
    if any(c.contested for c in claims):
        raise TransitionError(_("Some blocks are contested in an opening window; the auction must be decided first."))
    blocks = [c.block for c in claims]
    earlier = (
        Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE, rank__lt=application.priority_number)
        .exclude(application=application)
        .values_list("block", "application__priority_number")
    )
    waiting = {b: f"A-{p:06d}" for b, p in earlier}
    if waiting:
        raise TransitionError(
            _("Blocks %(codes)s are still claimed by earlier applications (%(refs)s); decide those first.")
            % {"codes": block_codes(waiting), "refs": ", ".join(sorted(set(waiting.values())))}
        )
    if not blocks:
        raise TransitionError(_("No blocks remain in this application; it can only be refused."))
    licence_type = application.licence_type
    year = timezone.localdate(now).year
    prefix = f"KZ-{licence_type.number_prefix}-{year}-"
    sequence = Licence.objects.filter(number__startswith=prefix).count() + 1
    starts = timezone.localdate(now)
    licence = Licence.objects.create(
        number=f"{prefix}{sequence:06d}",
        holder=application.organisation,
        licence_type=licence_type,
        application=application,
        granted_at=now,
        starts_on=starts,
        expires_on=starts + relativedelta(years=licence_type.term_years),
    )
    converted = _conversion_release(application, blocks, now) if application.converts_id else None
    Tenure.objects.bulk_create(Tenure(licence=licence, block=b, started_at=now) for b in blocks)
    LicenceObligation.objects.bulk_create(obligation_schedule(licence=licence, blocks=blocks))
    Claim.objects.filter(pk__in=[c.pk for c in claims]).update(status=ClaimStatus.GRANTED)
    later = Claim.objects.filter(block__in=blocks, status=ClaimStatus.LIVE).exclude(application=application)
    excised: dict[int, list[int]] = defaultdict(list)
    for application_id, block in later.values_list("application_id", "block"):
        excised[application_id].append(block)
    later.update(status=ClaimStatus.EXCISED)
    for loser in Application.objects.filter(pk__in=excised):
        record_event(
            actor=actor,
            type="application.blocks_excised",
            subject=loser,
            blocks=[grid.code(b) for b in excised[loser.pk]],
            licence=licence.number,
            organisation=loser.organisation_id,
        )
    record_event(
        actor=actor,
        type="licence.granted",
        subject=licence,
        application=application.pk,
        blocks=len(blocks),
        holder=application.organisation_id,
    )
    certificate_issue(actor=actor, licence=licence, reason=CertificateReason.GRANT, now=now)
    money.invoices_at_grant(licence=licence, now=now)
    if converted is not None:
        _conversion_record(actor, converted, licence, blocks, now)
    return licence


def _conversion_release(application: Application, blocks: list[int], now: datetime) -> Licence:
    """A conversion's grant: the exploration licence's tenures on the blocks end at `now`, in the
    grant's transaction, just before the mining licence's begin at the same instant (no gap; the
    one-active-tenure-per-block index holds throughout). No ground opens for them. Refused if the
    licence is no longer active or no longer holds every block (a relinquishment, an expiry)."""
    exploration = Licence.objects.select_for_update().get(pk=application.converts_id)
    tenures = Tenure.objects.filter(licence=exploration, block__in=blocks, is_active=True)
    held = set(tenures.values_list("block", flat=True))
    if exploration.status != LicenceStatus.ACTIVE or held != set(blocks):
        raise TransitionError(
            _("Licence %(number)s no longer holds every block of this conversion (%(codes)s); it can only be refused.")
            % {"number": exploration.number, "codes": block_codes(set(blocks) - held) or exploration.number}
        )
    # Both fields at once: the database holds that an active tenure has no end.
    tenures.update(is_active=False, ended_at=now)
    return exploration


def _conversion_record(actor: User, exploration: Licence, mining: Licence, blocks: list[int], now: datetime) -> None:
    """The exploration licence's new certificate (reason: conversion) and `licence.converted`.
    Its status stays as it is, even with no blocks left: the term and what it owes run on."""
    remaining = Tenure.objects.filter(licence=exploration, is_active=True).count()
    record_event(
        actor=actor,
        type="licence.converted",
        subject=exploration,
        number=exploration.number,
        blocks=[grid.code(b) for b in sorted(blocks)],
        mining_licence=mining.number,
        remaining=remaining,
        holder=exploration.holder_id,
    )
    certificate_issue(actor=actor, licence=exploration, reason=CertificateReason.CONVERSION, now=now)


def certificate_issue(*, actor: User | None, licence: Licence, reason: str, now: datetime) -> CertificateVersion:
    """Render the licence's certificate as it stands, store the file and record it as the next
    version (1 for a grant), with the SHA-256 of the stored bytes.

    The caller holds the licence's transaction (a grant, a change of title). The file is written
    first and the row created after it in that transaction, so a row always has its file; if the
    transaction fails the row is gone and the file is left behind unreferenced (deleted at once
    when the failure is here). The licence is saved too: its certificate is part of what
    `changed_since` reports."""
    licence = licences_queryset().prefetch_related("obligations").select_for_update(of=("self",)).get(pk=licence.pk)
    language = holder_language(licence.holder)
    # A grant names who decided the application (the default); a later version, the official acting.
    official = actor if reason != CertificateReason.GRANT and actor is not None and is_official(actor) else None
    content = certificates.licence_certificate_pdf(licence, language, official=official)
    content = signing.sign(content, reason=_certificate_reason(reason), location=certificates.verify_url(licence))
    sha256 = hashlib.sha256(content).hexdigest()
    latest = licence.certificate_versions.aggregate(latest=Max("version"))["latest"] or 0
    version = CertificateVersion(
        licence=licence,
        version=latest + 1,
        issued_at=now,
        reason=reason,
        sha256=sha256,
        languages=certificates.certificate_languages(language),
    )
    version.file.save(f"v{version.version}-{sha256[:16]}.pdf", ContentFile(content), save=False)
    try:
        with transaction.atomic():
            version.save()
            licence.save(update_fields=["updated_at"])
            # The certificate shows the ground as it now stands: so does the open data's outline.
            publication.licence_outline_write(licence=licence)
            record_event(
                actor=actor, type="licence.certificate_issued", subject=licence, version=version.version, sha256=sha256
            )
    except Exception:
        version.file.delete(save=False)
        raise
    return version


def _certificate_reason(reason: str) -> str:
    """The signature's reason (shown by PDF readers), in Kazakh and English: fixed, whoever signs."""
    label = CertificateReason(reason).label
    parts = []
    for language in (pdf_base.STATE_LANGUAGE, "en"):
        with translation.override(language):
            parts.append(_("Licence certificate issued: %(reason)s") % {"reason": label})
    return " / ".join(dict.fromkeys(parts))


def certificate_current(*, actor: User | None, licence: Licence) -> CertificateVersion:
    """The licence's current certificate version. A licence granted before certificates were kept
    has none: its version 1 is issued now, once (the licence row is locked, so two first
    downloads at once issue one version), as of its grant."""
    current = licence.certificate_versions.order_by("-version").first()
    if current is not None:
        return current
    with transaction.atomic():
        Licence.objects.select_for_update().filter(pk=licence.pk).first()
        current = licence.certificate_versions.order_by("-version").first()
        if current is None:
            current = certificate_issue(
                actor=actor, licence=licence, reason=CertificateReason.GRANT, now=licence.granted_at
            )
    return current


def obligation_schedule(
    *, licence: Licence, blocks: list[int], from_year: int = 1, to_year: int | None = None
) -> list[LicenceObligation]:
    """The licence's duties year by year: rent and minimum expenditure (in MCI and at the MCI
    known now), the annual work and local-content reports (due a quarter after each licence
    year ends) and relinquishment at the end of the years its type sets. `from_year` and
    `to_year` (default: the type's term) give the years of an extended term only."""
    last = to_year or licence.licence_type.term_years
    duty = obligations(licence_type=licence.licence_type, blocks=blocks, start=licence.starts_on, years=last)
    rows = []
    for year in duty.years[from_year - 1 :]:
        starts = licence.starts_on + relativedelta(years=year.year - 1)
        ends = licence.starts_on + relativedelta(years=year.year, days=-1)
        rows += [
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.RENT,
                licence_year=year.year,
                due_on=starts,
                amount_mci=year.rent_mci,
                amount_kzt=year.rent_kzt,
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.EXPENDITURE,
                licence_year=year.year,
                due_on=ends,
                amount_mci=year.expenditure_mci,
                amount_kzt=year.expenditure_kzt,
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.WORK_REPORT,
                licence_year=year.year,
                due_on=ends + relativedelta(months=3),
            ),
            LicenceObligation(
                licence=licence,
                kind=ObligationKind.LOCAL_CONTENT_REPORT,
                licence_year=year.year,
                due_on=ends + relativedelta(months=3),
            ),
        ]
    for rule in licence.licence_type.relinquishments.all():
        if from_year <= rule.after_year <= last:
            rows.append(
                LicenceObligation(
                    licence=licence,
                    kind=ObligationKind.RELINQUISHMENT,
                    licence_year=rule.after_year,
                    due_on=licence.starts_on + relativedelta(years=rule.after_year, days=-1),
                    percent=rule.percent,
                )
            )
    return rows


# The ledger: an obligation met or waived ----------------------------------------------------


def _open_obligation(obligation: LicenceObligation) -> LicenceObligation:
    """The obligation locked for the change, refused if it is already met or waived."""
    locked = LicenceObligation.objects.select_for_update().select_related("licence").get(pk=obligation.pk)
    if locked.waived_at is not None:
        raise TransitionError(_("This obligation was already waived."))
    if locked.met_at is not None:
        raise TransitionError(_("This obligation is already met."))
    return locked


def obligation_waive(*, actor: User, obligation: LicenceObligation, reasons: str) -> LicenceObligation:
    """An official waives an obligation, with the reasons (the holder reads them on its ledger):
    it no longer counts as due, late or short. Refused to anyone else (PermissionDenied), without
    reasons (ValidationError), or when the obligation is already met or waived (TransitionError).
    Records `obligation.waived` once, with the licence saved (its ledger changed)."""
    require(may_waive_obligation(actor), _("Only officials may waive a licence obligation."))
    reasons = (reasons or "").strip()
    if not reasons:
        raise ValidationError({"reasons": [_("Give the reasons for the waiver.")]})
    with transaction.atomic():
        obligation = _open_obligation(obligation)
        obligation.waived_at = timezone.now()
        obligation.waived_by = actor
        obligation.waiver_reason = reasons
        obligation.save(update_fields=["waived_at", "waived_by", "waiver_reason"])
        _obligation_settled(actor, obligation, "obligation.waived", reasons=reasons)
    return obligation


def obligation_meet(*, actor: User | None, obligation: LicenceObligation) -> LicenceObligation:
    """Record that an obligation is met (an invoice paid in full, a report accepted, blocks given
    up): the services that decide it call this inside their own transaction, with the person or
    partner who acted. Refused when already met or waived (TransitionError): a caller that may
    meet twice (a repeated payment notice) checks `met_at` first. Records `obligation.met`."""
    with transaction.atomic():
        obligation = _open_obligation(obligation)
        obligation.met_at = timezone.now()
        obligation.save(update_fields=["met_at"])
        _obligation_settled(actor, obligation, "obligation.met")
    return obligation


def _obligation_settled(actor: User | None, obligation: LicenceObligation, type: str, **extra: str) -> None:
    """The licence changed (partners' changed_since sees it) and the event says which obligation;
    an open breach of it is remedied."""
    obligation.licence.save(update_fields=["updated_at"])
    breaches.breach_remedy(actor=actor, obligation=obligation)
    record_event(
        actor=actor,
        type=type,
        subject=obligation.licence,
        obligation=obligation.pk,
        kind=obligation.kind,
        licence_year=obligation.licence_year,
        due_on=obligation.due_on.isoformat(),
        **extra,
    )
