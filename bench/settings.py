"""The benchmark's settings: the real ones, on a database of its own, with a bare view added."""

from pathlib import Path

from config.settings import *  # noqa: F403
from config.settings import VAR_DIR, env

ROOT_URLCONF = "bench.urls"
ALLOWED_HOSTS = [*ALLOWED_HOSTS, "testserver"]  # noqa: F405 - the query counter uses the test client
DATABASES = {"default": env.db("BENCH_DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'bench.sqlite3'}")}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["ENGINE"] = "config.sqlite"  # as in config.settings
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 20,
        "transaction_mode": "IMMEDIATE",  # as in config.settings: no lock upgrade deadlocks
        "init_command": "PRAGMA journal_mode=WAL;",
    }
DATABASES["default"]["CONN_MAX_AGE"] = 60
LOGGING = {"version": 1, "disable_existing_loggers": False, "root": {"level": "WARNING"}}
# Its own queue, so that a worker started by `make run` does not take the benchmark's tasks.
CELERY_TASK_DEFAULT_QUEUE = "bench"
# The open-data files of each database apart (the scale benchmark serves a demo and a register
# side by side), built by bench/scale_data.py's derive step.
if "DJANGO_OPEN_DATA_ROOT" not in env.ENVIRON:
    OPEN_DATA_ROOT = VAR_DIR / "bench-open-data" / Path(str(DATABASES["default"]["NAME"])).name
