"""Settings for the test suite: the real ones with fast hashing, in-memory email, plain static files."""

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CELERY_TASK_ALWAYS_EAGER = False
# Threads of the live server and of concurrency tests must not keep connections open
# past the test, or PostgreSQL refuses to drop the test database.
DATABASES["default"]["CONN_MAX_AGE"] = 0  # noqa: F405

# Tasks go to their own queue (a developer's worker on the same Redis never takes them),
# on Redis when REDIS_URL is set (the worker tests need it), else in memory.
CELERY_BROKER_URL = env.str("REDIS_URL", default="") or "memory://"  # noqa: F405
CELERY_BROKER_TRANSPORT_OPTIONS = dict(BROKER_FAIL_FAST_OPTIONS)  # noqa: F405
# Under pytest-xdist each worker process has a queue and cache keys of its own on the shared
# Redis (pytest-django gives it a database of its own: test_<name>_gw<n>).
TEST_NAMESPACE = "-".join(filter(None, ["ashyqken-test", env.str("PYTEST_XDIST_WORKER", default="")]))  # noqa: F405
CELERY_TASK_DEFAULT_QUEUE = TEST_NAMESPACE
CELERY_BEAT_SCHEDULE = {}
WEBHOOKS_ALLOW_LOOPBACK = True
# A code read at the very end of its 30 s window is still accepted when the server checks it.
MFA_TOTP_TOLERANCE = 1

# The cache keeps to keys of its own and clears only those (Django's RedisCache.clear() is
# FLUSHDB, which would empty a running instance's lockout counters and queued tasks).
if CACHES["default"]["BACKEND"] == "django.core.cache.backends.redis.RedisCache":  # noqa: F405
    CACHES["default"]["BACKEND"] = "config.cache.PrefixedRedisCache"  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = TEST_NAMESPACE  # noqa: F405

# Event types only the tests record (tests/catalogue_app).
INSTALLED_APPS = [*INSTALLED_APPS, "tests.catalogue_app"]  # noqa: F405
