"""Changes the lower layer (accounts) announces, recorded in the event log."""

from typing import Any

from accounts.models import User
from events.services import record_event


def record_access_change(*, actor: User | None, user: User, before: dict, after: dict, **kwargs: Any) -> None:
    """Sent inside the transaction of the change, so the event commits with it or not at all."""
    record_event(actor=actor, type="user.access_changed", subject=user, before=before, after=after)
