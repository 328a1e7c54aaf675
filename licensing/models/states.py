"""The states of an application, as the database stores them."""

from django.db import models
from django.utils.translation import pgettext_lazy


class ApplicationState(models.TextChoices):
    DRAFT = "draft", pgettext_lazy("application state", "Draft")
    LODGED = "lodged", pgettext_lazy("application state", "Lodged")
    UNDER_REVIEW = "under_review", pgettext_lazy("application state", "Under review")
    INFO_REQUESTED = "info_requested", pgettext_lazy("application state", "Information requested")
    OBJECTION_PERIOD = "objection_period", pgettext_lazy("application state", "Objection period")
    ASSESSMENT = "assessment", pgettext_lazy("application state", "Assessment")
    SCREENING = "screening", pgettext_lazy("application state", "Screening")
    RECOMMENDED = "recommended", pgettext_lazy("application state", "Recommended")
    GRANTED = "granted", pgettext_lazy("application state", "Granted")
    REFUSED = "refused", pgettext_lazy("application state", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("application state", "Withdrawn")
    LAPSED = "lapsed", pgettext_lazy("application state", "Lapsed")


CLOSED_STATES = frozenset(
    {ApplicationState.GRANTED, ApplicationState.REFUSED, ApplicationState.WITHDRAWN, ApplicationState.LAPSED}
)


OPEN_STATES = frozenset(set(ApplicationState) - CLOSED_STATES - {ApplicationState.DRAFT})
