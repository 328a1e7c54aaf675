"""The roles a person holds, kept as Django groups of the same name."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    REGISTRAR = "registrar", _("Registrar")
    ADMIN = "admin", _("Administrator")


# Officials work in the Django admin and the workbench; investors never do.
OFFICIAL_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.REGISTRAR, Role.ADMIN})
