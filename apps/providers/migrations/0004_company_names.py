"""The company's names on the provider profile (what the list sorts and searches by), filled from the companies.
apps/providers/receivers.py keeps the copies current. Their indexes come in 0005, in a transaction of their own:
an index built in the transaction that rewrote every row would also hold an entry for each old row version (with
the empty name), which every page walking it would then visit until a vacuum."""

from django.db import migrations, models
from django.db.models import OuterRef, Subquery


def copy_names(apps, schema_editor):
    Company = apps.get_model("companies", "Company")
    ProviderProfile = apps.get_model("providers", "ProviderProfile")
    company = Company.objects.filter(pk=OuterRef("company_id"))
    ProviderProfile.objects.update(company_name_en=Subquery(company.values("name_en")[:1]),
                                   company_name_zh=Subquery(company.values("name_zh")[:1]))


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
    ]
