"""A bound on the time of each database statement, for the web process only.

Gunicorn's timeout does not end a request in a threaded worker (the worker's main thread
keeps sending its heartbeat), so a request whose query grows with the data would run to the
end. PostgreSQL cancels any statement of a web connection that runs longer than
DJANGO_DB_STATEMENT_TIMEOUT_MS; `StatementCancelledIsUnavailable` answers such a request
with 503 and Retry-After. Celery tasks, migrations and the demo loader never import
config/wsgi.py, which turns the bound on, and so keep running as long as they need.
"""

from typing import Any

from django.conf import settings
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.backends.signals import connection_created


def _bound_statements(sender: object, connection: BaseDatabaseWrapper, **kwargs: Any) -> None:
    if connection.vendor != "postgresql":
        return  # SQLite has no statement timeout; it is the embedded default, not production
    with connection.cursor() as cursor:
        cursor.execute("SELECT set_config('statement_timeout', %s, false)", [str(settings.DB_STATEMENT_TIMEOUT_MS)])


def bound_statements_of_this_process() -> None:
    """Every database connection this process opens from now on cancels long statements."""
    if settings.DB_STATEMENT_TIMEOUT_MS > 0:
        connection_created.connect(_bound_statements, dispatch_uid="config.database.bound_statements")
