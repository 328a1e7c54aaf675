"""Waiting for a real Celery worker in tests."""

import time
from collections.abc import Callable


def wait_for(condition: Callable[[], bool], what: str, timeout: float = 20.0, interval: float = 0.05) -> None:
    """Wait until the worker has done something (polling a condition, not sleeping for a time)."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"the worker did not {what} within {timeout} s")
        time.sleep(interval)
