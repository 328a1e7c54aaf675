"""Processing statistics at the size of a national register (issue 15).

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench REDIS_URL=redis://127.0.0.1:6379/5 \
        python bench/processing_statistics.py

PostgreSQL only: with SQLite it says so and stops. It works in a database of its own on the
same server, `<name>_statistics` after BENCH_DATABASE_URL (or DATABASE_URL), created afresh on
every run and dropped at the end (BENCH_KEEP_DB=1 keeps it; the next run drops it anyway).

The history is generated (tests/licensing/processing_history.py: lodged at any hour of any day,
every outcome, some still open) and written with COPY: 30,000 applications of 200 organisations
from 20 countries, lodged over the last three years, with their state changes and internal notes,
topped up to 200,000 events with events of other kinds. Then, through the Django test client
(server time, no network):

1. `/api/v1/statistics/?weeks=104` and `/statistics/`, each computed afresh (the cache emptied
   before every request) and served from the cache, BENCH_RUNS times each (default 5), and the
   queries of each;
2. `processing_statistics` computed in the database (PostgreSQL) and in Python (the SQLite
   path, which is the computation before issue 15), timed, and compared: they must be equal.

Results are printed and written to var/bench-statistics.json, not asserted.
"""

import contextlib
import json
import os
import random
import secrets
import statistics
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database_url() -> str | None:
    parts = urlsplit(os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "")
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return None
    name = parts.path.lstrip("/") or "ashyqken_bench"
    return urlunsplit(parts._replace(path=f"/{name}_statistics"))


DATABASE_URL = _database_url()
if DATABASE_URL:
    os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import cache, caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.services import user_ensure  # noqa: E402
from licensing.calendar import calendar_span, working_days_refresh  # noqa: E402
from licensing.models import Application, BacklogSnapshot, CalendarDay, LicenceType  # noqa: E402
from licensing.statistics import selectors  # noqa: E402
from tests.licensing import processing_history  # noqa: E402

APPLICATIONS = int(os.environ.get("BENCH_APPLICATIONS", "30000"))
EVENTS = int(os.environ.get("BENCH_EVENTS", "200000"))
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
ORGANISATIONS = 200
COUNTRIES = ["KZ"] * 8 + ["CN", "RU", "AU", "CA", "GB", "NL", "KR", "TR", "US", "DE", "JP", "FR", "IN", "AE"]
COUNTRIES += ["SG", "CH", "KG", "UZ", "MN", "TM"]
TARGETS = [
    ("API /api/v1/statistics/?weeks=104", "/api/v1/statistics/?weeks=104"),
    ("page /statistics/ (26 weeks)", "/statistics/"),
]


# The database -----------------------------------------------------------------------------


def _server(url: str) -> psycopg.Connection:
    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def database_create() -> None:
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    with _server(DATABASE_URL) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    connections.close_all()
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    with _server(DATABASE_URL) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# The history ------------------------------------------------------------------------------


def _copy(table: str, columns: list[str], rows: Any) -> None:
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)


def build() -> dict[str, Any]:
    """Organisations, applications and events, written with COPY; returns what was built."""
    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    rng = random.Random(15)
    now = timezone.now()
    user = user_ensure(email="bench-statistics@example.com", password=secrets.token_urlsafe(), roles=())
    types = list(LicenceType.objects.values_list("pk", flat=True))
    # Two days the government moved, as it does every year: a day off, and a Saturday worked.
    CalendarDay.objects.create(date=(now - timedelta(days=380)).date(), is_working_day=False, name="Moved day off")
    year_ago = (now - timedelta(days=400)).date()
    saturday = year_ago - timedelta(days=(year_ago.weekday() - 5) % 7)
    CalendarDay.objects.create(date=saturday, is_working_day=True, name="Worked Saturday")
    start = now - timedelta(days=3 * 365)
    calendar = calendar_span(start.date() - timedelta(days=7), now.date() + timedelta(days=30))
    paths = processing_history.paths(count=APPLICATIONS, start=start, end=now, calendar=calendar)
    application_type = ContentType.objects.get_for_model(Application).pk
    changes = [(when, kind, str(n), payload) for n, p in enumerate(paths, start=1) for kind, when, payload in p.changes]
    others = [
        (start + timedelta(seconds=rng.uniform(0, (now - start).total_seconds())), "document.checked", "", {})
        for _ in range(max(EVENTS - len(changes), 0))
    ]
    events = sorted(changes + others, key=lambda row: row[0])  # ids in the order of time, as recorded
    with transaction.atomic():
        _copy(
            "investors_organisation",
            [
                *("id", "legal_name", "legal_name_latin", "country", "registration_number", "address"),
                *("website", "contact_email", "contact_phone", "status", "status_reason", "created_at", "updated_at"),
            ],
            (
                [
                    *(n, f"Bench Minerals {n}", f"Bench Minerals {n}", COUNTRIES[n % len(COUNTRIES)], f"R{n}"),
                    "Astana",
                    *("", f"org{n}@example.com", "", "verified", "", start, start),
                ]
                for n in range(1, ORGANISATIONS + 1)
            ),
        )
        _copy(
            "licensing_application",
            [
                *("id", "title", "region", "state", "blocks", "created_at", "updated_at", "in_country_processing"),
                *("processing_plan", "resume_state", "screening_required", "recommendation", "reasons"),
                *("created_by_id", "organisation_id", "licence_type_id", "late_stages", "priority_number"),
                *("lodged_at", "received_at", "decided_at"),
            ],
            (
                [
                    *(n, f"Bench {n}", "east_kazakhstan", p.state, "[]", p.lodged_at, p.updated_at, False),
                    *("", "", False, "", ""),
                    *(user.pk, 1 + rng.randrange(ORGANISATIONS), rng.choice(types), p.late_stages, n),
                    *(p.lodged_at, p.received_at, p.decided_at),
                ]
                for n, p in enumerate(paths, start=1)
            ),
        )
        _copy(
            "events_event",
            [
                *("id", "type", "occurred_at", "subject_type_id", "subject_id", "payload", "prev_hash", "hash"),
                *("hash_scheme", "dispatched_at"),
            ],
            (
                [
                    *(n, kind, when, application_type if subject else None, subject, json.dumps(payload)),
                    *(f"{n - 1:064x}", f"{n:064x}", 2, when),
                ]
                for n, (when, kind, subject, payload) in enumerate(events, start=1)
            ),
        )
        with connection.cursor() as cursor:
            cursor.execute("SELECT setval('investors_organisation_id_seq', %s)", [ORGANISATIONS])
            cursor.execute("SELECT setval('licensing_application_id_seq', %s)", [len(paths)])
            cursor.execute("SELECT setval('events_event_id_seq', %s)", [len(events)])
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE investors_organisation, licensing_application, events_event")
        with contextlib.suppress(DatabaseError):  # needs a superuser; spares the timings a checkpoint
            cursor.execute("CHECKPOINT")
    numbering = time.perf_counter()
    working_days_refresh()  # as the beat does every night; the statistics would do it on first use
    numbering_s = time.perf_counter() - numbering
    return {
        "applications": len(paths),
        "events": len(events),
        "state_changes": sum(1 for _when, _kind, _subject, payload in changes if "state" in payload),
        "build_s": time.perf_counter() - started,
        "numbering_s": numbering_s,
    }


# Measuring --------------------------------------------------------------------------------


def timed(call: Callable[[], object], runs: int, *, fresh: bool, forget: bool = False) -> list[float]:
    """`fresh`: the cache emptied before each call; `forget`: the kept backlog of past days too."""
    samples = []
    for _ in range(runs):
        if fresh:
            cache.clear()
        if forget:
            BacklogSnapshot.objects.all().delete()
        started = time.perf_counter()
        call()
        samples.append(time.perf_counter() - started)
    return samples


def queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def requests(runs: int, *, forget: bool = False) -> dict[str, Any]:
    """Each target computed afresh `runs` times and served from the cache 4 × `runs` times;
    `forget`: every day's backlog counted from the events each time (no BacklogSnapshot)."""
    client = Client()
    results: dict[str, Any] = {}
    for label, url in TARGETS:

        def get(url: str = url) -> None:
            response = client.get(url)
            assert response.status_code == 200, (url, response.status_code)

        cache.clear()
        if forget:
            BacklogSnapshot.objects.all().delete()
        cold_queries = queries(get)
        cached_queries = queries(get)
        results[label] = {
            "fresh": timed(get, runs, fresh=True, forget=forget),
            "cached": timed(get, runs * 4, fresh=False),
            "queries": [cold_queries, cached_queries],
        }
    return results


def measure() -> dict[str, Any]:
    """The requests as they run now (in the database), and as they ran before issue 15 (Python
    over the rows: the SQLite path, put in its place for the run); then the two computations
    side by side, and whether they agree."""
    results: dict[str, Any] = {"counted": requests(RUNS, forget=True), "database": requests(RUNS)}
    in_database = selectors._numbers
    selectors._numbers = selectors._numbers_in_python
    try:
        results["python"] = requests(max(RUNS // 2, 2))
    finally:
        selectors._numbers = in_database
    until = timezone.localdate()
    paths = {
        "in the database": lambda: selectors._numbers_in_database(None, until, 104),
        "in Python (before; the SQLite path)": lambda: selectors._numbers_in_python(None, until, 104),
    }
    answers = [call() for call in paths.values()]
    results["selector"] = {label: timed(call, RUNS, fresh=False) for label, call in paths.items()}
    results["identical"] = answers[0] == answers[1]
    return results


def measure_with_a_cache_of_its_own() -> dict[str, Any]:
    """On Redis, the cache is emptied between requests by its own keys only (RedisCache.clear()
    would empty the whole Redis database, with whatever else uses it)."""
    default = settings.CACHES["default"]
    if "Redis" not in default["BACKEND"]:
        return measure()
    own = {**default, "BACKEND": "config.cache.PrefixedRedisCache", "KEY_PREFIX": "ashyqken-bench-statistics"}
    with override_settings(CACHES={**settings.CACHES, "default": own}):
        return measure()


def main() -> None:
    if DATABASE_URL is None:
        print("\nstatistics bench skipped: it measures PostgreSQL only; set BENCH_DATABASE_URL=postgres://…")
        return
    database_create()
    try:
        built = build()
        results = measure_with_a_cache_of_its_own()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
    finally:
        if os.environ.get("BENCH_KEEP_DB") != "1":
            database_drop()
    backend = caches["default"].__class__.__name__
    print(
        f"\nProcessing statistics at register size ({version}, cache {backend}): "
        f"{built['applications']:,} applications, {built['events']:,} events "
        f"({built['state_changes']:,} state changes), built in {built['build_s']:.0f} s; "
        f"numbering the working days took {built['numbering_s'] * 1000:.0f} ms\n"
    )
    print("| request | computed | afresh p50 ms | cached p50 ms | queries afresh/cached |")
    print("|---|---|---:|---:|---:|")
    for label, _url in TARGETS:
        for how, key in (
            ("in Python (before)", "python"),
            ("in the database, every day counted", "counted"),
            ("in the database, past days kept", "database"),
        ):
            row = results[key][label]
            fresh, cached = statistics.median(row["fresh"]) * 1000, statistics.median(row["cached"]) * 1000
            print(f"| {label} | {how} | {fresh:.0f} | {cached:.1f} | {row['queries'][0]}/{row['queries'][1]} |")
    print("\n| `processing_statistics`, 104 weeks, computed | p50 ms |")
    print("|---|---:|")
    for label, samples in results["selector"].items():
        print(f"| {label} | {statistics.median(samples) * 1000:.0f} |")
    print(f"\nThe two computations agree: {'yes' if results['identical'] else 'NO'}")
    out = ROOT / "var" / "bench-statistics.json"
    out.parent.mkdir(exist_ok=True)
    out.write_text(json.dumps({"built": built, "results": results, "version": version}, indent=2, default=str))


if __name__ == "__main__":
    main()
