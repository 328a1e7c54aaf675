"""What accounts tells the layers above it (which it may not import)."""

from django.dispatch import Signal

# Sent inside the transaction that changed a person's roles or staff flags, with `actor`,
# `user`, `before` and `after` ({"roles": [...], "is_staff": bool, "is_superuser": bool}).
# The event log subscribes and records the change in the same transaction.
user_access_changed = Signal()
