"""Revocation of a licence for a breach not remedied by its deadline, and force majeure recorded
as the reason to extend a breach's remedy deadline (DESIGN.md "The life of a licence").

A revocation is recommended by one official and decided by another; the decision is the notice
to the holder, who has 15 working days to contest it before it takes effect. A contest is a
case on the workbench: upheld (the revocation takes effect) or allowed (it is cancelled).

The database holds the rules it can: at most one revocation open on a licence, the official
who decides is not the one who recommended, and a force majeure extension moves the deadline
later."""

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import Document
from licensing.models.licences import Licence
from licensing.models.reports import Breach


class RevocationState(models.TextChoices):
    RECOMMENDED = "recommended", pgettext_lazy("revocation state", "Recommended")
    # Decided and notified to the holder: the contest period runs.
    NOTIFIED = "notified", pgettext_lazy("revocation state", "Decided, contest period running")
    CONTESTED = "contested", pgettext_lazy("revocation state", "Contested")
    EFFECTIVE = "effective", pgettext_lazy("revocation state", "In effect")
    # The deciding official did not revoke.
    DECLINED = "declined", pgettext_lazy("revocation state", "Not revoked")
    # The holder's contest was allowed: the licence stays.
    CANCELLED = "cancelled", pgettext_lazy("revocation state", "Cancelled on contest")
    # The licence ended otherwise (expiry, surrender) before the revocation took effect.
    LAPSED = "lapsed", pgettext_lazy("revocation state", "Lapsed")


OPEN_REVOCATION_STATES = (RevocationState.RECOMMENDED, RevocationState.NOTIFIED, RevocationState.CONTESTED)


class Revocation(models.Model):
    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="revocations"
    )
    breach = models.ForeignKey(Breach, verbose_name=_("breach"), on_delete=models.PROTECT, related_name="revocations")
    state = models.CharField(_("state"), max_length=16, choices=RevocationState.choices, editable=False)

    recommended_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recommended_at = models.DateTimeField(_("recommended"))
    recommendation_reasons = models.TextField(_("reasons for the recommendation"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    # The notice is the decision; the holder may contest up to and including `contest_by`.
    notified_on = models.DateField(_("notice given"), null=True, blank=True)
    contest_by = models.DateField(_("may be contested until"), null=True, blank=True)

    contested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contested_at = models.DateTimeField(_("contested"), null=True, blank=True)
    contest_reasons = models.TextField(_("the holder's grounds of contest"), blank=True)
    contest_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    contest_decided_at = models.DateTimeField(_("contest decided"), null=True, blank=True)
    contest_decision_reasons = models.TextField(_("reasons for the contest decision"), blank=True)

    effective_at = models.DateTimeField(_("took effect"), null=True, blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("revocation")
        verbose_name_plural = _("revocations")
        ordering = ["-recommended_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence"],
                condition=Q(state__in=[s.value for s in OPEN_REVOCATION_STATES]),
                name="revocation_one_open_per_licence",
                violation_error_message=_("A revocation of this licence is already under way."),
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("recommended_by")),
                name="revocation_four_eyes",
                violation_error_message=_("The official who recommended cannot decide."),
            ),
            models.CheckConstraint(
                condition=~Q(state__in=["notified", "contested", "effective", "cancelled"])
                | Q(decided_by__isnull=False, contest_by__isnull=False),
                name="revocation_decided_has_contest_period",
            ),
            models.CheckConstraint(
                condition=~Q(state="effective") | Q(effective_at__isnull=False),
                name="revocation_effective_has_date",
            ),
        ]
        indexes = [models.Index(fields=["state", "contest_by"], name="revocation_state_contest_idx")]

    def __str__(self) -> str:
        return f"{self.licence_id}:{self.pk}:{self.state}"

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_REVOCATION_STATES


class RevocationDocument(models.Model):
    """A file the holder lodged with its contest, through documents/ (its checks apply)."""

    revocation = models.ForeignKey(Revocation, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("contest document")
        verbose_name_plural = _("contest documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.revocation_id}:{self.document_id}"


class ForceMajeure(models.Model):
    """Force majeure recorded by an official as the reason to extend a breach's remedy deadline,
    with the document that shows it."""

    breach = models.ForeignKey(Breach, verbose_name=_("breach"), on_delete=models.PROTECT, related_name="force_majeure")
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(_("recorded"))
    reasons = models.TextField(_("reasons"))
    previous_remedy_by = models.DateField(_("remedy by, before"))
    remedy_by = models.DateField(_("remedy by, extended to"))
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("force majeure")
        verbose_name_plural = _("force majeure")
        ordering = ["-recorded_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(remedy_by__gt=F("previous_remedy_by")),
                name="force_majeure_extends_the_deadline",
                violation_error_message=_("The new remedy date must be later than the current one."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.breach_id}:{self.remedy_by}"
