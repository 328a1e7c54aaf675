"""The registers search holders and applicants by any part of their name, in either script, in any
case (`icontains`, which PostgreSQL runs as UPPER(name) LIKE '%…%'). pg_trgm's GIN indexes on the
upper-cased names serve that search without reading every organisation; the extension is created
here. On SQLite the extension and the indexes are skipped (the search scans, as before).
Reversible: the indexes are dropped; the extension stays (other databases' objects may use it)."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations
from django.db.models.functions import Upper

from accounts.migration_operations import AddIndexOnPostgres


class KeepTrigramExtension(TrigramExtension):
    """CREATE EXTENSION IF NOT EXISTS pg_trgm; never dropped on the way back."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):  # type: ignore[no-untyped-def]
        return


class Migration(migrations.Migration):
    dependencies = [
        ("investors", "0002_share_message_without_percent_sign"),
    ]

    operations = [
        KeepTrigramExtension(),
        AddIndexOnPostgres(
            model_name="organisation",
            index=GinIndex(OpClass(Upper("legal_name"), name="gin_trgm_ops"), name="organisation_name_trgm"),
        ),
        AddIndexOnPostgres(
            model_name="organisation",
            index=GinIndex(OpClass(Upper("legal_name_latin"), name="gin_trgm_ops"), name="organisation_latin_trgm"),
        ),
    ]
