"""PostgreSQL only: GIN indexes over the profile's code lists, the English search vector as a stored generated
column, trigram indexes for Chinese text (the catalog's approach, apps/catalog/search.py).

The expressions here must stay identical to apps/providers/search.py, or the planner cannot use them.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

TABLE = "providers_providerprofile"
JSON_LIST_COLUMNS = ("categories", "jurisdictions", "agencies", "therapeutic_areas", "modalities", "languages")
VECTOR = ("to_tsvector('english'::regconfig, COALESCE(headline_en, '') || ' ' || COALESCE(description_en, ''))")
INDEXES = [
    *[(f"provider_{column}_gin", f"USING gin ({column})") for column in JSON_LIST_COLUMNS],
    ("provider_search_en_gin", "USING gin (search_en)"),
    ("provider_headline_zh_trgm", "USING gin (headline_zh gin_trgm_ops)"),
    ("provider_description_zh_trgm", "USING gin (description_zh gin_trgm_ops)"),
]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE {TABLE} ADD COLUMN IF NOT EXISTS search_en tsvector GENERATED ALWAYS AS ({VECTOR}) STORED")
    for name, definition in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} {definition}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
    schema_editor.execute(f"ALTER TABLE {TABLE} DROP COLUMN IF EXISTS search_en")


class Migration(migrations.Migration):

    dependencies = [
        ("providers", "0001_initial"),
    ]

    operations = [
        TrigramExtension(),
        migrations.RunPython(forwards, backwards),
    ]
