"""The roles a person holds, kept as Django groups of the same name."""

from typing import TYPE_CHECKING

from django.db import models
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from accounts.models import User


class Role(models.TextChoices):
    INVESTOR = "investor", _("Investor")
    REVIEWER = "reviewer", _("Reviewer")
    APPROVER = "approver", _("Approver")
    REGISTRAR = "registrar", _("Registrar")
    ADMIN = "admin", _("Administrator")


# Officials work in the Django admin and the workbench; investors never do.
OFFICIAL_ROLES = frozenset({Role.REVIEWER, Role.APPROVER, Role.REGISTRAR, Role.ADMIN})


def has_role(user: "User", role: Role) -> bool:
    """Signed in, active, and holding `role` (a superuser holds every role)."""
    return user.is_authenticated and user.is_active and (user.is_superuser or user.has_role(role))


def is_registrar(user: "User") -> bool:
    return user.is_authenticated and (user.is_superuser or user.has_role(Role.REGISTRAR))


def is_official(user: "User") -> bool:
    """Staff, or holding any official role, active or not: who must set up a second factor
    and may reach the admin side. (Who works on licensing cases is `licensing.permissions.works_cases`.)"""
    return user.is_staff or user.is_superuser or bool(user.role_names() & {r.value for r in OFFICIAL_ROLES})


def holders_of(*roles: Role) -> "QuerySet[User]":
    """The active users holding any of `roles` (superusers only if they hold one)."""
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(groups__name__in=[r.value for r in roles], is_active=True).distinct()
