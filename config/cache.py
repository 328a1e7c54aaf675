"""A Redis cache that clears only its own keys.

Django's RedisCache.clear() is FLUSHDB: it empties the whole Redis database, with whatever
else uses it (another instance's sign-in lockout counters, queued Celery tasks). This one
deletes the keys under its KEY_PREFIX and nothing else.
"""

from django.core.cache.backends.redis import RedisCache
from django.core.exceptions import ImproperlyConfigured


class PrefixedRedisCache(RedisCache):
    def __init__(self, server: str, params: dict) -> None:
        super().__init__(server, params)
        if not self.key_prefix:
            raise ImproperlyConfigured("PrefixedRedisCache needs a KEY_PREFIX: it clears the keys under it")

    def clear(self) -> bool:
        client = self._cache.get_client(write=True)
        # Keys are "<prefix>:<version>:<key>"; a glob character in the prefix would reach further.
        prefix = "".join(f"[{c}]" if c in "*?[]\\" else c for c in self.key_prefix)
        batch: list[bytes] = []
        for key in client.scan_iter(match=f"{prefix}:*", count=1000):
            batch.append(key)
            if len(batch) == 1000:
                client.unlink(*batch)
                batch = []
        if batch:
            client.unlink(*batch)
        return True
