"""Indexes for the provider list's cursor orders, and on PostgreSQL trigram indexes for the substring search of the
company names on the profile, so a rare word reads only its matches; then fresh statistics for the planner.

The trigram expressions must stay identical to what apps/providers/search.py asks (Django's `icontains`:
UPPER(column::text) LIKE UPPER(pattern)), or the planner cannot use them."""

from django.db import migrations, models

TABLE = "providers_providerprofile"
TRIGRAM_INDEXES = [(f"provider_company_{column}_trgm", f"(UPPER(company_{column}::text) gin_trgm_ops)")
                   for column in ("name_en", "name_zh")]


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {TABLE} USING gin {definition}")
    schema_editor.execute(f"ANALYZE {TABLE}")


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('providers', '0004_company_names'),
    ]

    operations = [
        migrations.AddIndex(
            model_name='providerprofile',
            index=models.Index(fields=['company_name_en', 'id'], name='provider_company_name_idx'),
        ),
        migrations.AddIndex(
            model_name='providerprofile',
            index=models.Index(fields=['rating_count', 'id'], name='provider_rating_count_idx'),
        ),
        migrations.RunPython(forwards, backwards),
    ]
