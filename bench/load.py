"""Opening-day load: a few hundred investors browse the map and the register while lodging on
ground that opens at 09:00, and officials work their queues, against the product as `make run`
serves it (gunicorn and a Celery worker from the Procfile, on PostgreSQL and Redis).

    make load                                  # 300 users for 3 minutes
    LOAD_USERS=60 LOAD_DURATION=90s make load  # a smaller run

It takes a database and a Redis database of its own, wiped at the start of every run:
LOAD_DATABASE_URL (default postgres://root@127.0.0.1:5432/ashyqken_load: dropped and created
afresh) and LOAD_REDIS_URL (default redis://127.0.0.1:6379/12: flushed). Then it

1. migrates and loads the demo (as `make run` does), and, through the services, verifies an
   organisation for each lodging investor and prepares a complete draft for each (blocks,
   work programme, local content, documents, declaration): four in five on ground a registrar
   opens (`ground_open`, 09:00 Astana time after the notice period), one in five on free
   ground outside it, where first come is first served;
2. sets the clock of every process of the run (bench/load_clock.py) so that the ground opens
   LOAD_OPENING_AFTER seconds (default 60) after the simulated users start, and signs the
   users in beforehand (a session each, as a sign-in would leave; officials with their second
   factor): a sign-in costs a second of CPU time (PBKDF2), so only LOAD_SIGNERS of the users
   (the demo investors) sign in through the form during the run;
3. starts gunicorn and the Celery worker with the Procfile's commands and settings (the worker
   and thread counts of config/gunicorn.py), on the run's clock;
4. runs locust headless (bench/locustfile.py: LOAD_USERS users, LOAD_SPAWN_RATE a second, for
   LOAD_DURATION), waits for the worker to empty its queue, and stops both;
5. checks the database: every lodgement that answered success is exactly one lodged
   application with the number it was given; no lodgement the investor was not told of; one
   `application.lodged` event and one claim per block each; priority numbers unique and without
   gaps; no two live claims on a block unless the later one was lodged conditional (behind the
   earlier) or both rank equally in the same opening window; the opening's claims all received
   at or after 09:00; and the event chain verifies;
6. reports throughput, p50/p95/p99 and failures per request type, then for pages (GET) and form
   posts apart, over the whole run and in the half-minute after 09:00, the opening minute's figures,
   the slowest requests (from gunicorn's access log) and the checks, and writes them to
   var/load/summary.json (locust's CSV files and the servers' logs are beside it).

Nothing is asserted: the exit status is 1 only when a database check fails.
"""

import contextlib
import csv
import json
import os
import random
import re
import resource
import shlex
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from collections import Counter, defaultdict
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
OUT = ROOT / "var" / "load"

USERS = int(os.environ.get("LOAD_USERS", "300"))
SPAWN_RATE = float(os.environ.get("LOAD_SPAWN_RATE", "10"))
DURATION = os.environ.get("LOAD_DURATION", "3m")
LODGERS = int(os.environ.get("LOAD_LODGERS", str(USERS // 2)))
OFFICIALS = int(os.environ.get("LOAD_OFFICIALS", "8"))
SIGNERS = int(os.environ.get("LOAD_SIGNERS", "8"))
OPENING_AFTER = float(os.environ.get("LOAD_OPENING_AFTER", "60"))
STARTUP = 20.0  # seconds allowed for gunicorn and the worker to start before locust does
DATABASE_URL = os.environ.get("LOAD_DATABASE_URL", "postgres://root@127.0.0.1:5432/ashyqken_load")
REDIS_URL = os.environ.get("LOAD_REDIS_URL", "redis://127.0.0.1:6379/12")
SEED = int(os.environ.get("LOAD_SEED", "15"))
_STARTED = (time.time(), time.monotonic())


def real_time() -> float:
    """The real time, also once this process's clock is moved to the opening morning."""
    return _STARTED[0] + time.monotonic() - _STARTED[1]


# The processes of the run read these, as `make run`'s do (config/settings.py).
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    REDIS_URL=REDIS_URL,
    DJANGO_SETTINGS_MODULE="config.settings",
    DJANGO_DOCUMENTS_ROOT=str(OUT / "documents"),
)
os.environ.pop("LOAD_CLOCK_OFFSET", None)  # this process moves its clock itself, after the preparation

if urlsplit(DATABASE_URL).scheme not in {"postgres", "postgresql", "pgsql"} or not REDIS_URL.startswith("redis"):
    sys.exit("The opening-day load runs on PostgreSQL and Redis: set LOAD_DATABASE_URL and LOAD_REDIS_URL.")

from config import gunicorn as gunicorn_settings  # noqa: E402 - WEB_CONCURRENCY, WEB_THREADS as gunicorn reads them
from config.var import prepare as var_prepare  # noqa: E402

# The secret key every process of the run signs sessions with: before the settings read it.
var_prepare(Path(os.environ.get("DJANGO_VAR_DIR") or ROOT / "var"))

import django  # noqa: E402

django.setup()

import psutil  # noqa: E402
import psycopg  # noqa: E402
import redis  # noqa: E402
import time_machine  # noqa: E402
from allauth.account.internal.flows.login import record_authentication  # noqa: E402
from allauth.mfa.models import Authenticator  # noqa: E402
from django.conf import settings  # noqa: E402
from django.contrib.auth import login  # noqa: E402
from django.contrib.auth.models import AnonymousUser  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, connections  # noqa: E402
from django.db.models import Count  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from accounts.roles import Role  # noqa: E402
from accounts.services import user_ensure  # noqa: E402
from demo.investors import users_ready  # noqa: E402
from deposits.models import Deposit  # noqa: E402
from events.models import Event  # noqa: E402
from events.services import event_chain_verify  # noqa: E402
from geography.kazakhstan import in_kazakhstan  # noqa: E402
from licensing.domain import grid  # noqa: E402
from licensing.ground import services as ground_services  # noqa: E402
from licensing.models import (  # noqa: E402
    Application,
    ApplicationState,
    Claim,
    ClaimStatus,
    GroundOpening,
    Licence,
    OpeningReason,
    PriorityCounter,
)
from tests.investors import factories as investor_factories  # noqa: E402
from tests.licensing import factories as licensing_factories  # noqa: E402

M = grid.MINUTES_LON
# The ground the registrar opens: 20 × 30 blocks of steppe west of Semey, 49°00'-49°20'N
# 80°00'-80°30'E, away from the demo's ground; and free ground south of it that does not open
# (already open: first come, first served), 48°40'-48°50'N.
OPENING_ORIGIN, OPENING_ROWS, OPENING_COLS = grid.parse("N4900E08000"), 20, 30
STRICT_ORIGIN, STRICT_ROWS, STRICT_COLS = grid.parse("N4840E08000"), 10, 30
DEMO_INVESTORS = [
    "investor@example.com",
    "kazgeo@example.com",
    "hanbit@example.com",
    "outback@example.com",
    "silkroad@example.com",
    "thames@example.com",
    "altai@example.com",
    "nordic@example.com",
]
DEMO_PASSWORD = "ashyqken-demo"  # noqa: S105 - the demo's published password (README)


# The database and Redis ------------------------------------------------------------------


def database_create() -> None:
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    server = urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres"))
    connections.close_all()
    with psycopg.connect(server, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def queue_length(client: redis.Redis) -> int:
    """Tasks waiting in the worker's queue, and those it took but did not acknowledge yet."""
    return client.llen("celery") + client.hlen("unacked")


# Preparation: through the services ------------------------------------------------------


def rectangle(origin: int, rows: int, cols: int) -> list[int]:
    return [origin + r * M + c for r in range(rows) for c in range(cols)]


def in_country(blocks: list[int]) -> bool:
    return all(in_kazakhstan(longitude=grid.centre(b)[0], latitude=grid.centre(b)[1]) for b in blocks)


def areas(count: int, rng: random.Random) -> list[tuple[list[int], bool]]:
    """For each lodger, a rectangle of 2-4 × 2-4 blocks: four in five in the opening (many
    overlap: they rank equally and go to auction), one in five on the free ground south of it."""
    chosen = []
    for i in range(count):
        opening = i % 5 != 4
        origin, rows, cols = (
            (OPENING_ORIGIN, OPENING_ROWS, OPENING_COLS) if opening else (STRICT_ORIGIN, STRICT_ROWS, STRICT_COLS)
        )
        height, width = rng.choice([2, 3, 4]), rng.choice([2, 3, 4])
        corner = origin + rng.randrange(rows - height + 1) * M + rng.randrange(cols - width + 1)
        chosen.append((rectangle(corner, height, width), opening))
    return chosen


def static_collect() -> None:
    """collectstatic, unless its manifest is newer than every source file: with brotli
    installed (locust brings it), whitenoise writes a .br of every file, minutes of CPU time."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    sources = [Path(d[1] if isinstance(d, tuple) else d) for d in settings.STATICFILES_DIRS]
    newest = max((f.stat().st_mtime for d in sources for f in d.rglob("*") if f.is_file()), default=0)
    if not manifest.exists() or manifest.stat().st_mtime < newest:
        call_command("collectstatic", interactive=False, verbosity=0)


def new_user(email: str, *roles: Role) -> User:
    # No password: these users are signed in with a session made for them (sessions()); hashing
    # a password costs a second of CPU time each.
    return user_ensure(email=email, password=None, roles=roles)  # type: ignore[arg-type]


def prepare(rng: random.Random) -> dict[str, Any]:
    """The demo, the opening, and an organisation with a complete draft for every lodger."""
    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    call_command("load_demo", verbosity=0)
    static_collect()
    demo_s = time.perf_counter() - started
    registrar = User.objects.get(email="registrar@example.com")
    opening_blocks = rectangle(OPENING_ORIGIN, OPENING_ROWS, OPENING_COLS)
    strict_blocks = rectangle(STRICT_ORIGIN, STRICT_ROWS, STRICT_COLS)
    if not in_country(opening_blocks + strict_blocks):
        raise RuntimeError("the load's ground must lie in Kazakhstan")
    opening = ground_services.ground_open(
        actor=registrar, blocks=opening_blocks, reason=OpeningReason.RELEASED_BY_STATE, region="abai"
    )
    started = time.perf_counter()
    lodgers = []
    for n, (blocks, in_opening) in enumerate(areas(LODGERS, rng), start=1):
        owner = new_user(f"load-investor-{n}@example.com", Role.INVESTOR)
        organisation = investor_factories.verified_organisation(
            owner,
            registrar,
            legal_name=f"Opening Day Metals {n} LLP",
            legal_name_latin=f"Opening Day Metals {n} LLP",
            registration_number=f"LOAD-{n:05d}",
        )
        draft = licensing_factories.complete(owner, licensing_factories.draft(owner, organisation, blocks))
        lodgers.append({"user": owner, "application": draft, "in_opening": in_opening})
        if n % 25 == 0:
            print(f"  {n} of {LODGERS} organisations and drafts ({time.perf_counter() - started:.0f} s)", flush=True)
    officials = [new_user(f"load-reviewer-{n}@example.com", Role.REVIEWER) for n in range(1, OFFICIALS - 1)]
    officials += [new_user(f"load-approver-{n}@example.com", Role.APPROVER) for n in range(1, 3)]
    users_ready([lodger["user"] for lodger in lodgers] + officials)
    return {
        "opening": opening,
        "lodgers": lodgers,
        "officials": officials,
        "demo_s": demo_s,
        "drafts_s": time.perf_counter() - started,
    }


def session_for(user: User) -> str:
    """A session as signing in leaves it (with the second factor, for an official): its key."""
    from importlib import import_module

    request = RequestFactory().get("/")
    request.session = import_module(settings.SESSION_ENGINE).SessionStore()
    request.user = AnonymousUser()
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    record_authentication(request, user, "password", email=user.email)
    authenticator = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if authenticator is not None:
        record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    request.session.save()
    return request.session.session_key


def lodge_moment(rng: random.Random) -> float:
    """Seconds after 09:00 an investor presses "lodge": most in the first ten seconds, some
    later, one in ten early (deemed received at 09:00, so they rank equally all the same)."""
    roll = rng.random()
    if roll < 0.1:
        return rng.uniform(-15, 0)
    if roll < 0.8:
        return rng.uniform(0, 10)
    return rng.uniform(10, 40)


def public_targets() -> dict[str, Any]:
    """What anonymous visitors open: deposits, licences, applications, blocks, map views."""
    deposits = list(Deposit.objects.filter(is_published=True).values_list("slug", "longitude", "latitude"))
    opening_box = [79.95, 48.9, 80.6, 49.45]  # the opening and the ground around it: 1,400 blocks
    boxes = [opening_box, [79.9, 48.6, 80.6, 48.9]]
    boxes += [[float(lon) - 0.3, float(lat) - 0.2, float(lon) + 0.3, float(lat) + 0.2] for _, lon, lat in deposits]
    return {
        "deposits": [slug for slug, _, _ in deposits],
        "licences": list(Licence.objects.values_list("number", flat=True)),
        "applications": [
            f"A-{n:06d}"
            for n in Application.objects.exclude(priority_number=None).values_list("priority_number", flat=True)
        ],
        "blocks": [grid.code(b) for b in rectangle(OPENING_ORIGIN, OPENING_ROWS, OPENING_COLS)[::37]],
        "bboxes": [",".join(f"{v:.5f}" for v in box) for box in boxes],
    }


# The servers ------------------------------------------------------------------------------


def procfile() -> dict[str, list[str]]:
    """`make run`'s commands, from the Procfile, on the run's clock (bench.load_web / load_worker)."""
    commands = {}
    for line in (ROOT / "Procfile").read_text().splitlines():
        name, _, command = line.partition(":")
        if name.strip() in {"web", "worker"}:
            commands[name.strip()] = shlex.split(command)
    web, worker = commands["web"], commands["worker"]
    web[web.index("config.wsgi")] = "bench.load_web:application"
    worker[worker.index("--app") + 1] = "bench.load_worker:app"
    return {"web": web, "worker": worker}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until_up(base: str, worker: subprocess.Popen, web: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if web.poll() is not None or worker.poll() is not None:
            raise RuntimeError(f"a server stopped at start: see {OUT}/web.log and {OUT}/worker.log")
        with contextlib.suppress(OSError):
            if urllib.request.urlopen(base + "/readyz", timeout=2).status == 200:
                return
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /readyz within a minute")


def start_servers(port: int, offset: float) -> tuple[subprocess.Popen, subprocess.Popen]:
    commands = procfile()
    env = {**os.environ, "LOAD_CLOCK_OFFSET": f"{offset:.6f}", "ASHYQKEN_PORT": str(port)}
    web_command = [
        *commands["web"],
        "--access-logfile",
        str(OUT / "access.log"),
        # The time each request took, in milliseconds, last.
        "--access-logformat",
        '%(t)s "%(r)s" %(s)s %(b)s %(M)s',
    ]
    with (OUT / "web.log").open("w") as web_log, (OUT / "worker.log").open("w") as worker_log:
        worker = subprocess.Popen(commands["worker"], cwd=ROOT, env=env, stdout=worker_log, stderr=subprocess.STDOUT)
        web = subprocess.Popen(web_command, cwd=ROOT, env=env, stdout=web_log, stderr=subprocess.STDOUT)
    return web, worker


def tree_cpu(pid: int) -> float:
    """CPU seconds used so far by a process and its children (gunicorn's workers, Celery's pool)."""
    with contextlib.suppress(psutil.Error):
        parent = psutil.Process(pid)
        return sum(sum(p.cpu_times()[:2]) for p in [parent, *parent.children(recursive=True)])
    return 0.0


class Machine:
    """What the run got of a shared machine: CPU time of the web server, the worker and locust,
    the whole machine's busy share, and its load average (sampled every 5 s)."""

    def __init__(self, web: subprocess.Popen, worker: subprocess.Popen) -> None:
        self.pids = {"web": web.pid, "worker": worker.pid}
        self.loads: list[float] = []
        self.stopping = threading.Event()

    def __enter__(self) -> "Machine":
        self.load_before = os.getloadavg()[0]  # the minute before: other work on a shared machine
        self.cpu = {name: tree_cpu(pid) for name, pid in self.pids.items()}
        self.children = resource.getrusage(resource.RUSAGE_CHILDREN)
        self.times = psutil.cpu_times()
        self.wall = time.monotonic()
        self.sampler = threading.Thread(target=self.sample, daemon=True)
        self.sampler.start()
        return self

    def sample(self) -> None:
        while not self.stopping.wait(5):
            self.loads.append(os.getloadavg()[0])

    def __exit__(self, *exc: object) -> None:
        self.stopping.set()
        wall = time.monotonic() - self.wall
        children = resource.getrusage(resource.RUSAGE_CHILDREN)
        times = psutil.cpu_times()
        busy = sum(times) - times.idle - times.iowait - (sum(self.times) - self.times.idle - self.times.iowait)
        self.figures = {
            "wall_s": wall,
            "cpu_s": {name: tree_cpu(pid) - self.cpu[name] for name, pid in self.pids.items()},
            "locust_cpu_s": children.ru_utime + children.ru_stime - self.children.ru_utime - self.children.ru_stime,
            "machine_busy": busy / (wall * (os.cpu_count() or 1)),
            "load_average": statistics.mean(self.loads) if self.loads else os.getloadavg()[0],
            "load_average_before": self.load_before,
        }


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


# The checks -------------------------------------------------------------------------------


def outcomes() -> list[dict[str, Any]]:
    path = OUT / "lodgements.jsonl"
    return [json.loads(line) for line in path.read_text().splitlines()] if path.exists() else []


def check(plan_lodgers: list[dict[str, Any]], opening: GroundOpening, run_started: datetime) -> dict[str, Any]:
    """What the database holds after the run, against what the investors were told."""
    problems: list[str] = []
    attempts = outcomes()
    told: dict[int, dict[str, Any]] = {}  # application -> the success the investor read
    for attempt in attempts:
        if attempt.get("lodged_as"):
            earlier = told.setdefault(attempt["application"], attempt)
            if earlier["lodged_as"] != attempt["lodged_as"]:
                problems.append(f"application {attempt['application']} was told two numbers")
    planned = {lodger["application"] for lodger in plan_lodgers}
    lodged = {
        a.pk: a
        for a in Application.objects.filter(pk__in=planned)
        .exclude(state=ApplicationState.DRAFT)
        .annotate(claim_count=Count("claims"))
    }
    for pk, attempt in told.items():
        application = lodged.get(pk)
        if application is None:
            problems.append(f"lost: application {pk} was told {attempt['lodged_as']} but is not lodged")
        elif (application.reference, application.priority_number) != (attempt["lodged_as"], attempt["number"]):
            problems.append(
                f"application {pk} was told {attempt['lodged_as']} ({attempt['number']}), "
                f"but holds {application.reference} ({application.priority_number})"
            )
    # A press whose answer had not come when locust stopped the users is no failure of the
    # product: the lodgement may have committed after the investor was gone.
    pressed = Counter(a["application"] for a in attempts if a["answer"] == "pressed")
    answered = Counter(a["application"] for a in attempts if a["answer"] != "pressed")
    unanswered = {pk for pk in pressed if answered[pk] < pressed[pk]}
    untold = sorted(set(lodged) - set(told))
    for pk in untold:
        if pk not in unanswered:
            problems.append(f"application {pk} is lodged, but its investor was told otherwise")
    lodged_events = Counter(
        int(subject)
        for subject in Event.objects.filter(
            type="application.lodged", subject_id__in=[str(pk) for pk in planned]
        ).values_list("subject_id", flat=True)
    )
    for pk in planned:
        expected = 1 if pk in lodged else 0
        if lodged_events[pk] != expected:
            problems.append(f"application {pk}: {lodged_events[pk]} application.lodged events, not {expected}")
    for application in lodged.values():
        if application.claim_count != len(application.blocks):
            problems.append(
                f"{application.reference}: {application.claim_count} claims for {len(application.blocks)} blocks"
            )
    counter = PriorityCounter.objects.get(pk=1).last_number
    numbers = sorted(Application.objects.exclude(priority_number=None).values_list("priority_number", flat=True))
    if numbers != list(range(1, counter + 1)):
        missing = sorted(set(range(1, counter + 1)) - set(numbers))
        problems.append(f"priority numbers are not 1…{counter} once each: missing {missing[:10]}, {len(numbers)} given")
    # Live claims on one block: the first in rank, then only claims lodged behind it (conditional)
    # or ranking equally with it in the same opening window.
    live = defaultdict(list)
    for claim in Claim.objects.filter(status=ClaimStatus.LIVE).values(
        "block", "rank", "application_id", "conditional", "opening_id"
    ):
        live[claim["block"]].append(claim)
    doubled = 0
    for block, claims in live.items():
        claims.sort(key=lambda c: c["rank"])
        first = claims[0]
        for later in claims[1:]:
            equal = later["opening_id"] is not None and later["opening_id"] == first["opening_id"]
            if not (later["conditional"] or equal):
                doubled += 1
                if doubled <= 10:
                    problems.append(f"block {grid.code(block)}: two live claims neither conditional nor equal-ranking")
    opening_blocks = set(opening.blocks.values_list("block", flat=True))
    in_window = Claim.objects.filter(block__in=opening_blocks, application__lodged_at__gte=run_started)
    outside = in_window.exclude(opening=opening).count()
    if outside:
        problems.append(f"{outside} claims on the opening's ground lodged in the run are not in its window")
    early = in_window.filter(application__received_at__lt=opening.opens_at).count()
    if early:
        problems.append(f"{early} claims on the opening's ground were received before it opened")
    chain = event_chain_verify()
    if not chain.ok:
        problems.append(f"the event chain does not verify: {[p.message for p in chain.problems[:5]]}")
    contested = sum(1 for claims in live.values() if len({c["application_id"] for c in claims if c["opening_id"]}) > 1)
    received = [a.received_at for a in lodged.values()]
    return {
        "drafts": len(planned),
        "lodged": len(lodged),
        "told_success": len(told),
        "lodged_untold": len(untold),
        "unanswered_at_end": len(unanswered),
        "not_lodged": len(planned) - len(lodged),
        "attempts": sum(pressed.values()),
        "attempt_answers": dict(Counter(a["answer"] for a in attempts if a["answer"] != "pressed")),
        "priority_numbers": counter,
        "live_claims": sum(len(c) for c in live.values()),
        "blocks_contested_in_window": contested,
        "conditional_claims": sum(1 for claims in live.values() for c in claims if c["conditional"]),
        "received_at_09_00": sum(1 for r in received if r == opening.opens_at),
        "events_verified": chain.checked,
        "problems": problems,
    }


# The report -------------------------------------------------------------------------------


def locust_stats() -> list[dict[str, Any]]:
    with (OUT / "locust_stats.csv").open() as f:
        return list(csv.DictReader(f))


ACCESS = re.compile(r'^\[(?P<t>[^\]]+)\] "(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d+) \S+ (?P<ms>\d+)$')


ROUTE_PARTS = [
    (re.compile(r"\?.*$"), ""),
    (re.compile(r"/A-\d{6}/"), "/<reference>/"),
    (re.compile(r"/[A-Z]{2}-[A-Z]{3}-\d{4}-\d+/"), "/<licence>/"),
    (re.compile(r"/[NS]\d{4}[EW]\d{5}/"), "/<block>/"),
    (re.compile(r"/\d+/"), "/<id>/"),
    (re.compile(r"^/deposits/[a-z0-9-]+/$"), "/deposits/<slug>/"),
]


def spread(sample: list[float]) -> dict[str, float]:
    if len(sample) < 2:
        return {"requests": len(sample)}
    cuts = statistics.quantiles(sample, n=100, method="inclusive")
    return {"requests": len(sample), "p50_ms": cuts[49], "p95_ms": cuts[94], "p99_ms": cuts[98]}


def by_method(opens_at: float) -> dict[str, Any]:
    """As locust saw them: pages (GET) and form posts (POST) apart, over the whole run and in the
    first half-minute after the ground opens, when the lodgements queue for the counter's lock."""
    rows = []
    with (OUT / "request_times.csv").open() as f:
        for at, method, ms in csv.reader(f):
            rows.append((float(at), method, float(ms)))
    burst = (opens_at, opens_at + 30)  # real time, as locust's clock reads
    return {
        "pages": spread([ms for _at, method, ms in rows if method == "GET"]),
        "posts": spread([ms for _at, method, ms in rows if method == "POST"]),
        "pages_first_30_s": spread([ms for at, method, ms in rows if method == "GET" and burst[0] <= at < burst[1]]),
    }


def route(path: str) -> str:
    for pattern, replacement in ROUTE_PARTS:
        path = pattern.sub(replacement, path)
    return path


def access_log(opens_at: datetime) -> dict[str, Any]:
    """The slowest requests, and the opening minute's pages (from 09:00:00 to 09:01:00)."""
    rows = []
    for line in (OUT / "access.log").read_text().splitlines():
        match = ACCESS.match(line)
        if match:
            when = datetime.strptime(match["t"], "%d/%b/%Y:%H:%M:%S %z")
            rows.append((when, match["method"], match["path"], int(match["status"]), int(match["ms"])))
    minute = [r for r in rows if opens_at <= r[0] < opens_at + timedelta(minutes=1)]
    slowest = sorted(rows, key=lambda r: -r[4])[:15]

    by_route: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_route[f"{row[1]} {route(row[2])}"].append(row[4])
    busiest = sorted(by_route.items(), key=lambda item: -sum(item[1]))[:12]
    return {
        "requests": len(rows),
        "server_errors": sum(1 for r in rows if r[3] >= 500),
        # Where the server's time went: the routes that took most of it, in all.
        "time_by_route": [
            {"route": name, "requests": len(ms), "total_s": sum(ms) / 1000, "mean_ms": statistics.mean(ms)}
            for name, ms in busiest
        ],
        "opening_minute": spread([r[4] for r in minute]),
        "opening_minute_lodge_posts": spread([r[4] for r in minute if r[1] == "POST" and r[2].endswith("/lodge/")]),
        "slowest": [{"at": r[0].isoformat(), "request": f"{r[1]} {r[2]}", "status": r[3], "ms": r[4]} for r in slowest],
    }


def report(summary: dict[str, Any]) -> None:
    workers, threads = summary["gunicorn_workers_threads"]
    print(
        f"\nOpening day: {summary['users']} users for {summary['duration']} ({summary['lodgers']} lodging, "
        f"{summary['officials']} officials, {summary['signers']} signing in, the rest browsing); "
        f"PostgreSQL, Redis, gunicorn {summary['gunicorn']} ({workers} workers × {threads} threads), "
        f"Celery worker {summary['worker']}"
    )
    print(f"{'request':<44} {'count':>6} {'fail':>5} {'req/s':>6} {'p50':>6} {'p95':>6} {'p99':>6} {'max':>7}")
    for row in summary["requests"]:
        print(
            f"{row['name'][:44]:<44} {row['count']:>6} {row['failures']:>5} {row['rps']:>6.2f} "
            f"{row['p50']:>6} {row['p95']:>6} {row['p99']:>6} {row['max']:>7.0f}"
        )
    print("(milliseconds, as locust saw them: from the request sent to the last byte)")
    apart = (("pages (GET)", "pages"), ("form posts (POST)", "posts"), ("pages, 09:00-09:00:30", "pages_first_30_s"))
    for label, key in apart:
        figures = summary["methods"][key]
        print(
            f"{label}: {figures['requests']} requests, p50 {figures.get('p50_ms', 0):.0f} ms, "
            f"p95 {figures.get('p95_ms', 0):.0f} ms, p99 {figures.get('p99_ms', 0):.0f} ms"
        )
    server = summary["server"]
    minute = server["opening_minute"]
    print(
        f"server: {server['requests']} requests, {server['server_errors']} answered 5xx; the opening minute "
        f"(09:00-09:01): {minute.get('requests', 0)} requests, p50 {minute.get('p50_ms', 0):.0f} ms, "
        f"p95 {minute.get('p95_ms', 0):.0f} ms, p99 {minute.get('p99_ms', 0):.0f} ms; its lodgements: "
        f"{server['opening_minute_lodge_posts']}"
    )
    print("where the server's time went (sum of request times by route):")
    spent = sum(r["total_s"] for r in server["time_by_route"])
    for row in server["time_by_route"][:8]:
        print(
            f"   {row['total_s']:>7.0f} s ({row['total_s'] / max(spent, 1e-9):>4.0%})  {row['requests']:>5} × "
            f"{row['mean_ms']:>5.0f} ms  {row['route']}"
        )
    print("slowest requests (server time):")
    for row in server["slowest"][:8]:
        print(f"   {row['ms']:>6} ms  {row['status']}  {row['request']}")
    checks = summary["checks"]
    print(
        f"lodgements: {checks['drafts']} drafts, {checks['lodged']} lodged ({checks['received_at_09_00']} deemed "
        f"received at 09:00), {checks['told_success']} told success, {checks['lodged_untold']} lodged untold "
        f"({checks['unanswered_at_end']} presses unanswered when the run ended), "
        f"{checks['not_lodged']} not lodged; {checks['attempts']} attempts answered {checks['attempt_answers']}"
    )
    print(
        f"claims: {checks['live_claims']} live, {checks['conditional_claims']} conditional, "
        f"{checks['blocks_contested_in_window']} blocks contested in the window; priority numbers 1…"
        f"{checks['priority_numbers']}; {checks['events_verified']} events verified in the chain"
    )
    print(f"worker queue emptied {summary['drain_s']:.1f} s after the last request")
    machine, served = summary["machine"], max(summary["server"]["requests"], 1)
    print(
        f"machine: {summary['cores']} cores, busy {machine['machine_busy']:.0%}, load average "
        f"{machine['load_average']:.1f} ({machine['load_average_before']:.1f} the minute before); "
        f"CPU seconds in {machine['wall_s']:.0f} s: web {machine['cpu_s']['web']:.0f} "
        f"({1000 * machine['cpu_s']['web'] / served:.0f} ms a request), worker "
        f"{machine['cpu_s']['worker']:.0f}, locust {machine['locust_cpu_s']:.0f}"
    )
    if checks["problems"]:
        print(f"DATABASE CHECKS FAILED ({len(checks['problems'])}):")
        for problem in checks["problems"][:30]:
            print("   ", problem)
    else:
        print("database checks: none lost, none duplicated, numbering whole, claims as the rules allow, chain holds")


def request_rows() -> tuple[list[dict[str, Any]], dict[str, Any]]:
    rows, total = [], {}
    for row in locust_stats():
        figures = {
            "name": row["Name"] if row["Type"] in {"", "None"} else f"{row['Type']} {row['Name']}",
            "count": int(row["Request Count"]),
            "failures": int(row["Failure Count"]),
            "rps": float(row["Requests/s"]),
            "p50": row["50%"],
            "p95": row["95%"],
            "p99": row["99%"],
            "max": float(row["Max Response Time"]),
        }
        if row["Name"] == "Aggregated":
            figures["name"] = "all requests"
            total = figures
        else:
            rows.append(figures)
    return [*sorted(rows, key=lambda r: r["name"]), total], total


def main() -> None:
    began = time.perf_counter()
    rng = random.Random(SEED)
    OUT.mkdir(parents=True, exist_ok=True)
    for stale in OUT.glob("*"):
        if stale.is_file():
            stale.unlink()
    database_create()
    queue = redis.Redis.from_url(REDIS_URL)
    queue.flushdb()
    print(f"preparing: the demo, the opening and {LODGERS} organisations with a complete draft each", flush=True)
    built = prepare(rng)
    opening: GroundOpening = built["opening"]
    # The run's clock: the ground opens OPENING_AFTER seconds after locust starts.
    locust_starts = time.time() + STARTUP
    offset = opening.opens_at.timestamp() - (locust_starts + OPENING_AFTER)
    time_machine.travel(time.time() + offset, tick=True).start()
    run_started = timezone.now()
    lodgers = [
        {
            "session": session_for(lodger["user"]),
            "application": lodger["application"].pk,
            "codes": [grid.code(b) for b in lodger["application"].blocks],
            "in_opening": lodger["in_opening"],
            "lodge_after": lodge_moment(rng),
        }
        for lodger in built["lodgers"]
    ]
    plan = {
        "opens_at": opening.opens_at.timestamp() - offset,  # real time, for locust
        "lodgers": lodgers,
        "officials": [
            {"session": session_for(user), "approver": user.email.startswith("load-approver")}
            for user in built["officials"]
        ],
        "signers": [{"email": email, "password": DEMO_PASSWORD} for email in DEMO_INVESTORS[:SIGNERS]],
        "public": public_targets(),
        "outcomes": str(OUT / "lodgements.jsonl"),
    }
    (OUT / "plan.json").write_text(json.dumps(plan))
    # The preparation's events queued thousands of tasks (dispatches, document checks): dropped,
    # so that the worker starts the morning idle instead of spending the run on them.
    queue.flushdb()
    connections.close_all()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    web, worker = start_servers(port, offset)
    locust_rc, drain_s, machine = None, 0.0, None
    try:
        wait_until_up(base, worker, web)
        wait = locust_starts - real_time()
        if wait > 0:
            time.sleep(wait)
        print(
            f"locust: {USERS} users, {SPAWN_RATE}/s, {DURATION}; the ground opens at "
            f"{timezone.localtime(opening.opens_at):%H:%M} on the run's clock, in "
            f"{plan['opens_at'] - real_time():.0f} s",
            flush=True,
        )
        with (OUT / "locust.log").open("w") as log, Machine(web, worker) as machine:
            locust_rc = subprocess.run(
                [
                    str(Path(sys.executable).parent / "locust"),
                    "-f",
                    str(ROOT / "bench" / "locustfile.py"),
                    "--headless",
                    "-u",
                    str(USERS),
                    "-r",
                    str(SPAWN_RATE),
                    "-t",
                    DURATION,
                    "--stop-timeout",
                    "30",
                    "--host",
                    base,
                    "--csv",
                    str(OUT / "locust"),
                    "--only-summary",
                ],
                cwd=ROOT,
                env={**os.environ, "LOAD_PLAN": str(OUT / "plan.json")},
                stdout=log,
                stderr=subprocess.STDOUT,
                check=False,
            ).returncode
        ended = time.monotonic()
        while queue_length(queue) and time.monotonic() - ended < 300:
            time.sleep(0.5)
        drain_s = time.monotonic() - ended
    finally:
        stop(web)
        stop(worker)
    connection.close()
    requests, total = request_rows()
    summary = {
        "users": USERS,
        "duration": DURATION,
        "lodgers": LODGERS,
        "officials": OFFICIALS,
        "signers": SIGNERS,
        "gunicorn": " ".join(procfile()["web"][1:]),
        "gunicorn_workers_threads": [gunicorn_settings.workers, gunicorn_settings.threads],
        "worker": " ".join(procfile()["worker"][3:]),
        "cores": os.cpu_count(),
        "opens_at": opening.opens_at.isoformat(),
        "prepare_s": {"demo": round(built["demo_s"]), "organisations_and_drafts": round(built["drafts_s"])},
        "locust_exit": locust_rc,
        "requests": requests,
        "total": total,
        "methods": by_method(plan["opens_at"]),
        "server": access_log(opening.opens_at),
        "drain_s": drain_s,
        "machine": machine.figures,
        "checks": check(lodgers, opening, run_started),
    }
    (OUT / "summary.json").write_text(json.dumps(summary, indent=2, default=str))
    report(summary)
    print(f"total {time.perf_counter() - began:.0f} s; var/load/ holds locust's CSV files, the logs and summary.json")
    if summary["checks"]["problems"]:
        sys.exit(1)


if __name__ == "__main__":
    main()
