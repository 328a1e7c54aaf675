"""Every list page and list endpoint at demo size and at the size of a national register (issue 15).

    BENCH_DATABASE_URL=postgres://root@127.0.0.1:5432/ashyqken_bench python bench/lists.py

PostgreSQL only: with SQLite it says so and stops. It works in a database of its own,
`<name>_lists` after BENCH_DATABASE_URL (or DATABASE_URL), created afresh on every run and
dropped at the end (BENCH_KEEP_DB=1 keeps it). BENCH_REUSE=1 skips the building and measures a
kept database again at register size (it migrates first), to see what a change of code does.

1. The demo is loaded (`load_demo`) and each target is requested through Django's test client
   (the whole middleware stack, as a signed-in reviewer, registrar or investor where the page
   needs one): BENCH_RUNS times after one untimed request, the median kept, with the queries and
   the bytes of one more request.
2. The register is built in bulk SQL on top of the demo: 5,000 organisations; 100,000 licences
   with 2,000,000 tenures (1,800,000 active; 200,000 ended, on blocks held again since: block
   history); 360,000 obligations; 30,000 applications (3,000 open on the workbench) with
   600,000 claims and 20,000 objections; 5,000 changes of title (1,000 open); 300 contested
   revocations; 2,000 openings with 20,000 blocks. About a minute.
3. The targets are measured again; the table gives both times, their ratio and the queries.

Results are printed and written to var/bench-lists.json, not asserted.
"""

import contextlib
import json
import os
import statistics
import sys
import time
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
    return urlunsplit(parts._replace(path=f"/{name}_lists"))


DATABASE_URL = _database_url()
if DATABASE_URL:
    os.environ["BENCH_DATABASE_URL"] = DATABASE_URL
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings"

import django  # noqa: E402

django.setup()

import psycopg  # noqa: E402
from django.core.cache import caches  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import DatabaseError, connection, connections, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from accounts.models import User  # noqa: E402
from config.celery import app as celery_app  # noqa: E402
from deposits.models import Commodity  # noqa: E402
from licensing.domain import grid  # noqa: E402
from licensing.ground.outlines import outlines_fill  # noqa: E402
from licensing.licences.publication import licence_outlines_fill  # noqa: E402
from licensing.models import Application, ApplicationState, Licence, LicenceStatus, Tenure  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))
QUEUE = "bench-lists"
celery_app.conf.task_default_queue = QUEUE  # events enqueue here; nobody takes them; purged at the end

M = grid.MINUTES_LON
ORGANISATIONS = 5_000
LICENCES = 100_000
ENDED = 10_000  # licences 0…9,999 ended; licences 10,000…19,999 hold their blocks again
APPLICATIONS = 30_000
OPEN_APPLICATIONS = 3_000  # the newest: on the workbench
TITLE_CHANGES = 5_000
OPEN_TITLE_CHANGES = 1_000
CONTESTED = 300
OPENINGS = 2_000
# Tiles of 4 × 5 blocks from 40°N 46°E, 400 to a row of tiles (as bench/licensing.py): tile t
# holds blocks (ROW + (t / 400) * 4 + k / 5) * M + COL + (t % 400) * 5 + k % 5, k = 0…19.
ROW, COL = (90 + 40) * 60, (180 + 46) * 60
FREE_TILES = 120_000  # tiles from here on lie north of the register: applications and openings


def _block(tile: str) -> str:
    """SQL for block k of tile `tile` (both SQL expressions), in a statement with parameters."""
    return f"(({ROW} + (({tile}) / 400) * 4 + k / 5) * {M} + {COL} + (({tile}) %% 400) * 5 + k %% 5)"


# The database -----------------------------------------------------------------------------


def _server() -> psycopg.Connection:
    return psycopg.connect(urlunsplit(urlsplit(DATABASE_URL)._replace(path="/postgres")), autocommit=True)


def database_create() -> None:
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        server.execute(f'CREATE DATABASE "{name}"')


def database_drop() -> None:
    connections.close_all()
    name = urlsplit(DATABASE_URL).path.lstrip("/")
    with _server() as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _run(sql: str, params: list[Any] | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])


def _scalar(sql: str, params: list[Any] | None = None) -> Any:
    with connection.cursor() as cursor:
        cursor.execute(sql, params or [])
        return cursor.fetchone()[0]


# The register -------------------------------------------------------------------------------


def register_build() -> float:
    """The register-size rows, in bulk SQL on top of the demo. Returns the seconds it took."""
    started = time.perf_counter()
    users = dict(User.objects.values_list("email", "pk"))
    investor, reviewer, approver = (users[f"{r}@example.com"] for r in ("investor", "reviewer", "approver"))
    demo_org = _scalar("SELECT organisation_id FROM investors_membership WHERE user_id = %s LIMIT 1", [investor])
    exploration = _scalar("SELECT id FROM licensing_licencetype WHERE code = 'exploration'")
    with transaction.atomic():
        base_org = _scalar("SELECT coalesce(max(id), 0) FROM investors_organisation")
        _run(
            """
            INSERT INTO investors_organisation (legal_name, legal_name_latin, country, registration_number,
                address, website, contact_email, contact_phone, status, status_reason, status_changed_at,
                created_at, updated_at)
            SELECT 'ТОО «' || (ARRAY['Дала','Алтай','Тәңір','Сарыарқа','Ертіс','Балқаш','Арал','Ұлытау',
                        'Жетісу','Қаратау','Көкше','Тарбағатай'])[1 + n %% 12]
                   || ' ' || (ARRAY['Литий','Вольфрам','Сирек жер','Металдар','Тау-кен','Ресурстар',
                        'Минералдар','Геология','Барлау','Кен'])[1 + (n / 12) %% 10] || ' ' || n || '»',
                   (ARRAY['Steppe','Altai','Tengri','Saryarka','Irtysh','Balkhash','Aral','Ulytau','Zhetysu',
                        'Karatau','Kokshe','Tarbagatai'])[1 + n %% 12]
                   || ' ' || (ARRAY['Lithium','Tungsten','Rare Earths','Metals','Mining','Resources',
                        'Minerals','Geology','Exploration','Ore'])[1 + (n / 12) %% 10] || ' ' || n || ' LLP',
                   (ARRAY['KZ','KZ','KZ','KZ','CN','GB','AU','KR','NL','TR'])[1 + n %% 10], 'BENCH-' || n,
                   'Astana', '', 'org' || n || '@example.com', '',
                   CASE WHEN n %% 17 = 0 THEN 'submitted' ELSE 'verified' END, '',
                   now() - n * interval '1 hour', now(), now()
            FROM generate_series(1, %s) AS n
            """,
            [ORGANISATIONS],
        )
        base_licence = _scalar("SELECT coalesce(max(id), 0) FROM licensing_licence")
        # Licence n: granted every 45 minutes from 10 January 2016; 1 in 100 held by the demo
        # investor's organisation. Licences 0…9,999 ended in 2022 (expired, a third surrendered).
        _run(
            """
            INSERT INTO licensing_licence (number, holder_id, licence_type_id, status, granted_at, starts_on,
                                           expires_on, updated_at)
            SELECT 'KZ-EXP-' || extract(year FROM g)::int || '-' || lpad(n::text, 6, '0'),
                   CASE WHEN n %% 100 = 0 THEN %s ELSE orgs.ids[1 + n %% %s] END, %s,
                   CASE WHEN n >= %s THEN 'active' WHEN n %% 3 = 0 THEN 'surrendered' ELSE 'expired' END,
                   g, g::date,
                   CASE WHEN n < %s THEN g::date + 6 * 365 ELSE current_date + 5 + (n * 7919) %% 2500 END,
                   g
            FROM (SELECT array_agg(id ORDER BY id) AS ids FROM investors_organisation WHERE id > %s) AS orgs,
                 generate_series(0, %s - 1) AS n,
                 LATERAL (SELECT timestamptz '2016-01-10 09:00+05' + n * interval '45 minutes' AS g) AS t
            """,
            [demo_org, ORGANISATIONS, exploration, ENDED, ENDED, base_org, LICENCES],
        )
        _run(
            f"""
            INSERT INTO licensing_tenure (licence_id, block, is_active, started_at, ended_at)
            SELECT l.id, {_block("l.tile")}, l.n >= %s, l.granted_at,
                   CASE WHEN l.n < %s THEN l.expires_on::timestamptz END
            FROM (SELECT id, granted_at, expires_on, n, CASE WHEN n < %s THEN n ELSE n - %s END AS tile
                  FROM (SELECT id, granted_at, expires_on, row_number() OVER (ORDER BY id) - 1 AS n
                        FROM licensing_licence WHERE id > %s) AS numbered) AS l,
                 generate_series(0, 19) AS k
            WHERE l.n < %s OR {_block("l.tile")} NOT IN (SELECT block FROM licensing_tenure WHERE is_active)
            """,  # noqa: S608 - the script's own constants, no input
            [ENDED, ENDED, ENDED, ENDED, base_licence, ENDED],
        )
        _run(
            """
            INSERT INTO licensing_licenceobligation (licence_id, kind, licence_year, due_on, met_at,
                                                     waiver_reason)
            SELECT l.id, kind, 1, due, CASE WHEN due < current_date AND (l.id + i) %% 5 <> 0 THEN due END, ''
            FROM licensing_licence AS l,
                 unnest(ARRAY['rent','expenditure','work_report','local_content_report']) WITH ORDINALITY AS o(kind, i),
                 LATERAL (SELECT current_date - 200 + (abs(hashtext(l.id || '-' || i)) %% 400)::int AS due) AS d
            WHERE l.id > %s AND l.status = 'active'
            """,
            [base_licence],
        )
        applications_build(base_licence, base_org, demo_org, exploration, investor, reviewer, approver)
        titles_build(base_licence, investor, reviewer, approver)
        openings_build()
    for table in (
        "investors_organisation",
        "licensing_licence",
        "licensing_tenure",
        "licensing_licenceobligation",
        "licensing_application",
        "licensing_claim",
        "licensing_objection",
        "licensing_titlechange",
        "licensing_breach",
        "licensing_revocation",
        "licensing_groundopening",
        "licensing_openingblock",
    ):
        _run(f"VACUUM ANALYZE {table}")
    with contextlib.suppress(DatabaseError):  # needs a superuser; spares the timings a checkpoint
        _run("CHECKPOINT")
    return time.perf_counter() - started


def applications_build(
    base_licence: int, base_org: int, demo_org: int, licence_type: int, investor: int, reviewer: int, approver: int
) -> None:
    """30,000 lodged applications, the newest 3,000 open (spread over the workbench's stages),
    the rest granted (linked to licences 10,000…), refused, withdrawn or lapsed; 20 claims each;
    an objection on every other one, two on every sixth."""
    base_priority = _scalar("SELECT coalesce(max(priority_number), 0) FROM licensing_application")
    base_application = _scalar("SELECT coalesce(max(id), 0) FROM licensing_application")
    closed = APPLICATIONS - OPEN_APPLICATIONS
    _run(
        f"""
        INSERT INTO licensing_application (organisation_id, licence_type_id, title, region, state, blocks,
            created_by_id, created_at, updated_at, in_country_processing, processing_plan, priority_number,
            lodged_at, received_at, lodged_by_id, stage_started_at, stage_due_on, resume_state,
            objection_closes_on, screening_required, recommendation, recommended_by_id, decided_by_id,
            decided_at, reasons, assigned_to_id, late_stages)
        SELECT CASE WHEN i %% 100 = 0 THEN %(demo_org)s ELSE orgs.ids[1 + i %% %(orgs)s] END,
               %(type)s, 'Bench project ' || i,
               (ARRAY['east_kazakhstan','karaganda','ulytau','abai','pavlodar','kostanay'])[1 + i %% 6],
               s.state,
               (SELECT jsonb_agg({_block("CASE WHEN s.state = 'granted' THEN i ELSE %(free)s + i END")} ORDER BY k)
                FROM generate_series(0, 19) AS k),
               %(investor)s, t, t, false, '', %(priority)s + i + 1, t, t, %(investor)s,
               CASE WHEN s.open THEN t END,
               CASE WHEN s.open AND s.state <> 'info_requested' THEN current_date - 20 + i %% 60 END, '',
               CASE WHEN s.state = 'objection_period' THEN current_date + i %% 20 END, false,
               CASE WHEN s.state IN ('recommended','granted','refused') THEN 'grant' ELSE '' END,
               CASE WHEN s.state IN ('recommended','granted','refused') THEN %(reviewer)s END,
               CASE WHEN s.state IN ('granted','refused') THEN %(approver)s END,
               CASE WHEN s.state IN ('granted','refused') THEN t + interval '60 days' END, '',
               CASE WHEN s.open AND i %% 3 = 0 THEN %(reviewer)s END, 0
        FROM (SELECT array_agg(id ORDER BY id) AS ids FROM investors_organisation WHERE id > %(base_org)s) AS orgs,
             generate_series(0, %(count)s - 1) AS i,
             LATERAL (SELECT timestamptz '2016-01-01 10:00+05' + i * interval '150 minutes'
                      + CASE WHEN i >= %(closed)s THEN interval '400 days' ELSE interval '0' END AS t) AS tt,
             LATERAL (SELECT i >= %(closed)s AS open,
                             CASE WHEN i >= %(closed)s THEN (ARRAY['lodged','under_review','under_review',
                                  'info_requested','objection_period','objection_period','assessment',
                                  'assessment','screening','recommended'])[1 + i %% 10]
                                  WHEN i %% 5 < 3 THEN 'granted' WHEN i %% 5 = 3 THEN 'refused'
                                  WHEN i %% 10 = 4 THEN 'withdrawn' ELSE 'lapsed' END AS state) AS s
        """,  # noqa: S608 - the script's own constants, no input
        {
            "demo_org": demo_org,
            "base_org": base_org,
            "orgs": ORGANISATIONS,
            "type": licence_type,
            "free": FREE_TILES,
            "investor": investor,
            "priority": base_priority,
            "reviewer": reviewer,
            "approver": approver,
            "count": APPLICATIONS,
            "closed": closed,
        },
    )
    _run("UPDATE licensing_prioritycounter SET last_number = (SELECT max(priority_number) FROM licensing_application)")
    # The k-th granted application is the one licence 10,000 + k was granted on (the region filter
    # reads it); their blocks need not agree for what is measured here.
    _run(
        """
        UPDATE licensing_licence AS l SET application_id = a.id
        FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS i FROM licensing_application
              WHERE id > %s AND state = 'granted') AS a,
             (SELECT id, row_number() OVER (ORDER BY id) - 1 AS n FROM licensing_licence WHERE id > %s) AS ln
        WHERE l.id = ln.id AND ln.n = %s + a.i
        """,
        [base_application, base_licence, ENDED],
    )
    _run(
        """
        INSERT INTO licensing_claim (application_id, block, rank, status, conditional, contested)
        SELECT a.id, (b.value)::bigint, a.priority_number,
               CASE WHEN a.state = 'granted' THEN 'granted'
                    WHEN a.state IN ('refused','withdrawn','lapsed') THEN 'released' ELSE 'live' END,
               false, false
        FROM licensing_application AS a, jsonb_array_elements_text(a.blocks) AS b(value)
        WHERE a.id > %s
        """,
        [base_application],
    )
    _run(
        """
        INSERT INTO licensing_objection (application_id, lodged_by_id, grounds, lodged_at, outcome, response)
        SELECT a.id, %s, 'Bench objection ' || r, a.lodged_at + interval '10 days', '', ''
        FROM licensing_application AS a, generate_series(1, 2) AS r
        WHERE a.id > %s AND (a.id - %s) %% 2 = 0 AND (r = 1 OR (a.id - %s) %% 6 = 0)
        """,
        [investor, base_application, base_application, base_application],
    )


def titles_build(base_licence: int, investor: int, reviewer: int, approver: int) -> None:
    """5,000 changes of title on active licences (1,000 open), and 300 contested revocations."""
    _run(
        """
        INSERT INTO licensing_titlechange (number, licence_id, kind, state, holder_id, statement, lodged_by_id,
            lodged_at, decide_by, extension_years, blocks, security_review, security_review_note,
            preemptive_right_applies, preemptive_waiver, recommendation_reasons, decision_reasons, updated_at,
            recommended_by_id, decided_by_id, decided_at)
        SELECT 'TC-B-' || lpad(j::text, 6, '0'), l.id, kind, state, l.holder_id, '', %s,
               now() - (%s - j) * interval '4 hours', current_date - 10 + (j %% 40)::int,
               CASE WHEN kind = 'extension' THEN 5 END, '[]', 'not_required', '', false, '', '', '', now(),
               CASE WHEN state <> 'under_review' THEN %s END, CASE WHEN state IN ('approved','refused') THEN %s END,
               CASE WHEN state IN ('approved','refused') THEN now() END
        FROM (SELECT id, holder_id, row_number() OVER (ORDER BY id) - 1 AS j FROM licensing_licence
              WHERE id > %s AND status = 'active') AS l,
             LATERAL (SELECT (ARRAY['surrender','relinquishment','extension'])[1 + j %% 3] AS kind,
                             CASE WHEN j >= %s - %s THEN (ARRAY['under_review','recommended'])[1 + j %% 2]
                                  WHEN j %% 4 = 0 THEN 'refused' ELSE 'approved' END AS state) AS s
        WHERE l.j < %s
        """,
        [
            investor,
            TITLE_CHANGES,
            reviewer,
            approver,
            base_licence,
            TITLE_CHANGES,
            OPEN_TITLE_CHANGES,
            TITLE_CHANGES,
        ],
    )
    _run(
        """
        INSERT INTO licensing_breach (licence_id, obligation_id, kind, status, opened_at, remedy_by)
        SELECT o.licence_id, o.id, 'report_not_lodged', 'revocation_recommended', o.due_on + 1, o.due_on + 60
        FROM licensing_licenceobligation AS o
        WHERE o.kind = 'work_report' AND o.met_at IS NULL AND o.due_on < current_date - 60
              AND o.licence_id > %s AND o.licence_id NOT IN (SELECT licence_id FROM licensing_titlechange)
        ORDER BY o.id LIMIT %s
        """,
        [base_licence, CONTESTED],
    )
    _run(
        """
        INSERT INTO licensing_revocation (licence_id, breach_id, state, recommended_by_id, recommended_at,
            recommendation_reasons, decided_by_id, decided_at, decision_reasons, notified_on, contest_by,
            contested_by_id, contested_at, contest_reasons, contest_decision_reasons, updated_at)
        SELECT b.licence_id, b.id, 'contested', %s, b.opened_at + interval '70 days', 'Bench', %s,
               b.opened_at + interval '75 days', 'Bench', (b.opened_at + interval '75 days')::date,
               (b.opened_at + interval '95 days')::date, %s, b.opened_at + interval '80 days', 'Bench', '', now()
        FROM licensing_breach AS b WHERE b.status = 'revocation_recommended'
             AND b.licence_id NOT IN (SELECT licence_id FROM licensing_revocation)
        """,
        [reviewer, approver, investor],
    )


def openings_build() -> None:
    """2,000 openings of 10 blocks each north of the register, one every two days back from
    next month (the newest 15 still to open)."""
    base = _scalar("SELECT coalesce(max(id), 0) FROM licensing_groundopening")
    _run(
        """
        INSERT INTO licensing_groundopening (opens_at, window_closes_at, reason, region, published_at,
                                             settled_at, updated_at)
        SELECT o, o + interval '1 month', (ARRAY['expired','surrendered','refused','released'])[1 + j %% 4], '',
               o - interval '20 days', CASE WHEN o + interval '1 month' < now() THEN o + interval '1 month' END,
               now()
        FROM generate_series(0, %s - 1) AS j,
             LATERAL (SELECT date_trunc('hour', now()) + interval '30 days' - j * interval '2 days' AS o) AS t
        """,
        [OPENINGS],
    )
    _run(
        f"""
        INSERT INTO licensing_openingblock (opening_id, block)
        SELECT g.id, {_block(f"{FREE_TILES + APPLICATIONS} + g.j")}
        FROM (SELECT id, row_number() OVER (ORDER BY id) - 1 AS j FROM licensing_groundopening WHERE id > %s) AS g,
             generate_series(0, 9) AS k
        """,  # noqa: S608 - the script's own constants, no input
        [base],
    )


# Measuring --------------------------------------------------------------------------------


def _signed_in(email: str) -> Client:
    """A client signed in as the demo person, with the second factor officials need."""
    from allauth.account.authentication import AUTHENTICATION_METHODS_SESSION_KEY
    from allauth.mfa.models import Authenticator

    client = Client()
    user = User.objects.get(email=email)
    client.force_login(user)
    totp = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if totp is not None:
        session = client.session
        session[AUTHENTICATION_METHODS_SESSION_KEY] = [
            {"method": "password", "at": time.time(), "email": user.email},
            {"method": "mfa", "at": time.time(), "id": totp.pk, "type": "totp"},
        ]
        session["account_authentication_methods_user"] = str(user.pk)
        session.save()
    return client


def targets() -> list[tuple[str, str, str]]:
    """(name, who, path) for every list page and list endpoint, with values read from the data."""
    active = Licence.objects.filter(status=LicenceStatus.ACTIVE).order_by("id")
    number = active.values_list("number", flat=True)[active.count() // 2]
    ended = Tenure.objects.filter(is_active=False).order_by("-id").values_list("block", flat=True).first()
    block = grid.code(ended if ended is not None else Tenure.objects.order_by("id").values_list("block", flat=True)[0])
    reference = Application.objects.exclude(state=ApplicationState.DRAFT).order_by("priority_number").first().reference
    lithium = Commodity.objects.get(code="Li").pk
    return [
        ("workbench", "reviewer", "/workbench/"),
        ("workbench, page 2", "reviewer", "/workbench/?page=2"),
        ("workbench, unassigned", "reviewer", "/workbench/?assignee=none"),
        ("workbench, under review", "reviewer", "/workbench/?stage=under_review"),
        ("workbench, lithium", "reviewer", f"/workbench/?commodity={lithium}"),
        ("workbench: changes of title", "reviewer", "/workbench/title-changes/"),
        ("workbench: changes of title, all", "reviewer", "/workbench/title-changes/?all=on"),
        ("workbench: contested revocations", "reviewer", "/workbench/revocations/"),
        ("workbench: openings", "reviewer", "/workbench/openings/"),
        ("registrar: organisations waiting", "registrar", "/registrar/organisations/"),
        ("registrar: organisations verified", "registrar", "/registrar/organisations/?status=verified"),
        ("investor: applications", "investor", "/investor/applications/"),
        ("investor: licences", "investor", "/investor/licences/"),
        ("investor: due in 90 days", "investor", "/investor/licences/due/"),
        ("register of licences", "anon", "/register/licences/"),
        ("register of licences, page 2000", "anon", "/register/licences/?page=2000"),
        ("register of licences, exact number", "anon", f"/register/licences/?q={number}"),
        ("register of licences, number prefix", "anon", f"/register/licences/?q={number[:-2]}"),
        ("register of licences, holder name", "anon", "/register/licences/?q=Saryarka"),
        ("register of licences, lithium", "anon", "/register/licences/?commodity=Li"),
        ("register: a licence", "anon", f"/register/licences/{number}/"),
        ("register of applications", "anon", "/register/applications/"),
        ("register of applications, lithium", "anon", "/register/applications/?commodity=Li"),
        ("register of applications, name", "anon", "/register/applications/?q=Saryarka"),
        ("register: an application", "anon", f"/register/applications/{reference}/"),
        ("release calendar", "anon", "/register/openings/"),
        ("release calendar, lithium", "anon", "/register/openings/?commodity=Li"),
        ("API licences", "anon", "/api/v1/licences/"),
        ("API licences, lithium", "anon", "/api/v1/licences/?commodity=Li"),
        ("API licences, holder name", "anon", "/api/v1/licences/?holder_name=Saryarka"),
        ("API a licence", "anon", f"/api/v1/licences/{number}/"),
        ("API a block with history", "anon", f"/api/v1/blocks/{block}/"),
        ("API applications (reviewer)", "reviewer", "/api/v1/applications/"),
        ("API applications (investor)", "investor", "/api/v1/applications/"),
        ("API openings", "anon", "/api/v1/openings/"),
        ("API openings: expiring", "anon", "/api/v1/openings/expiring/"),
        ("API openings: deciding", "anon", "/api/v1/openings/deciding/"),
        ("API changes of title (reviewer)", "reviewer", "/api/v1/title-changes/"),
        ("API invoices (investor)", "investor", "/api/v1/invoices/"),
        ("OGC licences", "anon", "/ogc/collections/licences/items?f=json"),
        ("OGC applications", "anon", "/ogc/collections/applications/items?f=json"),
        ("OGC openings", "anon", "/ogc/collections/openings/items?f=json"),
    ]


def measure(paths: list[tuple[str, str, str]]) -> dict[str, dict[str, Any]]:
    clients: dict[str, Client] = {"anon": Client()}
    for who in ("reviewer", "registrar", "investor"):
        clients[who] = _signed_in(f"{who}@example.com")
    results: dict[str, dict[str, Any]] = {}
    for name, who, path in paths:
        client = clients[who]
        response = client.get(path)  # untimed: warms the caches of the process
        samples = []
        for _ in range(RUNS):
            for cache in caches.all():
                cache.clear()
            started = time.perf_counter()
            response = client.get(path)
            samples.append(time.perf_counter() - started)
        for cache in caches.all():
            cache.clear()
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        results[name] = {
            "path": path,
            "status": response.status_code,
            "ms": statistics.median(samples) * 1000,
            "queries": len(captured.captured_queries),
            "kb": len(response.content) / 1024,
        }
        print(f"  {name:<44} {results[name]['ms']:>8.1f} ms {results[name]['queries']:>4} q", flush=True)
    return results


def _table(demo: dict[str, dict[str, Any]], register: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    rows = []
    for name, big in register.items():
        small = demo.get(name)
        rows.append(
            {
                "name": name,
                "path": big["path"],
                "demo_ms": small["ms"] if small else None,
                "register_ms": big["ms"],
                "ratio": big["ms"] / small["ms"] if small else None,
                "queries": f"{small['queries'] if small else '-'}/{big['queries']}",
                "register_kb": big["kb"],
                "status": big["status"],
            }
        )
    return rows


def main() -> None:
    if DATABASE_URL is None:
        print("\nlists bench skipped: it measures PostgreSQL only; set BENCH_DATABASE_URL=postgres://…")
        return
    began = time.perf_counter()
    reuse = os.environ.get("BENCH_REUSE", "").lower() in {"1", "true", "yes"}
    keep = reuse or os.environ.get("BENCH_KEEP_DB", "").lower() in {"1", "true", "yes"}
    saved = ROOT / "var" / "bench-lists.json"
    demo: dict[str, dict[str, Any]] = {}
    call_command("collectstatic", interactive=False, verbosity=0)  # the pages' manifest, as bench/run.py
    try:
        if reuse:
            call_command("migrate", verbosity=0)
            if saved.exists():
                demo = {
                    r["name"]: {"ms": r["demo_ms"], "queries": r["queries"].split("/")[0], "path": r["path"]}
                    for r in json.loads(saved.read_text())["rows"]
                    if r["demo_ms"] is not None
                }
            built = 0.0
        else:
            database_create()
            call_command("migrate", verbosity=0)
            call_command("load_demo", verbosity=0)
            print("demo size:")
            demo = measure(targets())
            built = register_build()
            # As the register keeps them: each licence's outline stored with its certificate
            # (the OGC API and the open-data files read them).
            started = time.perf_counter()
            outlines = licence_outlines_fill()
            applications, openings = outlines_fill()
            print(
                f"{outlines:,} licence, {applications:,} application and {openings:,} opening outlines stored"
                f" in {time.perf_counter() - started:.0f} s"
            )
        print(f"register size (built in {built:.0f} s):")
        register = measure(targets())
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            version = cursor.fetchone()[0].split(" on ")[0]
    finally:
        with celery_app.connection_for_write() as conn:
            conn.default_channel.queue_purge(QUEUE)
        if not keep:
            database_drop()
    rows = _table(demo, register)
    print(f"\nlists, {version}, {os.cpu_count()} cores; median of {RUNS} requests through the test client")
    print(f"{'target':<44} {'demo ms':>8} {'register ms':>12} {'ratio':>6} {'queries':>9} {'KB':>7}")
    for r in rows:
        demo_ms = f"{r['demo_ms']:.1f}" if r["demo_ms"] is not None else "-"
        ratio = f"{r['ratio']:.1f}" if r["ratio"] is not None else "-"
        flag = "" if r["status"] == 200 else f"  ({r['status']})"
        print(
            f"{r['name']:<44} {demo_ms:>8} {r['register_ms']:>12.1f} {ratio:>6} {r['queries']:>9} "
            f"{r['register_kb']:>7.0f}{flag}"
        )
    print(f"total {time.perf_counter() - began:.0f} s")
    saved.write_text(json.dumps({"postgres": version, "runs": RUNS, "rows": rows}, indent=2))


if __name__ == "__main__":
    main()
