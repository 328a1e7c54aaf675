"""Indexes for the register at national size (100,000 licences, 2,000,000 tenures, 30,000
applications), each for a read that scanned or sorted a whole table:

- `tenure_block_idx`: every tenure of a block, ended ones too (a block's history in the API; the
  register's and the release calendar's commodity filter). The unique index on the active
  tenure covers active ones only. `tenure_licence_idx` is dropped: it repeated the index of the
  `licence` foreign key column, on the largest table.
- `licence_granted_idx`: the register and a holder's licences, newest grant first, read backwards
  a page at a time instead of sorting every licence.
- `application_changed_idx`: the API's cursor over applications (updated_at, id).
- `opening_time_idx`, `title_change_lodged_idx`: the API's cursors over openings (opens_at, id)
  and changes of title (lodged_at, id), and the OGC collection of openings.
- `application_title_trgm`: the register of applications' search by project name (pg_trgm, on
  PostgreSQL only; investors 0003 creates the extension).

Reversible."""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models.functions import Upper

from accounts.migration_operations import AddIndexOnPostgres


class Migration(migrations.Migration):
    dependencies = [
        ("investors", "0003_name_search_indexes"),
        ("licensing", "0017_working_day_calendar"),
    ]

    operations = [
        migrations.AddIndex(model_name="tenure", index=models.Index(fields=["block"], name="tenure_block_idx")),
        migrations.RemoveIndex(model_name="tenure", name="tenure_licence_idx"),
        migrations.AddIndex(
            model_name="licence", index=models.Index(fields=["granted_at", "id"], name="licence_granted_idx")
        ),
        migrations.AddIndex(
            model_name="application",
            index=models.Index(fields=["updated_at", "id"], name="application_changed_idx"),
        ),
        migrations.AddIndex(
            model_name="groundopening", index=models.Index(fields=["opens_at", "id"], name="opening_time_idx")
        ),
        migrations.AddIndex(
            model_name="titlechange", index=models.Index(fields=["lodged_at", "id"], name="title_change_lodged_idx")
        ),
        AddIndexOnPostgres(
            model_name="application",
            index=GinIndex(OpClass(Upper("title"), name="gin_trgm_ops"), name="application_title_trgm"),
        ),
    ]
