"""The benchmarks' bulk loaders write SQL by hand (INSERT … SELECT, COPY) to build a register of
100,000 licences in minutes; a column added to a model later, NOT NULL and without a database
default, breaks them only minutes into a run (as officials' job titles and an information
request's document did). Each statement must name every such column of its table."""

import re
from pathlib import Path

import pytest
from django.apps import apps
from django.db.models import NOT_PROVIDED

BENCH = Path(__file__).resolve().parent.parent / "bench"
STATEMENT = re.compile(r"(?:INSERT INTO|COPY)\s+(\w+)\s*\(([^)]*)\)")


def required_columns() -> dict[str, set[str]]:
    required: dict[str, set[str]] = {}
    for model in apps.get_models(include_auto_created=True):
        required[model._meta.db_table] = {
            field.column
            for field in model._meta.concrete_fields
            if not field.null and not field.primary_key and field.db_default is NOT_PROVIDED
        }
    return required


def statements() -> list[tuple[str, int, str, set[str]]]:
    """Every INSERT or COPY into a model's table (the loaders' temporary tables are left out)."""
    tables = {model._meta.db_table for model in apps.get_models(include_auto_created=True)}
    found = []
    for path in sorted(BENCH.glob("*.py")):
        text = path.read_text()
        for match in STATEMENT.finditer(text):
            columns = {c.strip().strip('"') for c in match.group(2).split(",")}
            if match.group(1) in tables:
                found.append((path.name, text[: match.start()].count("\n") + 1, match.group(1), columns))
    return found


def test_the_loaders_hold_statements_to_check() -> None:
    assert len({name for name, *_ in statements()}) >= 3


# Named without the columns: a set's order differs between processes (pytest-xdist's workers
# must collect the same tests).
@pytest.mark.parametrize(
    ("file", "line", "table", "columns"), statements(), ids=lambda v: "" if isinstance(v, set) else str(v)[:40]
)
def test_every_bulk_insert_names_each_column_the_schema_requires(file, line, table, columns) -> None:
    missing = sorted(required_columns()[table] - columns)
    assert not missing, f"bench/{file}:{line}: INSERT INTO {table} lacks the NOT NULL column(s) {missing}"
