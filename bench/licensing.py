"""Benchmarks of the licence register at national scale (issue: lodgement and availability).

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench python bench/licensing.py
    (make bench runs it after bench/backbone.py)

PostgreSQL only: with SQLite it says so and stops. It works in a database of its own on the
same server, `<name>_licensing` after BENCH_DATABASE_URL (or DATABASE_URL), created afresh on
every run and dropped at the end (BENCH_KEEP_DB=1 keeps it, to run EXPLAIN by hand; the next
run drops it anyway). A run takes about two minutes.

The fixtures are built fast and by hand (bulk SQL): 100,000 active licences holding
2,000,000 block tenures (4 × 5 blocks each) and 250 lodged applications with 5,000 live
claims. The drafts to lodge are built through the services. What is measured goes through
the real code only:

1. the availability check of a 200-block application: `ground_selectors.blocks_check` and
   `ground_selectors.availability`, on 200 contiguous free blocks, and on 200 blocks of which 20 are
   under a pending claim (BENCH_CHECKS runs each, default 200);
2. `drafting_services.application_lodge` of a complete 200-block draft (BENCH_LODGEMENTS, default 100),
   and the queries of one lodgement;
3. lodgements per second with 8 concurrent clients (BENCH_CLIENTS), each a process of its
   own with its own connection (processes, so that the clients do not share one GIL),
   released together after one untimed lodgement each, then each lodging BENCH_PER_CLIENT
   (default 25) drafts one after another as fast as it can;
4. the availability endpoint (`/api/v1/blocks/availability/`, JSON and GeoJSON) on boxes of
   2,500 blocks, a whole request through Django's test client, against the same SQL
   statements with the same parameters run on a cursor and fetched (BENCH_ENDPOINT_RUNS
   each, default 50): the ratio is what Python adds to what the database answers.

The checks are timed in turns (free, then claimed, then again), so that a noisy moment on a
shared machine hits each alike. For the checks, it also prints what PostgreSQL itself spends
on their queries (EXPLAIN ANALYZE) and which indexes it uses.

Results are printed and written to var/bench-licensing.json, not asserted.
"""

import contextlib
import json
import multiprocessing
import os
import secrets
import shutil
import statistics
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _database_url() -> str | None:
    """The bench's own database, next to BENCH_DATABASE_URL's; None when that is not PostgreSQL."""
    own = os.environ.get("BENCH_LICENSING_DATABASE_URL")
    if own:  # set by the parent: a client process uses the same database
        return own
    parts = urlsplit(os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "")
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return None
    name = parts.path.lstrip("/") or "ashyqken_bench"
    return urlunsplit(parts._replace(path=f"/{name}_licensing"))


DATABASE_URL = _database_url()
DOCUMENTS = ROOT / "var" / "bench-licensing-documents"
if DATABASE_URL:
    os.environ["BENCH_LICENSING_DATABASE_URL"] = os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_DOCUMENTS_ROOT"] = str(DOCUMENTS)
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import user_ensure  # noqa: E402
from bench import scale_data  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from geography.kazakhstan import in_kazakhstan  # noqa: E402
from licensing.domain import grid  # noqa: E402
from licensing.drafting import services as drafting_services  # noqa: E402
from licensing.ground import selectors as ground_selectors  # noqa: E402
from licensing.models import Application, ApplicationState, Claim, PriorityCounter  # noqa: E402
from tests.licensing import factories  # noqa: E402

# Events enqueue their dispatch after commit, as in production, to a queue of the bench's own
# (no worker takes it; it is purged at the end). Set here so that the client processes use it too.
QUEUE = "bench-licensing"
celery_app.conf.task_default_queue = QUEUE

CHECKS = int(os.environ.get("BENCH_CHECKS", "200"))
LODGEMENTS = int(os.environ.get("BENCH_LODGEMENTS", "100"))
CLIENTS = int(os.environ.get("BENCH_CLIENTS", "8"))
PER_CLIENT = int(os.environ.get("BENCH_PER_CLIENT", "25"))
ENDPOINT_RUNS = int(os.environ.get("BENCH_ENDPOINT_RUNS", "50"))
AVAILABILITY = "/api/v1/blocks/availability/"

M = grid.MINUTES_LON
LICENCES = 100_000
# The register: licences of 4 rows × 5 columns tiling 1,000 rows × 2,000 columns of blocks
# from 40°N 46°E (up to 56°40'N 79°20'E), 400 licences to a row of tiles: the layout of the
# scale benchmark's register (bench/scale_data.py), which adds history around the same tiles.
REGISTER_ROW, REGISTER_COL = scale_data.REGISTER_ROW, scale_data.REGISTER_COL
# Applications: 10 × 20 tiles east of the register (from 44°N 79°20'E), wholly in Kazakhstan.
TILES_ROW, TILES_COL = (90 + 44) * 60, (180 + 79) * 60 + 20
PENDING = 250  # lodged applications of 2 × 10 blocks: 5,000 live claims


def tile(row: int, col: int) -> list[int]:
    return [(TILES_ROW + row * 10 + r) * M + TILES_COL + col * 20 + c for r in range(10) for c in range(20)]


def tiles_in_kazakhstan(count: int) -> list[list[int]]:
    found = []
    for row in range(42):
        for col in range(24):
            blocks = tile(row, col)
            if all(in_kazakhstan(longitude=grid.centre(b)[0], latitude=grid.centre(b)[1]) for b in blocks):
                found.append(blocks)
                if len(found) == count:
                    return found
    raise RuntimeError(f"only {len(found)} tiles of 200 blocks lie wholly in Kazakhstan")


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


# Fixtures ---------------------------------------------------------------------------------


def _user(*roles: Role) -> User:
    email = f"bench-{User.objects.count() + 1}@example.com"
    return user_ensure(email=email, password=secrets.token_urlsafe(), roles=roles)  # nobody signs in


def register_build(holders: list[int]) -> float:
    """100,000 licences and 2,000,000 active tenures, by two INSERT … SELECT statements."""
    started = time.perf_counter()
    licence_type = factories.licence_type().pk
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO licensing_licence
                (number, holder_id, licence_type_id, status, granted_at, starts_on, expires_on, updated_at)
            SELECT 'KZ-EXP-2024-' || lpad(n::text, 6, '0'), (%s::bigint[])[1 + n %% %s], %s, 'active',
                   timestamptz '2024-01-10 09:00+05' + n * interval '5 minutes',
                   date '2024-01-10', date '2030-01-10', timestamptz '2024-01-10 09:00+05' + n * interval '5 minutes'
            FROM generate_series(0, %s - 1) AS n
            """,
            [holders, len(holders), licence_type, LICENCES],
        )
        cursor.execute(
            """
            INSERT INTO licensing_tenure (licence_id, block, is_active, started_at)
            SELECT l.id, (%s + (l.n / 400) * 4 + k / 5) * %s + %s + (l.n %% 400) * 5 + k %% 5, true, l.granted_at
            FROM (SELECT id, granted_at, row_number() OVER (ORDER BY id) - 1 AS n FROM licensing_licence) AS l,
                 generate_series(0, 19) AS k
            """,
            [REGISTER_ROW, M, REGISTER_COL],
        )
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE licensing_licence")
        cursor.execute("VACUUM ANALYZE licensing_tenure")
        with contextlib.suppress(DatabaseError):  # needs a superuser; spares the timings a checkpoint
            cursor.execute("CHECKPOINT")
    return time.perf_counter() - started


def pending_build(applicants: list[tuple[User, Any]], areas: list[list[int]]) -> None:
    """Lodged applications with live claims, as lodgement leaves them (bulk, numbered 1…)."""
    now = timezone.now()
    licence_type = factories.licence_type()
    applications = [
        Application(
            organisation=applicants[i % len(applicants)][1],
            licence_type=licence_type,
            title=f"Pending {i}",
            region="east_kazakhstan",
            state=ApplicationState.LODGED,
            blocks=blocks,
            created_by=applicants[i % len(applicants)][0],
            priority_number=i + 1,
            lodged_at=now,
            received_at=now,
        )
        for i, blocks in enumerate(areas)
    ]
    Application.objects.bulk_create(applications, batch_size=1000)
    Claim.objects.bulk_create(
        (Claim(application=a, block=b, rank=a.priority_number) for a in applications for b in a.blocks),
        batch_size=5000,
    )
    PriorityCounter.objects.update_or_create(pk=1, defaults={"last_number": len(applications)})
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE licensing_claim")


# Measuring --------------------------------------------------------------------------------


def percentiles(samples: list[float]) -> tuple[float, float]:
    """p50 and p99 in milliseconds."""
    cuts = statistics.quantiles(samples, n=100, method="inclusive")
    return statistics.median(samples) * 1000, cuts[98] * 1000


def timed(runs: dict[str, list[Callable[[], object]]]) -> dict[str, list[float]]:
    """Seconds each call took, by kind; the kinds take turns, so that a noisy moment on a shared
    machine hits them alike."""
    samples: dict[str, list[float]] = {key: [] for key in runs}
    for i in range(max(len(calls) for calls in runs.values())):
        for key, calls in runs.items():
            if i < len(calls):
                started = time.perf_counter()
                calls[i]()
                samples[key].append(time.perf_counter() - started)
    return samples


def queries(call: Callable[[], object]) -> int:
    with CaptureQueriesContext(connection) as captured:
        call()
    return len(captured.captured_queries)


def server_side(call: Callable[[], object]) -> dict[str, Any]:
    """What PostgreSQL itself spends on the SELECTs of a call (EXPLAIN ANALYZE), and the indexes
    it uses: the rest of the call's time is Python, the driver and the round trips."""
    with CaptureQueriesContext(connection) as captured:
        call()
    found: dict[str, Any] = {"planning_ms": 0.0, "execution_ms": 0.0, "indexes": set()}

    def walk(node: dict[str, Any]) -> None:
        if "Index Name" in node:
            found["indexes"].add(node["Index Name"])
        for child in node.get("Plans", []):
            walk(child)

    with connection.cursor() as cursor:
        for query in captured.captured_queries:
            if query["sql"].startswith("SELECT"):
                cursor.execute("EXPLAIN (ANALYZE, FORMAT JSON) " + query["sql"])
                plan = cursor.fetchone()[0][0]
                found["planning_ms"] += plan["Planning Time"]
                found["execution_ms"] += plan["Execution Time"]
                walk(plan["Plan"])
    found["indexes"] = sorted(found["indexes"])
    return found


def outline_test(blocks: list[int]) -> float:
    """Milliseconds blocks_check spends testing each block's centre against Kazakhstan's outline."""
    started = time.perf_counter()
    for block in blocks:
        longitude, latitude = grid.centre(block)
        in_kazakhstan(longitude=longitude, latitude=latitude)
    return (time.perf_counter() - started) * 1000


def _client(owner_id: int, draft_ids: list[int], barrier: Any, results: Any) -> None:
    """One concurrent client: its own process and connection, lodging its drafts one after another."""
    report: dict[str, Any] = {"samples": [], "errors": []}
    try:
        owner = User.objects.get(pk=owner_id)
        # One lodgement untimed: the country outline, the calendar, the content types and the
        # broker connection load once per process (about 150 ms), inside the first one's lock.
        drafting_services.application_lodge(actor=owner, application=Application(pk=draft_ids[0]))
        barrier.wait(timeout=300)
        report["started"] = time.perf_counter()
        for pk in draft_ids[1:]:
            began = time.perf_counter()
            try:
                drafting_services.application_lodge(actor=owner, application=Application(pk=pk))
            except Exception as exc:  # noqa: BLE001 - counted, so that one refusal does not hide the figures
                report["errors"].append(repr(exc))
            report["samples"].append(time.perf_counter() - began)
        report["ended"] = time.perf_counter()
    except Exception:  # noqa: BLE001 - reported to the parent, which stops the run
        barrier.abort()  # the other clients stop waiting
        report["failed"] = traceback.format_exc()
    finally:
        results.put(report)
        connection.close()


def concurrent_lodgements(drafts: list[tuple[User, Application]]) -> dict[str, Any]:
    by_owner: dict[int, list[int]] = {}
    for owner, draft in drafts:
        by_owner.setdefault(owner.pk, []).append(draft.pk)
    context = multiprocessing.get_context("spawn")  # fresh interpreters: no inherited sockets
    barrier, results = context.Barrier(len(by_owner)), context.Queue()
    connections.close_all()
    clients = [context.Process(target=_client, args=(o, ids, barrier, results)) for o, ids in by_owner.items()]
    for client in clients:
        client.start()
    reports = [results.get(timeout=600) for _ in clients]
    for client in clients:
        client.join(timeout=60)
    failed = [r["failed"] for r in reports if "failed" in r]
    if failed:
        raise RuntimeError(f"{len(failed)} of {len(clients)} clients failed; the first:\n{failed[0]}")
    samples = [s for r in reports for s in r["samples"]]
    wall = max(r["ended"] for r in reports) - min(r["started"] for r in reports)
    return {
        "lodgements": len(samples),
        "errors": [e for r in reports for e in r["errors"]],
        "wall_s": wall,
        "per_s": len(samples) / wall,
        "samples": samples,
    }


def bbox(rows: range, cols: range) -> str:
    """`bbox=` for whole blocks: a box just inside their outer edges."""
    inset = 0.0001
    west, south = cols.start / 60 - 180 + inset, rows.start / 60 - 90 + inset
    east, north = cols.stop / 60 - 180 - inset, rows.stop / 60 - 90 - inset
    return ",".join(f"{v:.6f}" for v in (west, south, east, north))


# Boxes of 50 × 50 blocks, the most one answer covers: wholly inside the register (every block
# held), and astride its east edge where the drafts lie (held, claimed by the lodged drafts and
# the pending applications, and free where a tile is not wholly in Kazakhstan).
BOXES = {
    "held": bbox(range(REGISTER_ROW + 500, REGISTER_ROW + 550), range(REGISTER_COL + 1000, REGISTER_COL + 1050)),
    "mixed": bbox(range(TILES_ROW, TILES_ROW + 50), range(TILES_COL - 25, TILES_COL + 25)),
}


def statements_of(call: Callable[[], object]) -> list[tuple[str, Any]]:
    """The SQL statements a call runs, with their parameters exactly as passed to the driver."""
    captured: list[tuple[str, Any]] = []

    def spy(execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any) -> Any:
        captured.append((sql, params))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(spy):
        call()
    return captured


def raw_sql(statements: list[tuple[str, Any]]) -> Callable[[], object]:
    """Run the statements on a cursor and fetch every row: what the database and the driver cost."""

    def run() -> None:
        with connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                cursor.fetchall()

    return run


def endpoint_against_sql() -> tuple[dict[str, list[float]], dict[str, Any]]:
    """The availability endpoint, whole requests, against the SQL it runs; timings by kind, and
    for each box its size, its blocks by status, the queries and the answer's bytes."""
    client = Client()
    runs: dict[str, list[Callable[[], object]]] = {}
    facts: dict[str, Any] = {}
    for box, value in BOXES.items():
        for kind in ("json", "geojson"):
            query = {"bbox": value, "format": kind}
            response = client.get(AVAILABILITY, query)
            assert response.status_code == 200, response.content[:500]
            statements = statements_of(lambda query=query: client.get(AVAILABILITY, query))
            body = response.json()
            states = [f["properties"] for f in body["features"]] if kind == "geojson" else body
            key = f"{box}_{kind}"
            statuses = sorted(b["status"] for b in states)
            facts[key] = {
                "blocks": len(states),
                "statuses": {s: statuses.count(s) for s in dict.fromkeys(statuses)},
                "queries": len(statements),
                "bytes": len(response.content),
            }
            runs[f"endpoint_{key}"] = [lambda query=query: client.get(AVAILABILITY, query)] * ENDPOINT_RUNS
            runs[f"sql_{key}"] = [raw_sql(statements)] * ENDPOINT_RUNS
    return timed(runs), facts


def build() -> dict[str, Any]:
    """The register, the pending claims and the drafts; returns the drafts and what was built."""
    call_command("migrate", verbosity=0)
    registrar = _user(Role.REGISTRAR)
    applicants = [factories.applicant(_user, registrar, f"Bench Metals {n} LLP") for n in range(CLIENTS)]
    register_s = register_build([org.pk for _, org in applicants])
    need = LODGEMENTS + CLIENTS * (PER_CLIENT + 1) + 1  # each client warms up with one more
    areas = tiles_in_kazakhstan(need + 100)
    # Every other draft has 20 of its blocks under a pending claim (it lodges them as
    # conditional); the other pending applications lie on ground nobody else asks for.
    pending = [a[:10] + a[20:30] for a in areas[1:need:2] + areas[need:]][:PENDING]
    pending_build(applicants, pending)
    started = time.perf_counter()
    drafts = []
    for i, blocks in enumerate(areas[:need]):
        owner, org = applicants[i % CLIENTS]
        drafts.append((owner, factories.complete(owner, factories.draft(owner, org, blocks))))
    return {
        "drafts": drafts,
        "register_s": register_s,
        "drafts_s": time.perf_counter() - started,
        "pending_claims": Claim.objects.count(),
    }


def measure(drafts: list[tuple[User, Application]]) -> tuple[dict[str, list[float]], dict[str, Any], dict[str, Any]]:
    """Timings in seconds by operation; queries by operation, with the server's side of the
    checks; and the concurrent run's figures."""
    licence_type = factories.licence_type()
    free = [d.blocks for _, d in drafts[0::2]]  # all still drafts: the checks run before any lodgement
    claimed = [d.blocks for _, d in drafts[1::2]]
    free_runs = [free[i % len(free)] for i in range(CHECKS)]
    claimed_runs = [claimed[i % len(claimed)] for i in range(CHECKS)]

    def check(blocks: list[int]) -> Callable[[], object]:
        return lambda: ground_selectors.blocks_check(licence_type=licence_type, blocks=blocks)

    def availability(blocks: list[int]) -> Callable[[], object]:
        return lambda: ground_selectors.availability(blocks)

    check(free_runs[0])()  # warm up: the country outline, the content types
    availability(free_runs[0])()
    samples = timed(
        {
            "check_free": [check(b) for b in free_runs],
            "availability_free": [availability(b) for b in free_runs],
            "check_claimed": [check(b) for b in claimed_runs],
            "availability_claimed": [availability(b) for b in claimed_runs],
        }
    )
    diagnosis = {
        "check": server_side(check(claimed_runs[0])),
        "availability": server_side(availability(claimed_runs[0])),
        "outline_test_ms": statistics.median(outline_test(b) for b in free_runs[:50]),
    }
    owner, last = drafts[-1]
    counts = {
        "check": queries(check(free_runs[0])),
        "availability": queries(availability(free_runs[0])),
        "lodgement": queries(lambda: drafting_services.application_lodge(actor=owner, application=last)),
    }
    lodge = [
        lambda o=o, d=d: drafting_services.application_lodge(actor=o, application=d) for o, d in drafts[:LODGEMENTS]
    ]
    samples |= timed({"lodge": lodge})
    concurrent = concurrent_lodgements(drafts[LODGEMENTS:-1])
    samples["lodge_concurrent"] = concurrent.pop("samples")
    endpoint, boxes = endpoint_against_sql()  # after the lodgements: their claims are on the map
    samples |= endpoint
    return samples, counts | {"diagnosis": diagnosis, "boxes": boxes}, concurrent


def main() -> None:
    if DATABASE_URL is None:
        print("\nlicensing bench skipped: it measures PostgreSQL only; set BENCH_DATABASE_URL=postgres://…")
        return
    began = time.perf_counter()
    database_create()
    shutil.rmtree(DOCUMENTS, ignore_errors=True)
    try:
        built = build()
        samples, counts, concurrent = measure(built["drafts"])
        lodged = Application.objects.filter(state=ApplicationState.LODGED).count()
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
            cursor.execute("SELECT count(*) FROM licensing_tenure WHERE is_active")
            tenures = cursor.fetchone()[0]
    finally:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)
        shutil.rmtree(DOCUMENTS, ignore_errors=True)
        if os.environ.get("BENCH_KEEP_DB", "").lower() not in {"1", "true", "yes"}:
            database_drop()

    rows = [
        ("blocks_check, 200 free blocks", "check_free", counts["check"]),
        ("availability, 200 free blocks", "availability_free", counts["availability"]),
        ("blocks_check, 200 blocks, 20 under pending claims", "check_claimed", counts["check"]),
        ("availability, 200 blocks, 20 under pending claims", "availability_claimed", counts["availability"]),
        ("application_lodge, 200 blocks, one client", "lodge", counts["lodgement"]),
        (f"application_lodge, 200 blocks, {CLIENTS} clients at once", "lodge_concurrent", counts["lodgement"]),
    ]
    summary = {key: dict(zip(("p50_ms", "p99_ms"), percentiles(samples[key]), strict=True)) for _, key, _ in rows}
    one_client = len(samples["lodge"]) / sum(samples["lodge"])
    print(
        f"\nlicensing, {version}, {os.cpu_count()} cores; {LICENCES:,} licences, {tenures:,} active tenures, "
        f"{built['pending_claims']:,} pending claims before the lodgements (register built in "
        f"{built['register_s']:.0f} s; {len(built['drafts'])} drafts through the services in {built['drafts_s']:.0f} s)"
    )
    print(f"{'operation':<52} {'runs':>5} {'p50 ms':>8} {'p99 ms':>8} {'queries':>8}")
    for name, key, count in rows:
        p50, p99 = summary[key]["p50_ms"], summary[key]["p99_ms"]
        print(f"{name:<52} {len(samples[key]):>5} {p50:>8.2f} {p99:>8.2f} {count:>8}")
    print(
        f"lodgements per second: one client {one_client:.1f}/s; {CLIENTS} clients (processes) "
        f"{concurrent['per_s']:.1f}/s ({concurrent['lodgements']} in {concurrent['wall_s']:.1f} s, "
        f"{len(concurrent['errors'])} errors); {lodged} applications lodged in all"
    )
    diagnosis = counts["diagnosis"]
    for name in ("check", "availability"):
        server = diagnosis[name]
        print(
            f"{name}, on PostgreSQL's side (EXPLAIN ANALYZE): planning {server['planning_ms']:.2f} ms, "
            f"execution {server['execution_ms']:.2f} ms; indexes used: {', '.join(server['indexes'])}"
        )
    print(f"blocks_check's test of 200 centres against Kazakhstan's outline: {diagnosis['outline_test_ms']:.2f} ms")
    print(f"\navailability endpoint, whole requests, against the SQL it runs ({ENDPOINT_RUNS} runs each, p50 ms)")
    print(f"{'box':<22} {'blocks by status':<34} {'KB':>5} {'queries':>8} {'endpoint':>9} {'SQL':>7} {'ratio':>6}")
    for key, box in counts["boxes"].items():
        endpoint_ms = statistics.median(samples[f"endpoint_{key}"]) * 1000
        sql_ms = statistics.median(samples[f"sql_{key}"]) * 1000
        summary[f"endpoint_{key}"] = {"p50_ms": endpoint_ms, "sql_p50_ms": sql_ms, "ratio": endpoint_ms / sql_ms, **box}
        statuses = ", ".join(f"{n} {s}" for s, n in box["statuses"].items())
        print(
            f"{key.replace('_', ', '):<22} {statuses:<34} {box['bytes'] / 1024:>5.0f} {box['queries']:>8} "
            f"{endpoint_ms:>9.2f} {sql_ms:>7.2f} {endpoint_ms / sql_ms:>5.1f}×"
        )
    for error in concurrent["errors"][:5]:
        print("  ", error)
    print(f"total {time.perf_counter() - began:.0f} s")
    (ROOT / "var" / "bench-licensing.json").write_text(
        json.dumps(
            {
                "postgres": version,
                "cores": os.cpu_count(),
                "summary": summary,
                "queries": counts,
                "one_client_per_s": one_client,
                "concurrent": concurrent,
                "register_build_s": built["register_s"],
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
