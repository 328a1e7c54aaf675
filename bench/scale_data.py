# ruff: noqa: S608 - the SQL is put together from this module's own constants, never from input
"""The register at the size of a nation, and the demo beside it: the data sets of the scale
benchmark (bench/scale.py), for anyone who needs one (the load test, EXPLAIN by hand).

    python bench/scale_data.py --database-url postgres://root@127.0.0.1:5432/ashyqken_scale_register
    python bench/scale_data.py --database-url postgres://… --size demo
    python bench/scale_data.py --database-url postgres://… --fresh     # drop and build again

PostgreSQL only. The database is created when missing. A register takes about three minutes on 2
cores; a demo, one. What is built, in order:

1. `migrate`, then the demo (`load_demo`): its people, deposits, applications and licences are
   in both sizes, so that the benchmark asks the same pages of both (and signs in as the demo's
   investor, reviewer, approver and registrar).
2. (register only) The bulk, by INSERT … SELECT over generate_series, and COPY for what Python
   computes (the event chain's hashes, the obligation schedules, invoice numbers):
   - 2,000 investor organisations (with an owner each, and their beneficial owners), 50 more
     awaiting verification, and officials: 12 reviewers, 4 approvers, 3 registrars;
   - 100,000 licences, 20 blocks each (4 × 5, tiling 40°N–56°40′N by 46°E–79°20′E as in
     bench/licensing.py, around the demo's blocks): 82 % active, 10 % expired, 4 % surrendered,
     4 % revoked, from 2011 to last month. 2,000,000 tenures: a block history, since every
     expired, surrendered or revoked licence either held the ground an active licence holds
     now (earlier, with an opening between) or left ground free; one active licence in seven
     older than three years gave up 8 blocks (a relinquishment);
   - 30,000 applications: 18,000 granted (those licences), 8,000 open in every stage of the
     workflow, 3,400 refused, withdrawn or lapsed, 600 drafts; 480,000 claims (live, granted,
     released; one open application in eight queues behind another on some blocks), objections
     on one application in ten past its notice, information requests, assessments;
   - the openings that every end of title made (27,000 with 440,000 blocks, 90 still to come),
     11,000 changes of title (relinquishments, surrenders, transfers approved; 600 open),
     revocations (in effect on the revoked licences; 250 under way) with their breaches;
   - obligations of one active licence in ten and of the revoked ones (264,000: the project's
     own schedule, `licensing.licences.services.obligation_schedule`), with their 36,000
     invoices and 34,000 payments, one in 33 late (and a breach opened);
   - 200,000 events: the state changes of the applications, licence grants and ends, changes of
     title and openings, sealed into the hash chain after the demo's (so `manage.py
     verify_event_chain` passes: `--verify-chain` runs it). The log starts at a cut-off date:
     the oldest history is there without events, as on a register migrated from paper; and
     1,400 notifications for the demo investor.
3. Derive: what the project stores beside the data, filled through its own code paths (DERIVE
   below: run in order on both sizes, each idempotent).
4. VACUUM ANALYZE, so that the planner and the visibility map see the bulk.

The demo investor's organisation holds 1 % of the bulk (about 1,000 licences, 300
applications), and the demo reviewer is assigned one open application in ten: their own
lists grow as a big holder's and a busy reviewer's would.
"""

import argparse
import contextlib
import json
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _configure(argv: list[str]) -> argparse.Namespace:
    """Run as a script: the database from the command line, the bench's settings, the database
    created when missing (dropped first with --fresh), then Django."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL") or os.environ.get("DATABASE_URL")
    )
    parser.add_argument("--size", choices=["register", "demo"], default="register")
    parser.add_argument("--fresh", action="store_true", help="drop the database first")
    parser.add_argument("--licences", type=int, default=None, help="another size of register (default 100,000)")
    parser.add_argument("--verify-chain", action="store_true", help="verify the event chain at the end")
    args = parser.parse_args(argv)
    if urlsplit(args.database_url or "").scheme not in {"postgres", "postgresql", "pgsql"}:
        parser.error("give --database-url postgres://… (PostgreSQL only)")
    database_ensure(args.database_url, fresh=args.fresh)
    os.environ["BENCH_DATABASE_URL"] = args.database_url
    os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"
    # Events recorded by load_demo enqueue their dispatch after commit: to the bench's own queue
    # (bench.settings), never taken by a worker of `make run`.
    import django

    django.setup()
    return args


def _server(url: str) -> Any:
    import psycopg

    return psycopg.connect(urlunsplit(urlsplit(url)._replace(path="/postgres")), autocommit=True)


def database_ensure(url: str, *, fresh: bool = False, template: str | None = None) -> bool:
    """Create the database of `url` if missing (from `template`, a copy of another database, when
    given); with `fresh`, drop it first. Returns whether it was created."""
    name = urlsplit(url).path.lstrip("/")
    with _server(url) as server:
        if fresh:
            server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        if server.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            return False
        server.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    return True


def database_drop(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    with _server(url) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


ARGS = _configure(sys.argv[1:]) if __name__ == "__main__" else None

# From here on Django is configured: by _configure when run as a script, by the importer otherwise.
from django.conf import settings  # noqa: E402
from django.contrib.contenttypes.models import ContentType  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402

from accounts.models import User  # noqa: E402
from deposits.models import Region  # noqa: E402
from events import catalogue  # noqa: E402
from events.models import HASH_SCHEME, ChainHead, Event  # noqa: E402
from events.services import event_chain_verify, event_hash  # noqa: E402
from investors.models import Membership  # noqa: E402
from licensing.domain import grid  # noqa: E402
from licensing.domain import money as money_rules  # noqa: E402
from licensing.domain.obligations import mci_for  # noqa: E402
from licensing.licences import selectors as licence_selectors  # noqa: E402
from licensing.licences.services import obligation_schedule  # noqa: E402
from licensing.models import Licence, LicenceType, PriorityCounter  # noqa: E402

M = grid.MINUTES_LON
# The register's layout, shared with bench/licensing.py: licences of 4 rows × 5 columns of
# blocks tiling 1,000 rows × 2,000 columns from 40°N 46°E (up to 56°40'N 79°20'E), 400 tiles
# to a row. Tile t, block k (0…19): the SQL below and tile_blocks() agree.
REGISTER_ROW, REGISTER_COL = (90 + 40) * 60, (180 + 46) * 60
TILES_PER_ROW = 400
TILE_BLOCK_SQL = "((%(row0)s + ({t} / 400) * 4 + {k} / 5)::bigint * %(m)s + %(col0)s + ({t} %% 400) * 5 + {k} %% 5)"


def tile_blocks(tile: int) -> list[int]:
    """The 20 blocks of tile `tile`, as TILE_BLOCK_SQL computes them."""
    row, col = REGISTER_ROW + (tile // TILES_PER_ROW) * 4, REGISTER_COL + (tile % TILES_PER_ROW) * 5
    return [(row + k // 5) * M + col + k % 5 for k in range(20)]


# What a licence's place in the register makes of it, by n % 50 (n: 0 … licences - 1):
#   0–40  active, on its own tile (one in five of them granted on an application of the system);
#   41–44 ended (expired 41, 42; surrendered 43; revoked 44), on the tile of licence n - 41,
#         which holds it now: the earlier holder. Tiles 41–44 are never held: open applications
#         claim them;
#   45–49 ended (expired 45–47; surrendered 48; revoked 49) on their own tile, free since.
STATUS_SQL = """CASE WHEN {r} < 41 THEN 'active' WHEN {r} IN (41, 42, 45, 46, 47) THEN 'expired'
    WHEN {r} IN (43, 48) THEN 'surrendered' ELSE 'revoked' END"""
COUNTRIES = [
    code
    for code, weight in {"KZ": 40, "CN": 10, "RU": 6, "AU": 6, "CA": 6, "GB": 6, "KR": 5, "TR": 5, "US": 4}.items()
    | {"DE": 3, "NL": 3, "JP": 2, "AE": 2, "CH": 2}.items()
    for _ in range(weight)
]
NAMES = ["Steppe", "Altai", "Saryarka", "Caspian", "Ertis", "Balkhash", "Tien Shan", "Zhetysu", "Aral", "Ural"]
TRADES = ["Metals", "Minerals", "Resources", "Mining", "Lithium", "Tungsten", "Rare Earths", "Exploration"]
FORMS = {"KZ": "LLP", "CN": "Co., Ltd", "RU": "JSC", "AU": "Pty Ltd", "GB": "plc", "DE": "GmbH", "NL": "B.V."}
REGIONS = list(Region.values)
# The events each application's state implies, in order (licensing/workflow.py records them).
PATHS = {
    "lodged": ["lodged"],
    "under_review": ["lodged", "accepted"],
    "info_requested": ["lodged", "accepted", "information_requested"],
    "objection_period": ["lodged", "accepted", "notice_published"],
    "assessment": ["lodged", "accepted", "notice_published", "objections_closed"],
    "screening": ["lodged", "accepted", "notice_published", "objections_closed", "referred_to_screening"],
    "recommended": ["lodged", "accepted", "notice_published", "objections_closed", "recommended"],
    "granted": ["lodged", "accepted", "notice_published", "objections_closed", "recommended", "granted"],
    "refused": ["lodged", "accepted", "notice_published", "objections_closed", "recommended", "refused"],
    "withdrawn": ["lodged", "accepted", "withdrawn"],
    "lapsed": ["lodged", "accepted", "information_requested", "lapsed"],
}
# Open applications by j % 40, and ended ones by i % 17.
OPEN_STATES_SQL = """CASE WHEN {j} %% 40 < 6 THEN 'lodged' WHEN {j} %% 40 < 15 THEN 'under_review'
    WHEN {j} %% 40 < 18 THEN 'info_requested' WHEN {j} %% 40 < 25 THEN 'objection_period'
    WHEN {j} %% 40 < 32 THEN 'assessment' WHEN {j} %% 40 < 34 THEN 'screening' ELSE 'recommended' END"""
CLOSED_STATES_SQL = """CASE WHEN {i} %% 17 < 9 THEN 'refused' WHEN {i} %% 17 < 14 THEN 'withdrawn' ELSE 'lapsed' END"""


@dataclass(frozen=True)
class Size:
    """A register's size; the other counts follow from the number of licences."""

    licences: int = 100_000
    organisations: int = 2_000
    events: int = 200_000
    reviewers: int = 12
    approvers: int = 4
    registrars: int = 3

    @property
    def open_applications(self) -> int:
        return self.licences * 8 // 100

    @property
    def closed_applications(self) -> int:
        return self.licences * 34 // 1000

    @property
    def drafts(self) -> int:
        return self.licences * 6 // 1000


REGISTER = Size()


def log(message: str) -> None:
    print(message, flush=True)


class Steps:
    """Runs named steps, timing each."""

    def __init__(self) -> None:
        self.timings: list[tuple[str, float]] = []

    @contextlib.contextmanager
    def step(self, name: str) -> Any:
        started = time.perf_counter()
        yield
        elapsed = time.perf_counter() - started
        self.timings.append((name, elapsed))
        log(f"  {name}: {elapsed:.1f} s")


def _execute(sql: str, params: dict[str, Any]) -> int:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def _scalar(sql: str, params: dict[str, Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchone()[0]


def _column(sql: str, params: dict[str, Any] | None = None) -> list[Any]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return [row[0] for row in cursor.fetchall()]


def reserve_ids(table: str, count: int) -> int:
    """The first of `count` ids taken from `table`'s sequence for rows written with their ids."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, 'id')", [table])
        sequence = cursor.fetchone()[0]
        cursor.execute("SELECT nextval(%s)", [sequence])
        first = cursor.fetchone()[0]
        cursor.execute("SELECT setval(%s, %s)", [sequence, first + max(count, 1) - 1])
    return first


def copy_rows(table: str, columns: list[str], rows: Any) -> int:
    """COPY rows (tuples in the order of `columns`) into `table`."""
    count = 0
    with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
            count += 1
    return count


# The bulk --------------------------------------------------------------------------------


class RegisterBulk:
    """The bulk of a register, added to a database that holds the demo."""

    def __init__(self, size: Size, steps: Steps) -> None:
        self.size = size
        self.steps = steps
        self.now = timezone.now().replace(microsecond=0)
        today = timezone.localdate(self.now)
        # 09:00 in Astana today: grants, openings and decisions happen in office hours.
        day0 = datetime.combine(today, datetime.min.time(), tzinfo=timezone.get_default_timezone())
        self.p: dict[str, Any] = {
            "n": size.licences,
            "now": self.now,
            "day0": day0 + timedelta(hours=9),
            "today": today,
            "tz": settings.TIME_ZONE,
            "m": M,
            "row0": REGISTER_ROW,
            "col0": REGISTER_COL,
        }

    def run(self) -> None:
        s = self.steps.step
        with s("people: organisations, owners, officials"):
            self.people()
        with s("licences (plan and rows)"):
            self.licences()
        with s("tenures"):
            self.tenures()
        with s("applications and claims"):
            self.applications()
        with s("objections, information requests, assessments"):
            self.casework()
        with s("openings"):
            self.openings()
        with s("title changes"):
            self.title_changes()
        with s("obligations, invoices, payments (obligation_schedule)"):
            self.obligations()
        with s("breaches and revocations"):
            self.revocations()
        with s("events (hash chain) and notifications"):
            self.events()

    # People ------------------------------------------------------------------------------

    def people(self) -> None:
        size, p = self.size, self.p
        groups = dict(_rows("SELECT name, id FROM auth_group"))
        count = size.organisations + 50  # the last 50 await verification
        countries = [COUNTRIES[(i * 37) % len(COUNTRIES)] for i in range(count)]
        names = [
            f"{NAMES[i % len(NAMES)]} {TRADES[(i // len(NAMES)) % len(TRADES)]} {i + 1} {FORMS.get(c, 'Ltd')}"
            for i, c in enumerate(countries)
        ]
        first_user = reserve_ids("accounts_user", count)
        first_org = reserve_ids("investors_organisation", count)
        p.update(first_user=first_user, first_org=first_org, orgs=count, verified=size.organisations)
        _execute(
            """
            INSERT INTO accounts_user (id, password, is_superuser, first_name, last_name, is_staff, is_active,
                                       date_joined, email, preferred_language, access_version,
                                       job_title_en, job_title_ru, job_title_kk)
            SELECT %(first_user)s + i, '!', false, 'Investor', (i + 1)::text, false, true,
                   %(now)s - (i %% 900) * interval '1 day', 'scale-investor-' || lpad((i + 1)::text, 5, '0')
                   || '@example.com', 'en', 0, '', '', ''
            FROM generate_series(0, %(orgs)s - 1) AS i
            """,
            p,
        )
        _execute(
            """
            INSERT INTO investors_organisation (id, legal_name, legal_name_latin, country, registration_number,
                address, website, contact_email, contact_phone, status, status_reason, status_changed_at,
                created_at, updated_at)
            SELECT %(first_org)s + i, name, name, country, 'SCALE-' || lpad((i + 1)::text, 6, '0'),
                   'Registered office ' || (i + 1), '', 'scale-investor-' || lpad((i + 1)::text, 5, '0')
                   || '@example.com', '', CASE WHEN i < %(verified)s THEN 'verified' ELSE 'submitted' END, '',
                   %(now)s - (i %% 900) * interval '1 day' + interval '5 days',
                   %(now)s - (i %% 900) * interval '1 day', %(now)s - (i %% 900) * interval '1 day'
            FROM unnest(%(names)s::text[], %(countries)s::text[]) WITH ORDINALITY AS o(name, country, i1),
                 LATERAL (SELECT (i1 - 1)::int AS i) AS x
            """,
            p | {"names": names, "countries": countries},
        )
        _execute(
            """
            INSERT INTO investors_membership (role, joined_at, user_id, organisation_id)
            SELECT 'owner', %(now)s - (i %% 900) * interval '1 day', %(first_user)s + i, %(first_org)s + i
            FROM generate_series(0, %(orgs)s - 1) AS i
            """,
            p,
        )
        _execute(
            "INSERT INTO accounts_user_groups (user_id, group_id) "
            "SELECT %(first_user)s + i, %(group)s FROM generate_series(0, %(orgs)s - 1) AS i",
            p | {"group": groups["investor"]},
        )
        # Beneficial owners: a founder with all of it; one in five held through a parent
        # company (a state's, one in three of those from China), so BODS has chains to write.
        _execute(
            """
            INSERT INTO investors_beneficialowner (kind, name, country, share, state_owned, politically_exposed,
                                                   held_through_id, organisation_id)
            SELECT CASE WHEN i %% 5 = 0 THEN 'legal' ELSE 'natural' END,
                   CASE WHEN i %% 5 = 0 THEN 'Parent Holding ' || (i + 1) ELSE 'Founder ' || (i + 1) END,
                   o.country, 100, i %% 15 = 0 AND o.country = 'CN', i %% 97 = 0, NULL, o.id
            FROM generate_series(0, %(orgs)s - 1) AS i JOIN investors_organisation o ON o.id = %(first_org)s + i
            """,
            p,
        )
        _execute(
            """
            INSERT INTO investors_beneficialowner (kind, name, country, share, state_owned, politically_exposed,
                                                   held_through_id, organisation_id)
            SELECT 'natural', 'Ultimate Owner ' || b.organisation_id, b.country, 100, false, false, b.id,
                   b.organisation_id
            FROM investors_beneficialowner b
            WHERE b.kind = 'legal' AND b.organisation_id >= %(first_org)s
            """,
            p,
        )
        officials = [("reviewer", size.reviewers), ("approver", size.approvers), ("registrar", size.registrars)]
        for role, number in officials:
            first = reserve_ids("accounts_user", number)
            _execute(
                """
                INSERT INTO accounts_user (id, password, is_superuser, first_name, last_name, is_staff, is_active,
                                           date_joined, email, preferred_language, access_version,
                                           job_title_en, job_title_ru, job_title_kk)
                SELECT %(first)s + i, '!', false, initcap(%(role)s), (i + 1)::text, true, true, %(now)s,
                       'scale-' || %(role)s || '-' || (i + 1) || '@example.com', 'en', 0,
                       initcap(%(role)s), '', ''
                FROM generate_series(0, %(count)s - 1) AS i
                """,
                p | {"first": first, "role": role, "count": number},
            )
            _execute(
                "INSERT INTO accounts_user_groups (user_id, group_id) "
                "SELECT %(first)s + i, %(group)s FROM generate_series(0, %(count)s - 1) AS i",
                p | {"first": first, "count": number, "group": groups[role]},
            )
            demo = User.objects.get(email=f"{role}@example.com").pk
            p[f"{role}s"] = [demo, *range(first, first + number)]
        _execute(
            """
            CREATE TEMP TABLE scale_owner AS
            SELECT DISTINCT ON (organisation_id) organisation_id AS org_id, user_id FROM investors_membership
            WHERE role = 'owner' ORDER BY organisation_id, id
            """,
            p,
        )
        _execute("CREATE UNIQUE INDEX ON scale_owner (org_id)", p)
        investor = User.objects.get(email="investor@example.com")
        p["demo_user"] = investor.pk
        p["demo_org"] = Membership.objects.filter(user=investor, role="owner").values_list("organisation", flat=True)[0]
        log(f"    {count:,} organisations with their owners, {sum(n for _r, n in officials)} officials")

    def _holder_sql(self, n: str) -> str:
        """The organisation of row `n`: the demo investor's for one in 97; otherwise skewed, as
        registers are (a few large holders, a long tail)."""
        return f"""CASE WHEN {n} %% 97 = 5 THEN %(demo_org)s
            ELSE %(first_org)s
                 + floor(%(verified)s * power((({n}::bigint * 2654435761) %% 1000003) / 1000003.0, 2))::int
            END"""

    # Licences ------------------------------------------------------------------------------

    def licences(self) -> None:
        p = self.p
        types = dict(LicenceType.objects.values_list("code", "pk"))
        p.update(exploration=types["exploration"], mining=types["mining"])
        p["first_licence"] = reserve_ids("licensing_licence", p["n"])
        # Days before today an active licence n was granted: from a month to almost six years
        # (so that some expire in the coming weeks).
        active_days = "(30 + ({n}::bigint * 7919) %% 2140)"
        _execute(
            f"""
            CREATE TEMP TABLE scale_licence AS
            WITH base AS (
                SELECT n, n %% 50 AS r, {STATUS_SQL.format(r="n %% 50")} AS status
                FROM generate_series(0, %(n)s - 1) AS n
            ), dated AS (
                SELECT n, r, status,
                       CASE WHEN r BETWEEN 41 AND 44 THEN n - 41 ELSE n END AS tile,
                       CASE WHEN r < 41 THEN NULL
                            WHEN r <= 44 THEN %(day0)s - {active_days.format(n="(n - 41)")} * interval '1 day'
                                 - (60 + n %% 90) * interval '1 day'
                            ELSE %(day0)s - (1 + (n::bigint * 104729) %% 1100) * interval '1 day' END AS ended_at,
                       status = 'active' AND n %% 20 = 7 AS mining
                FROM base
            ), granted AS (
                SELECT *,
                       CASE WHEN status = 'active'
                            THEN %(day0)s - {active_days.format(n="n")} * interval '1 day'
                                 + (n %% 420) * interval '1 minute'
                            ELSE ended_at - CASE status WHEN 'expired' THEN interval '6 years'
                                 WHEN 'surrendered' THEN interval '3 years' ELSE interval '4 years' END
                       END AS granted_at
                FROM dated
            )
            SELECT %(first_licence)s + n AS id, n, r, status, tile, ended_at, granted_at,
                   (granted_at AT TIME ZONE %(tz)s)::date AS starts_on,
                   CASE WHEN mining THEN 'MIN' ELSE 'EXP' END AS prefix,
                   CASE WHEN mining THEN %(mining)s ELSE %(exploration)s END AS licence_type_id,
                   extract(year FROM granted_at AT TIME ZONE %(tz)s)::int AS year,
                   {self._holder_sql("n")} AS holder_id,
                   status = 'active' AND n %% 7 = 3 AND granted_at < %(day0)s - interval '3 years 10 days'
                       AS relinquished,
                   granted_at + interval '3 years' - interval '1 day' AS relinquished_at,
                   status = 'active' AND n %% 5 = 0 AS from_application,
                   (%(reviewers)s::bigint[])[1 + n %% cardinality(%(reviewers)s::bigint[])] AS reviewer_id,
                   (%(approvers)s::bigint[])[1 + n %% cardinality(%(approvers)s::bigint[])] AS approver_id
            FROM granted
            """,
            p,
        )
        _execute("CREATE UNIQUE INDEX ON scale_licence (n)", p)
        _execute("CREATE INDEX ON scale_licence (id)", p)
        # Numbers as licence_issue gives them: KZ-<prefix>-<year>-<sequence>, the sequence after
        # those of the year already issued.
        _execute(
            """
            INSERT INTO licensing_licence (id, number, status, granted_at, starts_on, expires_on, application_id,
                                           holder_id, licence_type_id, updated_at)
            SELECT s.id,
                   'KZ-' || s.prefix || '-' || s.year || '-' || lpad((coalesce(e.issued, 0)
                       + row_number() OVER (PARTITION BY s.prefix, s.year ORDER BY s.granted_at, s.n))::text, 6, '0'),
                   s.status, s.granted_at, s.starts_on,
                   s.starts_on + CASE WHEN s.prefix = 'MIN' THEN interval '25 years' ELSE interval '6 years' END,
                   NULL, s.holder_id, s.licence_type_id, greatest(s.granted_at, s.ended_at)
            FROM scale_licence s
            LEFT JOIN (SELECT split_part(number, '-', 2) AS prefix, split_part(number, '-', 3) AS year,
                              count(*) AS issued
                       FROM licensing_licence GROUP BY 1, 2) AS e
              ON e.prefix = s.prefix AND e.year = s.year::text
            """,
            p,
        )
        log(f"    {p['n']:,} licences")

    def tenures(self) -> None:
        p = self.p
        # The demo's ground stays the demo's: no bulk licence, claim or opening on a block it uses.
        _execute(
            """
            CREATE TEMP TABLE scale_taken AS
            SELECT block FROM licensing_tenure UNION SELECT block FROM licensing_claim
            UNION SELECT block FROM licensing_openingblock
            UNION SELECT jsonb_array_elements_text(blocks)::bigint FROM licensing_application
            UNION SELECT jsonb_array_elements_text(blocks)::bigint FROM licensing_titlechange
            """,
            p,
        )
        _execute("CREATE UNIQUE INDEX ON scale_taken (block)", p)
        _execute(
            f"""
            CREATE TEMP TABLE scale_tile AS
            SELECT t AS tile, k, {TILE_BLOCK_SQL.format(t="t", k="k")} AS block
            FROM generate_series(0, %(n)s - 1) AS t, generate_series(0, 19) AS k
            """,
            p,
        )
        _execute("DELETE FROM scale_tile WHERE block IN (SELECT block FROM scale_taken)", p)
        _execute("CREATE INDEX ON scale_tile (tile, k)", p)
        _execute("ANALYZE scale_tile", p)
        count = _execute(
            """
            INSERT INTO licensing_tenure (licence_id, block, is_active, started_at, ended_at)
            SELECT s.id, t.block, s.status = 'active' AND NOT (s.relinquished AND t.k >= 12), s.granted_at,
                   CASE WHEN s.status <> 'active' THEN s.ended_at
                        WHEN s.relinquished AND t.k >= 12 THEN s.relinquished_at END
            FROM scale_licence s JOIN scale_tile t ON t.tile = s.tile
            ORDER BY t.block, s.granted_at
            """,
            p,
        )
        log(f"    {count:,} tenures")

    # Applications ---------------------------------------------------------------------------

    def applications(self) -> None:
        size, p = self.size, self.p
        p.update(
            open=size.open_applications,
            closed=size.closed_applications,
            drafts=size.drafts,
            regions=REGIONS,
            counter=PriorityCounter.objects.values_list("last_number", flat=True).first() or 0,
        )
        total = _scalar("SELECT count(*) FROM scale_licence WHERE from_application", p)
        total += size.open_applications + size.closed_applications + size.drafts
        p["first_application"] = reserve_ids("licensing_application", total)
        holder = self._holder_sql("a")
        # Granted: one per licence granted on an application. Open: on the never-held tiles
        # (41–44). Ended and drafts: on the free tiles of licences that ended longest ago.
        _execute(
            f"""
            CREATE TEMP TABLE scale_application AS
            WITH granted AS (
                SELECT 'granted'::text AS state, s.n AS licence_n, s.id AS licence_id, s.tile, 0 AS k0,
                       s.holder_id AS org_id, s.granted_at - (70 + s.n %% 50) * interval '1 day' AS received_at,
                       s.granted_at AS decided_at, s.granted_at AS stage_started_at
                FROM scale_licence s WHERE s.from_application
            ), opened AS (
                SELECT {OPEN_STATES_SQL.format(j="j")} AS state, NULL::int AS licence_n, NULL::bigint AS licence_id,
                       (j / 4) * 50 + 41 + j %% 4 AS tile, CASE WHEN j %% 2 = 0 THEN 0 ELSE 10 END AS k0,
                       NULL::bigint AS org_id, %(day0)s - (1 + (j * 37) %% 150) * interval '1 day'
                       + (j %% 400) * interval '1 minute' AS received_at, NULL::timestamptz AS decided_at, j
                FROM generate_series(0, %(open)s - 1) AS j
            ), ended AS (
                SELECT s.n, s.ended_at, row_number() OVER (ORDER BY s.ended_at, s.n) - 1 AS i
                FROM scale_licence s WHERE s.r >= 45
            )
            SELECT %(first_application)s - 1 + row_number() OVER (ORDER BY state = 'draft', received_at, tile) AS id,
                   x.*
            FROM (
                SELECT state, licence_n, licence_id, tile, k0, org_id, received_at, decided_at, stage_started_at,
                       NULL::int AS j
                FROM granted
                UNION ALL
                SELECT state, licence_n, licence_id, tile, k0, org_id, received_at, decided_at,
                       greatest(received_at, %(day0)s - (j %% 20) * interval '1 day'), j
                FROM opened
                UNION ALL
                SELECT {CLOSED_STATES_SQL.format(i="i")}, NULL, NULL, e.n, 0, NULL,
                       e.ended_at + (30 + i %% 60) * interval '1 day',
                       e.ended_at + (30 + i %% 60) * interval '1 day' + (45 + i %% 45) * interval '1 day',
                       e.ended_at + (30 + i %% 60) * interval '1 day' + (45 + i %% 45) * interval '1 day', NULL
                FROM ended e WHERE e.i < %(closed)s
                UNION ALL
                SELECT 'draft', NULL, NULL, e.n, 0, NULL, NULL, NULL, NULL, NULL
                FROM ended e WHERE e.i >= %(closed)s AND e.i < %(closed)s + %(drafts)s
            ) AS x
            """,
            p,
        )
        _execute(
            f"""
            ALTER TABLE scale_application ADD COLUMN a int, ADD COLUMN priority bigint, ADD COLUMN user_id bigint,
                ADD COLUMN reviewer_id bigint, ADD COLUMN approver_id bigint, ADD COLUMN region text,
                ADD COLUMN due_on date;
            UPDATE scale_application SET a = id - %(first_application)s;
            UPDATE scale_application SET org_id = {holder} WHERE org_id IS NULL;
            UPDATE scale_application x SET user_id = coalesce(
                (SELECT o.user_id FROM scale_owner o WHERE o.org_id = x.org_id), %(demo_user)s);
            UPDATE scale_application SET
                reviewer_id = (%(reviewers)s::bigint[])[1 + a %% cardinality(%(reviewers)s::bigint[])],
                approver_id = (%(approvers)s::bigint[])[1 + a %% cardinality(%(approvers)s::bigint[])],
                region = (%(regions)s::text[])[1 + tile %% cardinality(%(regions)s::text[])],
                due_on = CASE WHEN state IN ('lodged', 'under_review', 'info_requested', 'objection_period',
                                             'assessment', 'screening', 'recommended')
                              THEN (stage_started_at AT TIME ZONE %(tz)s)::date + 15 END;
            UPDATE scale_application x SET priority = %(counter)s + o.rank
            FROM (SELECT id, row_number() OVER (ORDER BY received_at, id) AS rank
                  FROM scale_application WHERE state <> 'draft') AS o
            WHERE o.id = x.id;
            CREATE UNIQUE INDEX ON scale_application (id);
            CREATE INDEX ON scale_application (licence_id);
            """,
            p,
        )
        # One open application in ten is the demo reviewer's, six in ten a bulk reviewer's.
        count = _execute(
            """
            INSERT INTO licensing_application (id, title, region, state, blocks, created_at, updated_at,
                kazakh_staff_percent, local_goods_percent, in_country_processing, processing_plan,
                training_spend_kzt, declared_at, priority_number, lodged_at, received_at, stage_started_at,
                stage_due_on, clock_remaining, resume_state, objection_closes_on, screening_required,
                recommendation, decided_at, reasons, created_by_id, decided_by_id, declared_by_id, lodged_by_id,
                organisation_id, recommended_by_id, licence_type_id, assigned_to_id, late_stages, converts_id)
            SELECT x.id, 'Exploration project ' || (x.a + 1), x.region, x.state, '[]'::jsonb,
                   coalesce(x.received_at, %(now)s - (x.a %% 60) * interval '1 day') - interval '20 days',
                   coalesce(x.decided_at, x.stage_started_at, %(now)s - (x.a %% 60) * interval '1 day'),
                   50 + x.a %% 45, 30 + x.a %% 50, x.a %% 3 = 0, '', 1000000 * (1 + x.a %% 20),
                   x.received_at - interval '1 hour', x.priority, x.received_at, x.received_at,
                   x.stage_started_at, x.due_on, NULL, '',
                   CASE WHEN x.state = 'objection_period' THEN x.due_on END,
                   false,
                   CASE WHEN x.state IN ('recommended', 'granted') THEN 'grant' WHEN x.state = 'refused'
                        THEN 'refuse' ELSE '' END,
                   x.decided_at,
                   CASE WHEN x.state = 'refused' THEN 'The work programme does not meet the minimum.' ELSE '' END,
                   x.user_id,
                   CASE WHEN x.state IN ('granted', 'refused') THEN x.approver_id END,
                   CASE WHEN x.state <> 'draft' THEN x.user_id END,
                   CASE WHEN x.state <> 'draft' THEN x.user_id END,
                   x.org_id,
                   CASE WHEN x.state IN ('recommended', 'granted', 'refused') THEN x.reviewer_id END,
                   %(exploration)s,
                   CASE WHEN x.state IN ('granted', 'refused', 'withdrawn', 'lapsed', 'draft', 'lodged') THEN NULL
                        WHEN x.j %% 10 = 0 THEN (%(reviewers)s::bigint[])[1]
                        WHEN x.j %% 10 <= 6 THEN x.reviewer_id END,
                   CASE WHEN x.state = 'granted' AND x.a %% 9 = 0 THEN 1 ELSE 0 END, NULL
            FROM scale_application x
            """,
            p,
        )
        _execute(
            """
            UPDATE licensing_licence l SET application_id = x.id
            FROM scale_application x WHERE x.licence_id = l.id
            """,
            p,
        )
        # Claims: a granted application's on its licence's tile; an open one's on 10 blocks of
        # a never-held tile (and one in eight also on the blocks of the one before it, behind it
        # or ahead of it in rank); an ended one's on 10 blocks of free ground, released.
        claims = _execute(
            """
            INSERT INTO licensing_claim (block, rank, status, conditional, contested, application_id, opening_id)
            SELECT t.block, x.priority,
                   CASE x.state WHEN 'granted' THEN 'granted' WHEN 'refused' THEN 'released'
                        WHEN 'withdrawn' THEN 'released' WHEN 'lapsed' THEN 'released' ELSE 'live' END,
                   false, false, x.id, NULL::bigint
            FROM scale_application x
            JOIN scale_tile t ON t.tile = x.tile
                AND (x.state = 'granted' OR (t.k >= x.k0 AND t.k < x.k0 + 10))
            WHERE x.state <> 'draft'
            UNION ALL
            SELECT t.block, x.priority, 'live', true, false, x.id, NULL
            FROM scale_application x
            JOIN scale_application y ON y.j = x.j - 1
            JOIN scale_tile t ON t.tile = y.tile AND t.k >= y.k0 AND t.k < y.k0 + 10
            WHERE x.j %% 8 = 7
            """,
            p,
        )
        _execute(
            """
            UPDATE licensing_application a SET blocks = c.blocks
            FROM (SELECT application_id, jsonb_agg(block ORDER BY block) AS blocks FROM licensing_claim
                  WHERE application_id >= %(first_application)s GROUP BY 1) AS c
            WHERE c.application_id = a.id;
            UPDATE licensing_application a SET blocks = t.blocks
            FROM (SELECT x.id, jsonb_agg(t.block ORDER BY t.block) AS blocks FROM scale_application x
                  JOIN scale_tile t ON t.tile = x.tile AND t.k < 10 WHERE x.state = 'draft' GROUP BY x.id) AS t
            WHERE t.id = a.id;
            UPDATE licensing_prioritycounter SET last_number = (SELECT max(priority_number) FROM licensing_application);
            """,
            p,
        )
        log(f"    {count:,} applications, {claims:,} claims")

    def casework(self) -> None:
        p = self.p
        p["first_objection"] = reserve_ids("licensing_objection", 0)
        objections = _execute(
            """
            INSERT INTO licensing_objection (grounds, lodged_at, application_id, document_id, lodged_by_id,
                                             handled_at, handled_by_id, outcome, response)
            SELECT 'The ground overlaps our historical workings.',
                   x.received_at + interval '20 days' + o * interval '2 days',
                   x.id, NULL, u.id,
                   CASE WHEN x.state <> 'objection_period' THEN x.received_at + interval '40 days' END,
                   CASE WHEN x.state <> 'objection_period' THEN x.reviewer_id END,
                   CASE WHEN x.state = 'objection_period' THEN '' WHEN o = 0 THEN 'dismissed' ELSE 'partly_upheld' END,
                   CASE WHEN x.state = 'objection_period' THEN '' ELSE 'Considered in the assessment.' END
            FROM scale_application x
            CROSS JOIN generate_series(0, 1) AS o
            JOIN accounts_user u ON u.id = %(first_user)s + (x.a * 7) %% %(verified)s
            WHERE x.state IN ('objection_period', 'assessment', 'screening', 'recommended', 'granted', 'refused')
              AND x.a %% 10 = 3 AND (o = 0 OR x.a %% 30 = 3)
            """,
            p,
        )
        requests = _execute(
            """
            INSERT INTO licensing_informationrequest (message, document_wanted, document_kind, due_on, requested_at,
                                                      answer, answered_at, answered_by_id, application_id,
                                                      requested_by_id)
            SELECT 'Send the licence area map signed by the director.', '', '',
                   CASE WHEN x.state = 'lapsed' THEN (x.decided_at AT TIME ZONE %(tz)s)::date - 1 ELSE x.due_on END,
                   coalesce(x.stage_started_at, x.received_at), '', NULL, NULL, x.id, x.reviewer_id
            FROM scale_application x WHERE x.state IN ('info_requested', 'lapsed')
            """,
            p,
        )
        _execute(
            """
            UPDATE licensing_application a SET resume_state = 'under_review', clock_remaining = 10
            FROM scale_application x WHERE x.id = a.id AND x.state = 'info_requested'
            """,
            p,
        )
        assessments = _execute(
            """
            INSERT INTO licensing_assessment (programme_adequate, financially_capable, local_content_score,
                                              score_breakdown, comment, assessed_at, application_id, assessed_by_id)
            SELECT x.state <> 'refused', true, 40 + x.a %% 55, '{}'::jsonb, '',
                   coalesce(x.decided_at, x.stage_started_at) - interval '10 days', x.id, x.reviewer_id
            FROM scale_application x WHERE x.state IN ('recommended', 'granted', 'refused')
            """,
            p,
        )
        log(f"    {objections:,} objections, {requests:,} information requests, {assessments:,} assessments")

    # Openings ------------------------------------------------------------------------------

    def openings(self) -> None:
        """Every end of title and every ended application opened its ground at 09:00 Astana a
        week later, for a month of equal ranking; the recent ones are still to come."""
        p = self.p
        _execute(
            """
            CREATE TEMP TABLE scale_opening AS
            SELECT row_number() OVER (ORDER BY at, source, key) AS o, * FROM (
                SELECT 'licence' AS source, s.n AS key, s.tile, 0 AS k0, 20 AS width, s.status AS reason,
                       date_trunc('day', s.ended_at AT TIME ZONE %(tz)s) + interval '7 days 9 hours' AS local_at,
                       s.ended_at AS at
                FROM scale_licence s WHERE s.status <> 'active'
                UNION ALL
                SELECT 'relinquishment', s.n, s.tile, 12, 8, 'relinquished',
                       date_trunc('day', s.relinquished_at AT TIME ZONE %(tz)s) + interval '7 days 9 hours',
                       s.relinquished_at
                FROM scale_licence s WHERE s.relinquished
                UNION ALL
                SELECT 'application', x.id, x.tile, x.k0, 10, x.state,
                       date_trunc('day', x.decided_at AT TIME ZONE %(tz)s) + interval '7 days 9 hours', x.decided_at
                FROM scale_application x WHERE x.state IN ('refused', 'withdrawn', 'lapsed')
            ) AS u
            """,
            p,
        )
        p["first_opening"] = reserve_ids("licensing_groundopening", _scalar("SELECT count(*) FROM scale_opening"))
        openings = _execute(
            """
            INSERT INTO licensing_groundopening (id, opens_at, window_closes_at, reason, region, published_at,
                                                 settled_at, updated_at)
            SELECT %(first_opening)s + o - 1, local_at AT TIME ZONE %(tz)s,
                   (local_at + interval '1 month') AT TIME ZONE %(tz)s, reason,
                   (%(regions)s::text[])[1 + tile %% cardinality(%(regions)s::text[])],
                   at + interval '1 hour',
                   CASE WHEN (local_at + interval '1 month 1 day') AT TIME ZONE %(tz)s < %(now)s
                        THEN (local_at + interval '1 month 1 day') AT TIME ZONE %(tz)s END,
                   least(%(now)s, (local_at + interval '1 month 1 day') AT TIME ZONE %(tz)s)
            FROM scale_opening
            """,
            p,
        )
        blocks = _execute(
            """
            INSERT INTO licensing_openingblock (block, opening_id)
            SELECT t.block, %(first_opening)s + o.o - 1
            FROM scale_opening o JOIN scale_tile t ON t.tile = o.tile AND t.k >= o.k0 AND t.k < o.k0 + o.width
            """,
            p,
        )
        upcoming = _scalar("SELECT count(*) FROM licensing_groundopening WHERE opens_at > %(now)s", p)
        log(f"    {openings:,} openings ({upcoming} still to come), {blocks:,} blocks")

    # Changes of title ----------------------------------------------------------------------

    def title_changes(self) -> None:
        """Approved: the relinquishments, the surrenders, and transfers of one licence in 100;
        open (one per licence at most): relinquishments under review, extensions recommended and
        transfers awaiting the transferee, on 3 licences in 500."""
        p = self.p
        count = _execute(
            """
            INSERT INTO licensing_titlechange (number, kind, state, statement, lodged_at, decide_by, extension_years,
                new_expires_on, blocks, accepted_at, security_review, security_review_note, security_reviewed_at,
                preemptive_right_applies, preemptive_waiver, preemptive_waived_at, recommended_at,
                recommend_approval, recommendation_reasons, decided_at, decision_reasons, updated_at,
                accepted_by_id, decided_by_id, holder_id, licence_id, lodged_by_id, preemptive_waived_by_id,
                recommended_by_id, transferee_id)
            SELECT 'TC-new-' || c.kind || '-' || s.id, c.kind, c.state, '', c.at - interval '40 days',
                   (c.at AT TIME ZONE %(tz)s)::date + 20,
                   CASE WHEN c.kind = 'extension' THEN 5 END,
                   CASE WHEN c.kind = 'extension' THEN s.starts_on + interval '11 years' END,
                   CASE WHEN c.kind = 'relinquishment' THEN (
                       SELECT jsonb_agg(t.block ORDER BY t.block) FROM scale_tile t
                       WHERE t.tile = s.tile AND t.k >= c.k0) ELSE '[]'::jsonb END,
                   CASE WHEN c.kind = 'transfer' AND c.state <> 'awaiting_acceptance'
                        THEN c.at - interval '30 days' END,
                   CASE WHEN c.kind = 'transfer' AND c.state = 'approved' THEN 'cleared'
                        WHEN c.kind = 'transfer' THEN 'referred' ELSE 'not_required' END,
                   '', CASE WHEN c.kind = 'transfer' AND c.state = 'approved' THEN c.at - interval '5 days' END,
                   false, '', NULL,
                   CASE WHEN c.state IN ('recommended', 'approved') THEN c.at - interval '3 days' END,
                   CASE WHEN c.state IN ('recommended', 'approved') THEN true END, '',
                   CASE WHEN c.state = 'approved' THEN c.at END, '', least(c.at, %(now)s),
                   CASE WHEN c.kind = 'transfer' AND c.state <> 'awaiting_acceptance' THEN u2.user_id END,
                   CASE WHEN c.state = 'approved' THEN s.approver_id END,
                   CASE WHEN c.kind = 'transfer' AND c.state = 'approved' THEN c.previous ELSE s.holder_id END,
                   s.id, u.user_id, NULL,
                   CASE WHEN c.state IN ('recommended', 'approved') THEN s.reviewer_id END,
                   CASE WHEN c.kind = 'transfer' THEN CASE WHEN c.state = 'approved' THEN s.holder_id
                        ELSE c.previous END END
            FROM scale_licence s
            CROSS JOIN LATERAL (VALUES
                ('relinquishment', 'approved', s.relinquished_at, 12, NULL::bigint, s.relinquished),
                ('surrender', 'approved', s.ended_at, 0, NULL, s.status = 'surrendered'),
                ('transfer', 'approved', s.granted_at + interval '400 days', 0,
                 %(first_org)s + (s.n * 13) %% %(verified)s,
                 s.n %% 100 = 23 AND s.granted_at < %(day0)s - interval '420 days'),
                ('relinquishment', 'under_review', %(now)s - (s.n %% 20) * interval '1 day', 16, NULL,
                 s.n %% 500 = 10 AND NOT s.relinquished),
                ('extension', 'recommended', %(now)s - (s.n %% 20) * interval '1 day', 0, NULL, s.n %% 500 = 110),
                ('transfer', 'awaiting_acceptance', %(now)s - (s.n %% 20) * interval '1 day', 0,
                 %(first_org)s + (s.n * 13) %% %(verified)s, s.n %% 500 = 210)
            ) AS c(kind, state, at, k0, previous, wanted)
            JOIN scale_owner u ON u.org_id = CASE WHEN c.kind = 'transfer' AND c.state = 'approved'
                 THEN c.previous ELSE s.holder_id END
            LEFT JOIN scale_owner u2 ON u2.org_id = s.holder_id
            WHERE c.wanted
            """,
            p,
        )
        # Numbered as titles.services numbers them: TC-<year lodged>-<id>.
        _execute(
            """
            UPDATE licensing_titlechange SET
                number = 'TC-' || extract(year FROM lodged_at AT TIME ZONE %(tz)s) || '-' || lpad(id::text, 6, '0')
            WHERE number LIKE 'TC-new-%%'
            """,
            p,
        )
        log(f"    {count:,} changes of title")

    # Obligations ---------------------------------------------------------------------------

    def obligations(self) -> None:
        """One active licence in ten (and the revoked ones, for their breach): the duties
        `obligation_schedule` gives a licence at its grant, met when due except one in 33 (late),
        with the area fees invoiced (numbered per year of issue, as money.invoice_issue does)
        and paid when met."""
        p = self.p
        types = {t.pk: t for t in LicenceType.objects.prefetch_related("rates", "expenditure_tiers", "relinquishments")}
        table = licence_selectors.mci_table()
        rows = _rows(
            """
            SELECT l.id, s.n, l.starts_on, l.licence_type_id, l.number, l.granted_at, s.status,
                   array_agg(t.block ORDER BY t.block)
            FROM scale_licence s JOIN licensing_licence l ON l.id = s.id JOIN scale_tile t ON t.tile = s.tile
            WHERE (s.status = 'active' AND s.n %% 10 = 0) OR s.status = 'revoked'
            GROUP BY l.id, s.n, s.status
            """,
            p,
        )
        today = p["today"]
        registrar = p["registrars"][0]
        obligations, invoices, payments = [], [], []
        numbers = {
            int(year): int(last)
            for year, last in _rows(
                "SELECT split_part(number, '-', 2), max(split_part(number, '-', 3)) FROM licensing_invoice GROUP BY 1",
                p,
            )
        }
        next_id = 0  # an index until the ids are reserved, below
        original = licence_selectors.mci_table
        licence_selectors.mci_table = lambda: table  # one read of the MCI table, not one per licence
        try:
            for pk, n, starts_on, type_id, number, granted_at, status, blocks in rows:
                licence = Licence(pk=pk, number=number, starts_on=starts_on, licence_type=types[type_id])
                schedule = obligation_schedule(licence=licence, blocks=blocks)
                for duty in schedule:
                    if status == "revoked" and (duty.kind, duty.licence_year) != ("expenditure", 2):
                        continue  # a revoked licence keeps the duty it broke
                    late = status == "revoked" or (n + duty.licence_year * 7 + len(duty.kind)) % 33 == 0
                    if (
                        status == "active"
                        and n % 1000 in (20, 520, 720)
                        and (duty.kind, duty.licence_year)
                        == (
                            "expenditure",
                            1,
                        )
                    ):
                        late = True  # the revocations under way (revocations())
                    due = duty.due_on
                    met_at = None
                    if due < today and not late:
                        met_at = datetime.combine(due, datetime.min.time(), tzinfo=UTC) + timedelta(hours=4)
                    obligations.append(
                        (
                            next_id,
                            pk,
                            duty.kind,
                            duty.licence_year,
                            due,
                            duty.amount_mci,
                            duty.amount_kzt,
                            duty.percent,
                            met_at,
                            None,
                            None,
                            "",
                        )
                    )
                    if duty.kind == "rent" and due <= today + timedelta(days=30) and status == "active":
                        issued = max(granted_at, datetime.combine(due - timedelta(days=30), datetime.min.time(), UTC))
                        year = issued.year
                        numbers[year] = numbers.get(year, 0) + 1
                        invoice_number = money_rules.invoice_number(year, numbers[year])
                        mci_kzt = mci_for(due.year, table)
                        mci_year = (
                            due.year
                            if due.year in table
                            else max((y for y in table if y <= due.year), default=min(table))
                        )
                        amount = money_rules.kzt(duty.amount_mci, mci_kzt)
                        invoices.append(
                            (
                                invoice_number,
                                "area_fee",
                                duty.amount_mci,
                                mci_year,
                                mci_kzt,
                                amount,
                                money_rules.payment_reference(invoice_number),
                                "",
                                due,
                                issued,
                                None,
                                pk,
                                next_id,
                            )
                        )
                        if met_at is not None:
                            paid = max(due - timedelta(days=5), issued.date())
                            payments.append(
                                (
                                    f"SCALE-{invoice_number}",
                                    amount,
                                    paid,
                                    "registrar",
                                    met_at,
                                    "",
                                    invoice_number,
                                    registrar,
                                )
                            )
                    next_id += 1
        finally:
            licence_selectors.mci_table = original
        first = reserve_ids("licensing_licenceobligation", len(obligations))
        obligations = [(first + row[0], *row[1:]) for row in obligations]
        invoices = [(*row[:-1], first + row[-1]) for row in invoices]
        columns = ["id", "licence_id", "kind", "licence_year", "due_on", "amount_mci", "amount_kzt", "percent"]
        columns += ["met_at", "waived_at", "waived_by_id", "waiver_reason"]
        copy_rows("licensing_licenceobligation", columns, obligations)
        copy_rows(
            "licensing_invoice",
            [
                "number",
                "kind",
                "amount_mci",
                "mci_year",
                "mci_kzt",
                "amount_kzt",
                "payment_reference",
                "budget_code",
                "due_on",
                "issued_at",
                "cancelled_at",
                "licence_id",
                "obligation_id",
            ],
            invoices,
        )
        _execute(
            "CREATE TEMP TABLE scale_payment (reference text, amount numeric, paid_on date, source text, "
            "recorded_at timestamptz, line text, invoice text, recorded_by bigint)",
            p,
        )
        copy_rows(
            "scale_payment",
            ["reference", "amount", "paid_on", "source", "recorded_at", "line", "invoice", "recorded_by"],
            payments,
        )
        _execute(
            """
            INSERT INTO licensing_payment (reference, amount_kzt, paid_on, source, recorded_at, statement_line,
                                           invoice_id, recorded_by_id)
            SELECT s.reference, s.amount, s.paid_on, s.source, s.recorded_at, s.line, i.id, s.recorded_by
            FROM scale_payment s JOIN licensing_invoice i ON i.number = s.invoice
            """,
            p,
        )
        log(
            f"    {len(obligations):,} obligations of {len(rows):,} licences, {len(invoices):,} invoices, "
            f"{len(payments):,} payments"
        )

    def revocations(self) -> None:
        p = self.p
        # A breach on every late duty a month past due; those of the revocations name theirs.
        breaches = _execute(
            """
            INSERT INTO licensing_breach (kind, status, opened_at, remedy_by, remedied_at, shortfall_kzt, licence_id,
                                          obligation_id)
            SELECT CASE o.kind WHEN 'rent' THEN 'fee_unpaid' WHEN 'expenditure' THEN 'expenditure_shortfall'
                        ELSE 'report_not_lodged' END,
                   CASE WHEN s.status = 'revoked' OR (s.n %% 1000 IN (20, 520, 720) AND o.kind = 'expenditure'
                                                      AND o.licence_year = 1)
                        THEN 'revocation_recommended' ELSE 'open' END,
                   o.due_on + interval '31 days 4 hours', o.due_on + 76, NULL,
                   CASE WHEN o.kind = 'expenditure' THEN o.amount_kzt / 2 END, o.licence_id, o.id
            FROM licensing_licenceobligation o JOIN scale_licence s ON s.id = o.licence_id
            WHERE o.met_at IS NULL AND o.waived_at IS NULL AND o.due_on < %(today)s - 31 AND o.kind <> 'relinquishment'
            """,
            p,
        )
        revocations = _execute(
            """
            INSERT INTO licensing_revocation (state, recommended_at, recommendation_reasons, decided_at,
                decision_reasons, notified_on, contest_by, contested_at, contest_reasons, contest_decided_at,
                contest_decision_reasons, effective_at, updated_at, breach_id, contest_decided_by_id,
                contested_by_id, decided_by_id, licence_id, recommended_by_id)
            SELECT v.state, v.at - interval '40 days', 'The minimum expenditure was not met nor remedied.',
                   CASE WHEN v.state <> 'recommended' THEN v.at - interval '30 days' END,
                   CASE WHEN v.state <> 'recommended' THEN 'Revoked for the breach.' ELSE '' END,
                   CASE WHEN v.state <> 'recommended' THEN ((v.at - interval '30 days') AT TIME ZONE %(tz)s)::date END,
                   CASE WHEN v.state <> 'recommended'
                        THEN ((v.at - interval '30 days') AT TIME ZONE %(tz)s)::date + 21 END,
                   CASE WHEN v.state = 'contested' THEN v.at - interval '20 days' END,
                   CASE WHEN v.state = 'contested' THEN 'The expenditure was made; the report was late.' ELSE '' END,
                   NULL, '', CASE WHEN v.state = 'effective' THEN v.at END, least(v.at, %(now)s), b.id, NULL,
                   CASE WHEN v.state = 'contested' THEN u.user_id END,
                   CASE WHEN v.state <> 'recommended' THEN s.approver_id END,
                   s.id, s.reviewer_id
            FROM scale_licence s
            JOIN licensing_breach b ON b.licence_id = s.id AND b.status = 'revocation_recommended'
            CROSS JOIN LATERAL (SELECT CASE WHEN s.status = 'revoked' THEN 'effective'
                                            WHEN s.n %% 1000 = 20 THEN 'notified'
                                            WHEN s.n %% 1000 = 520 THEN 'contested' ELSE 'recommended' END AS state,
                                       CASE WHEN s.status = 'revoked' THEN s.ended_at
                                            ELSE %(now)s - interval '5 days' END AS at) AS v
            LEFT JOIN scale_owner u ON u.org_id = s.holder_id
            """,
            p,
        )
        log(f"    {breaches:,} breaches, {revocations:,} revocations")

    # Events --------------------------------------------------------------------------------

    def events(self) -> None:
        """The events the bulk implies, oldest first, sealed into the chain after the demo's
        (ids after the last, each prev_hash the hash before it, the chain head moved to the last):
        `event_chain_verify` walks them as it walks recorded ones. Dispatched already (no
        delivery is owed for history). The oldest are left out down to `Size.events`."""
        p = self.p
        cts = {f"{ct.app_label}.{ct.model}": ct for ct in ContentType.objects.filter(app_label="licensing")}
        p.update(
            ct_application=cts["licensing.application"].pk,
            ct_licence=cts["licensing.licence"].pk,
            ct_opening=cts["licensing.groundopening"].pk,
            ct_change=cts["licensing.titlechange"].pk,
        )
        steps = [(state, i, kind, len(path)) for state, path in PATHS.items() for i, kind in enumerate(path)]
        for _state, _i, kind, _len in steps:
            catalogue.get(f"application.{kind}")  # declared: record_event would refuse an unknown type
        values = ", ".join(f"('{state}', {i}, '{kind}', {length})" for state, i, kind, length in steps)
        iso = "to_char(({t}) AT TIME ZONE %(tz)s, 'YYYY-MM-DD\"T\"HH24:MI:SS') || '+05:00'"
        day = "to_char((({t}) AT TIME ZONE %(tz)s)::date, 'YYYY-MM-DD')"
        codes = (
            "(SELECT jsonb_agg('N' || lpad(((t.block / %(m)s) - 5400) / 60 || '', 2, '0') || lpad(((t.block / %(m)s)"
            " - 5400) %% 60 || '', 2, '0') || 'E' || lpad(((t.block %% %(m)s) - 10800) / 60 || '', 3, '0')"
            " || lpad(((t.block %% %(m)s) - 10800) %% 60 || '', 2, '0') ORDER BY t.block) FROM scale_tile t"
            " WHERE t.tile = o.tile AND t.k >= o.k0 AND t.k < o.k0 + o.width)"
        )
        _execute(
            f"""
            CREATE TEMP TABLE scale_event AS
            SELECT x.received_at + CASE WHEN st.length = 1 THEN interval '0'
                       ELSE (coalesce(x.decided_at, x.stage_started_at) - x.received_at) * st.i / (st.length - 1) END
                       AS occurred_at,
                   st.i + 10 AS seq, 'application.' || st.kind AS type,
                   CASE WHEN st.kind IN ('lodged', 'withdrawn') THEN x.user_id WHEN st.kind = 'lapsed' THEN NULL
                        WHEN st.kind IN ('granted', 'refused') THEN x.approver_id ELSE x.reviewer_id END AS actor_id,
                   %(ct_application)s AS subject_type_id, x.id::text AS subject_id,
                   CASE st.kind
                     WHEN 'lodged' THEN jsonb_build_object('blocks', jsonb_array_length(a.blocks),
                         'conditional', '[]'::jsonb,
                         'received_at', {iso.format(t="x.received_at")}, 'organisation', x.org_id,
                         'equal_ranking', '[]'::jsonb, 'priority_number', x.priority)
                     WHEN 'accepted' THEN jsonb_build_object('state', 'under_review')
                     WHEN 'information_requested' THEN jsonb_build_object('state', 'info_requested',
                         'message', 'Send the licence area map signed by the director.',
                         'answer_due',
                         {day.format(t="coalesce(x.decided_at, x.stage_started_at) + interval '15 days'")})
                     WHEN 'notice_published' THEN jsonb_build_object('state', 'objection_period', 'objections_close',
                         {day.format(t="x.received_at + interval '30 days'")})
                     WHEN 'objections_closed' THEN jsonb_build_object('state', 'assessment',
                         'objections', CASE WHEN x.a %% 10 = 3 THEN 1 ELSE 0 END, 'screening_required', false)
                     WHEN 'referred_to_screening' THEN jsonb_build_object('state', 'screening',
                         'country', org.country, 'organisation', x.org_id)
                     WHEN 'recommended' THEN jsonb_build_object('state', 'recommended',
                         'recommendation', CASE WHEN x.state = 'refused' THEN 'refuse' ELSE 'grant' END)
                     WHEN 'granted' THEN jsonb_build_object('state', 'granted', 'licence', l.number,
                         'organisation', x.org_id)
                     WHEN 'refused' THEN jsonb_build_object('state', 'refused',
                         'reasons', 'The work programme does not meet the minimum.', 'organisation', x.org_id)
                     WHEN 'withdrawn' THEN jsonb_build_object('state', 'withdrawn', 'reason', '',
                         'organisation', x.org_id)
                     WHEN 'lapsed' THEN jsonb_build_object('state', 'lapsed',
                         'answer_due', {day.format(t="x.decided_at - interval '1 day'")}, 'organisation', x.org_id)
                   END AS payload
            FROM scale_application x
            JOIN (VALUES {values}) AS st(state, i, kind, length) ON st.state = x.state
            JOIN licensing_application a ON a.id = x.id
            JOIN investors_organisation org ON org.id = x.org_id
            LEFT JOIN licensing_licence l ON l.id = x.licence_id
            """,
            p,
        )
        _execute(
            f"""
            INSERT INTO scale_event
            SELECT o.lodged_at, 15, 'application.objection_lodged', o.lodged_by_id, %(ct_application)s,
                   o.application_id::text, jsonb_build_object('objection', o.id)
            FROM licensing_objection o WHERE o.application_id >= %(first_application)s;

            INSERT INTO scale_event
            SELECT s.granted_at, 14, 'licence.granted', x.approver_id, %(ct_licence)s, s.id::text,
                   jsonb_build_object('blocks', (SELECT count(*) FROM scale_tile t WHERE t.tile = s.tile),
                                      'holder', s.holder_id, 'application', x.id)
            FROM scale_licence s JOIN scale_application x ON x.licence_id = s.id;

            INSERT INTO scale_event
            SELECT s.ended_at, 30, CASE s.status WHEN 'expired' THEN 'licence.expired'
                       WHEN 'surrendered' THEN 'licence.surrendered' ELSE 'revocation.effective' END,
                   NULL, %(ct_licence)s, s.id::text,
                   jsonb_build_object('number', l.number,
                                      'blocks', (SELECT count(*) FROM scale_tile t WHERE t.tile = s.tile))
                   || CASE WHEN s.status = 'revoked' THEN jsonb_build_object('revocation', v.id,
                          'decided_on', v.notified_on::text, 'contest_by', v.contest_by::text,
                          'effective_on', {day.format(t="s.ended_at")})
                      ELSE jsonb_build_object('ended_on', {day.format(t="s.ended_at")}, 'holder', s.holder_id) END
            FROM scale_licence s JOIN licensing_licence l ON l.id = s.id
            LEFT JOIN licensing_revocation v ON v.licence_id = s.id AND v.state = 'effective'
            WHERE s.status <> 'active';

            INSERT INTO scale_event
            SELECT e.at, e.seq, 'title_change.' || e.kind, e.actor, %(ct_change)s, c.id::text,
                   jsonb_build_object('kind', c.kind, 'state', e.state, 'holder', c.holder_id, 'number', c.number,
                                      'licence', l.number)
            FROM licensing_titlechange c JOIN licensing_licence l ON l.id = c.licence_id
            JOIN scale_licence s ON s.id = c.licence_id
            CROSS JOIN LATERAL (VALUES
                ('lodged', c.lodged_at, 20, c.lodged_by_id,
                 CASE WHEN c.kind = 'transfer' THEN 'awaiting_acceptance' ELSE 'under_review' END, true),
                ('approved', c.decided_at, 21, c.decided_by_id, 'approved', c.state = 'approved')
            ) AS e(kind, at, seq, actor, state, wanted)
            WHERE e.wanted;

            INSERT INTO scale_event
            SELECT g.published_at, 40, 'ground.freed', NULL, %(ct_opening)s, g.id::text,
                   jsonb_build_object('codes', {codes}, 'blocks', o.width, 'reason', g.reason, 'region', g.region,
                                      'opens_at', {iso.format(t="g.opens_at")})
            FROM scale_opening o JOIN licensing_groundopening g ON g.id = %(first_opening)s + o.o - 1;
            """,
            p,
        )
        for kind in _column("SELECT DISTINCT type FROM scale_event"):
            catalogue.get(kind)
        total = _scalar("SELECT count(*) FROM scale_event")
        cutoff = None
        if total > self.size.events:
            older = {"older": total - self.size.events}
            cutoff = _scalar("SELECT occurred_at FROM scale_event ORDER BY occurred_at LIMIT 1 OFFSET %(older)s", older)
            _execute(
                "DELETE FROM scale_event WHERE ctid IN "
                "(SELECT ctid FROM scale_event ORDER BY occurred_at, seq, subject_id LIMIT %(older)s)",
                older,
            )
        count = self._seal()
        log(
            f"    {count:,} events sealed into the chain"
            + (f" (the log starts {cutoff:%Y-%m-%d}: {total - count:,} older ones left out)" if cutoff else "")
        )
        notifications = _execute(
            """
            INSERT INTO events_notification (kind, title, body, url, created_at, read_at, event_id, user_id)
            SELECT e.type,
                   CASE WHEN e.subject_type_id = %(ct_application)s
                        THEN 'Application A-' || lpad(a.priority_number::text, 6, '0')
                        ELSE 'Licence ' || l.number END || ': ' || replace(split_part(e.type, '.', 2), '_', ' '),
                   '', CASE WHEN e.subject_type_id = %(ct_application)s THEN '/investor/applications/' || a.id || '/'
                            ELSE '/investor/licences/' || l.number || '/' END,
                   e.occurred_at,
                   CASE WHEN e.occurred_at < %(now)s - interval '30 days' THEN e.occurred_at + interval '1 day' END,
                   e.id, %(demo_user)s
            FROM events_event e
            LEFT JOIN licensing_application a ON e.subject_type_id = %(ct_application)s AND a.id::text = e.subject_id
            LEFT JOIN licensing_licence l ON e.subject_type_id = %(ct_licence)s AND l.id::text = e.subject_id
            WHERE e.id >= %(first_event)s AND (a.organisation_id = %(demo_org)s OR l.holder_id = %(demo_org)s)
              AND e.type NOT IN ('application.accepted')
            """,
            p,
        )
        log(f"    {notifications:,} notifications for the demo investor")

    def _seal(self) -> int:
        """Hash the planned events in order after the chain head, COPY them, move the head."""
        cts = {ct.pk: ct for ct in ContentType.objects.all()}
        total = _scalar("SELECT count(*) FROM scale_event")
        first = reserve_ids("events_event", total)
        self.p["first_event"] = first
        columns = ["id", "type", "occurred_at", "actor_id", "subject_type_id", "subject_id", "payload", "prev_hash"]
        columns += ["hash", "hash_scheme", "dispatched_at"]
        planned = _rows(
            "SELECT occurred_at, type, actor_id, subject_type_id, subject_id, payload::text "
            "FROM scale_event ORDER BY occurred_at, seq, subject_id"
        )
        with transaction.atomic():
            head = ChainHead.objects.select_for_update().get(pk=1)
            prev = head.last_hash
            rows = []
            for pk, (occurred_at, kind, actor, ct, subject, payload) in enumerate(planned, start=first):
                event = Event(
                    type=kind,
                    occurred_at=occurred_at,
                    actor_id=actor,
                    subject_type=cts[ct],
                    subject_id=subject,
                    payload=json.loads(payload),
                    hash_scheme=HASH_SCHEME,
                )
                digest = event_hash(prev_hash=prev, event=event)
                rows.append(
                    (pk, kind, occurred_at, actor, ct, subject, payload, prev, digest, HASH_SCHEME, occurred_at)
                )
                prev = digest
            count = copy_rows("events_event", columns, rows)
            head.last_hash = prev
            head.save(update_fields=["last_hash"])
        return count


def _rows(sql: str, params: dict[str, Any] | None = None) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or {})
        return cursor.fetchall()


# Derive ------------------------------------------------------------------------------------


def derive_priority_counter() -> None:
    """The counter names the last priority number given (lodgement takes the next)."""
    PriorityCounter.objects.filter(pk=1).update(
        last_number=_scalar("SELECT coalesce(max(priority_number), 0) FROM licensing_application")
    )


def derive_caches() -> None:
    """Nothing computed before the bulk stays in a cache (the strategic blocks, the statistics)."""
    for alias in settings.CACHES:
        with contextlib.suppress(Exception):  # a shared Redis that is down: nothing is cached there either
            caches[alias].clear()


# What the project stores beside the data (outlines, working-day numbers, snapshots, built
# open-data files…), filled through its own code (a service or a management command), in
# order, after the bulk and on the demo too. Each entry is idempotent: (name, callable).
def derive_open_data() -> None:
    """The licences' outlines (the bulk is inserted by SQL, not through certificate_issue), then
    the open-data files built from them, as the worker builds them."""
    from licensing.ground.outlines import outlines_fill
    from licensing.licences.publication import licence_outlines_fill, open_data_build

    started = time.monotonic()
    count = licence_outlines_fill()
    applications, openings = outlines_fill()
    log(
        f"    {count:,} licence, {applications:,} application and {openings:,} opening outlines stored"
        f" in {time.monotonic() - started:.0f} s"
    )
    started = time.monotonic()
    open_data_build()
    log(f"    open-data files built in {time.monotonic() - started:.0f} s, in {settings.OPEN_DATA_ROOT}")


DERIVE: list[tuple[str, Callable[[], object]]] = [
    ("priority counter", derive_priority_counter),
    ("open data", derive_open_data),
    ("caches", derive_caches),
]


# The build ---------------------------------------------------------------------------------


def has_register(size: Size = REGISTER) -> bool:
    return Licence.objects.count() >= size.licences


def has_demo() -> bool:
    return User.objects.filter(email="investor@example.com").exists() and Licence.objects.exists()


def vacuum_analyze() -> None:
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
        with contextlib.suppress(Exception):  # needs a superuser; spares the timings a checkpoint
            cursor.execute("CHECKPOINT")


def build(size: str = "register", *, licences: int | None = None, verify_chain: bool = False) -> dict[str, Any]:
    """Build the data set of `size` (register or demo) in the configured database, on top of what
    it holds (a register on top of a register is not built twice). Returns what it did."""
    started = time.perf_counter()
    steps = Steps()
    target = (
        REGISTER
        if licences is None
        else Size(licences=licences, events=REGISTER.events * licences // REGISTER.licences)
    )
    with steps.step("migrate"):
        call_command("migrate", verbosity=0)
    if not has_demo():
        with steps.step("load_demo"):
            call_command("load_demo", verbosity=0)
    bulk_built = False
    if size == "register":
        if has_register(target):
            log(f"  the register is there already ({Licence.objects.count():,} licences)")
        else:
            RegisterBulk(target, steps).run()
            bulk_built = True
    for name, derive in DERIVE:
        with steps.step(f"derive: {name}"):
            derive()
    with steps.step("VACUUM ANALYZE"):
        vacuum_analyze()
    chain = None
    if verify_chain:
        with steps.step("verify the event chain"):
            report = event_chain_verify()
            chain = {"checked": report.checked, "problems": [p.message for p in report.problems[:10]]}
        log(
            f"    {report.checked:,} events checked: " + ("the chain verifies" if report.ok else f"{chain['problems']}")
        )
    figures = {
        "size": size,
        "bulk_built": bulk_built,
        "seconds": round(time.perf_counter() - started, 1),
        "steps": {name: round(seconds, 1) for name, seconds in steps.timings},
        "database_bytes": _scalar("SELECT pg_database_size(current_database())"),
        "rows": dict(_rows(COUNTS)),
        "chain": chain,
    }
    return figures


COUNTS = """
SELECT 'licences', count(*) FROM licensing_licence UNION ALL
SELECT 'tenures', count(*) FROM licensing_tenure UNION ALL
SELECT 'applications', count(*) FROM licensing_application UNION ALL
SELECT 'claims', count(*) FROM licensing_claim UNION ALL
SELECT 'objections', count(*) FROM licensing_objection UNION ALL
SELECT 'openings', count(*) FROM licensing_groundopening UNION ALL
SELECT 'title changes', count(*) FROM licensing_titlechange UNION ALL
SELECT 'revocations', count(*) FROM licensing_revocation UNION ALL
SELECT 'obligations', count(*) FROM licensing_licenceobligation UNION ALL
SELECT 'invoices', count(*) FROM licensing_invoice UNION ALL
SELECT 'events', count(*) FROM events_event UNION ALL
SELECT 'organisations', count(*) FROM investors_organisation UNION ALL
SELECT 'users', count(*) FROM accounts_user
"""


def main(args: argparse.Namespace) -> None:
    log(f"building the {args.size} data set in {urlsplit(args.database_url).path.lstrip('/')}")
    figures = build(args.size, licences=args.licences, verify_chain=args.verify_chain)
    rows = ", ".join(f"{count:,} {name}" for name, count in figures["rows"].items())
    log(f"built in {figures['seconds']:.0f} s; {figures['database_bytes'] / 2**30:.2f} GiB; {rows}")
    out = os.environ.get("BENCH_SCALE_DATA_OUT")
    if out:  # bench/scale.py reads what was built
        Path(out).write_text(json.dumps(figures, indent=2, default=str))


if __name__ == "__main__":
    main(ARGS)
