"""Applications and what hangs on them: work programme, documents, information requests,
objections, the assessment and internal case notes."""

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from deposits.models import Region
from documents.kinds import kind_choices
from documents.models import Document
from investors.models import Organisation
from licensing.models.catalogue import LicenceType, RequiredDocument
from licensing.models.states import ApplicationState


class Application(models.Model):
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("applicant"), on_delete=models.PROTECT, related_name="applications"
    )
    licence_type = models.ForeignKey(
        LicenceType, verbose_name=_("licence type"), on_delete=models.PROTECT, related_name="applications"
    )
    title = models.CharField(_("name of the project"), max_length=200)
    region = models.CharField(_("region"), max_length=32, choices=Region.choices)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.DRAFT, editable=False
    )
    blocks = models.JSONField(_("blocks"), default=list, blank=True, help_text=_("Block ids, as drafted."))
    # A conversion: the holder of this exploration licence applies for a mining licence over
    # blocks of it, with priority over anyone else (its blocks stay held by the licence until
    # the grant moves them; licensing.ground.selectors.blocks_check).
    converts = models.ForeignKey(
        "licensing.Licence",
        verbose_name=_("converts the licence"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="conversions",
        editable=False,
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    # Local-content commitments, scored in assessment and reported on every year.
    kazakh_staff_percent = models.DecimalField(
        _("Kazakh staff (share of the workforce, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    local_goods_percent = models.DecimalField(
        _("local goods and services (share of purchases, %)"), max_digits=5, decimal_places=2, null=True, blank=True
    )
    in_country_processing = models.BooleanField(_("processing in Kazakhstan"), default=False)
    processing_plan = models.TextField(_("processing plan"), blank=True)
    training_spend_kzt = models.DecimalField(
        _("training spend per year, KZT"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    declared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    declared_at = models.DateTimeField(_("declared"), null=True, blank=True)
    # Lodgement: set once, in the transaction that lodges.
    priority_number = models.BigIntegerField(_("priority number"), null=True, blank=True, unique=True, editable=False)
    lodged_at = models.DateTimeField(_("lodged"), null=True, blank=True, editable=False)
    received_at = models.DateTimeField(
        _("deemed received"), null=True, blank=True, editable=False, help_text=_("Out of hours: the next opening.")
    )
    lodged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    # The clock of the current stage, in working days.
    stage_started_at = models.DateTimeField(_("stage started"), null=True, blank=True, editable=False)
    stage_due_on = models.DateField(_("stage due"), null=True, blank=True, editable=False)
    clock_remaining = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    resume_state = models.CharField(max_length=20, blank=True, editable=False)
    objection_closes_on = models.DateField(_("objections close"), null=True, blank=True, editable=False)
    screening_required = models.BooleanField(_("screening required"), default=False, editable=False)
    recommendation = models.CharField(_("recommendation"), max_length=8, blank=True, editable=False)
    recommended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True, editable=False)
    reasons = models.TextField(_("reasons"), blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    late_stages = models.PositiveSmallIntegerField(_("stages finished after their target"), default=0, editable=False)

    class Meta:
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        ordering = ["-priority_number", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(state=ApplicationState.DRAFT) | Q(priority_number__isnull=False, lodged_at__isnull=False),
                name="application_lodged_has_priority",
            ),
            models.CheckConstraint(
                condition=~Q(state=ApplicationState.GRANTED) | ~Q(decided_by=models.F("recommended_by")),
                name="application_four_eyes",
                violation_error_message=_("The person who recommended cannot decide."),
            ),
            *[
                models.CheckConstraint(
                    condition=Q(**{f"{f}__gte": 0, f"{f}__lte": 100}) | Q(**{f"{f}__isnull": True}),
                    name=f"application_{f}_percent",
                    violation_error_message=_("A share is between 0 and 100 percent."),
                )
                for f in ("kazakh_staff_percent", "local_goods_percent")
            ],
        ]
        indexes = [
            models.Index(fields=["state", "stage_due_on"], name="application_queue_idx"),
            # The API pages applications by last change (a cursor on updated_at, id).
            models.Index(fields=["updated_at", "id"], name="application_changed_idx"),
            # The register's search by project name, any part, any case (icontains is
            # UPPER(title) LIKE …): pg_trgm's index, PostgreSQL only (migration 0017).
            GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="application_title_trgm"),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("licensing:application-detail", kwargs={"pk": self.pk})

    @property
    def reference(self) -> str:
        if self.priority_number:
            return f"A-{self.priority_number:06d}"
        return _("Draft %(id)s") % {"id": self.pk}

    @property
    def state_label(self) -> str:
        return str(ApplicationState(self.state).label)


class WorkProgrammeYear(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="programme")
    year = models.PositiveSmallIntegerField(_("licence year"))
    activities = models.TextField(_("planned work"))
    expenditure_kzt = models.DecimalField(_("planned expenditure, KZT"), max_digits=16, decimal_places=2)

    class Meta:
        verbose_name = _("year of the work programme")
        verbose_name_plural = _("work programme")
        ordering = ["application", "year"]
        constraints = [
            models.UniqueConstraint(fields=["application", "year"], name="programme_year_once"),
            models.CheckConstraint(condition=Q(year__gte=1), name="programme_year_positive"),
            models.CheckConstraint(condition=Q(expenditure_kzt__gte=0), name="programme_expenditure_not_negative"),
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.year}"


class ApplicationDocument(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="documents")
    requirement = models.ForeignKey(RequiredDocument, on_delete=models.PROTECT, related_name="+")
    document = models.OneToOneField(Document, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.requirement_id}"


class InformationRequest(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="information_requests")
    message = models.TextField(_("what is needed"))
    # A document the answer must attach (named in words, checked as its kind), or none.
    document_wanted = models.CharField(_("document wanted"), max_length=200, blank=True)
    document_kind = models.CharField(_("kind of document"), max_length=32, blank=True, choices=kind_choices())
    due_on = models.DateField(_("answer due"))
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(_("requested"), auto_now_add=True)
    answer = models.TextField(_("answer"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered"), null=True, blank=True)
    answer_document = models.ForeignKey(
        Document, verbose_name=_("attached document"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("information request")
        verbose_name_plural = _("information requests")
        ordering = ["-requested_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["application"], condition=Q(answered_at__isnull=True), name="one_open_information_request"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.due_on}"


class ObjectionOutcome(models.TextChoices):
    UPHELD = "upheld", _("Upheld")
    PARTLY_UPHELD = "partly_upheld", _("Partly upheld")
    DISMISSED = "dismissed", _("Dismissed")


class Objection(models.Model):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="objections")
    lodged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    # The organisation the objector acted for, if any (a member of it when lodging): reviewers
    # weigh an objection by who makes it.
    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("objecting organisation"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    grounds = models.TextField(_("grounds"))
    document = models.ForeignKey(Document, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    lodged_at = models.DateTimeField(_("lodged"), auto_now_add=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=ObjectionOutcome.choices, blank=True)
    response = models.TextField(_("the reviewer's response"), blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    handled_at = models.DateTimeField(_("handled"), null=True, blank=True)

    class Meta:
        verbose_name = _("objection")
        verbose_name_plural = _("objections")
        ordering = ["lodged_at"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.pk}"


class Assessment(models.Model):
    """The reviewer's assessment: adequacy of the work programme, financial capacity, and the
    local-content score from the published rubric (licensing.rubric)."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="assessment")
    programme_adequate = models.BooleanField(_("work programme technically adequate"))
    financially_capable = models.BooleanField(_("financially capable"))
    local_content_score = models.DecimalField(_("local-content score"), max_digits=5, decimal_places=2)
    score_breakdown = models.JSONField(_("score by criterion"), default=dict)
    comment = models.TextField(_("comment"), blank=True)
    assessed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(_("assessed"))

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        constraints = [
            models.CheckConstraint(
                condition=Q(local_content_score__gte=0) & Q(local_content_score__lte=100), name="assessment_score_range"
            )
        ]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.local_content_score}"


class CaseNote(models.Model):
    """An official's internal note on an application; never shown to the applicant or the public."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["created_at"]

    def __str__(self) -> str:
        return f"{self.application_id}:{self.pk}"
