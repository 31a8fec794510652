"""PostgreSQL only: the search indexes again, partial on published assets.

Search writes its match once per branch of the visibility rule (apps/catalog/search.py, Asset.view_branches);
the branch "published, for a verified reader" is served by these indexes, so a search fetches the published
matches only, not every draft and archived asset that matches too (B6: at 10x, 1,397 rows fetched and 1,363
dropped for the Chinese test code). The full indexes stay: staff search every asset. A published asset is a
few percent of the table, and so are these indexes. The expressions must stay identical to
apps/catalog/search.py and to migrations 0004-0007.
"""

from django.db import migrations

PUBLISHED = "WHERE status = 'published'"
INDEXES = [
    ("asset_published_search_en_gin", f"USING gin (search_en) {PUBLISHED}"),
    ("asset_published_search_tokens_gin", f"USING gin (search_tokens) {PUBLISHED}"),
    ("asset_published_search_zh_trgm", f"USING gin (search_zh gin_trgm_ops) {PUBLISHED}"),
    ("asset_published_code_name_trgm", f"USING gin (code_name gin_trgm_ops) {PUBLISHED}"),
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


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0007_search_zh"),
    ]

    operations = [
        migrations.RunPython(create_indexes, drop_indexes),
    ]
