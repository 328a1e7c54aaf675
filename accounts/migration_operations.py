"""Migration operations that touch the database on PostgreSQL only, for what SQLite (the embedded
default of `make run`) cannot build and has no need of: pg_trgm's indexes for searching names.
The model state changes on every database alike, so `makemigrations` sees no difference.

It lives in accounts, the lowest app, so that every app's migrations may use it."""

from typing import Any

from django.db.migrations.operations import AddIndex


class AddIndexOnPostgres(AddIndex):
    """AddIndex, built on PostgreSQL; elsewhere the index is recorded in the state and not built."""

    def database_forwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_forwards(app_label, schema_editor, from_state, to_state)

    def database_backwards(self, app_label: str, schema_editor: Any, from_state: Any, to_state: Any) -> None:
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)

    def describe(self) -> str:
        return f"{super().describe()} (PostgreSQL only)"
