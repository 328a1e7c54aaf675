"""Changes of title: an extension of term, a relinquishment of some blocks, a transfer to another
organisation, or the surrender of the whole licence. Each is an application of its own kind,
lodged by the holder, decided as a case with four eyes, and, when approved, issues a new
certificate version (DESIGN.md "The life of a licence").

The database holds the rules it can: at most one change of title open on a licence at a time
(a transfer and a relinquishment lodged at once: the second is refused by the unique index),
and the official who decides is not the one who recommended."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from documents.models import Document
from investors.models import Organisation
from licensing.models.licences import Licence


class TitleChangeKind(models.TextChoices):
    EXTENSION = "extension", pgettext_lazy("change of title", "Extension of term")
    RELINQUISHMENT = "relinquishment", pgettext_lazy("change of title", "Relinquishment")
    TRANSFER = "transfer", pgettext_lazy("change of title", "Transfer")
    SURRENDER = "surrender", pgettext_lazy("change of title", "Surrender")


class TitleChangeState(models.TextChoices):
    # A transfer waits for the receiving organisation to accept before officials review it.
    AWAITING_ACCEPTANCE = "awaiting_acceptance", pgettext_lazy("change of title state", "Awaiting the transferee")
    UNDER_REVIEW = "under_review", pgettext_lazy("change of title state", "Under review")
    RECOMMENDED = "recommended", pgettext_lazy("change of title state", "Recommended")
    APPROVED = "approved", pgettext_lazy("change of title state", "Approved")
    REFUSED = "refused", pgettext_lazy("change of title state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("change of title state", "Withdrawn")


OPEN_TITLE_CHANGE_STATES = (
    TitleChangeState.AWAITING_ACCEPTANCE,
    TitleChangeState.UNDER_REVIEW,
    TitleChangeState.RECOMMENDED,
)


class SecurityReview(models.TextChoices):
    """The national-security review every transfer gets (answered by a partner agency via the API)."""

    NOT_REQUIRED = "not_required", pgettext_lazy("security review", "Not required")
    REFERRED = "referred", pgettext_lazy("security review", "Referred")
    CLEARED = "cleared", pgettext_lazy("security review", "Cleared")
    OBJECTED = "objected", pgettext_lazy("security review", "Objected")


class TitleChange(models.Model):
    number = models.CharField(_("number"), max_length=32, unique=True)
    licence = models.ForeignKey(
        Licence, verbose_name=_("licence"), on_delete=models.PROTECT, related_name="title_changes"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=TitleChangeKind.choices)
    state = models.CharField(_("state"), max_length=24, choices=TitleChangeState.choices, editable=False)
    # The holder when it was lodged (a transfer changes the licence's holder when approved).
    holder = models.ForeignKey(Organisation, verbose_name=_("holder"), on_delete=models.PROTECT, related_name="+")
    statement = models.TextField(_("the holder's statement"), blank=True)
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(_("lodged"))
    # The service-time clock, in working days, as for licence applications.
    decide_by = models.DateField(_("to be decided by"), null=True, blank=True)

    # Extension: how many years, and the expiry it would give.
    extension_years = models.PositiveSmallIntegerField(_("extension, years"), null=True, blank=True)
    new_expires_on = models.DateField(_("new expiry"), null=True, blank=True)
    # Relinquishment: the block ids given up (the rest stay with the licence).
    blocks = models.JSONField(_("blocks given up"), default=list, blank=True)
    # Transfer: the receiving organisation, its acceptance, the security review, the
    # state's pre-emptive right (only where the ground is strategic) and its waiver.
    transferee = models.ForeignKey(
        Organisation,
        verbose_name=_("transferee"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="incoming_title_changes",
    )
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    accepted_at = models.DateTimeField(_("accepted by the transferee"), null=True, blank=True)
    security_review = models.CharField(
        _("national-security review"),
        max_length=16,
        choices=SecurityReview.choices,
        default=SecurityReview.NOT_REQUIRED,
    )
    security_review_note = models.TextField(_("security review answer"), blank=True)
    security_reviewed_at = models.DateTimeField(_("security review answered"), null=True, blank=True)
    preemptive_right_applies = models.BooleanField(_("the state's pre-emptive right applies"), default=False)
    preemptive_waiver = models.TextField(_("waiver of the pre-emptive right"), blank=True)
    preemptive_waived_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    preemptive_waived_at = models.DateTimeField(_("pre-emptive right waived"), null=True, blank=True)

    # Four eyes: one official recommends, another decides.
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    recommended_at = models.DateTimeField(_("recommended"), null=True, blank=True)
    recommend_approval = models.BooleanField(_("recommends approval"), null=True, blank=True)
    recommendation_reasons = models.TextField(_("reasons for the recommendation"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_reasons = models.TextField(_("reasons for the decision"), blank=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        verbose_name = _("change of title")
        verbose_name_plural = _("changes of title")
        ordering = ["-lodged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["licence"],
                condition=Q(state__in=[s.value for s in OPEN_TITLE_CHANGE_STATES]),
                name="title_change_one_open_per_licence",
                violation_error_message=_("Another change of title of this licence is being decided."),
            ),
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=models.F("recommended_by")),
                name="title_change_four_eyes",
                violation_error_message=_("The official who recommended cannot decide."),
            ),
            models.CheckConstraint(
                condition=~Q(kind="transfer") | Q(transferee__isnull=False),
                name="title_change_transfer_names_transferee",
            ),
            models.CheckConstraint(
                condition=~Q(kind="extension") | Q(extension_years__gte=1),
                name="title_change_extension_has_years",
            ),
        ]
        indexes = [
            models.Index(fields=["state", "kind"], name="title_change_state_kind_idx"),
            # The API's list, newest lodged first, a page at a time (its cursor: lodged_at, id).
            models.Index(fields=["lodged_at", "id"], name="title_change_lodged_idx"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_TITLE_CHANGE_STATES


class TitleChangeDocument(models.Model):
    """A file lodged with a change of title through documents/ (a final report, a deed of
    transfer, a plan of the relinquished ground)."""

    title_change = models.ForeignKey(TitleChange, on_delete=models.CASCADE, related_name="documents")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")
    description = models.CharField(_("description"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("change of title document")
        verbose_name_plural = _("change of title documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.title_change_id}:{self.document_id}"
