"""Search words for Chinese short words and Traditional/Simplified (apps/core/search.py).

`search_document` holds the teaser's tokens (jieba words of the OpenCC-Simplified text, synonyms); on
PostgreSQL a generated tsvector column over it (`search_tokens`) carries a GIN index. Existing rows are
filled here.
"""

from django.db import migrations, models

from apps.core.search import search_document, token_column_sql

TABLE = "catalog_asset"


def backfill(apps, schema_editor):
    Asset = apps.get_model("catalog", "Asset")
    batch = []
    for asset in Asset.objects.only("pk", "code_name", "summary_en", "summary_zh").iterator(chunk_size=2000):
        asset.search_document = search_document(asset.code_name, asset.summary_en, asset.summary_zh)
        batch.append(asset)
        if len(batch) >= 2000:
            Asset.objects.bulk_update(batch, ["search_document"])
            batch = []
    if batch:
        Asset.objects.bulk_update(batch, ["search_document"])


def add_token_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for statement in token_column_sql(TABLE):
        schema_editor.execute(statement)


def drop_token_column(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_tokens")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0005_search_vector_column"),
    ]

    operations = [
        migrations.AddField(
            model_name="asset",
            name="search_document",
            field=models.TextField(blank=True, db_default="", default="", editable=False, verbose_name="search words"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_token_column, drop_token_column),
    ]
