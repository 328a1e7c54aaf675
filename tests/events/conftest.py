from collections.abc import Callable, Iterator

import pytest

from accounts.models import User
from events import routing


@pytest.fixture
def route_to() -> Iterator[Callable[[str, list[User]], None]]:
    """Route an event type to fixed users for the length of one test."""
    added: list[tuple[str, object]] = []

    def route(event_type: str, users: list[User]) -> None:
        def recipients(event: object) -> list[User]:
            return users

        routing.register(event_type, recipients)
        added.append((event_type, recipients))

    yield route
    for event_type, recipients in added:
        routing._ROUTES[event_type].remove(recipients)
        if not routing._ROUTES[event_type]:
            del routing._ROUTES[event_type]
