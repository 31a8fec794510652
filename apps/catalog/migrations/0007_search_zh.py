"""The Chinese summary in Simplified characters (`search_zh`, apps/core/search.normalize), trigram-indexed on
PostgreSQL in place of the raw summary: a Simplified phrase then finds a Traditional listing and the reverse,
and apps/catalog/search.py needs the search-word index only where trigrams cannot serve (see needs_tokens)."""

from django.db import migrations, models

from apps.core.search import normalize


def backfill(apps, schema_editor):
    Asset = apps.get_model("catalog", "Asset")
    batch = []
    for asset in Asset.objects.exclude(summary_zh="").only("pk", "summary_zh").iterator(chunk_size=2000):
        asset.search_zh = normalize(asset.summary_zh)
        batch.append(asset)
        if len(batch) >= 2000:
            Asset.objects.bulk_update(batch, ["search_zh"])
            batch = []
    if batch:
        Asset.objects.bulk_update(batch, ["search_zh"])


def swap_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS asset_search_zh_trgm ON catalog_asset "
                          "USING gin (search_zh gin_trgm_ops)")
    schema_editor.execute("DROP INDEX IF EXISTS asset_summary_zh_trgm")


def unswap_index(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE INDEX IF NOT EXISTS asset_summary_zh_trgm ON catalog_asset "
                          "USING gin (summary_zh gin_trgm_ops)")
    schema_editor.execute("DROP INDEX IF EXISTS asset_search_zh_trgm")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0006_search_document"),
    ]

    operations = [
        migrations.AddField(
            model_name="asset",
            name="search_zh",
            field=models.TextField(blank=True, db_default="", default="", editable=False,
                                   verbose_name="Chinese summary, simplified"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(swap_index, unswap_index),
    ]
