"""The test suite shares Redis with whatever else runs on REDIS_URL and empties only its own keys.

Found by probing: `cache.clear()` before each test was FLUSHDB on the given database, wiping
a running instance's sign-in lockout counters and its queued Celery tasks.
"""

import os
import uuid

import pytest
import redis
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured

from config.cache import PrefixedRedisCache

pytestmark = pytest.mark.redis
# Keys "another instance" keeps on the same database: a lockout counter, a queued task.
FOREIGN = {f":1:allauth-ratelimit-{uuid.uuid4().hex}": "3", f"celery-{uuid.uuid4().hex}": "task"}


@pytest.fixture(scope="module")
def other_instance() -> redis.Redis:
    client = redis.Redis.from_url(os.environ["REDIS_URL"])
    for key, value in FOREIGN.items():
        client.set(key, value, ex=300)
    yield client
    client.delete(*FOREIGN)


def test_tests_use_a_key_prefix_of_their_own() -> None:
    namespace = "-".join(filter(None, ["ashyqken-test", os.environ.get("PYTEST_XDIST_WORKER")]))
    assert settings.CACHES["default"]["KEY_PREFIX"] == namespace
    assert namespace == settings.CELERY_TASK_DEFAULT_QUEUE  # and a queue of their own
    with pytest.raises(ImproperlyConfigured):
        PrefixedRedisCache(os.environ["REDIS_URL"], {})


def test_clear_deletes_only_the_keys_under_the_prefix(other_instance: redis.Redis) -> None:
    cache.set("mine", 1)
    lookalike = "ashyqken-testing:1:mine"  # shares the prefix's first letters only
    other_instance.set(lookalike, "x", ex=300)
    cache.clear()
    assert cache.get("mine") is None
    assert other_instance.get(lookalike) == b"x"
    assert all(other_instance.get(key) == value.encode() for key, value in FOREIGN.items())
    other_instance.delete(lookalike)


def test_a_test_leaves_a_key_behind(other_instance: redis.Redis) -> None:
    cache.set("left-behind", 1)


def test_the_next_test_starts_without_it_and_the_other_instance_keeps_its_keys(other_instance: redis.Redis) -> None:
    assert cache.get("left-behind") is None  # the autouse fixture cleared it
    assert all(other_instance.get(key) == value.encode() for key, value in FOREIGN.items())
