"""What the apps above do once an event has committed (rebuild a published file, refresh a
cache), without this lower layer importing them.

Apps register, in their AppConfig.ready(), a function and the event types it reacts to (a
name, or a prefix ending in "." for a family such as "licence."). `record_event` schedules the
matching reactions on the commit of the change, so a reaction never sees a change that was
rolled back. A reaction must be quick (queue a task, mark a row) and must not raise: one that
does is logged and the others still run.
"""

import logging
from collections.abc import Callable, Iterable

from events.models import Event

logger = logging.getLogger(__name__)

Reaction = Callable[[Event], None]
_REACTIONS: list[tuple[tuple[str, ...], Reaction]] = []


def register(event_types: Iterable[str], reaction: Reaction) -> None:
    """Run `reaction(event)` after the commit of every event whose type is one of `event_types`
    or starts with one of them that ends in "." (registering twice changes nothing)."""
    entry = (tuple(event_types), reaction)
    if entry not in _REACTIONS:
        _REACTIONS.append(entry)


def _matches(types: tuple[str, ...], name: str) -> bool:
    return any(name == t or (t.endswith(".") and name.startswith(t)) for t in types)


def reactions_to(event_type: str) -> list[Reaction]:
    return [reaction for types, reaction in _REACTIONS if _matches(types, event_type)]


def react(event: Event, reactions: list[Reaction]) -> None:
    for reaction in reactions:
        try:
            reaction(event)
        except Exception:
            logger.exception("Reaction %s to event %s failed", getattr(reaction, "__name__", reaction), event.pk)
