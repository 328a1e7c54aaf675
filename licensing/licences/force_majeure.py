"""Force majeure as the reason to extend a breach's remedy deadline: an official records it with
the document that shows it (uploaded through documents/, its checks apply) and reasons, and the
breach's notice to remedy gets a new, later date (`breach.deadline_extended` to the holder's
notice recipients). A breach whose revocation is recommended is extended too: the revocation
goes ahead only if the decider still finds the breach unremedied."""

from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.errors import TransitionError
from accounts.formatting import format_day
from accounts.models import User
from documents.services import document_upload
from events.services import record_event
from licensing.models import Breach, BreachStatus, ForceMajeure
from licensing.permissions import may_record_force_majeure, require


def force_majeure_record(
    *, actor: User, breach: Breach, reasons: str, remedy_by: date, document: UploadedFile
) -> ForceMajeure:
    """Record force majeure on an open breach and move its remedy deadline to `remedy_by`
    (later than the current one, not in the past). Refused to non-officials (PermissionDenied),
    without reasons or a document, or with an earlier date (ValidationError), and on a remedied
    breach (TransitionError)."""
    require(may_record_force_majeure(actor), _("Only officials may record force majeure."))
    reasons = (reasons or "").strip()
    errors: dict[str, list[str]] = {}
    if not reasons:
        errors["reasons"] = [_("Give the reasons: what happened, and why it stops the remedy.")]
    if document is None:
        errors["document"] = [_("Attach the document that shows the force majeure.")]
    if remedy_by is None or remedy_by <= timezone.localdate():
        errors["remedy_by"] = [_("The new remedy date must be in the future.")]
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        breach = Breach.objects.select_for_update().select_related("licence").get(pk=breach.pk)
        if breach.status == BreachStatus.REMEDIED:
            raise TransitionError(_("This breach is remedied: there is no deadline to extend."))
        if remedy_by <= breach.remedy_by:
            raise ValidationError(
                {
                    "remedy_by": [
                        _("The new remedy date must be later than %(date)s.") % {"date": format_day(breach.remedy_by)}
                    ]
                }
            )
        stored = document_upload(actor=actor, upload=document, kind="certificate", owner=breach)
        record = ForceMajeure.objects.create(
            breach=breach,
            recorded_by=actor,
            recorded_at=timezone.now(),
            reasons=reasons,
            previous_remedy_by=breach.remedy_by,
            remedy_by=remedy_by,
            document=stored,
        )
        breach.remedy_by = remedy_by
        breach.save(update_fields=["remedy_by"])
        breach.licence.save(update_fields=["updated_at"])
        record_event(
            actor=actor,
            type="breach.deadline_extended",
            subject=breach.licence,
            breach=breach.pk,
            previous_remedy_by=record.previous_remedy_by.isoformat(),
            remedy_by=remedy_by.isoformat(),
            reasons=reasons,
            document=str(stored.uuid),
        )
    return record
