"""The scale benchmark: every page and list endpoint at demo size and at the size of a national
register (bench/scale_data.py), in one run, with the growth from one to the other.

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench python bench/scale.py
    (make bench runs it last)

PostgreSQL only: with SQLite it says so and stops. It works in two databases of its own next to
BENCH_DATABASE_URL's (or DATABASE_URL's): `<name>_demo` and `<name>_register`, built afresh
(the register is a copy of the demo with the bulk added: about four minutes on 2 cores) and
dropped at the end. BENCH_KEEP_DB=1 keeps them; BENCH_SCALE_REUSE=1 measures the ones already
there without building (it still migrates and runs the derive hooks).

Each target is asked in-process through Django's test Client, the whole request cycle with
its middleware (no network, no gunicorn), by the person its page is for: anonymous, the demo's
investor, reviewer, approver or registrar (signed in with their second factor), or a partner
client with an OAuth token. One process per size, each on its own database, is driven target
by target: a target is measured at demo size, then at once at register size, so that both
figures see the same moment of a shared machine. Per target and size: one untimed request
first (its queries counted, its status and size kept; it loads what loads once), then
BENCH_SCALE_REPS (default 5) timed ones with every cache cleared before each ("cold": the
figure is their median), then 3 with the caches as the last request left them ("warm"),
then one under tracemalloc for the peak of the Python memory it allocates ("py MB"). "RSS+MB"
is the resident memory the first timed request added to the process at its peak (VmHWM after
a reset, less VmRSS before). A request slower than 2 s is asked twice more (the median of the
three is the figure), one slower than 10 s not again; one slower than BENCH_SCALE_TIMEOUT
(default 30 s) is stopped and reported "timed out", with the memory it had taken by then
(the alarm interrupts it; PostgreSQL's statement_timeout stops its query).

BENCH_SCALE_LICENCES=10000 builds a smaller register (a quick look; the figures in bench/README.md
are at 100,000). BENCH_SCALE_SKIP=a,b skips the targets whose name or path contains a or b (reported
"skipped"); BENCH_SCALE_ONLY=a,b measures those only.

Flags: `3x` when the register-size time is more than 3 times the demo's (and 10 ms or more:
below that a ratio is jitter), `slow` when it is over 150 ms (the issue's bars). Results are
printed and written to var/bench-scale.json, not asserted.
"""

import argparse
import contextlib
import json
import os
import signal
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

REPS = int(os.environ.get("BENCH_SCALE_REPS", "5"))
TIMEOUT = float(os.environ.get("BENCH_SCALE_TIMEOUT", "30"))
SLOW = 2.0  # seconds: asked once only
WARM = 3
RATIO_BAR, MS_BAR = 3.0, 150.0
RATIO_FLOOR_MS = 10.0  # below it a ratio is the machine's jitter, not growth
SIZES = ("demo", "register")


def _words(name: str) -> list[str]:
    return [w.strip() for w in os.environ.get(name, "").split(",") if w.strip()]


def _flag(name: str) -> bool:
    return os.environ.get(name, "").lower() in {"1", "true", "yes"}


# The run: build, measure each size in a process of its own, compare ------------------------


def _base_url() -> str | None:
    parts = urlsplit(os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL") or "")
    if parts.scheme not in {"postgres", "postgresql", "pgsql"}:
        return None
    return urlunsplit(parts._replace(path="/" + (parts.path.lstrip("/") or "ashyqken_bench")))


def _named(url: str, suffix: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"{parts.path}_{suffix}"))


def _server(url: str) -> Any:
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def _exists(url: str) -> bool:
    with _server(url) as server:
        return bool(server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [_db(url)]).fetchone())


def _db(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def _run(args: list[str], env: dict[str, str] | None = None) -> None:
    subprocess.run([sys.executable, *args], check=True, cwd=ROOT, env={**os.environ, **(env or {})})


def _build(urls: dict[str, str], var: Path) -> dict[str, Any]:
    """The two databases: the demo, then a copy of it with the register's bulk."""
    figures: dict[str, Any] = {}
    reuse = _flag("BENCH_SCALE_REUSE")
    for size in SIZES:
        url, out = urls[size], var / f"bench-scale-data-{size}.json"
        command = ["bench/scale_data.py", "--database-url", url, "--size", size]
        if size == "register" and os.environ.get("BENCH_SCALE_LICENCES"):  # a smaller register, for a quick look
            command += ["--licences", os.environ["BENCH_SCALE_LICENCES"]]
        if reuse and _exists(url):
            print(f"\nscale: reusing {_db(url)}", flush=True)
        elif size == "register":
            with _server(url) as server:
                server.execute(f'DROP DATABASE IF EXISTS "{_db(url)}" WITH (FORCE)')
                server.execute(f'CREATE DATABASE "{_db(url)}" TEMPLATE "{_db(urls["demo"])}"')
        else:
            command.append("--fresh")
        print(f"\nscale: building the {size} data set in {_db(url)}", flush=True)
        _run(command, {"BENCH_SCALE_DATA_OUT": str(out)})
        figures[size] = json.loads(out.read_text())
        out.unlink()
    return figures


def main() -> None:
    base = _base_url()
    if base is None:
        print("\nscale bench skipped: it measures PostgreSQL only; set BENCH_DATABASE_URL=postgres://…")
        return
    began = time.perf_counter()
    var = ROOT / "var"
    var.mkdir(exist_ok=True)
    urls = {size: _named(base, size) for size in SIZES}
    keep = _flag("BENCH_KEEP_DB") or _flag("BENCH_SCALE_REUSE")
    try:
        built = _build(urls, var)
        print(f"\nscale: measuring, each target at demo size then at register size, {REPS} times", flush=True)
        load = os.getloadavg()[0]
        results = measure_interleaved(urls)
        results["load"] = [load, os.getloadavg()[0]]
    finally:
        if not keep:
            for url in urls.values():
                with _server(url) as server:
                    server.execute(f'DROP DATABASE IF EXISTS "{_db(url)}" WITH (FORCE)')
    rows = compare(results["demo"]["rows"], results["register"]["rows"])
    print_table(rows, built, results)
    print(f"total {time.perf_counter() - began:.0f} s")
    (var / "bench-scale.json").write_text(
        json.dumps(
            {
                "how": "in-process, Django's test Client; milliseconds are medians of cold requests",
                "reps": REPS,
                "timeout_s": TIMEOUT,
                "postgres": results["register"]["postgres"],
                "cores": os.cpu_count(),
                "load_average": results["load"],
                "data": built,
                "rows": rows,
            },
            indent=2,
            default=str,
        )
    )


PROTOCOL = "@@scale "  # the lines a measuring process answers with, on its stdout


def _answer(process: subprocess.Popen[str]) -> Any:
    """The next protocol line of a measuring process (anything else it prints is passed on)."""
    for line in process.stdout or ():
        if line.startswith(PROTOCOL):
            return json.loads(line[len(PROTOCOL) :])
        print(line, end="")
    raise RuntimeError(f"the measuring process stopped (exit status {process.wait()})")


def measure_interleaved(urls: dict[str, str]) -> dict[str, Any]:
    """One measuring process per size, each with its own database, sessions and caches, driven
    target by target: a target is measured at demo size and at once at register size, so that
    both see the same moment of a shared machine."""
    processes = {
        size: subprocess.Popen(
            [sys.executable, __file__, "--serve", urls[size], "--size", size],
            cwd=ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
        )
        for size in SIZES
    }
    try:
        ready = {size: _answer(process) for size, process in processes.items()}
        targets = ready["demo"]["targets"]
        if targets != ready["register"]["targets"]:
            raise RuntimeError("the two sizes list different targets")
        results: dict[str, Any] = {size: {"postgres": ready[size]["postgres"], "rows": []} for size in SIZES}
        for index, (name, who) in enumerate(targets):
            shown = []
            for size, process in processes.items():
                process.stdin.write(f"{index}\n")
                process.stdin.flush()
                row = _answer(process)
                results[size]["rows"].append(row)
                shown.append(_ms(row))
            print(f"  {name[:56]:<56} {who:<9} {shown[0]:>9} {shown[1]:>9} ms", flush=True)
    finally:
        for process in processes.values():
            if process.stdin:
                process.stdin.close()
            process.wait(timeout=60)
    return results


def compare(demo: list[dict[str, Any]], register: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One row per target: both sizes, the growth ratio and the flags."""
    by_key = {(row["name"], row["who"]): row for row in demo}
    rows = []
    for big in register:
        small = by_key.get((big["name"], big["who"]), {})
        ratio = None
        if big.get("ms") and small.get("ms"):
            ratio = big["ms"] / small["ms"]
        flags = []
        if big.get("timed_out"):
            flags.append("timed out")
        if ratio is not None and ratio > RATIO_BAR and big["ms"] >= RATIO_FLOOR_MS:
            flags.append("3x")
        if big.get("ms") and big["ms"] > MS_BAR:
            flags.append("slow")
        if big.get("status") not in (200, None) or small.get("status") not in (200, None):
            flags.append(f"HTTP {small.get('status')}/{big.get('status')}")
        rows.append(
            {"name": big["name"], "who": big["who"], "demo": small, "register": big, "ratio": ratio} | {"flags": flags}
        )
    return rows


def _ms(row: dict[str, Any]) -> str:
    if row.get("skipped"):
        return "skipped"
    if row.get("timed_out"):
        return f">{TIMEOUT * 1000:.0f}"
    return f"{row['ms']:.1f}" if row.get("ms") is not None else "-"


def _mb(value: float | None) -> str:
    return "-" if value is None else f"{value / 2**20:.1f}"


def print_table(rows: list[dict[str, Any]], built: dict[str, Any], results: dict[str, Any]) -> None:
    register = built["register"]
    counts = register["rows"]
    print(
        f"\nscale, {results['register']['postgres']}, {os.cpu_count()} cores; in-process (Django test Client), "
        f"median of {REPS} cold requests (caches cleared)"
    )
    print(
        f"register: {counts.get('licences', 0):,} licences, {counts.get('tenures', 0):,} tenures, "
        f"{counts.get('applications', 0):,} applications, {counts.get('events', 0):,} events; "
        + (f"built in {register['seconds']:.0f} s, " if register.get("bulk_built") else "built earlier, ")
        + f"{register['database_bytes'] / 2**30:.2f} GiB "
        f"(demo {built['demo']['database_bytes'] / 2**20:.0f} MiB)"
    )
    head = (
        f"{'target':<52} {'who':<9} {'demo ms':>8} {'reg ms':>8} {'warm':>7} {'ratio':>6} {'queries':>9} "
        f"{'reg KB':>8} {'py MB':>6} {'RSS+MB':>6}  flags"
    )
    print(head)
    skipped = [row for row in rows if row["register"].get("skipped")]
    for row in rows:
        small, big = row["demo"], row["register"]
        if big.get("skipped"):
            continue
        ratio = f"{row['ratio']:.1f}" if row["ratio"] is not None else "-"
        queries = f"{small.get('queries', '-')}/{big.get('queries', '-')}"
        size = f"{big['bytes'] / 1024:.0f}" if big.get("bytes") is not None else "-"
        warm = f"{big['warm_ms']:.1f}" if big.get("warm_ms") is not None else "-"
        print(
            f"{row['name'][:52]:<52} {row['who']:<9} {_ms(small):>8} {_ms(big):>8} {warm:>7} {ratio:>6} "
            f"{queries:>9} {size:>8} {_mb(big.get('py_peak')):>6} {_mb(big.get('rss_peak')):>6}  "
            f"{', '.join(row['flags'])}"
        )
    flagged = [r for r in rows if r["flags"]]
    print(
        f"{len(flagged)} of {len(rows) - len(skipped)} targets flagged (3x: over 3 times the demo's time; "
        f"slow: over 150 ms)" + (f"; {len(skipped)} skipped (BENCH_SCALE_SKIP, BENCH_SCALE_ONLY)" if skipped else "")
    )
    load = results.get("load")
    if load:
        print(f"load average (1 min) on the machine: {load[0]:.1f} at the start of measuring, {load[1]:.1f} at the end")


# Measuring one size, in a process of its own ----------------------------------------------


@dataclass
class Target:
    name: str
    path: str
    who: str = "anonymous"
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class Result:
    name: str
    path: str
    who: str
    status: int | None = None
    ms: float | None = None
    samples: list[float] = field(default_factory=list)
    warm_ms: float | None = None
    queries: int | None = None
    bytes: int | None = None
    py_peak: int | None = None
    rss_peak: int | None = None
    rss_retained: int | None = None
    timed_out: bool = False
    skipped: bool = False
    error: str = ""


class RequestTimedOut(BaseException):
    """Raised by the alarm inside a request: a BaseException, so that Django's handler, which
    turns exceptions into 500 answers, lets it through."""


def _alarm(signum: int, frame: Any) -> None:
    raise RequestTimedOut


def _status(name: str) -> int:
    """A line of /proc/self/status, in bytes (VmRSS, VmHWM)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    return 0


def _reset_peak() -> None:
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")  # resets VmHWM to the current RSS


def serve(url: str, size: str) -> None:
    """Measure targets of this size as the parent asks for them (their index, one a line on
    stdin), answering each with its Result on stdout."""
    os.environ["BENCH_DATABASE_URL"] = url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Caches in the process: clearing a Redis cache here would empty a database others use.
    os.environ.pop("REDIS_URL", None)
    if not (ROOT / "var" / "static" / "staticfiles.json").exists():  # not collected: plain static URLs
        os.environ["DJANGO_STATICFILES_STORAGE"] = "django.contrib.staticfiles.storage.StaticFilesStorage"
    import logging
    import warnings

    import django

    warnings.filterwarnings("ignore", message="No directory at", module="django.core.handlers.base")
    from django.conf import settings

    settings.DATABASES["default"].setdefault("OPTIONS", {})["options"] = f"-c statement_timeout={int(TIMEOUT * 1000)}"
    django.setup()
    logging.disable(logging.CRITICAL)  # a failing target says so in its row

    from django.core.cache import caches
    from django.db import connection, connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    targets, clients = _targets_and_clients(Client)
    skip, only = _words("BENCH_SCALE_SKIP"), _words("BENCH_SCALE_ONLY")
    signal.signal(signal.SIGALRM, _alarm)

    def clear() -> None:
        for alias in settings.CACHES:
            caches[alias].clear()

    def ask(target: Target) -> tuple[Any, int]:
        signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
        try:
            response = clients[target.who].get(target.path, **target.headers)
            body = b"".join(response.streaming_content) if response.streaming else response.content
            response.close()
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)
        return response, len(body)

    def timed(target: Target, *, cold: bool, result: Result | None = None) -> float:
        """One request in milliseconds; with `result`, the resident memory it took is noted there."""
        if cold:
            clear()
        rss = _status("VmRSS")
        _reset_peak()
        started = time.perf_counter()
        ask(target)
        elapsed = (time.perf_counter() - started) * 1000
        if result is not None:
            result.rss_peak, result.rss_retained = max(_status("VmHWM") - rss, 0), _status("VmRSS") - rss
        return elapsed

    def measure(target: Target) -> Result:
        result = Result(target.name, target.path, target.who)
        words = f"{target.name} {target.path}"
        if any(w in words for w in skip) or (only and not any(w in words for w in only)):
            result.skipped = True
            return result
        rss = _status("VmRSS")
        try:
            # Untimed, unless slow: its queries, status and size (and the modules it loads once).
            clear()
            _reset_peak()
            started = time.perf_counter()
            with CaptureQueriesContext(connection) as captured:
                response, result.bytes = ask(target)
            first = (time.perf_counter() - started) * 1000
            result.rss_peak, result.rss_retained = max(_status("VmHWM") - rss, 0), _status("VmRSS") - rss
            result.status, result.queries = response.status_code, len(captured.captured_queries)
            if first > SLOW * 1000:
                # Slow: the first is a sample too, with two more unless it took minutes' worth (what
                # loads once, e.g. a library on a first request, then drops out of the median).
                again = 2 if first < 5 * SLOW * 1000 else 0
                result.samples = [first] + [timed(target, cold=True, result=result) for _ in range(again)]
            else:
                result.samples = [timed(target, cold=True, result=result if i == 0 else None) for i in range(REPS)]
                result.warm_ms = statistics.median(timed(target, cold=False) for _ in range(WARM))
                clear()
                tracemalloc.start()
                ask(target)
                result.py_peak = tracemalloc.get_traced_memory()[1]
                tracemalloc.stop()
            result.ms = statistics.median(result.samples)
        except RequestTimedOut:
            result.timed_out = True
            # What it had taken by then (the memory a worker would hold when its timeout hits).
            result.rss_peak, result.rss_retained = max(_status("VmHWM") - rss, 0), _status("VmRSS") - rss
            connections.close_all()  # its query was cancelled by statement_timeout, or is being
        except Exception as exc:  # noqa: BLE001 - reported in its row, the run goes on
            result.error = f"{type(exc).__name__}: {exc}"[:300]
            connections.close_all()
        finally:
            if tracemalloc.is_tracing():
                tracemalloc.stop()
        return result

    with connection.cursor() as cursor:
        cursor.execute("SELECT version()")
        version = cursor.fetchone()[0].split(" on ")[0]
    ready = {"postgres": version, "targets": [(t.name, t.who) for t in targets]}
    print(PROTOCOL + json.dumps(ready), flush=True)
    for line in sys.stdin:
        result = measure(targets[int(line)])
        print(PROTOCOL + json.dumps(asdict(result)), flush=True)


def _targets_and_clients(client_class: Callable[..., Any]) -> tuple[list[Target], dict[str, Any]]:
    """Every page and list endpoint, by whom it is for; the subjects are the demo's (the same
    URL at both sizes), except one block with a history at register size."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    from accounts.models import User
    from demo.partners import DEMO_PARTNER_SECRET
    from investors.models import Membership
    from licensing.domain import grid
    from licensing.models import (
        OPEN_STATES,
        Application,
        ApplicationState,
        Licence,
        LicenceStatus,
        TitleChange,
    )

    clients: dict[str, Any] = {"anonymous": client_class()}
    for role in ("investor", "reviewer", "approver", "registrar"):
        user = User.objects.get(email=f"{role}@example.com")
        client = client_class()
        client.force_login(user)
        totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
        if totp is not None:  # an official's session signed in with the second factor, as allauth records it
            session = client.session
            session[AUTHENTICATION_METHODS_SESSION_KEY] = [
                {"method": "password", "at": time.time(), "email": user.email},
                {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
            ]
            session["account_authentication_methods_user"] = str(user.pk)
            session.save()
        clients[role] = client
    token = clients["anonymous"].post(
        "/o/token/",
        {
            "grant_type": "client_credentials",
            "client_id": "demo-eiti",
            "client_secret": DEMO_PARTNER_SECRET,
            "scope": "register:read events:read webhooks:manage",
        },
    )
    partner = {"HTTP_AUTHORIZATION": f"Bearer {token.json()['access_token']}"} if token.status_code == 200 else {}
    clients["partner"] = clients["anonymous"]

    investor = User.objects.get(email="investor@example.com")
    org = Membership.objects.filter(user=investor, role="owner").values_list("organisation", flat=True).first()
    licence = Licence.objects.filter(holder=org, status=LicenceStatus.ACTIVE).order_by("id").first()
    licence = licence or Licence.objects.order_by("id").first()
    number = licence.number
    block = grid.code(licence.tenures.order_by("block").values_list("block", flat=True).first())
    from bench.scale_data import tile_blocks

    history = grid.code(tile_blocks(0)[0])  # at register size: two tenures, a claim and an opening
    lodged = Application.objects.exclude(state=ApplicationState.DRAFT).order_by("id").first()
    case = Application.objects.filter(state__in=OPEN_STATES).order_by("id").first()
    own = Application.objects.filter(organisation__memberships__user=investor).order_by("id").first()
    change = TitleChange.objects.order_by("id").first()
    # 50 × 50 blocks from 40°N 46°E, the register's south-west corner.
    bbox = "46.0001,40.0001,46.8332,40.8332"
    assert len(grid.blocks_in_bbox(*map(float, bbox.split(",")))) == 2500

    anonymous = [
        ("bare Django view (the floor)", "/bench/bare/"),
        ("home", "/"),
        ("deposit list page", "/deposits/"),
        ("disclosure page", "/deposits/boguty/"),
        ("map page", "/map/"),
        ("open-data index", "/open-data/"),
        ("licence types", "/licence-types/"),
        ("register of licences", "/register/licences/"),
        ("register of licences ?q=<number>", f"/register/licences/?q={number}"),
        ("register of licences ?q=<holder name>", "/register/licences/?q=Steppe"),
        ("register of licences ?commodity=Li", "/register/licences/?commodity=Li"),
        ("register of licences ?status=expired", "/register/licences/?status=expired"),
        ("register of licences, page 100", "/register/licences/?page=100"),
        ("register: a licence", f"/register/licences/{number}/"),
        ("verify a licence", f"/verify/{number}/"),
        ("register of applications", "/register/applications/"),
        ("register of applications ?state=objection_period", "/register/applications/?state=objection_period"),
        ("register of applications ?commodity=Li", "/register/applications/?commodity=Li"),
        ("register: an application", f"/register/applications/{lodged.reference}/"),
        ("release calendar (openings)", "/register/openings/"),
        ("statistics page", "/statistics/"),
        ("open data: licences.geojson", "/open-data/licences.geojson"),
        ("open data: licences.csv", "/open-data/licences.csv"),
        ("open data: deposits.geojson", "/open-data/deposits.geojson"),
        ("open data: deposits.csv", "/open-data/deposits.csv"),
        ("open data: beneficial-ownership.json (BODS)", "/open-data/beneficial-ownership.json"),
        ("API licences", "/api/v1/licences/"),
        ("API licences ?commodity=Li", "/api/v1/licences/?commodity=Li"),
        ("API licences ?holder_name=Steppe", "/api/v1/licences/?holder_name=Steppe"),
        ("API a licence", f"/api/v1/licences/{number}/"),
        ("API deposits", "/api/v1/deposits/"),
        ("API deposits ?commodity=Li", "/api/v1/deposits/?commodity=Li"),
        ("API commodities", "/api/v1/commodities/"),
        ("API licence types", "/api/v1/licence-types/"),
        ("API event types", "/api/v1/event-types/"),
        ("API block <code> (a demo licence's)", f"/api/v1/blocks/{block}/"),
        ("API block <code> (with a history)", f"/api/v1/blocks/{history}/"),
        ("API availability, 2,500 blocks, JSON", f"/api/v1/blocks/availability/?bbox={bbox}"),
        ("API availability, 2,500 blocks, GeoJSON", f"/api/v1/blocks/availability/?bbox={bbox}&format=geojson"),
        ("API openings", "/api/v1/openings/"),
        ("API openings: licences expiring", "/api/v1/openings/expiring/"),
        ("API openings: changes being decided", "/api/v1/openings/deciding/"),
        ("API statistics", "/api/v1/statistics/"),
        ("API statistics ?weeks=104", "/api/v1/statistics/?weeks=104"),
        ("OGC collections", "/ogc/collections"),
        *[(f"OGC items: {c}", f"/ogc/collections/{c}/items") for c in ("deposits", "licences", "applications")],
        ("OGC items: openings", "/ogc/collections/openings/items"),
        ("OGC items: licences ?limit=1000", "/ogc/collections/licences/items?limit=1000"),
    ]
    signed_in = [
        ("investor dashboard", "/investor/", "investor"),
        ("investor: applications", "/investor/applications/", "investor"),
        ("investor: an application", f"/investor/applications/{own.pk}/", "investor"),
        ("investor: licences", "/investor/licences/", "investor"),
        ("investor: obligations due", "/investor/licences/due/", "investor"),
        ("investor: a licence (ledger)", f"/investor/licences/{number}/", "investor"),
        ("investor: a licence's invoices", f"/investor/licences/{number}/invoices/", "investor"),
        ("investor: watchlist", "/investor/watchlist/", "investor"),
        ("investor: notifications", "/notifications/", "investor"),
        ("API applications (investor's)", "/api/v1/applications/", "investor"),
        ("API notifications", "/api/v1/notifications/", "investor"),
        ("API organisations (investor's)", "/api/v1/organisations/", "investor"),
        ("API title changes (investor's)", "/api/v1/title-changes/", "investor"),
        ("workbench queue", "/workbench/", "reviewer"),
        ("workbench queue ?assignee=me", "/workbench/?assignee=me", "reviewer"),
        ("workbench queue ?overdue=on", "/workbench/?overdue=on", "reviewer"),
        ("workbench: a case", f"/workbench/applications/{case.pk}/", "reviewer"),
        ("workbench: openings", "/workbench/openings/", "reviewer"),
        ("workbench: changes of title", "/workbench/title-changes/", "reviewer"),
        ("workbench: a change of title", f"/workbench/title-changes/{change.number}/", "reviewer"),
        ("workbench: revocation contests", "/workbench/revocations/", "reviewer"),
        ("workbench: a licence", f"/workbench/licences/{number}/", "reviewer"),
        ("API applications (official's)", "/api/v1/applications/", "reviewer"),
        ("API title changes (official's)", "/api/v1/title-changes/", "reviewer"),
        ("workbench queue", "/workbench/", "approver"),
        ("workbench queue ?stage=recommended", "/workbench/?stage=recommended", "approver"),
        ("registrar: payments", "/registrar/payments/", "registrar"),
        ("registrar: organisations to verify", "/registrar/organisations/", "registrar"),
        ("registrar: data-room log", "/registrar/data-room/", "registrar"),
        ("API invoices", "/api/v1/invoices/", "registrar"),
        ("API organisations (registrar's)", "/api/v1/organisations/", "registrar"),
    ]
    partners = [
        ("API applications (partner)", "/api/v1/applications/"),
        ("API events feed (partner)", "/api/v1/events/"),
        ("API licences (partner)", "/api/v1/licences/"),
        ("API webhooks (partner)", "/api/v1/webhooks/"),
    ]
    targets = [Target(name, path) for name, path in anonymous]
    targets += [Target(name, path, who) for name, path, who in signed_in]
    targets += [Target(name, path, "partner", partner) for name, path in partners]
    return targets, clients


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--serve", metavar="DATABASE_URL", help="measure targets of one size as asked on stdin")
    parser.add_argument("--size", choices=SIZES)
    arguments = parser.parse_args()
    if arguments.serve:
        serve(arguments.serve, arguments.size)
    else:
        main()
