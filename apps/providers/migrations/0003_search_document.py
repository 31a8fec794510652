"""Provider search with Chinese words and Traditional/Simplified (apps/core/search.py), as the catalog and calls.

`search_document` holds the profile's tokens (jieba words of the OpenCC-Simplified text, synonyms); on PostgreSQL
a generated tsvector over it (`search_tokens`) carries a GIN index. Existing profiles are filled here.
"""

from django.db import migrations, models

from apps.core.search import search_document, token_column_sql

TABLE = "providers_providerprofile"
FIELDS = ("headline_en", "headline_zh", "description_en", "description_zh")


def backfill(apps, schema_editor):
    ProviderProfile = apps.get_model("providers", "ProviderProfile")
    batch = []
    for profile in ProviderProfile.objects.only("pk", *FIELDS).iterator(chunk_size=2000):
        profile.search_document = search_document(*(getattr(profile, name) for name in FIELDS))
        batch.append(profile)
        if len(batch) >= 2000:
            ProviderProfile.objects.bulk_update(batch, ["search_document"])
            batch = []
    if batch:
        ProviderProfile.objects.bulk_update(batch, ["search_document"])


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
        ("providers", "0002_search_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="providerprofile",
            name="search_document",
            field=models.TextField(blank=True, db_default="", default="", editable=False, verbose_name="search words"),
        ),
        migrations.RunPython(backfill, migrations.RunPython.noop),
        migrations.RunPython(add_token_column, drop_token_column),
    ]
