"""The demo data for tests that start from it: `load_demo` once a session, then put back.

`load_demo` takes 10–15 s (11,000 queries, signed certificate PDFs, a thousand task messages),
and each browser journey starts from it. On PostgreSQL the first call loads it and copies
every table into a schema of its own, with the sequences and the files it wrote; each later
call empties the tables and copies them back (well under a second). The copy is made again
when the local date has changed since it was taken, since the demo's history is dated from
the day it is loaded. On another database every call loads the demo.

The copy is taken only by a test that commits (`django_db(transaction=True,
serialized_rollback=True)`, like the journeys): one made inside a test's transaction would be
undone with it. A test in a transaction can still have the copy put back."""

import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

SCHEMA = "demo_snapshot"


@dataclass
class _Snapshot:
    taken_on: object
    tables: dict[str, list[str]]
    sequences: list[tuple[str, int | None, bool]]
    files: Path


_snapshot: _Snapshot | None = None


def demo_loaded() -> None:
    """The demo data in the test database, as `load_demo` makes it today."""
    global _snapshot
    if connection.vendor != "postgresql":
        call_command("load_demo", verbosity=0)
        return
    if _snapshot is not None and _snapshot.taken_on == timezone.localdate():
        _restore(_snapshot)
        return
    call_command("load_demo", verbosity=0)
    if not connection.in_atomic_block:  # a copy made inside a test's transaction goes with it
        _snapshot = _take()


def _roots() -> dict[str, Path]:
    return {"documents": Path(settings.DOCUMENTS_ROOT), "open-data": Path(settings.OPEN_DATA_ROOT)}


def _quoted(name: str) -> str:
    return connection.ops.quote_name(name)


def _take() -> _Snapshot:
    tables = {}
    with connection.cursor() as cursor:
        cursor.execute(f"DROP SCHEMA IF EXISTS {SCHEMA} CASCADE; CREATE SCHEMA {SCHEMA}")
        for table in connection.introspection.django_table_names(only_existing=True, include_views=False):
            # Generated columns are computed again when the rows go back; they cannot be written.
            cursor.execute(
                "SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() "
                "AND table_name = %s AND is_generated = 'NEVER' ORDER BY ordinal_position",
                [table],
            )
            tables[table] = [_quoted(row[0]) for row in cursor.fetchall()]
            cursor.execute(f"CREATE TABLE {SCHEMA}.{_quoted(table)} AS TABLE {_quoted(table)}")
        cursor.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(sequencename), last_value FROM pg_sequences "
            "WHERE schemaname = current_schema()"
        )
        sequences = [(name, last_value, last_value is not None) for name, last_value in cursor.fetchall()]
    files = Path(tempfile.mkdtemp(prefix="ashyqken-demo-files-"))
    for name, root in _roots().items():
        if root.exists():
            shutil.copytree(root, files / name)
    return _Snapshot(taken_on=timezone.localdate(), tables=tables, sequences=sequences, files=files)


def _restore(snapshot: _Snapshot) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        # Rows go back as they were: the foreign keys among them held when they were copied.
        # Not SET LOCAL: inside a test's own transaction that would last until the test ends.
        cursor.execute("SET session_replication_role = replica")
        try:
            cursor.execute(f"TRUNCATE {', '.join(_quoted(table) for table in snapshot.tables)}")
            for table, columns in snapshot.tables.items():
                listed = ", ".join(columns)
                cursor.execute(
                    f"INSERT INTO {_quoted(table)} ({listed}) SELECT {listed} FROM {SCHEMA}.{_quoted(table)}"  # noqa: S608 (catalogue names, quoted)
                )
        finally:
            cursor.execute("SET session_replication_role = DEFAULT")
        for name, last_value, called in snapshot.sequences:
            cursor.execute("SELECT setval(%s, %s, %s)", [name, last_value if called else 1, called])
    for name, root in _roots().items():
        if (snapshot.files / name).exists():
            shutil.copytree(snapshot.files / name, root, dirs_exist_ok=True)
