"""The licensing configuration officials change in the admin, recorded with who changed it."""

from typing import Any

from django.utils.translation import gettext as _

from accounts.models import User
from events.services import record_event
from licensing.permissions import require

# Configuration -------------------------------------------------------------------------


def configuration_saved(*, actor: User, instance: Any, created: bool) -> None:
    """Officials change licence types, rates, MCI values and the calendar in the admin; each
    change is recorded with who made it. Call inside the admin's save transaction."""
    require(
        actor.is_superuser or actor.has_perm(f"licensing.change_{instance._meta.model_name}"),
        _("You may not change the licensing configuration."),
    )
    record_event(
        actor=actor,
        type="configuration.changed",
        subject=instance,
        model=instance._meta.model_name,
        created=created,
        value=str(instance),
    )
