"""PostgreSQL-only indexes: GIN over the JSON code lists, English full-text and Chinese trigram search.

SQLite (`make run`) gets none of them: the lookups and the search fall back to unindexed forms there.
The search expressions here must stay identical to apps/catalog/search.py, or the planner cannot use them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

from apps.catalog.models import STAGE_RANK

JSON_LIST_COLUMNS = ("therapeutic_areas", "deal_types", "territories", "targets", "indications")

INDEXES = [
    *[(f"asset_{column}_gin", f"USING gin ({column})") for column in JSON_LIST_COLUMNS],
    ("asset_search_en_gin",
     "USING gin (to_tsvector('english'::regconfig, COALESCE(code_name, '') || ' ' || COALESCE(summary_en, '')))"),
    ("asset_summary_zh_trgm", "USING gin (summary_zh gin_trgm_ops)"),
    ("asset_code_name_trgm", "USING gin (code_name gin_trgm_ops)"),
]


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON catalog_asset {definition}")


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def backfill_stage_rank(apps, schema_editor):
    Asset = apps.get_model("catalog", "Asset")
    for stage, rank in STAGE_RANK.items():
        Asset.objects.filter(stage=stage).update(stage_rank=rank)


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0003_listing"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create_indexes, drop_indexes),
        migrations.RunPython(backfill_stage_rank, migrations.RunPython.noop),
    ]
