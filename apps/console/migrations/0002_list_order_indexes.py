from django.db import migrations

# The console's own access paths on other apps' tables: the order its list pages read them in, so the first page of
# 100,000 listings or 20,000 grants is an index scan with a LIMIT, not a sort of the whole table (bench B13). They
# live here, not in those apps, because only the console reads in this order; PostgreSQL only, like the audit
# trail's trigger.
CREATE = """
CREATE INDEX IF NOT EXISTS console_asset_list_order ON catalog_asset (submitted_at DESC, created_at DESC, id DESC);
CREATE INDEX IF NOT EXISTS console_grant_list_order ON datarooms_accessgrant (created_at DESC, id DESC);
"""
DROP = """
DROP INDEX IF EXISTS console_asset_list_order;
DROP INDEX IF EXISTS console_grant_list_order;
"""


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [
        ("console", "0001_staff_roles"),
        ("catalog", "0005_search_vector_column"),
        ("datarooms", "0004_stamp_template"),
    ]
    operations = [migrations.RunPython(forwards, backwards)]
