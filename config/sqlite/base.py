"""SQLite, the embedded default of `make run`, as Django has it, except that rebuilding a table
(SQLite's way of altering one) leaves out PostgreSQL's own index types: pg_trgm's GIN indexes
for searching names, which SQLite cannot build and `AddIndexOnPostgres` never built there.
Without this, any later migration that alters such a table fails on SQLite."""

from typing import Any

from django.contrib.postgres.indexes import PostgresIndex
from django.db.backends.sqlite3 import base, schema


class DatabaseSchemaEditor(schema.DatabaseSchemaEditor):
    def _model_indexes_sql(self, model: Any) -> list[Any]:
        original = model._meta.indexes
        model._meta.indexes = [index for index in original if not isinstance(index, PostgresIndex)]
        try:
            return super()._model_indexes_sql(model)
        finally:
            model._meta.indexes = original


class DatabaseWrapper(base.DatabaseWrapper):
    SchemaEditorClass = DatabaseSchemaEditor
