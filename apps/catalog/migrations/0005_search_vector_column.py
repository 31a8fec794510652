"""PostgreSQL only: store the English search vector in a generated column.

A BitmapOr of the English, Chinese and code-name indexes rechecks the whole OR on every heap row it
visits; with the vector computed on the fly that meant one to_tsvector() per candidate row (measured: most
of a Chinese query's time in B6). Stored, the recheck is a cheap `@@`. Django's model does not declare
the column (SQLite has none); apps/catalog/search.py reads it by name on PostgreSQL only.
"""

from django.db import migrations

VECTOR = "to_tsvector('english'::regconfig, COALESCE(code_name, '') || ' ' || COALESCE(summary_en, ''))"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"ALTER TABLE catalog_asset ADD COLUMN IF NOT EXISTS search_en tsvector GENERATED ALWAYS AS ({VECTOR}) STORED"
    )
    schema_editor.execute("CREATE INDEX IF NOT EXISTS asset_search_en_vector_gin ON catalog_asset USING gin (search_en)")
    schema_editor.execute("DROP INDEX IF EXISTS asset_search_en_gin")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"CREATE INDEX IF NOT EXISTS asset_search_en_gin ON catalog_asset USING gin ({VECTOR})")
    schema_editor.execute("ALTER TABLE catalog_asset DROP COLUMN IF EXISTS search_en")


class Migration(migrations.Migration):

    dependencies = [
        ("catalog", "0004_search_indexes"),
    ]

    operations = [
        migrations.RunPython(forwards, backwards),
    ]
