"""The company's names on the provider profile (what the list sorts and searches by), filled from the companies;
indexes for the list's cursor orders; on PostgreSQL trigram indexes for the names' substring search, so a rare
word reads only its matches.

The trigram expressions must stay identical to what apps/providers/search.py asks (Django's `icontains`:
UPPER(column::text) LIKE UPPER(pattern)), or the planner cannot use them. apps/providers/receivers.py keeps the
copies current."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_names(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    ProviderProfile = apps.get_model("providers", "ProviderProfile")
    company = Company.objects.filter(pk=OuterRef("company_id"))
    ProviderProfile.objects.update(company_name_en=Subquery(company.values("name_en")[:1]),
                                   company_name_zh=Subquery(company.values("name_zh")[:1]))


TRIGRAM_INDEXES = [(f"provider_company_{column}_trgm", f"(UPPER(company_{column}::text) gin_trgm_ops)")
                   for column in ("name_en", "name_zh")]


def trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in TRIGRAM_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON providers_providerprofile USING gin {definition}")


def drop_trigram_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, _definition in TRIGRAM_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('companies', '0001_initial'),
        ('providers', '0003_search_document'),
    ]

    operations = [
        migrations.AlterModelOptions(
            name='providerprofile',
            options={'ordering': ['company_name_en', 'id'], 'verbose_name': 'service provider', 'verbose_name_plural': 'service providers'},
        ),
        migrations.AddField(
            model_name='providerprofile',
            name='company_name_en',
            field=models.CharField(default='', editable=False, max_length=200, verbose_name='name (English)'),
        ),
        migrations.AddField(
            model_name='providerprofile',
            name='company_name_zh',
            field=models.CharField(blank=True, default='', editable=False, max_length=200, verbose_name='name (Chinese)'),
        ),
        migrations.RunPython(copy_names, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='providerprofile',
            index=models.Index(fields=['company_name_en', 'id'], name='provider_company_name_idx'),
        ),
        migrations.AddIndex(
            model_name='providerprofile',
            index=models.Index(fields=['rating_count', 'id'], name='provider_rating_count_idx'),
        ),
        migrations.RunPython(trigram_indexes, drop_trigram_indexes),
    ]
